/**
 * Desktop capture and the overlay, without Electron: which source getDisplayMedia delivers, where
 * the overlay window sits, how face boxes map onto it, window following, pause and visibility.
 * src/main/capture/desktop-host.ts supplies the Electron side (desktopCapturer, screen, BrowserWindows);
 * the e2e harness supplies its own host, so the same code runs in both.
 */
import {
  frameTransform,
  frameToOverlay,
  overlayBounds,
  regionArea,
  type CaptureArea,
  type DisplayLayout
} from '../../shared/capture-geometry'
import type {
  AnalysisState,
  Box,
  CaptureSelection,
  CaptureTarget,
  DesktopSource,
  EventChannels,
  OverlayFrame,
  OverlayUpdate
} from '../../shared/ipc'
import { AppError } from '../app/app-error'
import { INITIAL_FOLLOW_STATE, followStep, type FollowAction, type FollowState } from './window-follow'

/** The overlay window, as the service drives it. */
export interface OverlayHost {
  /** Opens the overlay (or moves the open one) over `bounds`, in desktop DIP. */
  show(bounds: Box): void
  setBounds(bounds: Box): void
  setVisible(visible: boolean): void
  send(update: OverlayUpdate): void
  close(): void
}

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
  onStateChange?(state: { analysis: AnalysisState; overlayWanted: boolean }): void
  log(message: string): void
}

/** Tuning, overridable in tests. */
export interface DesktopServiceOptions {
  followIntervalMs: number
  missesBeforeClosed: number
}

const DEFAULT_OPTIONS: DesktopServiceOptions = { followIntervalMs: 250, missesBeforeClosed: 3 }

interface Active {
  source: DesktopSource
  target: CaptureTarget
  area: CaptureArea | null
  follow: FollowState
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

/** State and rules of desktop capture and the overlay; one per app. */
export class DesktopService {
  private active: Active | null = null
  /** What the user wants, whatever the window manager does (a minimised window hides the overlay meanwhile). */
  private overlayWanted = true
  private overlayOpen = false
  private followTimer: ReturnType<typeof setInterval> | null = null
  private polling = false
  private regionResolve: ((rect: Box | null) => void) | null = null
  private readonly options: DesktopServiceOptions
  /** The one paused state: the renderer reports it, the tray and the shortcut change it, everyone reads it here. */
  private analysis: AnalysisState = { running: false, paused: false }

  constructor(
    private readonly host: DesktopHost,
    options: Partial<DesktopServiceOptions> = {}
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options }
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

    this.active = { source, target, area, follow: INITIAL_FOLLOW_STATE }
    if (area) this.openOverlay(overlayBounds(area))
    if (target.kind === 'window' && target.follow === 'following') {
      if (area?.kind === 'window') this.applyFollow(followStep(INITIAL_FOLLOW_STATE, { kind: 'bounds', bounds: area.bounds }, this.followOptions()))
      this.followTimer = setInterval(() => void this.pollWindow(), this.options.followIntervalMs)
    }
    this.host.log(`[capture] selected ${source.id} (${target.kind}${target.region ? ` ${JSON.stringify(target.region)}` : ''}, follow ${target.follow})`)
    return target
  }

  /** Ends capture: stops following and closes the overlay; the next getDisplayMedia is refused. */
  release(): void {
    if (this.followTimer) clearInterval(this.followTimer)
    this.followTimer = null
    this.active = null
    if (this.overlayOpen) this.host.overlay.close()
    this.overlayOpen = false
  }

  /** Opens the region selectors and resolves with the dragged region (desktop DIP), or null when cancelled. */
  pickRegion(): Promise<Box | null> {
    this.regionResolve?.(null)
    return new Promise((resolve) => {
      this.regionResolve = resolve
      const cancel = (): void => {
        // Only this pick: a later pickRegion() has its own resolve.
        if (this.regionResolve === resolve) this.submitRegion(null)
      }
      this.host.openRegionSelectors(cancel)
    })
  }

  /** A selector page's answer: a rectangle in desktop DIP, or null (Escape). */
  submitRegion(rect: Box | null): void {
    const resolve = this.regionResolve
    this.regionResolve = null
    this.host.closeRegionSelectors()
    resolve?.(rect && rect.width >= 8 && rect.height >= 8 ? rect : null)
  }

  /** Maps a processed frame's faces onto the overlay and sends them there. */
  publish(frame: OverlayFrame): void {
    const active = this.active
    if (!active?.area || !this.overlayOpen) return
    const placed = overlayBounds(active.area)
    const transform = frameTransform(active.area, frame.sourceWidth, frame.sourceHeight)
    const { paused } = this.analysis
    const labels = paused
      ? []
      : frame.faces.map((f) => ({ id: f.id, box: frameToOverlay(f.box, transform, placed), label: f.label, confidence: f.confidence }))
    this.host.overlay.send({ labels, paused })
  }

  /** Shows or hides the overlay (the global shortcut and the tray); answers the new wish. */
  setOverlayVisible(visible: boolean): boolean {
    this.overlayWanted = visible
    if (this.overlayOpen) this.host.overlay.setVisible(visible && this.active?.follow.phase !== 'hidden')
    this.notify()
    return visible
  }

  /** Flips overlay visibility. */
  toggleOverlay(): boolean {
    return this.setOverlayVisible(!this.overlayWanted)
  }

  /** Pauses or resumes analysis (tray); the renderer is told and the overlay clears. */
  setPaused(paused: boolean): void {
    this.analysis = { ...this.analysis, paused }
    this.host.emit('analysis:paused', { paused })
    if (this.overlayOpen) this.host.overlay.send({ labels: [], paused })
    this.notify()
  }

  /** The renderer's run state, for the tray and the indicator. */
  setAnalysisState(state: AnalysisState): void {
    this.analysis = { ...state }
    this.notify()
  }

  private notify(): void {
    this.host.onStateChange?.({ analysis: { ...this.analysis }, overlayWanted: this.overlayWanted })
  }

  /** The last run state the renderer reported. */
  analysisState(): AnalysisState {
    return this.analysis
  }

  /** Displays were added, removed or changed: a captured screen that is gone ends the run. */
  displaysChanged(): void {
    const area = this.active?.area
    if (!area || area.kind === 'window') return
    const now = this.host.displays().find((d) => d.id === area.display.id)
    if (!now) {
      this.lose('The captured screen was disconnected.')
      return
    }
    area.display = now
    if (area.kind === 'region') {
      const clipped = regionArea(area.region, [now])
      if (!clipped) return this.lose('The captured region is no longer on any screen.')
      area.region = clipped.region
    }
    if (this.overlayOpen) this.host.overlay.setBounds(overlayBounds(area))
  }

  /** One follow poll; public so tests drive it without timers. */
  async pollWindow(): Promise<void> {
    const active = this.active
    if (!active || active.source.kind !== 'window' || this.polling) return
    this.polling = true
    try {
      let seen: Parameters<typeof followStep>[1]
      try {
        const bounds = await this.host.readWindowBounds(active.source)
        seen = bounds ? { kind: 'bounds', bounds } : { kind: 'missing' }
      } catch (error) {
        seen = { kind: 'error', message: error instanceof Error ? error.message : String(error) }
      }
      // The run may have ended while the reader ran.
      if (this.active === active) this.applyFollow(followStep(active.follow, seen, this.followOptions()))
    } finally {
      this.polling = false
    }
  }

  private followOptions(): { missesBeforeClosed: number; displays: DisplayLayout[] } {
    return { missesBeforeClosed: this.options.missesBeforeClosed, displays: this.host.displays() }
  }

  private applyFollow(step: { state: FollowState; actions: FollowAction[] }): void {
    const active = this.active
    if (!active) return
    const before = active.follow.phase
    active.follow = step.state
    for (const action of step.actions) {
      if (action.type === 'move' || action.type === 'show') {
        active.area = { kind: 'window', bounds: action.bounds }
        const bounds = overlayBounds(active.area)
        if (!this.overlayOpen) this.openOverlay(bounds)
        else this.host.overlay.setBounds(bounds)
        if (action.type === 'show') this.host.overlay.setVisible(this.overlayWanted)
      } else if (action.type === 'hide') {
        if (this.overlayOpen) this.host.overlay.setVisible(false)
      } else if (action.type === 'closed') {
        this.lose(`The captured window "${active.source.name}" was closed.`)
        return
      } else {
        if (this.followTimer) clearInterval(this.followTimer)
        this.followTimer = null
      }
    }
    if (step.state.phase !== before) {
      const unavailable = step.actions.find((a) => a.type === 'unavailable')
      this.host.emit('capture:follow', {
        sourceId: active.source.id,
        phase: step.state.phase,
        ...(unavailable?.type === 'unavailable' ? { message: `Window position unavailable (${unavailable.message}); use "Select region…" instead.` } : {})
      })
    }
  }

  private openOverlay(bounds: Box): void {
    this.host.overlay.show(bounds)
    this.overlayOpen = true
    this.host.overlay.setVisible(this.overlayWanted)
  }

  private lose(message: string): void {
    const sourceId = this.active?.source.id ?? ''
    this.release()
    this.host.log(`[capture] source lost: ${message}`)
    this.host.emit('capture:source-lost', { sourceId, message })
  }
}
