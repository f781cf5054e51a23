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
    // The last row would stand for one typical interval (40 x 100 ms), but nothing is seen for longer than the call lasted.
    expect(face?.seenMs).toBe(3900)
    expect(face?.shares.happy).toBeCloseTo(0.75, 10)
    expect(face?.shares.sad).toBeCloseTo(0.25, 10)
    expect(EMOTIONS.reduce((s, e) => s + (face?.shares[e] ?? 0), 0)).toBeCloseTo(1, 10)
    expect(face?.dominant).toBe('happy')
    expect(face?.changes).toBe(2)
    expect(face?.returns).toBe(0)
    expect(call).toMatchObject({ durationMs: 3900, seenMs: 3900, faces: 1, rows: 40, dominant: 'happy', changes: 2 })
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
      [2, 2900, 'sad']
    ])
    // Face-time: the faces' seen times added up (face 1's last row stands for a typical interval inside the call).
    expect(call.seenMs).toBe(3900)
    expect(call.durationMs).toBe(2900)
    expect(call.shares.angry).toBeCloseTo(1000 / 3900, 10)
    expect(call.shares.sad).toBeCloseTo(2900 / 3900, 10)
    expect(call.dominant).toBe('sad')
    expect(call.faces).toBe(2)
  })

  it('widens the gap for slow frame rates, so a 1.5 s frame interval is not read as absence', () => {
    const rows = run(1, 0, 15_000, 1500, () => 'happy')
    const { faces, gapMs } = summarise(rows)
    expect(gapMs).toBe(4500)
    expect(faces[0]?.seenMs).toBe(15_000)
    expect(faces[0]?.returns).toBe(0)
  })

  it('never gives a face more seen time than the call lasted, even at a slow frame rate', () => {
    // 1.4 labelled frames a second for 20.8 s: the last row's typical interval would take the face past the call.
    const rows = [...run(1, 0, 20_800, 700, () => 'happy'), sample(1, 20_800, 'happy'), ...run(2, 5000, 20_800, 700, () => 'sad')]
    const { faces, call } = summarise(rows)
    expect(call.durationMs).toBe(20_800)
    for (const f of faces) expect(f.seenMs).toBeLessThanOrEqual(call.durationMs)
    expect(faces[0]?.seenMs).toBe(20_800)
    // Face 2 is held to its own span plus one typical interval, well under the call.
    expect(faces[1]?.seenMs).toBeLessThanOrEqual(faces[1]!.lastMs - faces[1]!.firstMs + 700)
    expect(call.seenMs).toBeCloseTo(faces.reduce((s, f) => s + f.seenMs, 0), 6)
    expect(faces[0]?.shares.happy).toBe(1)
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
    expect(csv[3]?.[col('seen_s')]).toBe(0.9)
    expect(csv[3]?.[col('share_happy')]).toBe(1)
    expect(csv[1]?.[col('share_happy')]).toBe(0.5)
  })

  it("gives the call row the call's duration as seen_s and the faces' added times as face_time_s, in a new last column", () => {
    const rows = [...run(1, 0, 900, 100, () => 'angry'), ...run(2, 0, 1900, 100, () => 'happy')]
    const csv = summaryCsvRows(summarise(rows), {})
    const col = (name: string): number => (SUMMARY_COLUMNS as readonly string[]).indexOf(name)
    expect(SUMMARY_COLUMNS.at(-1)).toBe('face_time_s')
    expect(col('share_surprise')).toBe(SUMMARY_COLUMNS.length - 2)
    expect(csv[1]?.[col('seen_s')]).toBe(1.9)
    expect(csv[1]?.[col('face_time_s')]).toBe(2.9)
    expect(csv[2]?.[col('face_time_s')]).toBe(csv[2]?.[col('seen_s')])
  })
})
