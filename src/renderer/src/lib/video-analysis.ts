import type { Box, ClassifyRequest, ClassifyResponse, ModelInfo } from '../../../shared/ipc'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from './emotion-smoother'
import { FaceTracker } from '../../../shared/detection/face-tracker'
import { FrameGrabber } from './frame-grabber'
import { faceCrops, largestFaces, type FrameSource, type LiveFace } from './pipeline'

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
}

/** What a video analysis needs; the same detect and classify the live pipeline uses. */
export interface VideoAnalysisDeps {
  detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]>
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
  grabber?: FrameSource
}

/** Default analysis rate: five frames per second of video, enough for expressions that last a second. */
export const DEFAULT_VIDEO_STEP_MS = 200

/** Why a video could not be opened, in words for the user. */
export function mediaErrorMessage(name: string, error: MediaError | null): string {
  const why =
    error?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED
      ? 'its format or codec is not supported'
      : error?.code === MediaError.MEDIA_ERR_DECODE
        ? 'its video data is damaged'
        : error?.code === MediaError.MEDIA_ERR_NETWORK
          ? 'it could not be read'
          : 'it holds no playable video'
  return `Cannot analyse "${name}": ${why}${error?.message ? ` (${error.message})` : ''}. Try an MP4 (H.264), WebM (VP8/VP9/AV1) or another file this app can play.`
}

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
 * Analyses a video frame by frame, as fast as detection and inference go, not at playback speed:
 * it seeks to each analysis time, freezes that frame and runs detect → track → crop → classify →
 * smooth on it, logging rows with the video's own time. Pause, resume and cancel take effect
 * between frames.
 */
export class VideoAnalysis {
  private readonly tracker = new FaceTracker()
  private readonly smoother = new EmotionSmoother(DEFAULT_SMOOTHING_MS)
  private readonly grabber: FrameSource
  private paused = false
  private cancelled = false
  private resume: (() => void) | null = null

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly deps: VideoAnalysisDeps
  ) {
    this.grabber = deps.grabber ?? new FrameGrabber()
  }

  /** Holds the analysis after the frame in progress. */
  pause(): void {
    this.paused = true
  }

  /** Continues a paused analysis. */
  unpause(): void {
    this.paused = false
    this.resume?.()
    this.resume = null
  }

  /** Stops after the frame in progress; run() then resolves 'cancelled'. */
  cancel(): void {
    this.cancelled = true
    this.unpause()
  }

  private async seek(timeS: number): Promise<void> {
    if (Math.abs(this.video.currentTime - timeS) < 1e-6 && this.video.readyState >= 2) return
    const seeked = once(this.video, 'seeked', 30_000)
    this.video.currentTime = timeS
    await seeked
  }

  /** Runs to the end of the video (or until cancelled). */
  async run(): Promise<'done' | 'cancelled'> {
    const durationMs = this.video.duration * 1000
    const step = this.deps.stepMs ?? DEFAULT_VIDEO_STEP_MS
    let elapsedMs = 0
    let frames = 0
    for (let t = 0; t < durationMs; t += step) {
      if (this.paused) await new Promise<void>((resolve) => (this.resume = resolve))
      if (this.cancelled) return 'cancelled'
      const started = performance.now()
      await this.seek(t / 1000)
      await this.analyse(frames, t)
      frames++
      elapsedMs += performance.now() - started
      const doneMs = Math.min(t + step, durationMs)
      const speed = elapsedMs > 0 ? doneMs / elapsedMs : null
      this.deps.onProgress?.({
        doneMs,
        durationMs,
        framesAnalysed: frames,
        elapsedMs,
        leftMs: speed && frames >= 3 ? (durationMs - doneMs) / speed : null,
        speed
      })
    }
    return 'done'
  }

  private async analyse(frameIndex: number, mediaTimeMs: number): Promise<void> {
    if (!this.grabber.grab(this.video)) return
    const frame = this.grabber.frame
    const detections = await this.deps.detect(frame, this.deps.settings())
    const tracked = this.tracker.update(detections.map((d) => d.box))
    const ids = this.deps.identify ? await this.deps.identify(frame, tracked.faces, tracked.expired) : new Map<number, number>()
    const faces = tracked.faces.map((f) => ({ id: ids.get(f.id) ?? f.id, box: f.box }))
    const { model } = this.deps
    // Ids are unique within a frame (identify() guarantees it).
    const toClassify = largestFaces(faces)
    const results = new Map<number, number[]>()
    if (toClassify.length > 0) {
      const crops = faceCrops(toClassify, model, this.grabber)
      const response = await this.deps.classify({ modelId: model.id, frameIndex, sessionId: this.deps.sessionId, mediaTimeMs, faces: crops })
      for (const r of response.results) results.set(r.faceId, r.probabilities)
    }
    const live: LiveFace[] = toClassify.map((f) => {
      const probabilities = results.get(f.id)
      if (!probabilities) return { id: f.id, box: f.box, label: null, confidence: 0, probabilities: null }
      const s = this.smoother.update(f.id, probabilities, mediaTimeMs)
      return { id: f.id, box: f.box, label: model.labels[s.top] ?? null, confidence: s.probabilities[s.top] ?? 0, probabilities: s.probabilities }
    })
    this.deps.onFrame?.(live, frame, mediaTimeMs)
  }
}
