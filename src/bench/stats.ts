/** Order statistics for timing samples. */
import type { TimingSummary } from '../shared/speed-job'

/**
 * The q-th percentile (0..100) with linear interpolation between closest ranks, numpy's default
 * ("linear" method), so p50 of an even-sized sample is the mean of the two middle values.
 */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error('percentile of an empty sample')
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be within 0..100, got ${q}`)
  if (samples.some((v) => !Number.isFinite(v))) throw new Error('percentile of a sample with non-finite values')
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (q / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (rank - lo)
}

/** The median (50th percentile). */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50)
}

/** Arithmetic mean; throws on an empty sample. */
export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('mean of an empty sample')
  return samples.reduce((a, b) => a + b, 0) / samples.length
}


/** Summarises timing samples (ms) into median and p95. */
export function summarizeTimings(samples: readonly number[]): TimingSummary {
  return { median: median(samples), p95: percentile(samples, 95), samples: samples.length }
}
