import type * as Tf from '@tensorflow/tfjs'
import { IPC_LIMITS, type Box } from '../shared/ipc'
import { ClassifyPacing, type ClassifyBudget } from '../shared/classify-pacing'
import type { DetectorSettings } from '../shared/detection/detection-filter'
import { DetectThenTrack, type TrackSettings } from '../shared/detection/detect-track'
import { FaceTracker } from '../shared/detection/face-tracker'
import { scanFrame, type RegionDetector } from '../shared/detection/frame-scan'
import { FrameScheduler } from '../shared/frame-scheduler'
import type { FaceApiNode } from './face-api-node'
import { facesFound, frameTensor, MOVING_GALLERY_FPS, type MovingFrame, type MovingGallery } from './moving-gallery'
import type { FrameClassifier } from './pipelines'
import type { Progress } from './progress'
import { percentile } from './stats'
import type { TrackWorkerClient } from './track-worker-client'

/** How a pipeline paces classification: each face once per interval (0: on every frame), stretched within a budget where given. */
export interface ClassifyPacingSpec {
  intervalMs: number
  budget: ClassifyBudget | null
  /**
   * As the app's live loop: a frame's labelling does not wait for the classifier's answer (one call
   * in flight at a time; faces due meanwhile wait for the next call). Otherwise each frame's call is awaited.
   */
  inBackground?: boolean
}

/** Every face classified on every frame (the earlier pipelines and face-api's). */
export const EVERY_FACE_EVERY_FRAME: ClassifyPacingSpec = { intervalMs: 0, budget: null }

/** How one pipeline finds a frame's faces: the app's detect-then-track, or a detection on every frame. */
export interface FrameFaceFinder {
  id: string
  /** The faces of `frame`; `tensor()` is the frame as a tensor on this thread, made on first use and disposed by the caller. */
  find(frame: MovingFrame, tensor: () => Tf.Tensor3D, nowMs: number): Promise<Box[]>
  /** Forgets what earlier frames showed. */
  reset(): Promise<void> | void
}

/** Detect-then-track on this thread: DetectThenTrack with the given settings over the bench's tensor RegionDetector. */
export function detectThenTrackFinder(id: string, tracking: DetectThenTrack<Tf.Tensor3D>, detector: DetectorSettings): FrameFaceFinder {
  return {
    id,
    async find(frame, tensor, nowMs) {
      return (await tracking.next(tensor(), frame.width, frame.height, nowMs, detector)).detections.map((d) => d.box)
    },
    reset: () => tracking.reset()
  }
}

/**
 * The app's: detect-then-track in a worker thread (track-worker.ts), as the renderer runs it in its
 * detection worker, so a frame's detection overlaps the labelling of the one before on this thread.
 */
export function workerTrackFinder(id: string, worker: TrackWorkerClient, detector: DetectorSettings): FrameFaceFinder {
  return {
    id,
    async find(frame, _tensor, nowMs) {
      return (await worker.next(frame, nowMs, detector)).detections.map((d) => d.box)
    },
    reset: () => worker.reset()
  }
}

/** The app's full scan (whole frame and tiles) on every frame: its loop before detect-then-track. */
export function fullScanFinder(id: string, detector: RegionDetector<Tf.Tensor3D>, settings: DetectorSettings): FrameFaceFinder {
  return {
    id,
    async find(frame, tensor) {
      return (await scanFrame(detector, tensor(), frame.width, frame.height, settings)).map((d) => d.box)
    },
    reset() {}
  }
}

/** face-api's own pipeline: one TinyFaceDetector call on the whole frame, every frame. */
export function everyFrameFinder(id: string, api: FaceApiNode, inputSize: number, minFaceSize: number): FrameFaceFinder {
  return {
    id,
    async find(_frame, tensor) {
      return (await api.detect(tensor(), 'tiny', inputSize)).map((d) => d.box).filter((b) => Math.min(b.width, b.height) >= minFaceSize)
    },
    reset() {}
  }
}

/** A frame's tensor on this thread, made on first use. */
class LazyTensor {
  private made: Tf.Tensor3D | null = null
  constructor(
    private readonly api: FaceApiNode,
    private readonly frame: MovingFrame
  ) {}
  get = (): Tf.Tensor3D => (this.made ??= frameTensor(this.api, this.frame))
  dispose(): void {
    this.made?.dispose()
    this.made = null
  }
}

/** What a pipeline achieved on a moving gallery played in real time. */
export interface LiveGalleryResult {
  pipeline: string
  classifier: string
  /** Frames the source offered (at MOVING_GALLERY_FPS) and frames labelled; the rest were dropped while busy. */
  offered: number
  labelled: number
  fps: number
  labelsPerSecond: number
  /** Mean true faces per labelled frame, and mean of them found. */
  truthPerFrame: number
  foundPerFrame: number
  /** Share of labelled frames where every face was found. */
  allFoundShare: number
  /** Capture-to-label latency, ms. */
  latencyP50: number
  latencyP95: number
  /** Process CPU time (all threads: JS, TF.js, onnxruntime) per labelled frame and per second of wall time. */
  cpuMsPerFrame: number
  cpuMsPerSecond: number
  /** From the leaver's return to the first labelled frame with a face in their tile; null if never. */
  newFaceMs: number | null
  /** From the leaver's leaving to the first labelled frame without a face in their tile; null if never. */
  dropMs: number | null
}

const centreIn = (b: Box, t: Box): boolean =>
  b.x + b.width / 2 >= t.x && b.x + b.width / 2 <= t.x + t.width && b.y + b.height / 2 >= t.y && b.y + b.height / 2 <= t.y + t.height

/** How the source is played: in real time (of the frames arriving while detection is busy, the newest waits for it, the rest are dropped) or every frame in turn. */
export type PlayMode = 'realtime' | 'every-frame'

/**
 * Plays the gallery and runs the pipeline on it through the app's FrameScheduler, in its two stages:
 * find the faces (detect), then give them tracker ids, crop and classify those due (every face, or
 * each once per `classifyIntervalMs` as the app paces it) and count the frame (label). As in the app,
 * a frame's detection may run while the one before is labelled; where the finder works in a worker
 * thread (the app's pipeline) the two really overlap, on this thread they take turns.
 * 'realtime' plays the gallery at MOVING_GALLERY_FPS as the app's capture loop sees a camera: each
 * frame is offered at its capture time; while detection is busy the newest one waits for it and
 * older ones are dropped (the scheduler's rule), and latency runs from a frame's capture to its labels. 'every-frame' offers each frame as soon as
 * the scheduler takes one: on a machine too busy for real time it still measures CPU per frame and
 * faces found; its latency runs from the frame's offer to its labels. The first `warmupMs` of the
 * source are processed but not counted.
 */
export async function runLiveGallery(
  api: FaceApiNode,
  gallery: MovingGallery,
  finder: FrameFaceFinder,
  classifier: FrameClassifier,
  progress: Progress,
  mode: PlayMode = 'realtime',
  pacingSpec: ClassifyPacingSpec = EVERY_FACE_EVERY_FRAME,
  warmupMs = 500
): Promise<LiveGalleryResult> {
  const frameMs = 1000 / MOVING_GALLERY_FPS
  const { frames } = gallery
  const tracker = new FaceTracker()
  // As the app's live loop paces classification (classify-pacing.ts); interval 0: every face on every frame.
  const pacing = new ClassifyPacing(pacingSpec.intervalMs, pacingSpec.budget)
  const latencies: number[] = []
  // The classify call in flight where the pipeline classifies in the background (pacingSpec.inBackground).
  let classifying: Promise<void> | null = null
  let labelled = 0
  let labels = 0
  let truth = 0
  let found = 0
  let allFound = 0
  let newFaceMs: number | null = null
  let dropMs: number | null = null
  let failure: unknown = null
  // Loads the classifier's session and compiles the detector's kernels outside the timed run.
  const first = new LazyTensor(api, frames[0]!)
  try {
    await classifier.classify(first.get(), await finder.find(frames[0]!, first.get, 0))
  } finally {
    first.dispose()
    await finder.reset()
  }
  progress.start(`moving gallery: ${finder.id} + ${classifier.id}`, frames.length)
  const scheduler = new FrameScheduler({ onError: (error) => (failure ??= error) })
  const t0 = performance.now()
  let cpu0: NodeJS.CpuUsage | null = null
  let counted0 = 0
  let ticked = 0

  const offer = (index: number, startedMs: number): void => {
    const frame = frames[index]!
    const captured = index * frameMs
    const counted = captured >= warmupMs
    if (counted && cpu0 === null) {
      cpu0 = process.cpuUsage()
      counted0 = performance.now()
    }
    const tensor = new LazyTensor(api, frame)
    scheduler.offerStaged(performance.now(), {
      detect: async () => {
        try {
          return await finder.find(frame, tensor.get, captured)
        } catch (error) {
          tensor.dispose()
          throw error
        }
      },
      label: async (boxes) => {
        let classified = 0
        let handedOver = false
        try {
          const { faces } = tracker.update(boxes)
          const due = pacingSpec.inBackground && classifying !== null ? [] : pacing.pick(faces, captured, IPC_LIMITS.maxFacesPerRequest)
          classified = due.length
          if (due.length > 0) {
            const started = performance.now()
            const call = classifier
              .classify(
                tensor.get(),
                due.map((f) => f.box)
              )
              // The app records main's inference time; here the classifier's call, crops included.
              .then(() => pacing.record(due.length, performance.now() - started))
            if (pacingSpec.inBackground) {
              handedOver = true
              classifying = call
                .catch((error: unknown) => void (failure ??= error))
                .finally(() => {
                  classifying = null
                  tensor.dispose()
                })
            } else await call
          }
        } finally {
          if (!handedOver) tensor.dispose()
        }
        const done = performance.now() - t0
        progress.tick(Math.max(0, index + 1 - ticked))
        ticked = Math.max(ticked, index + 1)
        if (!counted) return null
        labelled++
        labels += boxes.length
        latencies.push(done - startedMs)
        const f = facesFound(frame.faces, boxes)
        truth += frame.faces.length
        found += f
        if (f === frame.faces.length) allFound++
        const inLeaverTile = boxes.some((b) => centreIn(b, gallery.leaverTile))
        if (dropMs === null && index >= gallery.goneFrom && index < gallery.backFrom && !inLeaverTile) dropMs = captured - gallery.goneFrom * frameMs
        if (newFaceMs === null && index >= gallery.backFrom && inLeaverTile) newFaceMs = captured - gallery.backFrom * frameMs
        return { detectionMs: 0, faces: classified }
      },
      // A newer frame took this one's place before its detection started.
      dropped: () => tensor.dispose()
    })
  }

  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
  if (mode === 'realtime') {
    // Each frame at its capture time; the scheduler keeps the newest that arrives while detection is busy and drops the rest.
    for (let index = 0; index < frames.length && failure === null; index++) {
      const wait = t0 + index * frameMs - performance.now()
      if (wait > 0) await pause(wait)
      offer(index, index * frameMs)
    }
  } else {
    for (let index = 0; index < frames.length && failure === null; index++) {
      while (!scheduler.accepting) await pause(1)
      offer(index, performance.now() - t0)
    }
  }
  await scheduler.idle()
  await classifying
  progress.stop()
  if (failure !== null) throw failure
  const cpu = cpu0 ? process.cpuUsage(cpu0) : { user: 0, system: 0 }
  const cpuMs = (cpu.user + cpu.system) / 1000
  const wallMs = performance.now() - counted0
  // Real time: the source's own span; every frame: the time the counted frames took.
  const countedSpan = mode === 'realtime' ? frames.length * frameMs - warmupMs : wallMs
  return {
    pipeline: finder.id,
    classifier: classifier.id,
    offered: mode === 'realtime' ? Math.round(countedSpan / frameMs) : labelled,
    labelled,
    fps: (labelled * 1000) / countedSpan,
    labelsPerSecond: (labels * 1000) / countedSpan,
    truthPerFrame: labelled ? truth / labelled : 0,
    foundPerFrame: labelled ? found / labelled : 0,
    allFoundShare: labelled ? allFound / labelled : 0,
    latencyP50: latencies.length ? percentile(latencies, 50) : Number.NaN,
    latencyP95: latencies.length ? percentile(latencies, 95) : Number.NaN,
    cpuMsPerFrame: labelled ? cpuMs / labelled : 0,
    cpuMsPerSecond: wallMs > 0 ? (cpuMs * 1000) / wallMs : 0,
    newFaceMs,
    dropMs
  }
}

/** A pipeline's tracking settings beside its detector settings, for the report. */
export interface LiveGallerySetup {
  detector: DetectorSettings
  tracking: TrackSettings | null
}
