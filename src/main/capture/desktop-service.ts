/**
 * Desktop capture without Electron: which source getDisplayMedia delivers and what it covers. The
 * service selects and releases the capture target and composes the pieces that own the rest: the
 * overlay (OverlayController: wanted/open, placement, publishing, the paused state), window following
 * (WindowFollower) and region picking (RegionPicker). src/main/capture/desktop-host.ts supplies the
 * Electron side (desktopCapturer, screen, BrowserWindows); the e2e harness supplies its own host, so
 * the same code runs in both.
 */
import { regionArea, type CaptureArea, type DisplayLayout } from '../../shared/capture-geometry'
import type { AnalysisState, Box, CaptureSelection, CaptureTarget, DesktopSource, EventChannels, OverlayFrame } from '../../shared/ipc'
import { AppError } from '../app/app-error'
import { OverlayController, type OverlayHost, type OverlayState } from '../overlay/overlay-controller'
import { RegionPicker } from './region-picker'
import { WindowFollower } from './window-follower'

/** What the service needs from its host. */
export interface DesktopHost {
  listSources(): Promise<DesktopSource[]>
  displays(): DisplayLayout[]
  /**
   * Current bounds of a window source in desktop DIP; undefined when the window is not listed;
   * throws when bounds cannot be read at all (Wayland, permission refused, library missing).
   */
  readWindowBounds(source: DesktopSource): Promise<Box | undefined>
  /**
   * Opens one region selector per display; the selector pages answer through 'region:submit'.
   * `onClosed` runs when the user closes a selector window without answering (Alt+F4, the window
   * manager), so the pick ends as cancelled instead of waiting forever.
   */
  openRegionSelectors(onClosed: () => void): void
  closeRegionSelectors(): void
  overlay: OverlayHost
  /** Whether setContentProtection keeps the overlay out of captures on this OS. */
  contentProtection: boolean
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  /** Told when the run starts, stops, pauses or the overlay is wished shown or hidden (the tray follows it). */
  onStateChange?(state: OverlayState): void
  log(message: string): void
}

/** Tuning, overridable in tests. */
export interface DesktopServiceOptions {
  followIntervalMs: number
  missesBeforeClosed: number
}

const DEFAULT_OPTIONS: DesktopServiceOptions = { followIntervalMs: 250, missesBeforeClosed: 3 }

/** The selected capture target; the follower exists while a window is being followed. */
interface Active {
  source: DesktopSource
  target: CaptureTarget
  follower: WindowFollower | null
}

function targetBase(source: DesktopSource, contentProtection: boolean): Pick<CaptureTarget, 'sourceId' | 'name' | 'overlayExcludedFromCapture'> {
  return { sourceId: source.id, name: source.name, overlayExcludedFromCapture: contentProtection }
}

/**
 * The screen source that shows `display`. Where the system gives sources no display ids (some Linux
 * setups) a single display can only be the passed screen; with several we cannot tell, and say so.
 */
function screenShowing(display: DisplayLayout, passed: DesktopSource, sources: readonly DesktopSource[], displayCount: number): DesktopSource {
  const holder = sources.find((s) => s.kind === 'screen' && s.displayId === display.id)
  if (holder) return holder
  if (passed.displayId === null && displayCount === 1) return passed
  throw new AppError('capture-unavailable', 'no screen source shows the monitor that holds the region; pick that screen itself instead')
}

/** Selects and releases the capture target, composing the overlay, window following and region picking; one per app. */
export class DesktopService {
  private active: Active | null = null
  private readonly options: DesktopServiceOptions
  private readonly overlay: OverlayController
  private readonly regions: RegionPicker

  constructor(
    private readonly host: DesktopHost,
    options: Partial<DesktopServiceOptions> = {}
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options }
    this.overlay = new OverlayController(host)
    this.regions = new RegionPicker(host)
  }

  /** Every screen and window, with thumbnails. */
  listSources(): Promise<DesktopSource[]> {
    return this.host.listSources()
  }

  /** The source getDisplayMedia must deliver now, or null (the request is then refused). */
  currentSourceId(): string | null {
    return this.active?.source.id ?? null
  }

  /** Chooses what the next getDisplayMedia delivers and puts the overlay over it. */
  async select(selection: CaptureSelection): Promise<CaptureTarget> {
    this.release()
    const sources = await this.host.listSources()
    let source = sources.find((s) => s.id === selection.sourceId)
    if (!source) throw new AppError('unknown-source', `no screen or window "${selection.sourceId.slice(0, 80)}" (closed or unplugged?)`)
    const displays = this.host.displays()
    let area: CaptureArea | null = null
    let target: CaptureTarget

    if (selection.region) {
      if (source.kind !== 'screen') throw new AppError('invalid-argument', 'a region is cut from a screen source, not a window')
      const region = regionArea(selection.region, displays)
      if (!region) throw new AppError('invalid-argument', 'the region lies on no display')
      // The crop is computed for the display that holds the region, so the stream must show that
      // display: main picks its screen source here, whatever screen the renderer passed.
      source = screenShowing(region.display, source, sources, displays.length)
      area = region
      target = {
        ...targetBase(source, this.host.contentProtection),
        kind: 'region',
        region: region.region,
        display: { bounds: region.display.bounds, scaleFactor: region.display.scaleFactor },
        follow: 'not-needed'
      }
    } else if (source.kind === 'screen') {
      const { displayId } = source
      const display = displays.find((d) => d.id === displayId) ?? (displays.length === 1 ? displays[0] : undefined)
      if (!display) throw new AppError('capture-unavailable', `the display of "${source.name}" is not connected`)
      area = { kind: 'screen', display }
      target = { ...targetBase(source, this.host.contentProtection), kind: 'screen', region: null, display: { bounds: display.bounds, scaleFactor: display.scaleFactor }, follow: 'not-needed' }
    } else {
      target = { ...targetBase(source, this.host.contentProtection), kind: 'window', region: null, display: null, follow: 'following' }
      try {
        const bounds = await this.host.readWindowBounds(source)
        if (bounds) area = { kind: 'window', bounds }
      } catch (error) {
        target.follow = 'unavailable'
        target.followMessage = `The position of "${source.name}" cannot be read here (${error instanceof Error ? error.message : String(error)}), so labels cannot be placed over it. Use "Select region…" over the window instead.`
      }
    }

    const active: Active = { source, target, follower: null }
    this.active = active
    if (area) this.overlay.place(area)
    if (target.kind === 'window' && target.follow === 'following') {
      active.follower = this.followWindow(source)
      active.follower.start(area?.kind === 'window' ? area.bounds : undefined)
    }
    this.host.log(`[capture] selected ${source.id} (${target.kind}${target.region ? ` ${JSON.stringify(target.region)}` : ''}, follow ${target.follow})`)
    return target
  }

  /** Ends capture: stops following and closes the overlay; the next getDisplayMedia is refused. */
  release(): void {
    this.active?.follower?.stop()
    this.active = null
    this.overlay.close()
  }

  /** Opens the region selectors and resolves with the dragged region (desktop DIP), or null when cancelled. */
  pickRegion(): Promise<Box | null> {
    return this.regions.pick()
  }

  /** A selector page's answer: a rectangle in desktop DIP, or null (Escape). */
  submitRegion(rect: Box | null): void {
    this.regions.submit(rect)
  }

  /** Maps a processed frame's faces onto the overlay and sends them there. */
  publish(frame: OverlayFrame): void {
    this.overlay.publish(frame)
  }

  /** Shows or hides the overlay (the global shortcut and the tray); answers the new wish. */
  setOverlayVisible(visible: boolean): boolean {
    return this.overlay.setWanted(visible, this.active?.follower?.phase() !== 'hidden')
  }

  /** Flips overlay visibility. */
  toggleOverlay(): boolean {
    return this.setOverlayVisible(!this.overlay.isWanted())
  }

  /** Pauses or resumes analysis (tray); the renderer is told and the overlay clears. */
  setPaused(paused: boolean): void {
    this.overlay.setPaused(paused)
  }

  /** The renderer's run state, for the tray and the indicator. */
  setAnalysisState(state: AnalysisState): void {
    this.overlay.setAnalysisState(state)
  }

  /** The last run state the renderer reported. */
  analysisState(): AnalysisState {
    return this.overlay.analysisState()
  }

  /** Displays were added, removed or changed: a captured screen that is gone ends the run. */
  displaysChanged(): void {
    const area = this.active ? this.overlay.placement() : null
    if (!area || area.kind === 'window') return
    const now = this.host.displays().find((d) => d.id === area.display.id)
    if (!now) {
      this.lose('The captured screen was disconnected.')
      return
    }
    if (area.kind === 'region') {
      const clipped = regionArea(area.region, [now])
      if (!clipped) return this.lose('The captured region is no longer on any screen.')
      this.overlay.place({ ...area, display: now, region: clipped.region })
    } else {
      this.overlay.place({ ...area, display: now })
    }
  }

  /** One follow poll; public so tests drive it without timers. */
  async pollWindow(): Promise<void> {
    await this.active?.follower?.poll()
  }

  /** A follower for `source` whose steps move, hide and show the overlay, or end the run. */
  private followWindow(source: DesktopSource): WindowFollower {
    return new WindowFollower(
      {
        readBounds: () => this.host.readWindowBounds(source),
        displays: () => this.host.displays(),
        place: (bounds, reveal) => {
          this.overlay.place({ kind: 'window', bounds })
          if (reveal) this.overlay.reveal()
        },
        conceal: () => this.overlay.conceal(),
        closed: () => this.lose(`The captured window "${source.name}" was closed.`),
        phaseChanged: (phase, message) =>
          this.host.emit('capture:follow', {
            sourceId: source.id,
            phase,
            ...(message !== undefined ? { message: `Window position unavailable (${message}); use "Select region…" instead.` } : {})
          })
      },
      { intervalMs: this.options.followIntervalMs, missesBeforeClosed: this.options.missesBeforeClosed }
    )
  }

  private lose(message: string): void {
    const sourceId = this.active?.source.id ?? ''
    this.release()
    this.host.log(`[capture] source lost: ${message}`)
    this.host.emit('capture:source-lost', { sourceId, message })
  }
}
