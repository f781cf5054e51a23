/**
 * The session summary: per face and for the whole call, how long it was seen, the share of that
 * time in each (smoothed) emotion, the dominant emotion and how often the emotion changed. The
 * maths lives in session-digest.ts, which main feeds row by row; this module applies it to rows in
 * memory and writes summary.csv, so main and the renderer agree.
 */
import { EMOTIONS } from './emotions'
import type { SessionSample } from './session-data'
import { DEFAULT_SUMMARY_OPTIONS, SessionDigest, type SessionSummaryReport, type SummaryOptions } from './session-digest'

export { DEFAULT_SUMMARY_OPTIONS, type CallSummary, type EmotionShares, type FaceSummary, type SessionSummaryReport, type SummaryOptions, type TimelinePoint } from './session-digest'

/** Summarises samples held in memory (each face's rows in time order, as in a log). */
export function summarise(samples: readonly SessionSample[], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS): SessionSummaryReport {
  const digest = new SessionDigest(options)
  // Stable: rows of one time keep their file order.
  for (const s of [...samples].sort((a, b) => a.t - b.t)) digest.add(s)
  return digest.summary()
}

/**
 * summary.csv's columns: one row for the whole call (scope "call"), then one per face. The call's
 * `seen_s` is its duration; `face_time_s` is the faces' seen times added up (a face's own for a face).
 */
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
  ...EMOTIONS.map((e) => `share_${e}`),
  'face_time_s'
] as const

const seconds = (ms: number): number => Math.round(ms) / 1000
const share = (v: number): number => Math.round(v * 10_000) / 10_000

/** The summary as CSV records (header first), names applied. */
export function summaryCsvRows(summary: SessionSummaryReport, names: Readonly<Record<string, string>>): (string | number)[][] {
  const { call } = summary
  const first = summary.faces.reduce((m, f) => Math.min(m, f.firstMs), Infinity)
  const last = summary.faces.reduce((m, f) => Math.max(m, f.lastMs), -Infinity)
  const rows: (string | number)[][] = [[...SUMMARY_COLUMNS]]
  rows.push([
    'call',
    '',
    '',
    seconds(call.durationMs),
    Number.isFinite(first) ? seconds(first) : '',
    Number.isFinite(last) ? seconds(last) : '',
    call.rows,
    call.dominant ?? '',
    call.changes,
    summary.faces.reduce((sum, f) => sum + f.returns, 0),
    ...EMOTIONS.map((e) => share(call.shares[e])),
    seconds(call.seenMs)
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
      ...EMOTIONS.map((e) => share(f.shares[e])),
      seconds(f.seenMs)
    ])
  }
  return rows
}
