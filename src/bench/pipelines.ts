import type * as Tf from '@tensorflow/tfjs'
import { EMOTIONS } from '../shared/emotions'
import type { Box } from '../shared/ipc'
import type { InferenceService } from '../main/inference/inference'
import { DEFAULT_DETECTOR_SETTINGS, filterDetections, settingsForSource, type SourceKind } from '../shared/detection/detection-filter'
import { scanFrame } from '../shared/detection/frame-scan'
import { tensorRegionDetector } from './tensor-region-detector'
import { listLabelledImages, sampleSubset } from './dataset'
import { FACE_EXPRESSION_INPUT, type DetectorName, type FaceApiNode } from './face-api-node'
import { modelCrops, resizeFrame, rgbCrops } from './gallery-frames'
import { readRgba } from './images'
import { argmax } from '../shared/box-math'
import { summarizeConfusion, confusionMatrix, type ClassificationSummary } from './metrics'
import type { BenchModel } from './model-cards'
import type { Progress } from './progress'
import type { TimingSummary } from '../shared/speed-job'
import { median, summarizeTimings } from './stats'

/** Classifies the faces at `boxes` in a frame; returns class indices in EMOTIONS order. */
export interface FrameClassifier {
  id: string
  classify(frame: Tf.Tensor3D, boxes: readonly Box[]): Promise<number[]>
}

/** Our ONNX model as the app runs it: the square crop its card's framing asks for, gray, the card's size, one batch through InferenceService. */
export function onnxFrameClassifier(api: FaceApiNode, service: InferenceService, model: BenchModel): FrameClassifier {
  const { card } = model
  return {
    id: card.id,
    async classify(frame, boxes) {
      if (boxes.length === 0) return []
      const pixels = modelCrops(api, frame, boxes, card)
      const faces = pixels.map((p, i) => ({ faceId: i, box: boxes[i] as Box, width: card.input.width, height: card.input.height, pixels: p }))
      const response = await service.classify({ modelId: card.id, frameIndex: 0, faces })
      return response.results.map((r) => EMOTIONS.indexOf(r.label as (typeof EMOTIONS)[number]))
    }
  }
}

/** face-api's own pipeline: the detector box itself (no margin) resized to FaceExpressionNet's 112x112 RGB input. */
export function faceApiFrameClassifier(api: FaceApiNode): FrameClassifier {
  return {
    id: 'face-api-expression',
    async classify(frame, boxes) {
      const tensors = rgbCrops(api, frame, boxes, FACE_EXPRESSION_INPUT)
      try {
        return (await api.expressions(tensors)).map(argmax)
      } finally {
        for (const t of tensors) t.dispose()
      }
    }
  }
}

/**
 * Faces the app would keep: its full scan for the source kind (frame-scan.ts planScan with the app's
 * default settings: a camera's whole frame at 416 plus the close-up pass at 160; a screen's tiles where
 * the frame calls for them), merged and size-filtered as the app does. SSD is not an app detector: it
 * runs one pass, for comparison only.
 */
export async function detectLikeApp(api: FaceApiNode, frame: Tf.Tensor3D, detector: DetectorName = 'tiny', source: SourceKind = 'camera'): Promise<Box[]> {
  const [h, w] = frame.shape
  if (detector === 'tiny') return (await scanFrame(tensorRegionDetector(api), frame, w, h, settingsForSource(source))).map((d) => d.box)
  const found = await api.detect(frame, detector, DEFAULT_DETECTOR_SETTINGS.inputSize)
  return filterDetections(found, w, h, DEFAULT_DETECTOR_SETTINGS.minFaceSize).map((d) => d.box)
}

/** Detection speed on one frame size with one detector. */
export interface DetectionRow {
  detector: DetectorName
  width: number
  height: number
  backend: string
  ms: TimingSummary
  /** Median number of faces found per frame (the gallery holds 9). */
  faces: number
}

/** Times face detection per frame at each size (frames resized from the 1280x720 gallery). */
export async function measureDetection(
  api: FaceApiNode,
  frames: readonly Tf.Tensor3D[],
  sizes: readonly [number, number][],
  detectors: readonly DetectorName[],
  warmup: number,
  iterations: number,
  progress: Progress
): Promise<DetectionRow[]> {
  const rows: DetectionRow[] = []
  progress.start('face detection', sizes.length * detectors.length * (warmup + iterations))
  for (const [width, height] of sizes) {
    const scaled = frames.map((f) => resizeFrame(api, f, width, height))
    for (const detector of detectors) {
      const ms: number[] = []
      const counts: number[] = []
      for (let i = 0; i < warmup + iterations; i++) {
        const frame = scaled[i % scaled.length] as Tf.Tensor3D
        const started = performance.now()
        const found = await api.detect(frame, detector, DEFAULT_DETECTOR_SETTINGS.inputSize)
        if (i >= warmup) {
          ms.push(performance.now() - started)
          counts.push(found.length)
        }
        progress.tick()
      }
      rows.push({ detector, width, height, backend: api.versions().backend, ms: summarizeTimings(ms), faces: median(counts) })
    }
    for (const f of scaled) f.dispose()
  }
  progress.stop()
  return rows
}

/** End-to-end throughput of one classifier on the synthetic gallery. */
export interface GalleryRow {
  classifier: string
  grid: string
  width: number
  height: number
  frames: number
  /** Mean faces detected and classified per frame. */
  facesPerFrame: number
  fps: number
  labelsPerSecond: number
  detectMs: TimingSummary
  /** Crop, preprocessing and classification of all faces of a frame. */
  classifyMs: TimingSummary
}

/** Runs detect → crop → classify on every frame, after `warmup` untimed frames, and reports frames and labels per second. */
export async function runGallery(
  api: FaceApiNode,
  frames: readonly Tf.Tensor3D[],
  grid: string,
  classifier: FrameClassifier,
  warmup: number,
  progress: Progress
): Promise<GalleryRow> {
  progress.start(`gallery ${grid}: ${classifier.id}`, frames.length + warmup)
  const detectMs: number[] = []
  const classifyMs: number[] = []
  let faces = 0
  let total = 0
  for (let i = 0; i < warmup + frames.length; i++) {
    const frame = frames[i % frames.length] as Tf.Tensor3D
    const t0 = performance.now()
    const boxes = await detectLikeApp(api, frame)
    const t1 = performance.now()
    const labels = await classifier.classify(frame, boxes)
    const t2 = performance.now()
    if (i >= warmup) {
      detectMs.push(t1 - t0)
      classifyMs.push(t2 - t1)
      faces += labels.length
      total += t2 - t0
    }
    progress.tick()
  }
  progress.stop()
  const [height, width] = (frames[0] as Tf.Tensor3D).shape
  return {
    classifier: classifier.id,
    grid,
    width,
    height,
    frames: frames.length,
    facesPerFrame: faces / frames.length,
    fps: (frames.length * 1000) / total,
    labelsPerSecond: (faces * 1000) / total,
    detectMs: summarizeTimings(detectMs),
    classifyMs: summarizeTimings(classifyMs)
  }
}

/** Accuracy on full-size labelled photos, where a photo whose face is not found counts as wrong. */
export interface DetectedAccuracy {
  classifier: string
  dir: string
  detector: DetectorName
  /** Photos whose face was found. */
  detected: number
  /** Photos whose face was missed, per true class (EMOTIONS order). */
  missedPerClass: number[]
  /** Over all photos; a missed face is a wrong answer, so accuracy and recall fall with every miss. */
  summary: ClassificationSummary
}

/**
 * Metrics where some examples got no prediction (index -1): they count in n and lower accuracy and
 * recall, but do not lower any class's precision, and macro-F1 stays the mean over the real classes.
 */
export function summarizeWithMisses(truth: readonly number[], predicted: readonly number[], classes: number): ClassificationSummary {
  const missed = classes
  const extended = confusionMatrix(
    truth,
    predicted.map((p) => (p < 0 ? missed : p)),
    classes + 1
  )
  const s = summarizeConfusion(extended)
  const k = classes
  const perClassF1 = s.perClassF1.slice(0, k)
  return {
    n: s.n,
    accuracy: s.accuracy,
    macroF1: perClassF1.reduce((a, b) => a + b, 0) / k,
    perClassRecall: s.perClassRecall.slice(0, k),
    perClassPrecision: s.perClassPrecision.slice(0, k),
    perClassF1,
    support: s.support.slice(0, k),
    // The "no face" column is kept out of the square matrix; the misses are reported beside it.
    confusion: extended.slice(0, k).map((row) => row.slice(0, k))
  }
}

/** Runs each classifier on DIR/<class>/*.jpg photos: detect (largest face), crop, classify. */
export async function evaluateDetected(
  api: FaceApiNode,
  dir: string,
  classifiers: readonly FrameClassifier[],
  detector: DetectorName,
  limit: number | undefined,
  progress: Progress
): Promise<DetectedAccuracy[]> {
  const all = await listLabelledImages(dir)
  const images = limit === undefined ? all : sampleSubset(all, limit)
  const predicted = classifiers.map(() => [] as number[])
  progress.start(`--detect ${dir}`, images.length)
  for (const image of images) {
    const frame = api.imageTensor(await readRgba(image.path))
    try {
      const boxes = await detectLikeApp(api, frame, detector)
      // A labelled photo shows one person: the largest face is the one the label is about.
      const face = boxes.sort((a, b) => b.width * b.height - a.width * a.height)[0]
      for (const [i, classifier] of classifiers.entries()) {
        ;(predicted[i] as number[]).push(face ? ((await classifier.classify(frame, [face]))[0] ?? -1) : -1)
      }
    } finally {
      frame.dispose()
    }
    progress.tick()
  }
  progress.stop()
  const truth = images.map((i) => i.label)
  return classifiers.map((classifier, i) => {
    const p = predicted[i] as number[]
    const missedPerClass = EMOTIONS.map((_, c) => truth.filter((t, j) => t === c && p[j] === -1).length)
    return {
      classifier: classifier.id,
      dir,
      detector,
      detected: p.filter((x) => x >= 0).length,
      missedPerClass,
      summary: summarizeWithMisses(truth, p, EMOTIONS.length)
    }
  })
}
