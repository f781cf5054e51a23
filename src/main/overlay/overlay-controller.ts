/**
 * The overlay's one owner, without Electron: whether the user wants it shown, whether it is open and
 * where it sits, what it is sent, and the run's analysis state (running, paused) that the tray, the
 * shortcut and the overlay all read here and nowhere else.
 */
import { frameTransform, frameToOverlay, overlayBounds, type CaptureArea } from '../../shared/capture-geometry'
import type { AnalysisState, Box, EventChannels, OverlayFrame, OverlayUpdate } from '../../shared/ipc'

/** The overlay window, as the controller drives it. */
export interface OverlayHost {
  /** Opens the overlay (or moves the open one) over `bounds`, in desktop DIP. */
  show(bounds: Box): void
  setBounds(bounds: Box): void
  setVisible(visible: boolean): void
  send(update: OverlayUpdate): void
  close(): void
}

/** The overlay state the tray shows. */
export interface OverlayState {
  analysis: AnalysisState
  overlayWanted: boolean
}

/** What the controller needs from its host. */
export interface OverlayControllerHost {
  overlay: OverlayHost
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  /** Told when the run starts, stops, pauses or the overlay is wished shown or hidden (the tray follows it). */
  onStateChange?(state: OverlayState): void
}

/** Owns the overlay window's wanted/open state and placement, and the analysis state. */
export class OverlayController {
  /** What the user wants, whatever the window manager does (a minimised window hides the overlay meanwhile). */
  private wanted = true
  /** Where the open overlay sits (and so how frame pixels map onto it); null while it is closed. */
  private area: CaptureArea | null = null
  private analysis: AnalysisState = { running: false, paused: false }

  constructor(private readonly host: OverlayControllerHost) {}

  /** Opens the overlay over `area`, or moves the open one there. */
  place(area: CaptureArea): void {
    const bounds = overlayBounds(area)
    if (this.area) {
      this.area = area
      this.host.overlay.setBounds(bounds)
      return
    }
    this.area = area
    this.host.overlay.show(bounds)
    this.host.overlay.setVisible(this.wanted)
  }

  /** Where the open overlay sits, or null while it is closed. */
  placement(): CaptureArea | null {
    return this.area
  }

  /** Whether the overlay window is open (it may still be hidden). */
  isOpen(): boolean {
    return this.area !== null
  }

  /** The captured window is back in sight: the overlay shows again if the user wants it. */
  reveal(): void {
    if (this.area) this.host.overlay.setVisible(this.wanted)
  }

  /** The captured window went out of sight (minimised, missing): hide the overlay without changing the wish. */
  conceal(): void {
    if (this.area) this.host.overlay.setVisible(false)
  }

  /** Closes the overlay window (the run ended). */
  close(): void {
    if (this.area) this.host.overlay.close()
    this.area = null
  }

  /** Maps a processed frame's faces onto the overlay and sends them there. */
  publish(frame: OverlayFrame): void {
    const area = this.area
    if (!area) return
    const placed = overlayBounds(area)
    const transform = frameTransform(area, frame.sourceWidth, frame.sourceHeight)
    const { paused } = this.analysis
    const labels = paused
      ? []
      : frame.faces.map((f) => ({ id: f.id, box: frameToOverlay(f.box, transform, placed), label: f.label, confidence: f.confidence }))
    this.host.overlay.send({ labels, paused })
  }

  /**
   * Records the user's wish and applies it; `targetInSight` false (the captured window is minimised)
   * keeps the overlay hidden until the window returns. Answers the new wish.
   */
  setWanted(visible: boolean, targetInSight = true): boolean {
    this.wanted = visible
    if (this.area) this.host.overlay.setVisible(visible && targetInSight)
    this.notify()
    return visible
  }

  /** Whether the user wants the overlay shown. */
  isWanted(): boolean {
    return this.wanted
  }

  /** Pauses or resumes analysis (tray); the renderer is told and the overlay clears. */
  setPaused(paused: boolean): void {
    this.analysis = { ...this.analysis, paused }
    this.host.emit('analysis:paused', { paused })
    if (this.area) this.host.overlay.send({ labels: [], paused })
    this.notify()
  }

  /** The renderer's run state, for the tray and the indicator. */
  setAnalysisState(state: AnalysisState): void {
    this.analysis = { ...state }
    this.notify()
  }

  /** The last run state the renderer reported, with the tray's pause applied. */
  analysisState(): AnalysisState {
    return this.analysis
  }

  private notify(): void {
    this.host.onStateChange?.({ analysis: { ...this.analysis }, overlayWanted: this.wanted })
  }
}
