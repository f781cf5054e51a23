import type { InferenceService } from '../main/inference/inference'
import type { DetectorSettings } from '../shared/detection/detection-filter'
import { DetectThenTrack, GALLERY_TRACK_SETTINGS } from '../shared/detection/detect-track'
import { LIVE_CLASSIFY_BUDGET, LIVE_CLASSIFY_INTERVAL_MS } from '../shared/classify-pacing'
import type { LiveGalleryReportRow } from '../shared/bench-report'
import type { FaceApiNode } from './face-api-node'
import type { GalleryLayout, SourceFace } from './gallery-frames'
import {
  detectThenTrackFinder,
  everyFrameFinder,
  fullScanFinder,
  EVERY_FACE_EVERY_FRAME,
  runLiveGallery,
  workerTrackFinder,
  type ClassifyPacingSpec,
  type FrameFaceFinder,
  type PlayMode
} from './live-gallery'
import type { BenchModel } from './model-cards'
import { movingGallery } from './moving-gallery'
import { faceApiFrameClassifier, onnxFrameClassifier, type FrameClassifier } from './pipelines'
import type { Progress } from './progress'
import { tensorRegionDetector } from './tensor-region-detector'
import { TrackWorkerClient } from './track-worker-client'

/** A moving gallery to measure, with the detector settings the app would use on it (those the e2e sets for it). */
interface Scene {
  layout: GalleryLayout
  detector: DetectorSettings
}

/** The 3x3 gallery at 1280x720 and the 5x5 at 1920x1080, with the e2e's minimum face sizes for each. */
const SCENES: readonly Scene[] = [
  { layout: { cols: 3, rows: 3, width: 1280, height: 720 }, detector: { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 100, tiles: 'auto' } },
  { layout: { cols: 5, rows: 5, width: 1920, height: 1080 }, detector: { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 60, tiles: 'auto' } }
]

/**
 * Runs each scene's moving gallery through four pipelines in one process, back to back: the app's
 * (detect-then-track with GALLERY_TRACK_SETTINGS, the class the renderer runs, in a worker thread as
 * the renderer runs it in its detection worker, so detection of a frame overlaps the labelling of
 * the one before; faces followed between detector looks, each face classified at most every
 * LIVE_CLASSIFY_INTERVAL_MS as the live loop paces it) with our classifier, the previous scheduling
 * (no follower, every face classified on every frame, on one thread), the app's earlier loop (a full
 * scan of every frame) with the same classifier, and face-api's own pipeline (TinyFaceDetector on the
 * whole frame, FaceExpressionNet). Every pipeline runs through the app's FrameScheduler. Both play
 * modes are run.
 */
export async function runLiveGallerySection(
  api: FaceApiNode,
  faces: readonly SourceFace[],
  service: InferenceService,
  models: readonly BenchModel[],
  frames: number,
  progress: Progress
): Promise<LiveGalleryReportRow[]> {
  // The app's fastest shipped classifier: an INT8 ResNet50 where there is one.
  const model = models.find((m) => m.quantizedFrom !== null && m.card.id.startsWith('resnet')) ?? models[0]
  const rows: LiveGalleryReportRow[] = []
  for (const scene of SCENES) {
    const gallery = movingGallery(api, faces, scene.layout, frames)
    const detector = tensorRegionDetector(api)
    const pipelines: { finder: FrameFaceFinder; classifier: FrameClassifier; pacing: ClassifyPacingSpec }[] = []
    const workers: TrackWorkerClient[] = []
    if (model) {
      const ours = onnxFrameClassifier(api, service, model)
      const worker = await TrackWorkerClient.start(GALLERY_TRACK_SETTINGS)
      workers.push(worker)
      pipelines.push({
        finder: workerTrackFinder('app: detect then track in a worker, faces followed, each classified up to 10/s within a budget', worker, scene.detector),
        classifier: ours,
        pacing: { intervalMs: LIVE_CLASSIFY_INTERVAL_MS, budget: LIVE_CLASSIFY_BUDGET, inBackground: true }
      })
      // The previous scheduling: no face follower (a detector that gives no gray frames, so every box is a search's and
      // scans never wait for a change), every face classified on every frame.
      const searchesOnly = { detectRegion: detector.detectRegion.bind(detector) }
      pipelines.push({
        finder: detectThenTrackFinder(
          'app before: detect then track, searches only, every face every frame',
          new DetectThenTrack(searchesOnly, GALLERY_TRACK_SETTINGS),
          scene.detector
        ),
        classifier: ours,
        pacing: EVERY_FACE_EVERY_FRAME
      })
      pipelines.push({
        finder: fullScanFinder('app before that: full scan every frame', detector, scene.detector),
        classifier: ours,
        pacing: EVERY_FACE_EVERY_FRAME
      })
    }
    pipelines.push({
      finder: everyFrameFinder('face-api’s own: TinyFaceDetector 416 every frame', api, 416, 0),
      classifier: faceApiFrameClassifier(api),
      pacing: EVERY_FACE_EVERY_FRAME
    })
    try {
      for (const mode of ['every-frame', 'realtime'] as PlayMode[]) {
        for (const { finder, classifier, pacing } of pipelines) {
          const r = await runLiveGallery(api, gallery, finder, classifier, progress, mode, pacing)
          rows.push({
            grid: `${scene.layout.cols}x${scene.layout.rows}`,
            width: scene.layout.width,
            height: scene.layout.height,
            mode,
            pipeline: r.pipeline,
            classifier: r.classifier,
            offered: r.offered,
            labelled: r.labelled,
            fps: r.fps,
            labelsPerSecond: r.labelsPerSecond,
            truthPerFrame: r.truthPerFrame,
            foundPerFrame: r.foundPerFrame,
            allFoundShare: r.allFoundShare,
            latencyP50Ms: Number.isFinite(r.latencyP50) ? r.latencyP50 : null,
            latencyP95Ms: Number.isFinite(r.latencyP95) ? r.latencyP95 : null,
            cpuMsPerFrame: r.cpuMsPerFrame,
            newFaceMs: r.newFaceMs,
            dropMs: r.dropMs
          })
        }
      }
    } finally {
      for (const w of workers) await w.close()
    }
  }
  return rows
}
