import { describe, expect, it } from 'vitest'
import { argmax } from '../../src/shared/box-math'
import { EmotionSmoother } from '../../src/shared/emotion-smoother'

const HAPPY = [0, 0, 0, 1, 0, 0, 0]
const SAD = [0, 0, 0, 0, 0, 1, 0]

describe('argmax', () => {
  it('returns the first index of the largest value, -1 when empty', () => {
    expect(argmax([0.1, 0.5, 0.5, 0.2])).toBe(1)
    expect(argmax([])).toBe(-1)
  })
})

describe('EmotionSmoother', () => {
  it('takes the first observation of a face as is', () => {
    const s = new EmotionSmoother(300)
    expect(s.update(1, HAPPY, 0)).toEqual({ probabilities: HAPPY, top: 3 })
  })

  it('moves by 1 - exp(-dt/tau) toward each new observation', () => {
    const s = new EmotionSmoother(100)
    s.update(1, HAPPY, 0)
    const out = s.update(1, SAD, 100)
    const alpha = 1 - Math.exp(-1)
    expect(out.probabilities[5]).toBeCloseTo(alpha, 12)
    expect(out.probabilities[3]).toBeCloseTo(1 - alpha, 12)
    expect(out.top).toBe(5)
  })

  it('converges to a steady input and keeps the vector summing to 1', () => {
    const s = new EmotionSmoother(200)
    s.update(1, HAPPY, 0)
    let out = s.update(1, SAD, 33)
    for (let t = 66; t <= 3000; t += 33) out = s.update(1, SAD, t)
    expect(out.probabilities[5]).toBeGreaterThan(0.9999)
    expect(out.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it('does not flip the label on a single outlier frame', () => {
    const s = new EmotionSmoother(300)
    for (let t = 0; t <= 1000; t += 33) s.update(1, HAPPY, t)
    expect(s.update(1, SAD, 1033).top).toBe(3)
  })

  it('is frame-rate independent: 10 fps and 60 fps reach the same average at the same time', () => {
    const slow = new EmotionSmoother(250)
    const fast = new EmotionSmoother(250)
    slow.update(1, HAPPY, 0)
    fast.update(1, HAPPY, 0)
    let a = slow.update(1, SAD, 100)
    for (let t = 200; t <= 600; t += 100) a = slow.update(1, SAD, t)
    let b = fast.update(1, SAD, 600 / 36)
    for (let i = 2; i <= 36; i++) b = fast.update(1, SAD, (600 * i) / 36)
    expect(b.probabilities[5]).toBeCloseTo(a.probabilities[5], 10)
    expect(a.probabilities[5]).toBeCloseTo(1 - Math.exp(-600 / 250), 10)
  })

  it('keeps faces independent', () => {
    const s = new EmotionSmoother(300)
    s.update(1, HAPPY, 0)
    s.update(2, SAD, 0)
    expect(s.update(1, HAPPY, 50).top).toBe(3)
    expect(s.update(2, SAD, 50).top).toBe(5)
  })

  it('starts fresh after reset and after clear', () => {
    const s = new EmotionSmoother(300)
    s.update(1, HAPPY, 0)
    s.update(2, HAPPY, 0)
    s.reset(1)
    expect(s.size).toBe(1)
    expect(s.update(1, SAD, 10).probabilities).toEqual(SAD)
    s.clear()
    expect(s.size).toBe(0)
    expect(s.update(2, SAD, 20).probabilities).toEqual(SAD)
  })

  it('treats a timestamp going backwards as no time passed', () => {
    const s = new EmotionSmoother(100)
    s.update(1, HAPPY, 1000)
    expect(s.update(1, SAD, 900).probabilities).toEqual(HAPPY)
  })

  it('with tau 0 follows the input exactly, and rejects a negative tau', () => {
    const s = new EmotionSmoother(0)
    s.update(1, HAPPY, 0)
    expect(s.update(1, SAD, 1).probabilities).toEqual(SAD)
    expect(() => new EmotionSmoother(-1)).toThrow(RangeError)
  })
})
