import { describe, expect, it } from 'vitest'
import { bestOnSmallFaces, callConditionsTable } from '../../src/shared/call-conditions-report'
import type { CallConditionRow } from '../../src/shared/bench-report'

const row = (model: string, set: string, split: string, facePx: number, accuracy: number, macroF1 = accuracy): CallConditionRow => ({
  set,
  split,
  facePx,
  model,
  n: 10,
  found: 9,
  accuracy,
  macroF1,
  perClassRecall: { angry: 0, disgust: 0, fear: 0, happy: 1, neutral: 1, sad: 0, surprise: 0 }
})

describe('bestOnSmallFaces', () => {
  const rows = [
    ...['ck', 'mux'].flatMap((set) => [70, 100].map((px) => row('a', set, 'val', px, 0.6))),
    ...['ck', 'mux'].flatMap((set) => [70, 100].map((px) => row('b', set, 'val', px, 0.7))),
    // b is worse on test and at 40 px, which must not count; c lacks rows; face-api is excluded.
    ...['ck', 'mux'].flatMap((set) => [row('b', set, 'test', 70, 0.1), row('b', set, 'val', 40, 0.0)]),
    row('c', 'ck', 'val', 70, 0.99),
    ...['ck', 'mux'].flatMap((set) => [70, 100].map((px) => row('face-api', set, 'val', px, 0.9)))
  ]

  it('ranks by the val rows at the given sizes only, ignoring test rows, other sizes, incomplete models and the excluded', () => {
    expect(bestOnSmallFaces(rows, [70, 100], ['face-api'])).toEqual({ model: 'b', score: expect.closeTo(0.7, 9) })
    expect(bestOnSmallFaces(rows, [70, 100])?.model).toBe('face-api')
    expect(bestOnSmallFaces([], [70])).toBeNull()
  })

  it('weighs accuracy and macro-F1 alike', () => {
    const two = [row('acc', 'ck', 'val', 70, 0.9, 0.2), row('f1', 'ck', 'val', 70, 0.6, 0.6)]
    expect(bestOnSmallFaces(two, [70])?.model).toBe('f1')
  })
})

describe('callConditionsTable', () => {
  it('has one column per set, split and size and one row per model', () => {
    const t = callConditionsTable([row('a', 'ck', 'val', 40, 0.5), row('a', 'ck', 'val', 70, 0.75), row('b', 'ck', 'val', 40, 0.25)])
    expect(t?.headers).toEqual(['model', 'ck val @40px', 'ck val @70px'])
    expect(t?.rows).toEqual([
      ['a', '50.0 % / 50.0 % (9/10)', '75.0 % / 75.0 % (9/10)'],
      ['b', '25.0 % / 25.0 % (9/10)', '-']
    ])
    expect(callConditionsTable([])).toBeNull()
  })
})
