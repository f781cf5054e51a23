import { describe, expect, it } from 'vitest'
import { expectedCalibrationError, withoutTemperature } from '../../src/bench/calibration'
import { softmax } from '../../src/main/inference/postprocess'

describe('expectedCalibrationError', () => {
  it('is 0 when confidence equals accuracy in every bin', () => {
    // Four rows at confidence 0.75, three right: accuracy 0.75 in that bin.
    const rows = [[0.75, 0.25], [0.75, 0.25], [0.75, 0.25], [0.25, 0.75]]
    expect(expectedCalibrationError(rows, [0, 0, 0, 0])).toBeCloseTo(0, 12)
  })

  it('weights each bin by its share of the rows', () => {
    // Bin of 0.95 (2 rows, 1 right: |0.5 - 0.95| = 0.45) and bin of 0.6 (2 rows, both right: |1 - 0.6| = 0.4).
    const rows = [[0.95, 0.05], [0.95, 0.05], [0.6, 0.4], [0.4, 0.6]]
    expect(expectedCalibrationError(rows, [0, 1, 0, 1])).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.4, 12)
  })

  it('is the overconfidence of a model that is always sure and right half the time', () => {
    const rows = Array.from({ length: 10 }, () => [1, 0])
    expect(expectedCalibrationError(rows, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1])).toBeCloseTo(0.5, 12)
  })

  it('puts a confidence on a bin edge into the lower bin ((m-1)/15, m/15], and 0 rows give 0', () => {
    // 1/3 = 5/15 is the top of bin 5; 0.34 opens bin 6. In separate bins: 0.5 × |1 - 1/3| + 0.5 × |0 - 0.34|.
    const rows = [[1 / 3, 1 / 3, 1 / 3], [0.34, 0.33, 0.33]]
    expect(expectedCalibrationError(rows, [0, 1])).toBeCloseTo(0.5 * (2 / 3) + 0.5 * 0.34, 12)
    expect(expectedCalibrationError([], [])).toBe(0)
  })

  it('rejects mismatched lengths', () => {
    expect(() => expectedCalibrationError([[1, 0]], [])).toThrow(/labels/)
  })
})

describe('withoutTemperature', () => {
  it('undoes softmax(z / t)', () => {
    const z = [2.5, -1, 0.3, 4]
    const calibrated = softmax(z.map((v) => v / 1.7))
    withoutTemperature(calibrated, 1.7).forEach((p, i) => expect(p).toBeCloseTo(softmax(z)[i] as number, 10))
  })

  it('leaves a row unchanged at temperature 1', () => {
    expect(withoutTemperature([0.2, 0.8], 1).map((p) => Math.round(p * 1e9) / 1e9)).toEqual([0.2, 0.8])
  })
})
