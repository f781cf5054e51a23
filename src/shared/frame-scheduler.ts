import { RateMeter, RollingMean, RollingPercentiles } from './rolling-stats'
import type { DetectionParts } from './detection/detect-track'

/** Timings one processed frame reports back to the scheduler. */
export interface FrameTimings {
  detectionMs: number
  /** Main's inference time for the classify answers that arrived since the frame before, divided over their faces by the scheduler. */
  inferenceMs?: number
  faces: number
  /** Time this frame's work held the page's main thread (grab, crops, tracking, smoothing), not counting awaits. */
  pageMs?: number
  /** Of detectionMs, what the tracker timed: full scans, per-face detector searches, following faces by their pixels. */
  parts?: DetectionParts
}

/** A snapshot for the stats panel; null where nothing was measured yet. */
export interface SchedulerStats {
  captureFps: number | null
  processedFps: number | null
  detectionMs: number | null
  /** Mean of each part of detection over recent frames; null where the detector does not report them. */
  detectionParts: DetectionParts | null
  inferenceMsPerFace: number | null
  /**
   * Mean wall time of the labelling stage (track, crop, send the faces due to main without waiting
   * for its answer, take the labels so far, hand to the UI),
   * and mean time a detected frame waited for the frame before it to be labelled. Where labelling
   * takes longer than detection, it is what limits the frame rate.
   */
  labelMs: number | null
  labelWaitMs: number | null
  /** Capture-to-label latency over recent frames: from the frame's arrival to its labels being handed to the UI. */
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  /**
   * What the loop costs, per second of wall time: its work on the page's main thread, and its
   * detection (in the worker, or in the page where the worker did not start), each as mean ms per
   * labelled frame times labelled frames per second.
   */
  pageMsPerSecond: number | null
  detectionMsPerSecond: number | null
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

/**
 * What offer() did with a frame: started it, or kept it as the next frame to start (replacing, and
 * so dropping, any frame kept before it).
 */
export type OfferOutcome = 'started' | 'queued'

/**
 * A frame's work in two stages. Detection may run while the previous frame is still being
 * labelled (on a worker it does not hold this thread); labelling runs one frame at a time, in
 * frame order, since tracking and smoothing must see frames in order.
 */
export interface FrameStages<D> {
  /** Grab and detect; null when there is nothing to label (e.g. cancelled, no video frame yet). */
  detect(): Promise<D | null>
  /** Track, crop, classify and show the detected frame. */
  label(detected: D): Promise<FrameTimings | null>
  /** Called instead of both stages when the frame is dropped (a newer frame took its place), to free what it holds. */
  dropped?(): void
}

/**
 * Backpressure for the capture loop: at most one frame is being detected and at most one is
 * waiting for or in labelling, so detection of frame N+1 overlaps labelling of frame N. A frame
 * that arrives while detection's turn is taken is kept as the next one to detect, and a newer
 * arrival replaces it (the older is dropped): so detection starts on the newest frame as soon as
 * it is free, instead of idling until the source's next frame (up to a whole frame interval,
 * which cost a 30 fps source a third of its frames where each stage took 20-30 ms), and latency
 * stays at about two stages' work however slow detection or inference get.
 */
export class FrameScheduler {
  private readonly inFlight = new Set<Promise<void>>()
  // The newest frame that arrived while detection's turn was taken; it starts when the turn frees.
  private next: { timeMs: number; stages: FrameStages<unknown> } | null = null
  private detecting = false
  // A detected frame waits here while the previous frame is still being labelled.
  private waiting = false
  private labelling: Promise<void> | null = null
  private readonly capture: RateMeter
  private readonly processed: RateMeter
  private readonly detection: RollingMean
  private readonly inferencePerFace: RollingMean
  private readonly page: RollingMean
  private readonly labelTime: RollingMean
  private readonly labelWait: RollingMean
  private readonly parts: { scanMs: RollingMean; searchMs: RollingMean; followMs: RollingMean }
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
    this.page = new RollingMean(window)
    this.labelTime = new RollingMean(window)
    this.labelWait = new RollingMean(window)
    this.parts = { scanMs: new RollingMean(window), searchMs: new RollingMean(window), followMs: new RollingMean(window) }
    this.latency = new RollingPercentiles(2 * window)
  }

  /**
   * Offers a captured frame taken at `timeMs` whose work is one piece: it starts if no frame is
   * in flight, otherwise it is kept as the next (see offerStaged). `work` resolves with the frame's
   * timings, or null when it produced none (e.g. cancelled).
   */
  offer(timeMs: number, work: () => Promise<FrameTimings | null>): OfferOutcome {
    return this.offerStaged(timeMs, { detect: work, label: async (timings) => timings })
  }

  /**
   * Offers a captured frame taken at `timeMs` in two stages: its detection starts unless another
   * frame is being detected or is waiting for its turn to be labelled; then it is kept as the next
   * frame to detect, and the frame kept before it, if any, is dropped. Latency is counted from
   * `timeMs`, so a kept frame's wait counts.
   */
  offerStaged<D>(timeMs: number, stages: FrameStages<D>): OfferOutcome {
    this.seen++
    this.capture.tick(timeMs)
    if (!this.accepting) {
      this.dropNext()
      this.next = { timeMs, stages: stages as FrameStages<unknown> }
      return 'queued'
    }
    this.start(timeMs, stages)
    return 'started'
  }

  /** Drops the frame kept as the next, if any, e.g. when the loop stops. */
  dropNext(): void {
    const next = this.next
    if (!next) return
    this.next = null
    this.dropped++
    next.stages.dropped?.()
  }

  private start<D>(timeMs: number, stages: FrameStages<D>): void {
    this.detecting = true
    const run = this.run(timeMs, stages)
    this.inFlight.add(run)
    void run.finally(() => this.inFlight.delete(run))
  }

  /** Starts the kept frame once detection's turn is free. */
  private startNext(): void {
    const next = this.next
    if (!next || !this.accepting) return
    this.next = null
    this.start(next.timeMs, next.stages)
  }

  private async run<D>(capturedMs: number, stages: FrameStages<D>): Promise<void> {
    let detected: D | null
    try {
      detected = await stages.detect()
    } catch (error) {
      this.detecting = false
      this.failed++
      this.onError(error)
      this.startNext()
      return
    }
    // Both flags change together, so no frame can start in between and queue up behind this one.
    this.detecting = false
    if (detected === null) {
      this.startNext()
      return
    }
    this.waiting = true
    const previous = this.labelling
    const detectedAt = this.now()
    const labelled = (async () => {
      await previous
      this.waiting = false
      this.startNext()
      await this.label(capturedMs, detected, stages, this.now() - detectedAt)
    })()
    this.labelling = labelled
    await labelled
    if (this.labelling === labelled) this.labelling = null
  }

  private async label<D>(capturedMs: number, detected: D, stages: FrameStages<D>, waitedMs: number): Promise<void> {
    try {
      const started = this.now()
      const timings = await stages.label(detected)
      if (!timings) return
      this.done++
      const now = this.now()
      this.labelTime.add(now - started)
      this.labelWait.add(waitedMs)
      this.processed.tick(now)
      this.latency.add(now - capturedMs)
      this.detection.add(timings.detectionMs)
      if (timings.pageMs !== undefined) this.page.add(timings.pageMs)
      if (timings.parts) for (const k of ['scanMs', 'searchMs', 'followMs'] as const) this.parts[k].add(timings.parts[k])
      if (timings.inferenceMs !== undefined && timings.faces > 0) this.inferencePerFace.add(timings.inferenceMs / timings.faces)
    } catch (error) {
      this.failed++
      this.onError(error)
    }
  }

  /** Whether a frame offered now would start (no frame is being detected or waiting to be labelled). */
  get accepting(): boolean {
    return !this.detecting && !this.waiting
  }

  /** Resolves once the frames in flight (if any), and a kept frame they start, have finished; used when stopping. */
  async idle(): Promise<void> {
    // A kept frame starts inside a run that is in flight, before that run ends.
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  /** Current numbers for display. */
  stats(): SchedulerStats {
    const fps = this.processed.perSecond
    const perSecond = (mean: number | null): number | null => (mean === null || fps === null ? null : mean * fps)
    return {
      captureFps: this.capture.perSecond,
      processedFps: fps,
      detectionMs: this.detection.mean,
      detectionParts:
        this.parts.scanMs.mean === null
          ? null
          : { scanMs: this.parts.scanMs.mean, searchMs: this.parts.searchMs.mean ?? 0, followMs: this.parts.followMs.mean ?? 0 },
      inferenceMsPerFace: this.inferencePerFace.mean,
      labelMs: this.labelTime.mean,
      labelWaitMs: this.labelWait.mean,
      latencyP50Ms: this.latency.percentile(50),
      latencyP95Ms: this.latency.percentile(95),
      pageMsPerSecond: perSecond(this.page.mean),
      detectionMsPerSecond: perSecond(this.detection.mean),
      framesSeen: this.seen,
      framesProcessed: this.done,
      framesDropped: this.dropped,
      framesFailed: this.failed,
      busy: this.inFlight.size > 0
    }
  }

  /** Clears the rolling timings (not the counters), e.g. after a model switch changes inference cost. */
  resetTimings(): void {
    this.inferencePerFace.clear()
  }
}
