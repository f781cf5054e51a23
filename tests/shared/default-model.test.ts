import { describe, expect, it } from 'vitest'
import { bestSmallFaceModelId, defaultModelId, realFaceValScore, smallFaceValScore, type CallConditionMetrics } from '../../src/shared/default-model'
import type { SplitMetrics } from '../../src/shared/ipc'

const m = (macro_f1: number, accuracy = 0.5): SplitMetrics => ({ accuracy, macro_f1, per_class_recall: {} })

describe('realFaceValScore', () => {
  it('is the mean val macro-F1 over the real-face sets the card reports', () => {
    expect(realFaceValScore({ ckplus48: { val: m(0.8) }, muxspace: { val: m(0.4) } })).toBeCloseTo(0.6, 12)
    expect(realFaceValScore({ muxspace: { val: m(0.4) } })).toBe(0.4)
  })

  it('ignores test splits (chosen on val only) and is null without val metrics', () => {
    expect(realFaceValScore({ ckplus48: { test: m(0.99) } })).toBeNull()
    expect(realFaceValScore(undefined)).toBeNull()
    expect(realFaceValScore({ ckplus48: { val: m(0.3), test: m(0.99) } })).toBe(0.3)
  })
})

describe('defaultModelId', () => {
  it('picks the model best on real-face val sets, not the first or the best on FER2013', () => {
    const list = [
      { id: 'a-int8', realFaces: { ckplus48: { val: m(0.5) }, muxspace: { val: m(0.3) } } },
      { id: 'b', realFaces: { ckplus48: { val: m(0.7) }, muxspace: { val: m(0.35) } } },
      { id: 'c' }
    ]
    expect(defaultModelId(list)).toBe('b')
  })

  it('ranks a model with real-face metrics above one without', () => {
    expect(defaultModelId([{ id: 'plain' }, { id: 'measured', realFaces: { muxspace: { val: m(0.01) } } }])).toBe('measured')
  })

  it('keeps list order on ties', () => {
    const r = { ckplus48: { val: m(0.6) } }
    expect(defaultModelId([{ id: 'x', realFaces: r }, { id: 'y', realFaces: r }])).toBe('x')
  })

  it('falls back to the first model when no card has real-face metrics, and to null for no models', () => {
    expect(defaultModelId([{ id: 'first' }, { id: 'second' }])).toBe('first')
    expect(defaultModelId([])).toBeNull()
  })
})

const call = (split: 'val' | 'test', face_px: number, accuracy: number, macro_f1 = accuracy): CallConditionMetrics => ({ set: 'ck', split, face_px, accuracy, macro_f1, found: 1 })

describe('smallFaceValScore', () => {
  it('is the mean of accuracy and macro-F1 over the val rows at 70 and 100 px only', () => {
    expect(smallFaceValScore([call('val', 70, 0.8, 0.4), call('val', 100, 0.6), call('val', 40, 0.0), call('test', 70, 0.0)])).toBeCloseTo(0.6, 12)
    expect(smallFaceValScore([call('test', 70, 0.9)])).toBeNull()
    expect(smallFaceValScore(undefined)).toBeNull()
  })
})

describe('the default on small faces', () => {
  it('picks the best on call conditions over the best on real-face crops, where cards have call-conditions metrics', () => {
    const list = [
      { id: 'crops-best', realFaces: { ckplus48: { val: m(0.9) } }, smallFaceScore: 0.5 },
      { id: 'calls-best', realFaces: { ckplus48: { val: m(0.6) } }, smallFaceScore: 0.7 },
      { id: 'unmeasured', realFaces: { ckplus48: { val: m(0.95) } } }
    ]
    expect(bestSmallFaceModelId(list)).toBe('calls-best')
    expect(defaultModelId(list)).toBe('calls-best')
    // Without call-conditions metrics anywhere, the real-face crops decide as before.
    expect(defaultModelId(list.map(({ id, realFaces }) => ({ id, realFaces })))).toBe('unmeasured')
    expect(bestSmallFaceModelId([{ id: 'x' }])).toBeNull()
  })

  it('breaks a tie on small faces (within half a point) by the real-face crops, never a clear lead', () => {
    const tied = [
      { id: 'small-by-a-hair', realFaces: { ckplus48: { val: m(0.5) } }, smallFaceScore: 0.546 },
      { id: 'better-on-crops', realFaces: { ckplus48: { val: m(0.8) } }, smallFaceScore: 0.5455 }
    ]
    expect(defaultModelId(tied)).toBe('better-on-crops')
    const clear = [{ ...tied[0]!, smallFaceScore: 0.56 }, tied[1]!]
    expect(defaultModelId(clear)).toBe('small-by-a-hair')
  })
})
