import { IPC_LIMITS, type Box, type ClassifyRequest, type ClassifyResponse, type FaceCrop, type ModelInfo } from '../../../shared/ipc'
import type { FaceFraming } from '../../../shared/face-crop'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import { EmotionSmoother } from '../../../shared/emotion-smoother'
import { ClassifyPacing, LIVE_CLASSIFY_BUDGET, LIVE_CLASSIFY_INTERVAL_MS, type ClassifyBudget } from '../../../shared/classify-pacing'
import { FaceTracker } from '../../../shared/detection/face-tracker'
import { FrameGrabber } from './frame-grabber'
import { FrameScheduler, type FrameTimings, type SchedulerStats } from '../../../shared/frame-scheduler'
import { splitTimed, type DetectionParts, type TimedDetections } from '../../../shared/detection/detect-track'

/** A face as the UI shows it: tracked box in source pixels and its smoothed emotion. */
export interface LiveFace {
  id: number
  box: Box
  /** Smoothed top label, null until the face has a result from the current model. */
  label: string | null
  confidence: number
  probabilities: number[] | null
}

/** Everything the UI needs after a processed frame. */
export interface PipelineSnapshot {
  faces: LiveFace[]
  frameWidth: number
  frameHeight: number
  /** Size of the video frames before any region crop, and where the crop starts in them. */
  sourceWidth: number
  sourceHeight: number
  cropX: number
  cropY: number
  stats: SchedulerStats
  executionProvider: string | null
  /** Session-log rows main was asked to append so far (one per classified face). */
  rowsLogged: number
  /** Time between two classifications of a face now (longer than the base interval where the model is slow for the machine). */
  classifyIntervalMs: number
}

/** What the pipeline needs from the outside; injected so the loop has no global dependencies. */
export interface PipelineDeps {
  /** A frame's faces; with the tracker's timing of scans, searches and following where it gives them. */
  detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[] | TimedDetections>
  classify(request: ClassifyRequest): Promise<ClassifyResponse>
  settings(): DetectorSettings
  onFrame(snapshot: PipelineSnapshot): void
  onError(error: unknown): void
  /** Probability smoothing time constant in ms. */
  smoothingMs?: number
  /**
   * Least time between two classifications of the same face (default LIVE_CLASSIFY_INTERVAL_MS);
   * on the frames between, a face keeps its smoothed label and its box moves. 0: every face on every frame.
   */
  classifyIntervalMs?: number
  /**
   * The share of time the model may take (classify-pacing.ts): each face is classified less often
   * where the model is slow for the machine. Default LIVE_CLASSIFY_BUDGET with the default interval,
   * none (a fixed interval) with an interval of the caller's.
   */
  classifyBudget?: ClassifyBudget | null
  /**
   * Where frames and crops come from; two FrameGrabbers unless a test supplies its own (then
   * used for both turns, so it must not change between frames).
   */
  grabber?: FrameSource
  /** Region mode: the part of each video frame to analyse, in video pixels (null: the whole frame). */
  crop?: (videoWidth: number, videoHeight: number) => Box | null
  /**
   * Gives tracker ids their lasting ids, so a face that left and came back keeps its id; absent,
   * tracker ids are used as they are.
   */
  identify?: (frame: HTMLCanvasElement, faces: readonly { id: number; box: Box }[], expired: readonly number[]) => Promise<Map<number, number>>
  /** Areas of the analysed frame to paint grey before detection (our own overlay's labels, where it is captured). */
  masks?: (faces: readonly Box[], frameWidth: number, frameHeight: number) => Box[]
}

/** Freezes video frames and cuts gray face crops from the frozen frame (FrameGrabber's shape). */
export interface FrameSource {
  readonly frame: HTMLCanvasElement
  grab(video: HTMLVideoElement, crop?: Box | null, masks?: readonly Box[]): boolean
  grayCrop(box: Box, width: number, height: number, framing: Readonly<FaceFraming>): Uint8Array
}

/** The faces of a frame worth one classify batch: main rejects larger batches, so the largest ones. */
export function largestFaces<F extends { box: Box }>(faces: readonly F[]): F[] {
  return [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height).slice(0, IPC_LIMITS.maxFacesPerRequest)
}

/** The model's input crops of these faces, cut from the grabbed frame the way the card asks. */
export function faceCrops(
  faces: readonly { id: number; box: Box }[],
  model: Pick<ModelInfo, 'inputWidth' | 'inputHeight' | 'framing'>,
  grabber: Pick<FrameSource, 'grayCrop'>
): FaceCrop[] {
  return faces.map((f) => ({
    faceId: f.id,
    box: f.box,
    width: model.inputWidth,
    height: model.inputHeight,
    pixels: grabber.grayCrop(f.box, model.inputWidth, model.inputHeight, model.framing)
  }))
}

/** A frame between its two stages: the grabber holding it and what detection found. */
interface DetectedFrame {
  frameIndex: number
  grabber: FrameSource
  crop: Box | null
  detections: Detection[]
  detectionMs: number
  parts: DetectionParts | null
  /** Main-thread time spent on this frame so far (the grab). */
  pageMs: number
}

/**
 * The live loop: each new video frame is offered to the scheduler in two stages, grab → detect,
 * then track → crop → hand the faces due to main for classification → draw. Detection of the next
 * frame runs while a frame is labelled (detection runs in its worker); a frame does not wait for
 * main's answer: it is drawn with each face's smoothed labels so far, and the answer (one call in
 * flight at a time) is smoothed in when it comes, for the frames after it. Frames are labelled in order,
 * and of the frames that arrive while detection's turn is taken, the newest is detected as soon as
 * it is free (the video's current frame is grabbed then) and the others are dropped.
 */
export class LivePipeline {
  private readonly tracker = new FaceTracker()
  private readonly smoother: EmotionSmoother
  private readonly pacing: ClassifyPacing
  private readonly scheduler: FrameScheduler
  // Two frozen frames: one being detected while the other is cropped and classified.
  private readonly grabbers: readonly [FrameSource, FrameSource]
  private readonly grabberInUse = new Set<FrameSource>()
  private model: ModelInfo | null = null
  // Bumped on every model switch, so an answer from the previous model is not smoothed into the new one's.
  private modelGeneration = 0
  private sessionId: string | null = null
  private running = false
  private captured = 0
  private rows = 0
  private executionProvider: string | null = null
  private videoFrameHandle: number | null = null
  private rafHandle: number | null = null
  private lastVideoTime = -1
  private lastBoxes: Box[] = []
  // The classify call in flight (at most one): frames go on being labelled while main answers.
  private classifying: Promise<void> | null = null
  // What answers arrived since the last labelled frame: main's inference time and its faces, for the stats.
  private answered = { inferenceMs: 0, faces: 0 }

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly deps: PipelineDeps
  ) {
    this.smoother = new EmotionSmoother(deps.smoothingMs ?? 300)
    const budget = deps.classifyBudget !== undefined ? deps.classifyBudget : deps.classifyIntervalMs === undefined ? LIVE_CLASSIFY_BUDGET : null
    this.pacing = new ClassifyPacing(deps.classifyIntervalMs ?? LIVE_CLASSIFY_INTERVAL_MS, budget)
    this.grabbers = deps.grabber ? [deps.grabber, deps.grabber] : [new FrameGrabber(), new FrameGrabber()]
    this.scheduler = new FrameScheduler({ onError: (e) => deps.onError(e) })
  }

  /** Switches the classifier; smoothed state is dropped because the new model's probabilities are not comparable. */
  setModel(model: ModelInfo | null): void {
    if (model?.id === this.model?.id) return
    this.model = model
    this.modelGeneration++
    this.smoother.clear()
    this.pacing.clear()
    this.scheduler.resetTimings()
  }

  /** Rows are logged to this session while it is set. */
  setSessionId(sessionId: string | null): void {
    this.sessionId = sessionId
    this.rows = 0
  }

  /** Starts reacting to new video frames. */
  start(): void {
    if (this.running) return
    this.running = true
    this.scheduleNext()
  }

  /** Stops the loop and waits for the frame in flight, so no classify call outlives the session. */
  async stop(): Promise<void> {
    this.running = false
    if (this.videoFrameHandle !== null) this.video.cancelVideoFrameCallback(this.videoFrameHandle)
    if (this.rafHandle !== null) cancelAnimationFrame(this.rafHandle)
    this.videoFrameHandle = this.rafHandle = null
    this.scheduler.dropNext()
    await this.scheduler.idle()
    await this.classifying
    this.tracker.clear()
    this.smoother.clear()
    this.pacing.clear()
  }

  /** Current scheduler numbers, for a stats refresh between processed frames. */
  stats(): SchedulerStats {
    return this.scheduler.stats()
  }

  private scheduleNext(): void {
    if (!this.running) return
    if ('requestVideoFrameCallback' in this.video) {
      this.videoFrameHandle = this.video.requestVideoFrameCallback((now) => {
        this.onCaptured(now)
        this.scheduleNext()
      })
    } else {
      // Without rVFC, poll each animation frame and count only frames where the video advanced.
      this.rafHandle = requestAnimationFrame((now) => {
        if (this.video.currentTime !== this.lastVideoTime) {
          this.lastVideoTime = this.video.currentTime
          this.onCaptured(now)
        }
        this.scheduleNext()
      })
    }
  }

  private onCaptured(now: number): void {
    if (!this.running) return
    const frameIndex = this.captured++
    this.scheduler.offerStaged(now, {
      detect: () => this.detect(frameIndex),
      label: (detected) => this.label(detected).finally(() => this.grabberInUse.delete(detected.grabber))
    })
  }

  private async detect(frameIndex: number): Promise<DetectedFrame | null> {
    // At most two frames are in flight (one detecting, one labelling), so one grabber is free.
    const grabber = this.grabbers.find((g) => !this.grabberInUse.has(g)) ?? this.grabbers[0]
    const crop = this.deps.crop?.(this.video.videoWidth, this.video.videoHeight) ?? null
    // The overlay shows the last labelled frame's faces; mask where their labels are drawn.
    const cropWidth = crop?.width ?? this.video.videoWidth
    const cropHeight = crop?.height ?? this.video.videoHeight
    const grabStart = performance.now()
    const masks = this.deps.masks?.(this.lastBoxes, cropWidth, cropHeight) ?? []
    if (!this.running || !grabber.grab(this.video, crop, masks)) return null
    const pageMs = performance.now() - grabStart
    this.grabberInUse.add(grabber)
    try {
      const t0 = performance.now()
      const found = await this.deps.detect(grabber.frame, this.deps.settings())
      const detectionMs = performance.now() - t0
      if (!this.running) throw new Cancelled()
      const { detections, parts } = splitTimed(found)
      return { frameIndex, grabber, crop, detections, detectionMs, parts, pageMs }
    } catch (error) {
      this.grabberInUse.delete(grabber)
      if (error instanceof Cancelled) return null
      throw error
    }
  }

  private async label({ frameIndex, grabber, crop, detections, detectionMs, parts, pageMs }: DetectedFrame): Promise<FrameTimings | null> {
    if (!this.running) return null
    // Main-thread time of this stage (re-identification runs face-api on this thread, so its time counts).
    const since = performance.now()
    const { width: frameWidth, height: frameHeight } = grabber.frame
    const tracked = this.tracker.update(detections.map((d) => d.box))
    const ids = this.deps.identify ? await this.deps.identify(grabber.frame, tracked.faces, tracked.expired) : null
    const faces = ids ? tracked.faces.map((f) => ({ ...f, id: ids.get(f.id) ?? f.id })) : tracked.faces
    // A re-identified face may return under its old id, so its smoothing is kept.
    if (!ids) tracked.expired.forEach((id) => this.smoother.reset(id))

    const model = this.model
    // Each face at most once per classify interval (the stalest and largest first, up to main's
    // batch limit); the others keep their smoothed label on this frame. While main is still
    // answering the last call, the faces stay due for the next frame.
    const toClassify = model && this.classifying === null ? this.pacing.pick(faces, performance.now(), IPC_LIMITS.maxFacesPerRequest) : []
    if (model && toClassify.length > 0) {
      const crops = faceCrops(toClassify, model, grabber)
      this.classifying = this.classify(model, frameIndex, crops).finally(() => (this.classifying = null))
    }

    const labels = this.model?.labels ?? []
    const live: LiveFace[] = faces.map((f) => {
      // The face's label so far, from main's answers up to now (none from a model switched away from: the smoother was cleared).
      const s = this.smoother.current(f.id)
      if (!s) return { id: f.id, box: f.box, label: null, confidence: 0, probabilities: null }
      return { id: f.id, box: f.box, label: labels[s.top] ?? null, confidence: s.probabilities[s.top], probabilities: s.probabilities }
    })
    this.lastBoxes = live.map((f) => f.box)
    if (this.running) {
      this.deps.onFrame({
        faces: live,
        frameWidth,
        frameHeight,
        sourceWidth: this.video.videoWidth,
        sourceHeight: this.video.videoHeight,
        cropX: crop?.x ?? 0,
        cropY: crop?.y ?? 0,
        stats: this.scheduler.stats(),
        executionProvider: this.executionProvider,
        rowsLogged: this.rows,
        classifyIntervalMs: this.pacing.interval(faces.length)
      })
    }
    const busy = pageMs + performance.now() - since
    const answered = this.answered
    this.answered = { inferenceMs: 0, faces: 0 }
    return {
      detectionMs,
      ...(answered.faces > 0 ? { inferenceMs: answered.inferenceMs } : {}),
      faces: answered.faces,
      pageMs: busy,
      ...(parts ? { parts } : {})
    }
  }

  /**
   * Asks main to classify `crops` and smooths the answer into the faces' labels when it comes; the
   * frames labelled meanwhile show the labels so far. A failed call is reported and the loop goes on.
   */
  private async classify(model: ModelInfo, frameIndex: number, crops: FaceCrop[]): Promise<void> {
    const generation = this.modelGeneration
    const sessionId = this.sessionId
    try {
      const response = await this.deps.classify({ modelId: model.id, frameIndex, ...(sessionId ? { sessionId } : {}), faces: crops })
      if (sessionId && sessionId === this.sessionId) this.rows += response.results.length
      this.executionProvider = response.executionProvider
      if (generation !== this.modelGeneration || response.modelId !== model.id) return
      this.pacing.record(response.results.length, response.inferenceMs)
      this.answered.inferenceMs += response.inferenceMs
      this.answered.faces += response.results.length
      const now = performance.now()
      // A logged call answers the session's smoothing (main's, the one smoothed_label records): the overlay shows that.
      for (const r of response.results) {
        if (r.smoothed) this.smoother.set(r.faceId, r.smoothed, now)
        else this.smoother.update(r.faceId, r.probabilities, now)
      }
    } catch (error) {
      this.deps.onError(error)
    }
  }
}

/** A frame whose run stopped while it was being detected. */
class Cancelled extends Error {}
