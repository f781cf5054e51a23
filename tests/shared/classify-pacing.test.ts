import { describe, expect, it } from 'vitest'
import { ClassifyPacing, LIVE_CLASSIFY_BUDGET, LIVE_CLASSIFY_INTERVAL_MS } from '../../src/shared/classify-pacing'
import { DEFAULT_SMOOTHING_MS } from '../../src/shared/emotion-smoother'

const face = (id: number, side = 100) => ({ id, box: { x: id * 200, y: 0, width: side, height: side } })

describe('ClassifyPacing', () => {
  it('classifies each face at most once per interval, spreading nine faces over 30 fps frames', () => {
    const pacing = new ClassifyPacing(100)
    const faces = Array.from({ length: 9 }, (_, i) => face(i))
    const perFace = new Map<number, number[]>()
    for (let frame = 0; frame < 90; frame++) {
      const t = (frame * 1000) / 30
      for (const f of pacing.pick(faces, t, 16)) perFace.set(f.id, [...(perFace.get(f.id) ?? []), t])
    }
    for (const times of perFace.values()) {
      // Three seconds at one classification per 100 ms (every 4th frame at 30 fps: 133 ms apart).
      expect(times.length).toBeGreaterThanOrEqual(20)
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(100)
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeLessThan(150)
    }
    expect(perFace.size).toBe(9)
  })

  it('takes new faces first, then the stalest, then the largest, within the batch limit', () => {
    const pacing = new ClassifyPacing(100)
    expect(pacing.pick([face(1), face(2, 200)], 0, 1).map((f) => f.id)).toEqual([2])
    expect(pacing.pick([face(1), face(2, 200)], 10, 1).map((f) => f.id)).toEqual([1])
    // Both due at 200; face 2 was classified longer ago.
    expect(pacing.pick([face(1), face(2, 200), face(3, 50)], 200, 2).map((f) => f.id)).toEqual([3, 2])
  })

  it('forgets faces that left, so a returning id is classified at once, and starts over on clear', () => {
    const pacing = new ClassifyPacing(100)
    pacing.pick([face(1)], 0, 16)
    pacing.pick([], 10, 16)
    expect(pacing.pick([face(1)], 20, 16)).toHaveLength(1)
    pacing.clear()
    expect(pacing.pick([face(1)], 30, 16)).toHaveLength(1)
    expect(pacing.pick([face(1)], 40, 16)).toHaveLength(0)
  })

  it('keeps the live interval well inside the smoothing time, and refuses a negative one', () => {
    expect(LIVE_CLASSIFY_INTERVAL_MS * 3).toBeLessThanOrEqual(DEFAULT_SMOOTHING_MS)
    expect(() => new ClassifyPacing(-1)).toThrow(RangeError)
  })

  it('with a budget, classifies each face less often where the model is slow for the machine, and keeps the interval where it is fast', () => {
    const nine = Array.from({ length: 9 }, (_, i) => face(i))
    const fast = new ClassifyPacing(100, LIVE_CLASSIFY_BUDGET)
    // Unmeasured: the base interval.
    expect(fast.interval(9)).toBe(100)
    fast.record(9, 9)
    expect(fast.interval(9)).toBe(100)
    const slow = new ClassifyPacing(100, { share: 0.25, maxIntervalMs: 1000 })
    slow.record(9, 45)
    // 5 ms a face, nine faces: 45 ms of model time per round, a quarter of 180 ms.
    expect(slow.interval(9)).toBeCloseTo(180, 5)
    // Twenty-five faces would need 500 ms; a hundred hit the cap.
    expect(slow.interval(25)).toBeCloseTo(500, 5)
    expect(slow.interval(100)).toBe(1000)
    // Picking follows it: over three seconds at 30 fps each face is classified about every 180 ms, no sooner.
    const times = new Map<number, number[]>()
    for (let frame = 0; frame < 90; frame++) {
      const t = (frame * 1000) / 30
      for (const f of slow.pick(nine, t, 16)) times.set(f.id, [...(times.get(f.id) ?? []), t])
    }
    for (const list of times.values()) {
      for (let k = 1; k < list.length; k++) expect(list[k]! - list[k - 1]!).toBeGreaterThanOrEqual(180)
      expect(list.length).toBeGreaterThanOrEqual(14)
    }
    // A new model is measured afresh.
    slow.clear()
    expect(slow.interval(9)).toBe(100)
  })

  it('ignores nonsense timings, has no effect without a budget, and refuses a budget it cannot keep', () => {
    const pacing = new ClassifyPacing(100, LIVE_CLASSIFY_BUDGET)
    pacing.record(0, 50)
    pacing.record(3, Number.NaN)
    pacing.record(3, -1)
    expect(pacing.interval(9)).toBe(100)
    const fixed = new ClassifyPacing(100)
    fixed.record(1, 500)
    expect(fixed.interval(9)).toBe(100)
    expect(() => new ClassifyPacing(100, { share: 0, maxIntervalMs: 1000 })).toThrow(RangeError)
    expect(() => new ClassifyPacing(100, { share: 0.5, maxIntervalMs: 50 })).toThrow(RangeError)
  })
})
