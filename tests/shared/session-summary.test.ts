import { describe, expect, it } from 'vitest'
import { EMOTIONS, type Emotion } from '../../src/shared/emotions'
import type { SessionSample } from '../../src/shared/session-data'
import { summarise, summaryCsvRows, SUMMARY_COLUMNS } from '../../src/shared/session-summary'

const onehot = (e: Emotion): number[] => EMOTIONS.map((x) => (x === e ? 1 : 0))
const sample = (faceId: number, t: number, smoothed: Emotion): SessionSample => ({ t, faceId, label: smoothed, smoothedLabel: smoothed, probabilities: onehot(smoothed) })
/** Rows every `step` ms from `from` to `to` inclusive, with the emotion `at(t)`. */
const run = (faceId: number, from: number, to: number, step: number, at: (t: number) => Emotion): SessionSample[] => {
  const out: SessionSample[] = []
  for (let t = from; t <= to; t += step) out.push(sample(faceId, t, at(t)))
  return out
}

describe('summarise', () => {
  it('gives each row the time to the next row: shares, dominant emotion and change count', () => {
    // 0..900 happy, 1000..1900 sad, 2000..3900 happy: 10 + 10 + 20 rows, 100 ms apart.
    const rows = run(1, 0, 3900, 100, (t) => (t < 1000 || t >= 2000 ? 'happy' : 'sad'))
    const { faces, call, gapMs } = summarise(rows)
    expect(gapMs).toBe(1000)
    const [face] = faces
    // The last row stands for one typical interval, so 40 rows x 100 ms are seen.
    expect(face?.seenMs).toBe(4000)
    expect(face?.shares.happy).toBeCloseTo(0.75, 10)
    expect(face?.shares.sad).toBeCloseTo(0.25, 10)
    expect(EMOTIONS.reduce((s, e) => s + (face?.shares[e] ?? 0), 0)).toBeCloseTo(1, 10)
    expect(face?.dominant).toBe('happy')
    expect(face?.changes).toBe(2)
    expect(face?.returns).toBe(0)
    expect(call).toMatchObject({ durationMs: 3900, seenMs: 4000, faces: 1, rows: 40, dominant: 'happy', changes: 2 })
  })

  it('does not count the time a face was out of view, and counts its return', () => {
    // Seen 0..1900 (neutral), away 2000..6900, back 7000..7900 (surprise).
    const rows = [...run(2, 0, 1900, 100, () => 'neutral'), ...run(2, 7000, 7900, 100, () => 'surprise')]
    const [face] = summarise(rows).faces
    expect(face?.seenMs).toBe(3000)
    expect(face?.shares.neutral).toBeCloseTo(2 / 3, 10)
    expect(face?.shares.surprise).toBeCloseTo(1 / 3, 10)
    expect(face?.returns).toBe(1)
    expect(face?.changes).toBe(1)
    expect(face?.firstMs).toBe(0)
    expect(face?.lastMs).toBe(7900)
  })

  it('pools the faces for the whole call and keeps them apart per face', () => {
    const rows = [...run(1, 0, 900, 100, () => 'angry'), ...run(2, 0, 2900, 100, () => 'sad')].sort((a, b) => a.t - b.t)
    const { faces, call } = summarise(rows)
    expect(faces.map((f) => [f.faceId, f.seenMs, f.dominant])).toEqual([
      [1, 1000, 'angry'],
      [2, 3000, 'sad']
    ])
    expect(call.seenMs).toBe(4000)
    expect(call.shares.angry).toBeCloseTo(0.25, 10)
    expect(call.shares.sad).toBeCloseTo(0.75, 10)
    expect(call.dominant).toBe('sad')
    expect(call.faces).toBe(2)
  })

  it('widens the gap for slow frame rates, so a 1.5 s frame interval is not read as absence', () => {
    const rows = run(1, 0, 15_000, 1500, () => 'happy')
    const { faces, gapMs } = summarise(rows)
    expect(gapMs).toBe(4500)
    expect(faces[0]?.seenMs).toBe(16_500)
    expect(faces[0]?.returns).toBe(0)
  })

  it('handles an empty session and a single row', () => {
    expect(summarise([]).call).toMatchObject({ seenMs: 0, faces: 0, dominant: null, changes: 0 })
    const one = summarise([sample(5, 100, 'fear')])
    expect(one.faces[0]).toMatchObject({ seenMs: 0, dominant: null, rows: 1 })
  })

  it('writes one call row and one row per face, with names', () => {
    const rows = [...run(1, 0, 900, 100, () => 'angry'), ...run(2, 0, 900, 100, () => 'happy')]
    const csv = summaryCsvRows(summarise(rows), { '2': 'Ada' })
    expect(csv[0]).toEqual([...SUMMARY_COLUMNS])
    expect(csv.map((r) => r[0])).toEqual(['scope', 'call', 'face', 'face'])
    const col = (name: string): number => (SUMMARY_COLUMNS as readonly string[]).indexOf(name)
    expect(csv[3]?.[col('face_name')]).toBe('Ada')
    expect(csv[3]?.[col('seen_s')]).toBe(1)
    expect(csv[3]?.[col('share_happy')]).toBe(1)
    expect(csv[1]?.[col('share_happy')]).toBe(0.5)
  })
})
