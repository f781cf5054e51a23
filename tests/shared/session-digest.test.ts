import { describe, expect, it } from 'vitest'
import { EMOTIONS, type Emotion } from '../../src/shared/emotions'
import { mergeSummary, SessionDigest, TIMELINE_POINTS } from '../../src/shared/session-digest'
import { summarise } from '../../src/shared/session-summary'
import type { SessionSample } from '../../src/shared/session-data'

const onehot = (e: Emotion): number[] => EMOTIONS.map((x) => (x === e ? 1 : 0))
const sample = (faceId: number, t: number, e: Emotion): SessionSample => ({ t, faceId, label: e, smoothedLabel: e, probabilities: onehot(e) })

describe('SessionDigest', () => {
  it('keeps each face to TIMELINE_POINTS points over an hour, averaging the smoothed probabilities', () => {
    const digest = new SessionDigest()
    // An hour of one face at 10 rows a second: happy for the first half, sad for the second.
    for (let t = 0; t < 3_600_000; t += 100) digest.add(sample(1, t, t < 1_800_000 ? 'happy' : 'sad'))
    const points = digest.timeline()
    expect(points.length).toBeLessThanOrEqual(TIMELINE_POINTS)
    expect(points.length).toBeGreaterThan(TIMELINE_POINTS / 4)
    expect(points[0]?.t).toBe(0)
    expect(points.at(-1)?.tEnd).toBe(3_599_900)
    // Points cover the hour in order without overlap.
    for (let i = 1; i < points.length; i++) expect(points[i]!.t).toBeGreaterThan(points[i - 1]!.tEnd)
    const happy = EMOTIONS.indexOf('happy')
    expect(points[0]?.probabilities[happy]).toBeCloseTo(1, 6)
    expect(points.at(-1)?.probabilities[happy]).toBeCloseTo(0, 6)
    // Its last row's interval would end after the call's last row: seen time is held to the call's duration.
    expect(digest.summary().faces[0]).toMatchObject({ rows: 36_000, seenMs: 3_599_900, changes: 1 })
  })

  it('keeps a long absence visible in the timeline after halving', () => {
    const digest = new SessionDigest({ timelinePoints: 50 })
    for (let t = 0; t < 60_000; t += 100) digest.add(sample(1, t, 'happy'))
    for (let t = 120_000; t < 180_000; t += 100) digest.add(sample(1, t, 'happy'))
    const points = digest.timeline()
    expect(points.length).toBeLessThanOrEqual(50)
    expect(points.some((p, i) => i > 0 && p.t - points[i - 1]!.tEnd >= 60_000)).toBe(true)
  })

  it('applies hand merges when read: the merged face pools rows, time and changes, and its timeline holds both', () => {
    const rows = [...[0, 100, 200].map((t) => sample(1, t, 'happy')), ...[5000, 5100, 5200].map((t) => sample(2, t, 'sad'))]
    const digest = new SessionDigest()
    rows.forEach((r) => digest.add(r))
    const merged = digest.summary({ '2': 1 })
    expect(merged.faces).toHaveLength(1)
    expect(merged.faces[0]).toMatchObject({ faceId: 1, rows: 6, seenMs: 600, firstMs: 0, lastMs: 5200 })
    expect(merged.faces[0]?.shares.happy).toBeCloseTo(0.5, 10)
    expect(merged.call).toMatchObject({ faces: 1, rows: 6, durationMs: 5200 })
    expect(new Set(digest.timeline({ '2': 1 }).map((p) => p.faceId))).toEqual(new Set([1]))
    // The same merge applied to the stored, unmerged summary gives the same faces.
    expect(mergeSummary(digest.summary(), { '2': 1 }).faces).toEqual(merged.faces)
    expect(digest.faceCount({ '2': 1 })).toBe(1)
  })

  it('holds two overlapping tracks merged into one face to the merged span plus one interval, read live or from an index', () => {
    // One person split into two ids over the same 10 s, merged by hand; a third face was there all along.
    const digest = new SessionDigest()
    for (let t = 0; t <= 10_000; t += 100) {
      digest.add(sample(1, t, 'happy'))
      if (t <= 5000) digest.add(sample(2, t, 'neutral'))
      digest.add(sample(3, t, 'sad'))
    }
    const live = digest.summary({ '2': 1 })
    const stored = mergeSummary(digest.summary(), { '2': 1 })
    for (const report of [live, stored]) {
      expect(report.call.durationMs).toBe(10_000)
      expect(report.faces.map((f) => f.seenMs)).toEqual([10_000, 10_000])
      // Face-time is what the faces' rows add up to, whatever was merged.
      expect(report.call.seenMs).toBe(20_000)
      expect(report.faces[0]?.shares.happy).toBeCloseTo(10_000 / 15_100, 6)
    }
    expect(stored.faces).toEqual(live.faces)
  })

  it('merges a summary from an older index (no typical interval) without going past the call or under a part', () => {
    const digest = new SessionDigest()
    for (let t = 0; t <= 2000; t += 100) digest.add(sample(1, t, 'happy'))
    for (let t = 0; t <= 2000; t += 100) digest.add(sample(2, t, 'sad'))
    const { typicalMs, ...old } = digest.summary()
    expect(typicalMs).toBe(100)
    const merged = mergeSummary(old, { '2': 1 })
    expect(merged.faces[0]?.seenMs).toBe(2000)
  })

  it('gives summarise() and a row-by-row digest the same report', () => {
    const rows = [sample(1, 0, 'happy'), sample(2, 0, 'sad'), sample(1, 150, 'happy'), sample(2, 200, 'fear'), sample(1, 4000, 'angry')]
    const digest = new SessionDigest()
    rows.forEach((r) => digest.add(r))
    expect(digest.summary()).toEqual(summarise(rows))
  })

  it('does not count rows whose time or probabilities are not numbers', () => {
    const digest = new SessionDigest()
    expect(digest.add({ t: Number.NaN, faceId: 1, smoothedLabel: 'happy', probabilities: onehot('happy') })).toBe(false)
    expect(digest.add({ t: 0, faceId: 1, smoothedLabel: 'happy', probabilities: [Number.NaN] })).toBe(false)
    expect(digest.rows).toBe(0)
  })

  it('smooths the timeline with the live time constant and starts afresh after a gap', () => {
    const digest = new SessionDigest()
    ;[sample(1, 0, 'happy'), sample(1, 300, 'sad'), sample(1, 5000, 'angry')].forEach((r) => digest.add(r))
    const points = digest.timeline()
    expect(points[0]?.probabilities).toEqual(onehot('happy'))
    // One time constant later the average has moved 1 - 1/e of the way.
    expect(points[1]?.probabilities[EMOTIONS.indexOf('sad')]).toBeCloseTo(1 - Math.exp(-1), 10)
    expect(points[2]?.probabilities).toEqual(onehot('angry'))
  })
})
