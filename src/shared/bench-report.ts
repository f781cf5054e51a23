/** The benchmark report (docs/bench/report.json): written by src/bench (npm run bench), shown by the renderer's Compare view. */

import * as v from 'valibot'
import { bool, plainObject } from './schema-rules'

/** Version of the report's shape; bump when a field changes meaning. */
export const REPORT_SCHEMA_VERSION = 1

/** Timing of one batch size: ms per face. */
export interface BatchRow {
  batch: number
  medianMs: number
  p95Ms: number
  facesPerSecond: number
  iterations: number
}

/** A model in the comparison: one of ours (a card) or face-api's FaceExpressionNet. */
export interface ModelEntry {
  id: string
  name: string
  kind: 'onnx' | 'face-api'
  arch: string
  /** "CxHxW" as fed to the model. */
  input: string
  params: number | null
  flops: number | null
  /** For an INT8 variant, the float model it was quantised from. */
  quantizedFrom: string | null
  /** Card `exported` time, when the card has one. */
  exported: string | null
  /** Accuracy the card claims (from training/evaluate.py), for comparison with what the bench measures. */
  cardAccuracy: { val: number | null; test: number | null }
}

/** Accuracy of one model on one labelled split. */
export interface AccuracyRow {
  model: string
  dataset: string
  split: string
  /** Images evaluated (a --limit or --quick subset may be fewer than `available`). */
  n: number
  available: number
  accuracy: number
  macroF1: number
  perClassRecall: Record<string, number>
  perClassPrecision: Record<string, number>
  support: Record<string, number>
  /** Rows are true classes, columns predicted, both in `labels` order. */
  confusion: number[][]
  labels: string[]
  seconds: number
}

/** Accuracy on full-size photos through the detector (--detect). */
export interface DetectAccuracyRow extends Omit<AccuracyRow, 'dataset' | 'split' | 'available'> {
  dir: string
  detector: string
  detected: number
  missedPerClass: Record<string, number>
}

/**
 * One model on one set of real faces beyond FER2013: a dataset split of ready-made face crops (CK+48,
 * muxspace; each image classified whole) or a set of full photos through the detector, as the app sees them.
 */
export interface BeyondFerRow {
  model: string
  /** Set id: 'ckplus48', 'muxspace', or 'photos:<name>' for photos through the detector. */
  set: string
  /** 'val' or 'test' for crops; 'photos' for photos. */
  split: string
  kind: 'crops' | 'photos'
  /** Images scored (a --quick subset may be fewer than `available`); for photos every photo, found or not. */
  n: number
  available: number
  /** Photos whose face the detector found (a missed face counts as a wrong answer); null for crops. */
  detected: number | null
  accuracy: number
  macroF1: number
  perClassRecall: Record<string, number>
  support: Record<string, number>
  /** Rows are true classes, columns predicted, in `labels` order (photos: found faces only). */
  confusion: number[][]
  labels: string[]
  /** Expected calibration error (15 bins of the top probability) of what the app answers, card temperature included; faces found only. */
  ece: number
  /** The same without the card's temperature; null when the card has none. */
  eceWithoutTemperature: number | null
  seconds: number
}

/** A labelled set the Beyond FER2013 section read. */
export interface BeyondFerSet {
  set: string
  split: string
  kind: 'crops' | 'photos'
  dir: string
  n: number
  available: number
}

/** A card's own calibration record, shown next to the ECE the bench measures. */
export interface CardCalibrationRow {
  model: string
  temperature: number
  fittedOn: string[]
  eceBefore: number | null
  eceAfter: number | null
}

/** The Beyond FER2013 section: real faces, as crops and as photos through the detector. */
export interface BeyondFerSection {
  sets: BeyondFerSet[]
  rows: BeyondFerRow[]
  calibration: CardCalibrationRow[]
  /** Sets not measured, with the reason (a dataset folder missing, a photo folder unreadable). */
  skipped: string[]
}

/** One execution provider onnxruntime-node lists on this platform. */
export interface ProviderRow {
  provider: string
  /** Whether onnxruntime-node ships the provider's library in its npm package. */
  bundled: boolean
  /** Whether any model loaded and ran on it. */
  ok: boolean
  /** The first error it gave, verbatim (clipped), when it failed. */
  error: string | null
}

/** Speed of one model on one provider (or face-api on TF.js WASM). */
export interface SpeedRow {
  model: string
  provider: string
  ok: boolean
  error: string | null
  loadMs: number | null
  batch1: BatchRow | null
  batch8: BatchRow | null
  /** Peak resident memory of the process that loaded and ran only this model. */
  peakRssMb: number | null
}

/** One performance option's effect (CPU provider). */
export interface OptionRow extends Omit<SpeedRow, 'provider'> {
  provider: string
  option: 'graph-optimization' | 'intra-op-threads' | 'quantization'
  value: string
}

/** Face detection ms per frame. */
export interface DetectionReportRow {
  detector: string
  width: number
  height: number
  backend: string
  medianMs: number
  p95Ms: number
  iterations: number
  faces: number
}

/** End-to-end throughput on the synthetic gallery. */
export interface GalleryReportRow {
  model: string
  grid: string
  width: number
  height: number
  frames: number
  facesPerFrame: number
  fps: number
  labelsPerSecond: number
  detectMedianMs: number
  classifyMedianMs: number
}

/** The INT8 decision training/quantize.py recorded (docs/bench/quantization.json). */
export interface QuantizationRow {
  model: string
  int8Model: string
  shipped: boolean
  valAccuracyFloat: number
  valAccuracyInt8: number
  /** int8 − float, in percentage points. */
  deltaPoints: number
  sizeMbFloat: number
  sizeMbInt8: number
  note: string
}

/** Per-epoch log of one of our models (Figure 3 left). */
export interface TrainingLogSummary {
  model: string
  epochs: number
  bestValAccuracy: number
  bestEpoch: number
  rows: { epoch: number; trainAccuracy: number; valAccuracy: number; trainLoss: number; valLoss: number }[]
}

/** A chart written beside the report. */
export interface ChartEntry {
  id: string
  title: string
  /** Path relative to the Markdown report. */
  file: string
}

/** The study's published numbers (shared/study/README.md). */
export interface StudyRow {
  arch: string
  model: string
  accuracy: number
  accuracyApprox: boolean
  msPerImage: number
  msSetting: string
}

/**
 * One pipeline on a moving synthetic gallery (people sway, turn, one leaves and another comes):
 * the app's detect-then-track scheduling, its earlier full scan on every frame, or face-api's own
 * pipeline, measured in the same run.
 */
export interface LiveGalleryReportRow {
  grid: string
  width: number
  height: number
  /** 'realtime': a 30 fps source, busy frames dropped; 'every-frame': every frame in turn (CPU cost and recall). */
  mode: 'realtime' | 'every-frame'
  pipeline: string
  classifier: string
  offered: number
  labelled: number
  fps: number
  labelsPerSecond: number
  truthPerFrame: number
  foundPerFrame: number
  allFoundShare: number
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  cpuMsPerFrame: number
  /** From a new person's arrival to their first label; null when never labelled. */
  newFaceMs: number | null
  /** From a person's leaving to their label's removal; null when never removed. */
  dropMs: number | null
}

/** Faces that fill most of a webcam frame, found by one detector set-up, and what it cost. */
export interface CloseUpReportRow {
  /** The face's height as a share of the 640x480 frame's height. */
  faceShare: number
  detector: string
  found: number
  total: number
  cpuMsPerFrame: number
}

/** The whole report. */
export interface BenchReport {
  schemaVersion: number
  generatedAt: string
  command: string
  quick: boolean
  machine: {
    platform: string
    arch: string
    cpu: string
    cores: number
    memoryGb: number
    node: string
    onnxruntime: string
    faceApi: string
    tfjs: string
    tfjsBackend: string
  }
  /** Things a reader must know to trust the numbers (other load on the machine, subsets). */
  caveats: string[]
  dataset: { name: string; dir: string; splits: { name: string; n: number; available: number }[] }
  models: ModelEntry[]
  accuracy: AccuracyRow[]
  detectAccuracy: DetectAccuracyRow[]
  /** Real faces beyond FER2013; absent in reports written before the section existed. */
  beyondFer?: BeyondFerSection
  providers: ProviderRow[]
  speed: SpeedRow[]
  detection: DetectionReportRow[]
  gallery: GalleryReportRow[]
  /** Moving galleries through the app's scheduling and face-api's own pipeline (absent in reports made before it existed). */
  liveGallery?: LiveGalleryReportRow[]
  /** Recall on close-ups beside its cost (absent in reports made before it existed). */
  closeUps?: CloseUpReportRow[]
  options: OptionRow[]
  quantization: QuantizationRow[]
  trainingLogs: TrainingLogSummary[]
  charts: ChartEntry[]
  study: StudyRow[]
  /** Sections not measured in this run, with the reason. */
  skipped: string[]
  /** Cards in the models folder the app would also reject, with the reason. */
  modelErrors: string[]
  seconds: number
}

/** The study's Table 1 and Table 2. */
export const STUDY: StudyRow[] = [
  { arch: 'resnet50', model: 'ResNet50', accuracy: 0.577, accuracyApprox: false, msPerImage: 136.33, msSetting: 'TensorFlow' },
  { arch: 'vit', model: 'ViT', accuracy: 0.42, accuracyApprox: true, msPerImage: 11.48, msSetting: 'PyTorch, GPU' }
]

/** The face-api expression net's id in every table. */
export const FACE_API_MODEL_ID = 'face-api-expression'

/** What the Compare view may ask main to run (the 'bench:run' call): exactly {quick}, so the renderer cannot pass CLI flags. */
export const BenchRunRequestSchema = plainObject({ quick: bool })
/** What the Compare view may ask main to run (the 'bench:run' call). */
export type BenchRunRequest = v.InferOutput<typeof BenchRunRequestSchema>

/** One progress step of a running benchmark (the 'bench:progress' event). */
export interface BenchProgressEvent {
  phase: string
  done: number
  total: number
}

/** A chart of a finished run, as SVG text. */
export interface BenchChart {
  id: string
  title: string
  svg: string
}

/** A chart the bench writes beside the report: a BenchChart with its file name inside the charts folder. */
export interface RenderedChart extends BenchChart {
  fileName: string
}

/** A finished run: the JSON report and its charts. */
export interface BenchRunResult {
  report: BenchReport
  charts: BenchChart[]
}
