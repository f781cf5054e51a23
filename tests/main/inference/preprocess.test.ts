import { describe, expect, it } from 'vitest'
import { softmax, toFaceResults } from '../../../src/main/inference/postprocess'
import { facesToTensorData } from '../../../src/main/inference/preprocess'
import type { FaceCrop } from '../../../src/shared/ipc'

const crop = (faceId: number, pixels: number[]): FaceCrop => ({
  faceId,
  box: { x: 0, y: 0, width: 10, height: 10 },
  width: 2,
  height: 2,
  pixels: Uint8Array.from(pixels)
})

describe('facesToTensorData', () => {
  it('normalises each pixel as (p/255 - mean)/std, face after face', () => {
    const input = { name: 'input', channels: 1 as const, height: 2, width: 2, mean: [0.5], std: [0.25] }
    const data = facesToTensorData(input, [crop(1, [0, 255, 51, 204]), crop(2, [255, 255, 0, 0])])
    const expected = [0, 255, 51, 204, 255, 255, 0, 0].map((p) => (p / 255 - 0.5) / 0.25)
    expect(Array.from(data)).toEqual(expected.map((v) => Math.fround(v)))
  })

  it('puts the gray value in every channel of a 3-channel model, each with its own mean and std', () => {
    const input = { name: 'input', channels: 3 as const, height: 2, width: 2, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
    const data = facesToTensorData(input, [crop(1, [10, 20, 30, 40])])
    expect(data).toHaveLength(12)
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 4; i++) {
        const p = [10, 20, 30, 40][i] as number
        expect(data[c * 4 + i]).toBeCloseTo((p / 255 - (input.mean[c] as number)) / (input.std[c] as number), 5)
      }
    }
  })

  it('refuses a crop of the wrong size', () => {
    const input = { name: 'input', channels: 1 as const, height: 3, width: 3, mean: [0], std: [1] }
    expect(() => facesToTensorData(input, [crop(1, [1, 2, 3, 4])])).toThrow(/2x2/)
  })
})

describe('postprocess', () => {
  it('softmax sums to one, keeps order and survives huge logits', () => {
    const p = softmax([1000, 1001, 999])
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(p[1]).toBeGreaterThan(p[0] as number)
    expect(p.every(Number.isFinite)).toBe(true)
  })

  it('applies softmax to logits and picks the top label per face', () => {
    const labels = ['a', 'b', 'c']
    const results = toFaceResults(Float32Array.from([0, 2, 1, 5, 0, 0]), [7, 8], labels, 'logits')
    expect(results.map((r) => [r.faceId, r.label])).toEqual([
      [7, 'b'],
      [8, 'a']
    ])
    const e = [Math.exp(0), Math.exp(2), Math.exp(1)]
    expect(results[0]?.confidence).toBeCloseTo((e[1] as number) / e.reduce((x, y) => x + y), 6)
  })

  it('passes probabilities through unchanged', () => {
    const [result] = toFaceResults([0.2, 0.5, 0.3], [1], ['a', 'b', 'c'], 'probabilities')
    expect(result?.probabilities).toEqual([0.2, 0.5, 0.3])
  })

  it('rejects an output of the wrong size or with NaN', () => {
    expect(() => toFaceResults([0.1, 0.2], [1], ['a', 'b', 'c'], 'logits')).toThrow(/expected 1 faces x 3 labels/)
    expect(() => toFaceResults([0.1, Number.NaN, 0.2], [1], ['a', 'b', 'c'], 'logits')).toThrow(/not finite/)
  })

  it('divides logits by a calibration temperature: same label, softer confidence', () => {
    const logits = [2, 0, 1]
    const [plain] = toFaceResults(logits, [1], ['a', 'b', 'c'], 'logits')
    const [calibrated] = toFaceResults(logits, [1], ['a', 'b', 'c'], 'logits', 2)
    expect(calibrated?.label).toBe(plain?.label)
    expect(calibrated?.probabilities).toEqual(softmax([1, 0, 0.5]))
    expect(calibrated!.confidence).toBeLessThan(plain!.confidence)
    // A temperature below 1 sharpens instead.
    expect(toFaceResults(logits, [1], ['a', 'b', 'c'], 'logits', 0.5)[0]!.confidence).toBeGreaterThan(plain!.confidence)
  })

  it('scales a probabilities output as if its logits were divided by the temperature', () => {
    const probabilities = softmax([2, 0, 1])
    const [r] = toFaceResults(probabilities, [1], ['a', 'b', 'c'], 'probabilities', 2)
    softmax([1, 0, 0.5]).forEach((p, i) => expect(r?.probabilities[i]).toBeCloseTo(p, 12))
  })

  it('rejects a temperature that is not a positive number', () => {
    expect(() => toFaceResults([1, 2], [1], ['a', 'b'], 'logits', 0)).toThrow(/temperature/)
    expect(() => toFaceResults([1, 2], [1], ['a', 'b'], 'logits', Number.NaN)).toThrow(/temperature/)
  })
})
