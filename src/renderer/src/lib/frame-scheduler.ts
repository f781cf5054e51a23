import { RateMeter, RollingMean, RollingPercentiles } from './rolling-stats'

/** Timings one processed frame reports back to the scheduler. */
export interface FrameTimings {
  detectionMs: number
  /** Wall time of the classify call, divided over its faces by the scheduler. */
  inferenceMs?: number
  faces: number
}

/** A snapshot for the stats panel; null where nothing was measured yet. */
export interface SchedulerStats {
  captureFps: number | null
  processedFps: number | null
  detectionMs: number | null
  inferenceMsPerFace: number | null
  /** Capture-to-label latency over recent frames: from the frame's arrival to its labels being handed to the UI. */
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  framesSeen: number
  framesProcessed: number
  framesDropped: number
  framesFailed: number
  busy: boolean
}

/** How a scheduler reports errors, averages and reads the clock. */
export interface SchedulerOptions {
  /** Receives what a frame's work threw; the loop keeps going. */
  onError: (error: unknown) => void
  /** Number of recent samples the rolling stats average over (default 30). */
  window?: number
  /** Clock for the processed-frames rate; injectable so tests need no real time. */
  now?: () => number
}

/** What offer() did with a frame. */
export type OfferOutcome = 'started' | 'dropped'

/**
 * Backpressure for the capture loop: at most one frame is processed at a time, and a frame that
 * arrives while one is in flight is dropped, never queued, so latency stays at one frame's work
 * however slow detection or inference get.
 */
export class FrameScheduler {
  private inFlight: Promise<void> | null = null
  private readonly capture: RateMeter
  private readonly processed: RateMeter
  private readonly detection: RollingMean
  private readonly inferencePerFace: RollingMean
  private readonly latency: RollingPercentiles
  private seen = 0
  private done = 0
  private dropped = 0
  private failed = 0

  private readonly onError: (error: unknown) => void
  private readonly now: () => number

  constructor(options: SchedulerOptions) {
    const window = options.window ?? 30
    this.onError = options.onError
    this.now = options.now ?? (() => performance.now())
    this.capture = new RateMeter(window)
    this.processed = new RateMeter(window)
    this.detection = new RollingMean(window)
    this.inferencePerFace = new RollingMean(window)
    this.latency = new RollingPercentiles(2 * window)
  }

  /**
   * Offers a captured frame taken at `timeMs`. Starts `work` if idle, otherwise drops the frame.
   * `work` resolves with the frame's timings, or null when it produced none (e.g. cancelled).
   */
  offer(timeMs: number, work: () => Promise<FrameTimings | null>): OfferOutcome {
    this.seen++
    this.capture.tick(timeMs)
    if (this.inFlight) {
      this.dropped++
      return 'dropped'
    }
    this.inFlight = this.run(timeMs, work).finally(() => {
      this.inFlight = null
    })
    return 'started'
  }

  private async run(capturedMs: number, work: () => Promise<FrameTimings | null>): Promise<void> {
    try {
      const timings = await work()
      if (!timings) return
      this.done++
      const now = this.now()
      this.processed.tick(now)
      this.latency.add(now - capturedMs)
      this.detection.add(timings.detectionMs)
      if (timings.inferenceMs !== undefined && timings.faces > 0) this.inferencePerFace.add(timings.inferenceMs / timings.faces)
    } catch (error) {
      this.failed++
      this.onError(error)
    }
  }

  /** Resolves once the frame in flight (if any) has finished; used when stopping. */
  async idle(): Promise<void> {
    await this.inFlight
  }

  /** Current numbers for display. */
  stats(): SchedulerStats {
    return {
      captureFps: this.capture.perSecond,
      processedFps: this.processed.perSecond,
      detectionMs: this.detection.mean,
      inferenceMsPerFace: this.inferencePerFace.mean,
      latencyP50Ms: this.latency.percentile(50),
      latencyP95Ms: this.latency.percentile(95),
      framesSeen: this.seen,
      framesProcessed: this.done,
      framesDropped: this.dropped,
      framesFailed: this.failed,
      busy: this.inFlight !== null
    }
  }

  /** Clears the rolling timings (not the counters), e.g. after a model switch changes inference cost. */
  resetTimings(): void {
    this.inferencePerFace.clear()
  }
}
