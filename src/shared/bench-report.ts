/** The benchmark report (docs/bench/report.json): written by src/bench (npm run bench), shown by the renderer's Compare view. */

import * as v from 'valibot'
import * as S from './bench-report-schema'
import { bool, plainObject } from './schema-rules'

/** Version of the report's shape; bump when a field changes meaning. */
export { REPORT_SCHEMA_VERSION } from './bench-report-schema'

// The report's types are derived from its one declaration (bench-report-schema.ts), which also generates
// src/bench/report.schema.json; the field comments live there.

/** Timing of one batch size: ms per face. */
export type BatchRow = v.InferOutput<typeof S.BatchRowSchema>
/** A model in the comparison: one of ours (a card) or face-api's FaceExpressionNet. */
export type ModelEntry = v.InferOutput<typeof S.ModelEntrySchema>
/** Accuracy of one model on one labelled split. */
export type AccuracyRow = v.InferOutput<typeof S.AccuracyRowSchema>
/** Accuracy on full-size photos through the detector (--detect). */
export type DetectAccuracyRow = v.InferOutput<typeof S.DetectAccuracyRowSchema>
/** One model on one set of real faces beyond FER2013 (crops or photos through the detector). */
export type BeyondFerRow = v.InferOutput<typeof S.BeyondFerRowSchema>
/** A labelled set the Beyond FER2013 section read. */
export type BeyondFerSet = v.InferOutput<typeof S.BeyondFerSetSchema>
/** A card's own calibration record, shown next to the ECE the bench measures. */
export type CardCalibrationRow = v.InferOutput<typeof S.CardCalibrationRowSchema>
/** The Beyond FER2013 section: real faces, as crops and as photos through the detector. */
export type BeyondFerSection = v.InferOutput<typeof S.BeyondFerSectionSchema>
/** One execution provider onnxruntime-node lists on this platform. */
export type ProviderRow = v.InferOutput<typeof S.ProviderRowSchema>
/** Speed of one model on one provider (or face-api on TF.js WASM). */
export type SpeedRow = v.InferOutput<typeof S.SpeedRowSchema>
/** One performance option's effect (CPU provider). */
export type OptionRow = v.InferOutput<typeof S.OptionRowSchema>
/** Face detection ms per frame. */
export type DetectionReportRow = v.InferOutput<typeof S.DetectionReportRowSchema>
/** End-to-end throughput on the synthetic gallery. */
export type GalleryReportRow = v.InferOutput<typeof S.GalleryReportRowSchema>
/** The INT8 decision training/quantize.py recorded (docs/bench/quantization.json). */
export type QuantizationRow = v.InferOutput<typeof S.QuantizationRowSchema>
/** Per-epoch log of one of our models (Figure 3 left). */
export type TrainingLogSummary = v.InferOutput<typeof S.TrainingLogSummarySchema>
/** A chart written beside the report. */
export type ChartEntry = v.InferOutput<typeof S.ChartEntrySchema>
/** The study's published numbers (shared/study/README.md). */
export type StudyRow = v.InferOutput<typeof S.StudyRowSchema>
/** One pipeline on a moving synthetic gallery: detect-then-track, full scans, or face-api's own pipeline. */
export type LiveGalleryReportRow = v.InferOutput<typeof S.LiveGalleryReportRowSchema>
/** Faces that fill most of a webcam frame, found by one detector set-up, and what it cost. */
export type CloseUpReportRow = v.InferOutput<typeof S.CloseUpReportRowSchema>
/** One operation of the session library on made-up logs. */
export type SessionLibraryRow = v.InferOutput<typeof S.SessionLibraryRowSchema>
/** One model on one labelled set at call size through a lossy round trip and the detector. */
export type CallConditionRow = v.InferOutput<typeof S.CallConditionRowSchema>
/** The whole report. */
export type BenchReport = v.InferOutput<typeof S.BenchReportSchema>

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
