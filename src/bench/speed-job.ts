import type { SessionVariant } from './onnx-timing'
import type { TimingSummary } from './stats'

/** What the parent asks a speed worker to measure. */
export type SpeedJob =
  | { kind: 'onnx'; cardPath: string; modelPath: string; variant: SessionVariant; facePaths: string[]; batchSizes: number[]; warmup: number; iterations: number }
  | { kind: 'face-api'; facePaths: string[]; batchSizes: number[]; warmup: number; iterations: number }

/** Per-batch-size timing: ms per face (batch wall time / batch size). */
export interface BatchTiming {
  batch: number
  msPerFace: TimingSummary
  /** 1000 / median ms per face. */
  facesPerSecond: number
}

/** What a worker answers. */
export type SpeedResult = { ok: true; loadMs: number; batches: BatchTiming[]; peakRssMb: number } | { ok: false; error: string }

/** The marker that starts the result line, so stray library output on stdout cannot be mistaken for it. */
export const RESULT_MARKER = 'BENCH_RESULT '
