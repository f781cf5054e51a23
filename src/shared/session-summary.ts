/**
 * The session summary: per face and for the whole call, how long it was seen, the share of that
 * time in each (smoothed) emotion, the dominant emotion and how often the emotion changed. Pure
 * maths over logged samples, so main (summary.csv) and the renderer (the summary table) agree.
 */
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from './emotion-smoother'
import { EMOTIONS, type Emotion } from './emotions'
import type { SessionSample } from './session-data'

/** Share of seen time per emotion, 0..1, summing to 1 when anything was seen. */
export type EmotionShares = Record<Emotion, number>

/** One face's summary. */
export interface FaceSummary {
  faceId: number
  rows: number
  /** ms the face was in view: each row stands for the time to the face's next row, gaps excluded. */
  seenMs: number
  firstMs: number
  lastMs: number
  shares: EmotionShares
  /** The emotion with the largest share (null when nothing was seen). */
  dominant: Emotion | null
  /** How often the smoothed emotion differed from the face's previous row. */
  changes: number
  /** How often the face came back after being out of view. */
  returns: number
}

/** The whole call's summary: every face's time pooled. */
export interface CallSummary {
  /** From the first to the last row of any face. */
  durationMs: number
  /** Seen time of all faces added up (two faces for a minute make two minutes). */
  seenMs: number
  faces: number
  rows: number
  shares: EmotionShares
  dominant: Emotion | null
  changes: number
}

/** A session's summary. */
export interface SessionSummaryReport {
  faces: FaceSummary[]
  call: CallSummary
  /** A face unseen for longer than this (ms) was out of view; that gap does not count as seen. */
  gapMs: number
}

/** Tuning of the summary. */
export interface SummaryOptions {
  /** The shortest gap that counts as out of view; the gap is also at least 3 typical frame intervals. */
  minGapMs: number
}

/** Defaults: a second without a row means the face was away, unless frames are slower than that. */
export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { minGapMs: 1000 }

const zeroShares = (): EmotionShares => Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as EmotionShares

function median(values: number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Samples grouped by face, each face's in time order. */
export function byFace(samples: readonly SessionSample[]): Map<number, SessionSample[]> {
  const faces = new Map<number, SessionSample[]>()
  for (const s of samples) {
    const list = faces.get(s.faceId) ?? []
    list.push(s)
    faces.set(s.faceId, list)
  }
  for (const list of faces.values()) list.sort((a, b) => a.t - b.t)
  return faces
}

function dominantOf(shares: EmotionShares, seen: number): Emotion | null {
  if (!(seen > 0)) return null
  let best: Emotion = EMOTIONS[0]
  for (const e of EMOTIONS) if (shares[e] > shares[best]) best = e
  return best
}

/**
 * Summarises the samples. Each row stands for the time until the same face's next row; a longer
 * pause than the gap threshold means the face was out of view, and its last row before the pause
 * (like the face's very last row) stands for one typical frame interval instead.
 */
export function summarise(samples: readonly SessionSample[], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SessionSummaryReport {
  const faces = byFace(samples)
  const intervals: number[] = []
  for (const list of faces.values()) for (let i = 1; i < list.length; i++) intervals.push((list[i] as SessionSample).t - (list[i - 1] as SessionSample).t)
  const typical = median(intervals.filter((d) => d > 0))
  const gapMs = Math.max(options.minGapMs, 3 * typical)

  const summaries: FaceSummary[] = []
  const callTime = zeroShares()
  for (const [faceId, list] of faces) {
    const time = zeroShares()
    let seen = 0
    let changes = 0
    let returns = 0
    list.forEach((s, i) => {
      const next = list[i + 1]
      const step = next ? next.t - s.t : Infinity
      if (next && step > gapMs) returns++
      const stands = step <= gapMs ? step : typical
      const emotion = (EMOTIONS as readonly string[]).includes(s.smoothedLabel) ? (s.smoothedLabel as Emotion) : null
      if (emotion) {
        time[emotion] += stands
        seen += stands
      }
      const prev = list[i - 1]
      if (prev && prev.smoothedLabel !== s.smoothedLabel) changes++
    })
    const shares = zeroShares()
    for (const e of EMOTIONS) {
      shares[e] = seen > 0 ? time[e] / seen : 0
      callTime[e] += time[e]
    }
    summaries.push({
      faceId,
      rows: list.length,
      seenMs: seen,
      firstMs: (list[0] as SessionSample).t,
      lastMs: (list[list.length - 1] as SessionSample).t,
      shares,
      dominant: dominantOf(shares, seen),
      changes,
      returns
    })
  }
  summaries.sort((a, b) => a.faceId - b.faceId)

  const seenMs = summaries.reduce((sum, f) => sum + f.seenMs, 0)
  const shares = zeroShares()
  for (const e of EMOTIONS) shares[e] = seenMs > 0 ? callTime[e] / seenMs : 0
  const times = samples.map((s) => s.t)
  return {
    faces: summaries,
    call: {
      durationMs: times.length > 0 ? Math.max(...times) - Math.min(...times) : 0,
      seenMs,
      faces: summaries.length,
      rows: samples.length,
      shares,
      dominant: dominantOf(shares, seenMs),
      changes: summaries.reduce((sum, f) => sum + f.changes, 0)
    },
    gapMs
  }
}

/** summary.csv's columns: one row for the whole call (scope "call"), then one per face. */
export const SUMMARY_COLUMNS = [
  'scope',
  'face_id',
  'face_name',
  'seen_s',
  'first_s',
  'last_s',
  'rows',
  'dominant',
  'changes',
  'returns',
  ...EMOTIONS.map((e) => `share_${e}`)
] as const

const seconds = (ms: number): number => Math.round(ms) / 1000
const share = (v: number): number => Math.round(v * 10_000) / 10_000

/** The summary as CSV records (header first), names applied. */
export function summaryCsvRows(summary: SessionSummaryReport, names: Readonly<Record<string, string>>): (string | number)[][] {
  const { call } = summary
  const first = Math.min(...summary.faces.map((f) => f.firstMs))
  const last = Math.max(...summary.faces.map((f) => f.lastMs))
  const rows: (string | number)[][] = [[...SUMMARY_COLUMNS]]
  rows.push([
    'call',
    '',
    '',
    seconds(call.seenMs),
    Number.isFinite(first) ? seconds(first) : '',
    Number.isFinite(last) ? seconds(last) : '',
    call.rows,
    call.dominant ?? '',
    call.changes,
    summary.faces.reduce((sum, f) => sum + f.returns, 0),
    ...EMOTIONS.map((e) => share(call.shares[e]))
  ])
  for (const f of summary.faces) {
    rows.push([
      'face',
      f.faceId,
      names[String(f.faceId)] ?? '',
      seconds(f.seenMs),
      seconds(f.firstMs),
      seconds(f.lastMs),
      f.rows,
      f.dominant ?? '',
      f.changes,
      f.returns,
      ...EMOTIONS.map((e) => share(f.shares[e]))
    ])
  }
  return rows
}

/** One point of a face's timeline: its smoothed probabilities at a row's time. */
export interface TimelinePoint {
  t: number
  faceId: number
  probabilities: number[]
}

/**
 * Each face's smoothed probabilities over time, with the smoothing the live view uses. A face out
 * of view longer than `gapMs` starts afresh when it returns, so its line does not drag across the gap.
 */
export function smoothedTimeline(samples: readonly SessionSample[], gapMs = DEFAULT_SUMMARY_OPTIONS.minGapMs, tauMs = DEFAULT_SMOOTHING_MS): TimelinePoint[] {
  const points: TimelinePoint[] = []
  for (const [faceId, list] of byFace(samples)) {
    const smoother = new EmotionSmoother(tauMs)
    let last = -Infinity
    for (const s of list) {
      if (s.t - last > gapMs) smoother.reset(faceId)
      last = s.t
      points.push({ t: s.t, faceId, probabilities: smoother.update(faceId, s.probabilities, s.t).probabilities })
    }
  }
  return points
}
