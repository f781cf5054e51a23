/**
 * A speed job and its answer: what the bench CLI, its speed workers and main (which forks the
 * workers inside the packaged app) pass between them, so every side reads the same types.
 */

/** Session options the performance section varies. */
export interface SessionVariant {
  /** One onnxruntime-node execution provider name, tried alone (no fallback: a failure is the result). */
  provider: string
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all'
  /** 0 lets onnxruntime choose (one thread per physical core). */
  intraOpNumThreads: number
  /** false turns off the intra-op threads' spin-wait after each run; onnxruntime's default is on. */
  allowSpinning?: boolean
}

/** Median and 95th percentile of a timing sample, the pair every speed row reports. */
export interface TimingSummary {
  median: number
  p95: number
  samples: number
}

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
