import { argmax } from '../../../shared/box-math'
import { IPC_LIMITS, type Box, type ClassifyRequest, type ClassifyResponse, type FaceCrop, type FaceResult, type ModelInfo } from '../../../shared/ipc'
import { splitTimed, type TimedDetections, type TrackSettings } from '../../../shared/detection/detect-track'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from '../../../shared/emotion-smoother'
import { FaceTracker } from '../../../shared/detection/face-tracker'
import { FrameGrabber } from './frame-grabber'
import { faceCrops, largestFaces, type FrameSource, type LiveFace } from './pipeline'
import { mediaErrorMessage, mediaFailure, VideoReadError } from './video-errors'

/** How far the analysis of a video has come. */
export interface VideoProgress {
  /** Video time analysed so far and the video's length, in ms. */
  doneMs: number
  durationMs: number
  framesAnalysed: number
  /** Wall time spent analysing (pauses excluded), in ms. */
  elapsedMs: number
  /** Estimated wall time left, in ms; null until a few frames have been timed. */
  leftMs: number | null
  /** Video time analysed per wall-clock time: 2 means twice as fast as playing it. */
  speed: number | null
  /** Wall time spent in each step so far, in ms: where the analysis time goes. */
  spans: VideoSpans
}

/**
 * Wall time per step of the analysis, summed over the frames so far (ms). Steps that overlap
 * (the next frame's seek and this frame's classification run while a frame is detected) count
 * the time the analysis waited for them.
 */
export interface VideoSpans {
  /** Waiting for the video to reach the next analysis time (the seek runs while the previous frame is detected). */
  seek: number
  /** Copying the frame to the canvas. */
  grab: number
  /** Face detection (scans, per-face searches and following), waited for here. */
  detect: number
  /** Of detect, as the tracker timed them: full scans, per-face detector searches, and following faces by their pixels. */
  scan: number
  search: number
  follow: number
  /** Re-identification descriptors (new tracks only). */
  identify: number
  /** Cutting the gray face crops. */
  crop: number
  /** Waiting for main's classification answer (the part not hidden behind the next frame's work). */
  classify: number
  /** The model's own run time in main, as main reports it (overlaps the steps above). */
  inference: number
}

function noSpans(): VideoSpans {
  return { seek: 0, grab: 0, detect: 0, scan: 0, search: 0, follow: 0, identify: 0, crop: 0, classify: 0, inference: 0 }
}

/** What a video analysis needs; the same detect and classify the live pipeline uses. */
export interface VideoAnalysisDeps {
  /** The faces of the frame at video time `mediaTimeMs` (detect-then-track keeps its cadence in video time). */
  detect(frame: HTMLCanvasElement, settings: DetectorSettings, mediaTimeMs: number): Promise<Detection[] | TimedDetections>
  classify(request: ClassifyRequest): Promise<ClassifyResponse>
  settings(): DetectorSettings
  model: ModelInfo
  sessionId: string
  /** Video time between analysed frames, in ms (5 frames per video second by default). */
  stepMs?: number
  /**
   * Gives a tracker id its lasting id: a face that left and came back gets the id it had. Called
   * after tracking, with the frozen frame so it can look at the faces; absent, tracker ids are kept.
   */
  identify?: (frame: HTMLCanvasElement, faces: readonly { id: number; box: Box }[], expired: readonly number[]) => Promise<Map<number, number>>
  onFrame?(faces: LiveFace[], frame: HTMLCanvasElement, mediaTimeMs: number): void
  onProgress?(progress: VideoProgress): void
  /** Where frames and crops come from (a test's stand-in); two FrameGrabbers by default. */
  grabber?: FrameSource
  /**
   * More <video> elements on the same file: the frames are taken from each in turn, so each has
   * that many frames' time to seek to its next one (a seek decodes from the last key frame, which
   * can take longer than a frame's detection).
   */
  moreDecoders?: readonly HTMLVideoElement[]
}

/** How long a seek may take before the video counts as unreadable there. */
const SEEK_TIMEOUT_MS = 30_000

/** Default analysis rate: five frames per second of video, enough for expressions that last a second. */
export const DEFAULT_VIDEO_STEP_MS = 200

function once(target: EventTarget, ok: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      cleanup()
      resolve()
    }
    const fail = (): void => {
      cleanup()
      reject(new Error('error'))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error('timeout'))
    }, timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      target.removeEventListener(ok, done)
      target.removeEventListener('error', fail)
    }
    target.addEventListener(ok, done)
    target.addEventListener('error', fail)
  })
}

/**
 * Loads a video file into a detached <video> element and learns its length. Files written by
 * MediaRecorder carry no duration; seeking far past the end makes Chromium find it.
 */
export async function openVideo(url: string, name: string): Promise<HTMLVideoElement> {
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  video.src = url
  try {
    await once(video, 'loadeddata', 30_000)
  } catch {
    throw new Error(mediaErrorMessage(name, video.error))
  }
  if (video.videoWidth === 0 || video.videoHeight === 0) throw new Error(mediaErrorMessage(name, video.error))
  if (!Number.isFinite(video.duration)) {
    video.currentTime = Number.MAX_SAFE_INTEGER
    await once(video, 'seeked', 30_000).catch(() => undefined)
    video.currentTime = 0
    await once(video, 'seeked', 30_000).catch(() => undefined)
  }
  if (!Number.isFinite(video.duration) || video.duration <= 0) throw new Error(`Cannot analyse "${name}": its length cannot be read.`)
  return video
}

/**
 * Detect-then-track settings for video, in video time. A full scan (every pass in one frame) runs
 * once a video second, or on every analysed frame when they are further apart, so a face that
 * appears is found within a second; while nothing changes away from the followed faces it waits
 * up to VIDEO_QUIET_SCAN_INTERVAL_MS; between scans each known face is followed from frame to
 * frame (template matching) and searched for in its own small square every VIDEO_SEARCH_INTERVAL_MS,
 * or on the frame the follower loses it, so every logged box is fresh. A face whose search misses is
 * dropped at once rather than logged with a stale box: the next scan finds it again, and the
 * tracker and re-identification give it back its id.
 */
export function videoTrackSettings(stepMs: number): TrackSettings {
  return {
    scanIntervalMs: Math.max(stepMs, VIDEO_SCAN_INTERVAL_MS),
    scanCycleMs: 0,
    maxScanPassesPerFrame: Number.POSITIVE_INFINITY,
    regionScale: 1.8,
    regionInputSize: 96,
    maxRegionsPerFrame: IPC_LIMITS.maxFacesPerRequest,
    dropAfterMs: 0,
    regionScoreThreshold: 0.4,
    searchIntervalMs: VIDEO_SEARCH_INTERVAL_MS,
    quietScanIntervalMs: Math.max(stepMs, VIDEO_QUIET_SCAN_INTERVAL_MS),
    // The cadence is in the video's time, which runs as fast as the analysis goes: no wall-time share.
    scanShare: 1,
    // A newcomer between scans is looked for where the picture changed, at most four times a video second.
    lookIntervalMs: Math.max(stepMs, VIDEO_LOOK_INTERVAL_MS)
  }
}

/** Video time between two looks at a change away from the followed faces (see videoTrackSettings). */
export const VIDEO_LOOK_INTERVAL_MS = 250

/** Video time between two full scans of the frame (see videoTrackSettings). */
export const VIDEO_SCAN_INTERVAL_MS = 1000

/**
 * Video time between two detector searches of a face the follower follows with confidence; a
 * face it loses is searched on the same frame (and dropped there if the search misses too).
 */
export const VIDEO_SEARCH_INTERVAL_MS = 2000

/**
 * Video time a full scan waits at most while nothing changes away from the followed faces; a
 * change (someone arriving, the layout moving) starts one on the frame it shows in.
 */
export const VIDEO_QUIET_SCAN_INTERVAL_MS = 5000

/** A frame whose faces are found and cut, waiting for main's classification. */
interface LocatedFrame {
  frameIndex: number
  mediaTimeMs: number
  grabber: FrameSource
  /** False when the video had no frame to grab: nothing is classified or shown, progress still moves. */
  grabbed: boolean
  faces: { id: number; box: Box }[]
  crops: FaceCrop[]
}

/**
 * Analyses a video frame by frame, as fast as detection and inference go, not at playback speed:
 * it seeks to each analysis time, freezes that frame and runs detect → track → crop → classify →
 * smooth on it, logging rows with the video's own time. Three stages overlap: while a frame is
 * detected here, the video's decoders seek to the next frames and main classifies the previous
 * one (two frame buffers, one seek in flight per decoder, one classification in flight, answered in order).
 * Pause, resume and cancel take effect between frames, once the frame being classified is answered.
 */
export class VideoAnalysis {
  private readonly tracker = new FaceTracker()
  private readonly smoother = new EmotionSmoother(DEFAULT_SMOOTHING_MS)
  // Frame N is classified from one while frame N+1 is grabbed into the other.
  private readonly grabbers: [FrameSource, FrameSource]
  private paused = false
  private cancelled = false
  private resume: (() => void) | null = null
  private readonly spans = noSpans()
  private durationMs = 0
  private stepMs = DEFAULT_VIDEO_STEP_MS
  private framesAnalysed = 0
  // Wall time analysing: runningSince is when the current unpaused stretch began.
  private elapsedBeforeMs = 0
  private runningSince = 0

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly deps: VideoAnalysisDeps
  ) {
    this.grabbers = deps.grabber ? [deps.grabber, deps.grabber] : [new FrameGrabber(), new FrameGrabber()]
  }

  /** Holds the analysis once the frame being classified is answered. */
  pause(): void {
    this.paused = true
  }

  /** Continues a paused analysis. */
  unpause(): void {
    this.paused = false
    this.resume?.()
    this.resume = null
  }

  /** Stops once the frame being classified is answered; run() then resolves 'cancelled'. */
  cancel(): void {
    this.cancelled = true
    this.unpause()
  }

  private async seek(video: HTMLVideoElement, timeS: number): Promise<void> {
    // A decoder that already failed never seeks again (Chromium fires no 'seeked' and no new 'error').
    const failed = mediaFailure(video)
    if (failed) throw new VideoReadError(timeS * 1000, failed)
    if (Math.abs(video.currentTime - timeS) < 1e-6 && video.readyState >= 2) return
    const seeked = once(video, 'seeked', SEEK_TIMEOUT_MS)
    video.currentTime = timeS
    try {
      await seeked
    } catch (error) {
      const timedOut = error instanceof Error && error.message === 'timeout'
      throw new VideoReadError(timeS * 1000, mediaFailure(video) ?? (timedOut ? `no frame within ${SEEK_TIMEOUT_MS / 1000} s` : 'decoding failed'))
    }
  }

  /** Runs to the end of the video (or until cancelled); the frame in flight is always answered first. */
  async run(): Promise<'done' | 'cancelled'> {
    this.durationMs = this.video.duration * 1000
    this.stepMs = this.deps.stepMs ?? DEFAULT_VIDEO_STEP_MS
    this.runningSince = performance.now()
    // The seeks to the next frames and the previous frame's classification run while this frame is
    // detected. Each settles to its error (or null) rather than rejecting, so a failure waits,
    // unhandled by nobody, until the loop looks at it.
    const settled = (work: Promise<unknown>): Promise<unknown> =>
      work.then(
        () => null,
        (error: unknown) => error ?? new Error('failed')
      )
    // Frame k comes from decoder k mod n, which seeks to frame k + n as soon as frame k is copied.
    const decoders = [this.video, ...(this.deps.moreDecoders ?? [])]
    const seeking = decoders.map((video, k) => (k * this.stepMs < this.durationMs ? settled(this.seek(video, (k * this.stepMs) / 1000)) : Promise.resolve(null)))
    let inFlight: Promise<unknown> = Promise.resolve(null)
    const settle = async (which: number | 'inFlight'): Promise<void> => {
      const failure = await (which === 'inFlight' ? inFlight : seeking[which])
      if (which === 'inFlight') inFlight = Promise.resolve(null)
      else seeking[which] = Promise.resolve(null)
      if (failure) throw failure
    }
    let failure: unknown
    try {
      for (let t = 0, frameIndex = 0; t < this.durationMs && !this.cancelled; t += this.stepMs, frameIndex++) {
        const grabber = this.grabbers[frameIndex % 2] as FrameSource
        const decoder = frameIndex % decoders.length
        const video = decoders[decoder] as HTMLVideoElement
        let mark = performance.now()
        await settle(decoder)
        this.spans.seek += performance.now() - mark
        mark = performance.now()
        const grabbed = grabber.grab(video)
        this.spans.grab += performance.now() - mark
        // The frame is copied: this decoder may seek on to its next frame (decoding it on the
        // media threads) while this one is detected here.
        const next = t + decoders.length * this.stepMs
        if (next < this.durationMs) seeking[decoder] = settled(this.seek(video, next / 1000))
        const located = await this.locate(grabber, grabbed, frameIndex, t)
        mark = performance.now()
        // One classification in flight, in frame order: the rows land in the log in video order.
        await settle('inFlight')
        this.spans.classify += performance.now() - mark
        // Held here, a pause shows the last answered frame; this one is classified on resume, or dropped on cancel.
        if (this.paused) {
          this.elapsedBeforeMs += performance.now() - this.runningSince
          await new Promise<void>((resolve) => (this.resume = resolve))
          this.runningSince = performance.now()
        }
        if (this.cancelled) break
        inFlight = settled(this.classifyAndReport(located))
      }
      await settle('inFlight')
    } catch (error) {
      failure = error
    } finally {
      // An error in this frame's detection still lets the previous frame's classification finish
      // before the caller closes the session.
      const previous = await Promise.all([inFlight, ...seeking])
      // The frames before an unreadable one are all analysed; one whose classification failed is the error to report.
      if (failure instanceof VideoReadError && previous[0]) failure = previous[0]
    }
    if (failure instanceof VideoReadError) failure.framesAnalysed = this.framesAnalysed
    if (failure !== undefined) throw failure
    return this.cancelled ? 'cancelled' : 'done'
  }

  /** Finds, tracks, identifies and crops the faces of a grabbed frame. */
  private async locate(grabber: FrameSource, grabbed: boolean, frameIndex: number, mediaTimeMs: number): Promise<LocatedFrame> {
    const located: LocatedFrame = { frameIndex, mediaTimeMs, grabber, grabbed, faces: [], crops: [] }
    if (!grabbed) return located
    let mark = performance.now()
    const span = (step: keyof VideoSpans): void => {
      const now = performance.now()
      this.spans[step] += now - mark
      mark = now
    }
    const frame = grabber.frame
    const found = await this.deps.detect(frame, this.deps.settings(), mediaTimeMs)
    span('detect')
    const { detections, parts } = splitTimed(found)
    if (parts) {
      this.spans.scan += parts.scanMs
      this.spans.search += parts.searchMs
      this.spans.follow += parts.followMs
    }
    const tracked = this.tracker.update(detections.map((d) => d.box))
    const ids = this.deps.identify ? await this.deps.identify(frame, tracked.faces, tracked.expired) : new Map<number, number>()
    span('identify')
    // Ids are unique within a frame (identify() guarantees it).
    // In id order: search boxes vary by a pixel from frame to frame, and a size order would reshuffle the face list.
    located.faces = largestFaces(tracked.faces.map((f) => ({ id: ids.get(f.id) ?? f.id, box: f.box }))).sort((a, b) => a.id - b.id)
    // Cut now: the crops are copies, so the grabber may take the frame after next meanwhile.
    located.crops = faceCrops(located.faces, this.deps.model, grabber)
    span('crop')
    return located
  }

  /** Classifies a located frame's faces (rows logged at its video time), smooths them and reports the frame. */
  private async classifyAndReport({ frameIndex, mediaTimeMs, grabber, grabbed, faces, crops }: LocatedFrame): Promise<void> {
    const { model } = this.deps
    const results = new Map<number, FaceResult>()
    if (crops.length > 0) {
      const response = await this.deps.classify({ modelId: model.id, frameIndex, sessionId: this.deps.sessionId, mediaTimeMs, faces: crops })
      this.spans.inference += response.inferenceMs
      for (const r of response.results) results.set(r.faceId, r)
    }
    const live: LiveFace[] = faces.map((f) => {
      const result = results.get(f.id)
      if (!result) return { id: f.id, box: f.box, label: null, confidence: 0, probabilities: null }
      // The session's smoothing (main's, the one smoothed_label records) where the call logged rows.
      const s = result.smoothed ? { probabilities: result.smoothed, top: argmax(result.smoothed) } : this.smoother.update(f.id, result.probabilities, mediaTimeMs)
      return { id: f.id, box: f.box, label: model.labels[s.top] ?? null, confidence: s.probabilities[s.top] ?? 0, probabilities: s.probabilities }
    })
    // The frame's own buffer still holds it: the other one is the frame being detected now.
    if (grabbed) this.deps.onFrame?.(live, grabber.frame, mediaTimeMs)
    this.framesAnalysed++
    const elapsedMs = this.elapsedBeforeMs + performance.now() - this.runningSince
    const doneMs = Math.min(mediaTimeMs + this.stepMs, this.durationMs)
    const speed = elapsedMs > 0 ? doneMs / elapsedMs : null
    this.deps.onProgress?.({
      doneMs,
      durationMs: this.durationMs,
      framesAnalysed: this.framesAnalysed,
      elapsedMs,
      leftMs: speed && this.framesAnalysed >= 3 ? (this.durationMs - doneMs) / speed : null,
      speed,
      spans: { ...this.spans }
    })
  }
}
