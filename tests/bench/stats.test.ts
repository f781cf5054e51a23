import { describe, expect, it } from 'vitest'
import { mean, median, percentile, summarizeTimings } from '../../src/bench/stats'

describe('percentile', () => {
  it('interpolates linearly between closest ranks like numpy', () => {
    // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 95, 100]) == [1, 1.75, 2.5, 3.85, 4]
    const xs = [4, 1, 3, 2]
    expect(percentile(xs, 0)).toBe(1)
    expect(percentile(xs, 25)).toBeCloseTo(1.75, 12)
    expect(percentile(xs, 50)).toBeCloseTo(2.5, 12)
    expect(percentile(xs, 95)).toBeCloseTo(3.85, 12)
    expect(percentile(xs, 100)).toBe(4)
  })

  it('returns the only value of a one-element sample and does not reorder the input', () => {
    expect(percentile([7], 95)).toBe(7)
    const xs = [3, 1, 2]
    percentile(xs, 50)
    expect(xs).toEqual([3, 1, 2])
  })

  it('rejects empty samples, non-finite values and q outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/empty/)
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/non-finite/)
    expect(() => percentile([1], 101)).toThrow(RangeError)
    expect(() => percentile([1], -1)).toThrow(RangeError)
  })
})

describe('median and mean', () => {
  it('takes the middle value of an odd sample and the mean of the middle two of an even one', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([10, 1, 3, 7])).toBe(5)
    expect(mean([1, 2, 3, 6])).toBe(3)
    expect(() => mean([])).toThrow(/empty/)
  })

  it('summarises timings into median, p95 and count', () => {
    const samples = Array.from({ length: 21 }, (_, i) => i) // 0..20
    expect(summarizeTimings(samples)).toEqual({ median: 10, p95: 19, samples: 21 })
  })
})
