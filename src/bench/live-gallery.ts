import type * as Tf from '@tensorflow/tfjs'
import { IPC_LIMITS, type Box } from '../shared/ipc'
import { ClassifyPacing } from '../shared/classify-pacing'
import type { DetectorSettings } from '../shared/detection/detection-filter'
import { DetectThenTrack, type TrackSettings } from '../shared/detection/detect-track'
import { FaceTracker } from '../shared/detection/face-tracker'
import { scanFrame, type RegionDetector } from '../shared/detection/frame-scan'
import type { FaceApiNode } from './face-api-node'
import { facesFound, frameTensor, MOVING_GALLERY_FPS, type MovingGallery } from './moving-gallery'
import type { FrameClassifier } from './pipelines'
import type { Progress } from './progress'
import { percentile } from './stats'

/** How one pipeline finds a frame's faces: the app's detect-then-track, or a detection on every frame. */
export interface FrameFaceFinder {
  id: string
  find(frame: Tf.Tensor3D, nowMs: number): Promise<Box[]>
  /** Forgets what earlier frames showed. */
  reset(): void
}

/** The app's scheduling: DetectThenTrack with the given settings over the bench's tensor RegionDetector. */
export function detectThenTrackFinder(id: string, tracking: DetectThenTrack<Tf.Tensor3D>, detector: DetectorSettings): FrameFaceFinder {
  return {
    id,
    async find(frame, nowMs) {
      const [h, w] = frame.shape
      return (await tracking.next(frame, w, h, nowMs, detector)).detections.map((d) => d.box)
    },
    reset: () => tracking.reset()
  }
}

/** The app's full scan (whole frame and tiles) on every frame: its loop before detect-then-track. */
export function fullScanFinder(id: string, detector: RegionDetector<Tf.Tensor3D>, settings: DetectorSettings): FrameFaceFinder {
  return {
    id,
    async find(frame) {
      const [h, w] = frame.shape
      return (await scanFrame(detector, frame, w, h, settings)).map((d) => d.box)
    },
    reset() {}
  }
}

/** face-api's own pipeline: one TinyFaceDetector call on the whole frame, every frame. */
export function everyFrameFinder(id: string, api: FaceApiNode, inputSize: number, minFaceSize: number): FrameFaceFinder {
  return {
    id,
    async find(frame) {
      return (await api.detect(frame, 'tiny', inputSize)).map((d) => d.box).filter((b) => Math.min(b.width, b.height) >= minFaceSize)
    },
    reset() {}
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

const centreIn = (b: Box, t: Box): boolean => b.x + b.width / 2 >= t.x && b.x + b.width / 2 <= t.x + t.width && b.y + b.height / 2 >= t.y && b.y + b.height / 2 <= t.y + t.height

/** How the source is played: in real time (frames arriving while busy are dropped) or every frame in turn. */
export type PlayMode = 'realtime' | 'every-frame'

/**
 * Plays the gallery and runs the pipeline on it. 'realtime' plays it at MOVING_GALLERY_FPS as the
 * app's frame scheduler sees a camera: when idle the pipeline takes the newest frame, frames that
 * arrive while it works are dropped, and latency runs from a frame's capture to its labels.
 * 'every-frame' processes every frame in turn with the capture times a 30 fps source gives them:
 * on a machine too busy for real time it still measures CPU per frame and faces found, and its
 * latency is a frame's own processing time. Each frame: find faces, give them tracker ids, crop
 * and classify those due (every face, or each once per `classifyIntervalMs` as the app paces it).
 * The first `warmupMs` of the source are processed but not counted.
 */
export async function runLiveGallery(
  api: FaceApiNode,
  gallery: MovingGallery,
  finder: FrameFaceFinder,
  classifier: FrameClassifier,
  progress: Progress,
  mode: PlayMode = 'realtime',
  classifyIntervalMs = 0,
  warmupMs = 500
): Promise<LiveGalleryResult> {
  const frameMs = 1000 / MOVING_GALLERY_FPS
  const { frames } = gallery
  const tracker = new FaceTracker()
  // As the app's live loop paces classification (classify-pacing.ts); 0: every face on every frame.
  const pacing = new ClassifyPacing(classifyIntervalMs)
  const latencies: number[] = []
  let labelled = 0
  let labels = 0
  let truth = 0
  let found = 0
  let allFound = 0
  let newFaceMs: number | null = null
  let dropMs: number | null = null
  // Loads the classifier's session and compiles the detector's kernels outside the timed run.
  const first = frameTensor(api, frames[0]!)
  try {
    await classifier.classify(first, await finder.find(first, 0))
  } finally {
    first.dispose()
    finder.reset()
  }
  progress.start(`moving gallery: ${finder.id} + ${classifier.id}`, frames.length)
  const t0 = performance.now()
  let cpu0: NodeJS.CpuUsage | null = null
  let counted0 = 0
  let lastIndex = -1
  let ticked = 0
  for (;;) {
    const elapsed = performance.now() - t0
    const index = mode === 'realtime' ? Math.floor(elapsed / frameMs) : lastIndex + 1
    if (index >= frames.length) break
    if (index === lastIndex) {
      // Idle until the source's next frame.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, (index + 1) * frameMs - elapsed)))
      continue
    }
    lastIndex = index
    const captured = index * frameMs
    const counted = captured >= warmupMs
    if (counted && cpu0 === null) {
      cpu0 = process.cpuUsage()
      counted0 = performance.now()
    }
    const frame = frames[index]!
    const tensor = frameTensor(api, frame)
    let boxes: Box[]
    try {
      boxes = await finder.find(tensor, captured)
      const { faces } = tracker.update(boxes)
      const due = pacing.pick(faces, captured, IPC_LIMITS.maxFacesPerRequest)
      if (due.length > 0) await classifier.classify(tensor, due.map((f) => f.box))
    } finally {
      tensor.dispose()
    }
    const done = performance.now() - t0
    const started = mode === 'realtime' ? captured : elapsed
    progress.tick(index + 1 - ticked)
    ticked = index + 1
    if (!counted) continue
    labelled++
    labels += boxes.length
    latencies.push(done - started)
    const f = facesFound(frame.faces, boxes)
    truth += frame.faces.length
    found += f
    if (f === frame.faces.length) allFound++
    const inLeaverTile = boxes.some((b) => centreIn(b, gallery.leaverTile))
    if (dropMs === null && index >= gallery.goneFrom && index < gallery.backFrom && !inLeaverTile) dropMs = captured - gallery.goneFrom * frameMs
    if (newFaceMs === null && index >= gallery.backFrom && inLeaverTile) newFaceMs = captured - gallery.backFrom * frameMs
  }
  progress.stop()
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
