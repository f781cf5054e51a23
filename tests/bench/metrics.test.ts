import { describe, expect, it } from 'vitest'
import { argmax } from '../../src/shared/box-math'
import { confusionMatrix, summarize, summarizeConfusion } from '../../src/bench/metrics'
import { summarizeWithMisses } from '../../src/bench/pipelines'

describe('confusionMatrix', () => {
  it('counts true classes in rows and predictions in columns', () => {
    // truth:     0 0 0 1 1 2
    // predicted: 0 1 0 1 2 2
    expect(confusionMatrix([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 2, 2], 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1]
    ])
  })

  it('rejects mismatched lengths and out-of-range or fractional labels', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 true labels but 1 predictions/)
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/out of range/)
    expect(() => confusionMatrix([0, -1], [0, 1], 2)).toThrow(/out of range/)
    expect(() => confusionMatrix([0.5], [0], 2)).toThrow(/out of range/)
    expect(() => confusionMatrix([], [], 0)).toThrow(/positive integer/)
  })
})

describe('summarize', () => {
  it('matches a hand-computed three-class case', () => {
    // Matrix [[2,1,0],[0,1,1],[0,0,1]]:
    // recall    = 2/3, 1/2, 1/1; precision = 2/2, 1/2, 1/2
    // F1        = 2*(1*2/3)/(1+2/3) = 0.8, 0.5, 2*(0.5*1)/(1.5) = 2/3
    const s = summarize([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 2, 2], 3)
    expect(s.n).toBe(6)
    expect(s.accuracy).toBeCloseTo(4 / 6, 12)
    expect(s.perClassRecall).toEqual([2 / 3, 1 / 2, 1].map((v) => expect.closeTo(v, 12)))
    expect(s.perClassPrecision).toEqual([1, 1 / 2, 1 / 2].map((v) => expect.closeTo(v, 12)))
    expect(s.perClassF1).toEqual([0.8, 0.5, 2 / 3].map((v) => expect.closeTo(v, 12)))
    expect(s.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12)
    expect(s.support).toEqual([3, 2, 1])
  })

  it('gives 1 everywhere for perfect predictions and 0 accuracy for all-wrong ones', () => {
    const perfect = summarize([0, 1, 2, 2], [0, 1, 2, 2], 3)
    expect(perfect.accuracy).toBe(1)
    expect(perfect.macroF1).toBe(1)
    const wrong = summarize([0, 1], [1, 0], 2)
    expect(wrong.accuracy).toBe(0)
    expect(wrong.macroF1).toBe(0)
  })

  it('scores an empty class 0 and still averages over all classes, as training/metrics.py does', () => {
    // Class 2 never occurs and is never predicted: its recall, precision and F1 are 0 (not NaN),
    // and macro-F1 is the mean over the 3 classes, so it is (1 + 1 + 0) / 3.
    const s = summarize([0, 1, 1], [0, 1, 1], 3)
    expect(s.perClassRecall).toEqual([1, 1, 0])
    expect(s.perClassF1).toEqual([1, 1, 0])
    expect(s.macroF1).toBeCloseTo(2 / 3, 12)
    expect(s.accuracy).toBe(1)
  })

  it('counts a class that is predicted but never true as precision 0', () => {
    const s = summarize([0, 0], [0, 1], 2)
    expect(s.perClassPrecision).toEqual([1, 0])
    expect(s.perClassRecall).toEqual([0.5, 0])
    expect(s.perClassF1[0]).toBeCloseTo(2 / 3, 12)
    expect(s.macroF1).toBeCloseTo(1 / 3, 12)
  })

  it('handles an empty set without NaN', () => {
    const s = summarize([], [], 7)
    expect(s.n).toBe(0)
    expect(s.accuracy).toBe(0)
    expect(s.macroF1).toBe(0)
    expect(s.confusion).toHaveLength(7)
  })

  it('rejects a non-square matrix', () => {
    expect(() => summarizeConfusion([[1, 2]])).toThrow(/square/)
  })
})

describe('summarizeWithMisses', () => {
  it('counts a missed face as wrong without charging any class a false positive', () => {
    // truth 0 0 1 1; predicted 0, missed, 1, 0
    const s = summarizeWithMisses([0, 0, 1, 1], [0, -1, 1, 0], 2)
    expect(s.n).toBe(4)
    expect(s.accuracy).toBe(0.5)
    expect(s.perClassRecall).toEqual([0.5, 0.5])
    // Class 0 was predicted twice (once right), class 1 once (right): the miss is nobody's prediction.
    expect(s.perClassPrecision).toEqual([0.5, 1])
    expect(s.macroF1).toBeCloseTo((0.5 + 2 / 3) / 2, 12)
    expect(s.confusion).toEqual([
      [1, 0],
      [1, 1]
    ])
  })
})

describe('argmax', () => {
  it('returns the first index of the largest value, and -1 for an empty row', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1)
    expect(argmax([0.5, 0.5])).toBe(0)
    expect(argmax([-3, -1, -2])).toBe(1)
    expect(argmax([])).toBe(-1)
  })
})
