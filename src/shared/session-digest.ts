/**
 * A session's summary and timeline built one row at a time: main keeps one per live session as rows
 * are logged, and indexes an hour-long CSV by streaming its rows through one, so no caller ever holds
 * the rows. Each face keeps the time to its next row (4 bytes) and that row's emotion (1 byte), so
 * the summary's gap and typical interval can be chosen at the end exactly as over all rows, and at
 * most TIMELINE_POINTS averaged points of its smoothed timeline.
 */
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from './emotion-smoother'
import { EMOTIONS, type Emotion } from './emotions'
import type { EmotionShares, FaceSummary, SessionSummaryReport, TimelinePoint } from './session-data'

export type { CallSummary, EmotionShares, FaceSummary, SessionSummaryReport, TimelinePoint } from './session-data'

/** One logged row, reduced to what the summary and the timeline need. */
export interface DigestRow {
  /** ms since the session started (the video's own time for a video). */
  t: number
  /** The face id as logged (before hand merges). */
  faceId: number
  /** Top label of the smoothed probabilities at this row (anything else counts as not seen). */
  smoothedLabel: string
  /** Raw probabilities in EMOTIONS order. */
  probabilities: readonly number[]
}

/** Tuning of the summary. */
export interface SummaryOptions {
  /** The shortest gap that counts as out of view; the gap is also at least 3 typical frame intervals. */
  minGapMs: number
}

/** Defaults: a second without a row means the face was away, unless frames are slower than that. */
export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { minGapMs: 1000 }

/** Most points one face's timeline keeps; a chart 600 px wide shows no more. */
export const TIMELINE_POINTS = 600

/** A timeline point's first width; it doubles whenever a face has more points than TIMELINE_POINTS. */
const FIRST_BUCKET_MS = 100

const NOT_SEEN = 255

const zeroShares = (): EmotionShares => Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as EmotionShares

const emotionIndex = (label: string): number => {
  const i = (EMOTIONS as readonly string[]).indexOf(label)
  return i >= 0 ? i : NOT_SEEN
}

/** A growable typed array: 4 or 1 bytes a row instead of an object a row. */
class Column<T extends Float32Array | Uint8Array> {
  length = 0
  constructor(
    public data: T,
    private readonly make: (size: number) => T
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length * 2))
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
}

interface Bucket {
  t: number
  tEnd: number
  n: number
  sums: number[]
}

/** One face's smoothed timeline, averaged into buckets that double in width to stay under `maxPoints`. */
class TimelineBuilder {
  private readonly smoother: EmotionSmoother
  private buckets: Bucket[] = []
  private widthMs = FIRST_BUCKET_MS
  private lastT = -Infinity

  constructor(
    private readonly maxPoints: number,
    tauMs: number,
    private readonly resetGapMs: number
  ) {
    this.smoother = new EmotionSmoother(tauMs)
  }

  add(t: number, probabilities: readonly number[]): void {
    // A face back from out of view starts afresh, so its line does not drag across the gap.
    if (t - this.lastT > this.resetGapMs) this.smoother.reset(0)
    this.lastT = Math.max(this.lastT, t)
    const smoothed = this.smoother.update(0, probabilities, t).probabilities
    const last = this.buckets[this.buckets.length - 1]
    if (last && t < last.t + this.widthMs && t - last.tEnd <= this.resetGapMs) {
      last.tEnd = Math.max(last.tEnd, t)
      last.n++
      for (let i = 0; i < smoothed.length; i++) last.sums[i] = (last.sums[i] ?? 0) + (smoothed[i] as number)
    } else {
      this.buckets.push({ t, tEnd: t, n: 1, sums: [...smoothed] })
      if (this.buckets.length > this.maxPoints) this.halve()
    }
  }

  /** Doubles the width: neighbours merge unless the face was away between them (while that still halves enough). */
  private halve(): void {
    this.widthMs *= 2
    const merge = (keepGaps: boolean): Bucket[] => {
      const out: Bucket[] = []
      for (let i = 0; i < this.buckets.length; i++) {
        const a = this.buckets[i] as Bucket
        const b = this.buckets[i + 1]
        if (b && (!keepGaps || b.t - a.tEnd <= this.resetGapMs)) {
          out.push({ t: a.t, tEnd: b.tEnd, n: a.n + b.n, sums: a.sums.map((s, k) => s + (b.sums[k] ?? 0)) })
          i++
        } else out.push(a)
      }
      return out
    }
    const kept = merge(true)
    this.buckets = kept.length <= (this.maxPoints * 3) / 4 ? kept : merge(false)
  }

  points(faceId: number): TimelinePoint[] {
    return this.buckets.map((b) => ({ t: b.t, tEnd: b.tEnd, faceId, probabilities: b.sums.map((s) => s / b.n) }))
  }
}

class FaceDigest {
  rows = 0
  firstMs = Infinity
  lastMs = -Infinity
  /** Time of the face's previous row and its emotion, still waiting for the step to this face's next row. */
  private prevT = Number.NaN
  private prevEmotion = NOT_SEEN
  private prevLabel: string | null = null
  changes = 0
  readonly steps = new Column(new Float32Array(64), (n) => new Float32Array(n))
  readonly stepEmotions = new Column(new Uint8Array(64), (n) => new Uint8Array(n))
  readonly timeline: TimelineBuilder

  constructor(timelinePoints: number, tauMs: number, resetGapMs: number) {
    this.timeline = new TimelineBuilder(timelinePoints, tauMs, resetGapMs)
  }

  add(row: DigestRow): void {
    if (this.rows > 0) {
      // Rows come in time order; a row logged out of order stands for no time.
      this.steps.push(Math.max(0, row.t - this.prevT))
      this.stepEmotions.push(this.prevEmotion)
      if (row.smoothedLabel !== this.prevLabel) this.changes++
    }
    this.rows++
    this.firstMs = Math.min(this.firstMs, row.t)
    this.lastMs = Math.max(this.lastMs, row.t)
    this.prevT = row.t
    this.prevEmotion = emotionIndex(row.smoothedLabel)
    this.prevLabel = row.smoothedLabel
    this.timeline.add(row.t, row.probabilities)
  }

  /** Time per emotion, seen time and returns for a gap and a typical interval (the last row stands for one interval). */
  times(gapMs: number, typical: number): { time: number[]; seen: number; returns: number } {
    const time = EMOTIONS.map(() => 0)
    let seen = 0
    let returns = 0
    const count = (emotion: number, stands: number): void => {
      if (emotion === NOT_SEEN) return
      time[emotion] = (time[emotion] as number) + stands
      seen += stands
    }
    const steps = this.steps.data
    const emotions = this.stepEmotions.data
    for (let i = 0; i < this.steps.length; i++) {
      const step = steps[i] as number
      if (step > gapMs) returns++
      count(emotions[i] as number, step <= gapMs ? step : typical)
    }
    if (this.rows > 0) count(this.prevEmotion, typical)
    return { time, seen, returns }
  }
}

/** Follows merges to the face an id now belongs to (merges always point at a root, so no cycles). */
export function resolveMerge(merges: Readonly<Record<string, number>>, faceId: number): number {
  let id = faceId
  for (let hops = 0; hops < 1000 && merges[String(id)] !== undefined; hops++) id = merges[String(id)] as number
  return id
}

function dominantOf(shares: EmotionShares, seen: number): Emotion | null {
  if (!(seen > 0)) return null
  let best: Emotion = EMOTIONS[0]
  for (const e of EMOTIONS) if (shares[e] > shares[best]) best = e
  return best
}

function sharesOf(time: readonly number[], seen: number): EmotionShares {
  const shares = zeroShares()
  EMOTIONS.forEach((e, i) => (shares[e] = seen > 0 ? (time[i] as number) / seen : 0))
  return shares
}

/**
 * The most time a face can honestly have been seen: its own span from first to last row plus the
 * one typical interval its last row stands for, and never more than the call lasted.
 */
export function seenLimit(firstMs: number, lastMs: number, typicalMs: number, callDurationMs: number): number {
  return Math.max(0, Math.min(lastMs - firstMs + typicalMs, callDurationMs))
}

/** Scales per-emotion times down so they add up to at most `limit` (the shares stay as they were). */
function clampTimes(time: number[], seen: number, limit: number): { time: number[]; seen: number } {
  if (!(seen > limit)) return { time, seen }
  const k = seen > 0 ? limit / seen : 0
  return { time: time.map((v) => v * k), seen: limit }
}

/** The call's figures from its faces: face-time, and the shares of the pooled time. */
function callOf(faces: readonly { time: number[]; seen: number }[]): { seenMs: number; shares: EmotionShares; dominant: Emotion | null } {
  const callTime = EMOTIONS.map(() => 0)
  let seenMs = 0
  for (const f of faces) {
    f.time.forEach((v, i) => (callTime[i] = (callTime[i] as number) + v))
    seenMs += f.seen
  }
  const shares = sharesOf(callTime, seenMs)
  return { seenMs, shares, dominant: dominantOf(shares, seenMs) }
}

/** The median of the positive values, without sorting more than those. */
function positiveMedian(columns: readonly Column<Float32Array>[]): number {
  let n = 0
  for (const c of columns) for (let i = 0; i < c.length; i++) if ((c.data[i] as number) > 0) n++
  if (n === 0) return 0
  const all = new Float32Array(n)
  let k = 0
  for (const c of columns) for (let i = 0; i < c.length; i++) if ((c.data[i] as number) > 0) all[k++] = c.data[i] as number
  all.sort()
  const mid = n >> 1
  return n % 2 ? (all[mid] as number) : ((all[mid - 1] as number) + (all[mid] as number)) / 2
}

/** Tuning of a digest. */
export interface DigestOptions extends SummaryOptions {
  /** Most points per face's timeline. */
  timelinePoints: number
  /** The timeline's smoothing time constant. */
  smoothingMs: number
}

const DEFAULT_DIGEST_OPTIONS: DigestOptions = { ...DEFAULT_SUMMARY_OPTIONS, timelinePoints: TIMELINE_POINTS, smoothingMs: DEFAULT_SMOOTHING_MS }

/**
 * A session's summary and timeline, fed one row at a time in file order. Faces are kept as logged;
 * hand merges are applied when the summary is read, so a merge made after the call needs no re-read.
 */
export class SessionDigest {
  private readonly faces = new Map<number, FaceDigest>()
  private readonly options: DigestOptions
  rows = 0
  firstMs = Infinity
  lastMs = -Infinity

  constructor(options: Partial<DigestOptions> = {}) {
    this.options = { ...DEFAULT_DIGEST_OPTIONS, ...options }
  }

  /** Adds one row; rows with a non-finite time or probability are not rows of the summary. */
  add(row: DigestRow): boolean {
    if (!Number.isSafeInteger(row.faceId) || !Number.isFinite(row.t) || !row.probabilities.every(Number.isFinite)) return false
    let face = this.faces.get(row.faceId)
    if (!face) {
      face = new FaceDigest(this.options.timelinePoints, this.options.smoothingMs, this.options.minGapMs)
      this.faces.set(row.faceId, face)
    }
    face.add(row)
    this.rows++
    this.firstMs = Math.min(this.firstMs, row.t)
    this.lastMs = Math.max(this.lastMs, row.t)
    return true
  }

  /** From the first to the last row. */
  get durationMs(): number {
    return this.rows > 0 ? this.lastMs - this.firstMs : 0
  }

  /** Distinct faces once `merges` are applied. */
  faceCount(merges: Readonly<Record<string, number>> = {}): number {
    return new Set([...this.faces.keys()].map((id) => resolveMerge(merges, id))).size
  }

  /**
   * The summary: each row stands for the time until the same face's next row; a longer pause than
   * the gap means the face was out of view, and its last row before the pause (like the face's very
   * last row) stands for one typical interval instead. Faces merged by hand pool their times.
   */
  summary(merges: Readonly<Record<string, number>> = {}): SessionSummaryReport {
    const typical = positiveMedian([...this.faces.values()].map((f) => f.steps))
    const gapMs = Math.max(this.options.minGapMs, 3 * typical)
    const callDuration = this.durationMs
    // Each face as logged, held to its own span: the summary an index stores, merges applied when read.
    const clamped = [...this.faces].map(([faceId, face]) => {
      const { returns, ...raw } = face.times(gapMs, typical)
      const { time, seen } = clampTimes(raw.time, raw.seen, seenLimit(face.firstMs, face.lastMs, typical, callDuration))
      return { faceId, rows: face.rows, first: face.firstMs, last: face.lastMs, time, seen, changes: face.changes, returns }
    })
    const faces: FaceSummary[] = clamped
      .map((f) => {
        const shares = sharesOf(f.time, f.seen)
        return { faceId: f.faceId, rows: f.rows, seenMs: f.seen, firstMs: f.first, lastMs: f.last, shares, dominant: dominantOf(shares, f.seen), changes: f.changes, returns: f.returns }
      })
      .sort((a, b) => a.faceId - b.faceId)
    const report: SessionSummaryReport = {
      faces,
      call: { durationMs: callDuration, ...callOf(clamped), faces: faces.length, rows: this.rows, changes: faces.reduce((sum, f) => sum + f.changes, 0) },
      gapMs,
      typicalMs: typical
    }
    return Object.keys(merges).length > 0 ? mergeSummary(report, merges) : report
  }


  /** Every face's smoothed timeline (at most `timelinePoints` points each as logged), merged faces under their root id. */
  timeline(merges: Readonly<Record<string, number>> = {}): TimelinePoint[] {
    const points: TimelinePoint[] = []
    for (const [id, face] of this.faces) for (const p of face.timeline.points(resolveMerge(merges, id))) points.push(p)
    return points.sort((a, b) => a.faceId - b.faceId || a.t - b.t)
  }
}

/**
 * A summary read back from an index applied to merges made since: faces merged into one pool their
 * rows, times, changes and returns (their seen time held to the merged span plus a typical interval
 * and to the call's duration, as a digest does); the call's face-time and shares follow the faces.
 */
export function mergeSummary(report: SessionSummaryReport, merges: Readonly<Record<string, number>>): SessionSummaryReport {
  const merged = new Map<number, FaceSummary & { time: number[]; most: number }>()
  for (const face of report.faces) {
    const root = resolveMerge(merges, face.faceId)
    const time = EMOTIONS.map((e) => face.shares[e] * face.seenMs)
    const into = merged.get(root)
    if (!into) {
      merged.set(root, { ...face, faceId: root, time, most: face.seenMs })
      continue
    }
    into.rows += face.rows
    into.firstMs = Math.min(into.firstMs, face.firstMs)
    into.lastMs = Math.max(into.lastMs, face.lastMs)
    time.forEach((v, i) => (into.time[i] = (into.time[i] as number) + v))
    into.seenMs += face.seenMs
    into.changes += face.changes
    into.returns += face.returns
    into.most = Math.max(into.most, face.seenMs)
  }
  const typical = report.typicalMs ?? 0
  const pooled = [...merged.values()].map(({ most, ...f }) => {
    // An index without typicalMs cannot say the interval: never hold a face below what one of its parts was seen.
    const limit = Math.max(most, seenLimit(f.firstMs, f.lastMs, typical, report.call.durationMs))
    const { time, seen } = clampTimes(f.time, f.seenMs, limit)
    return { ...f, time, seen }
  })
  const faces = pooled
    .map(({ time, seen, ...f }) => {
      const shares = sharesOf(time, seen)
      return { ...f, seenMs: seen, shares, dominant: dominantOf(shares, seen) }
    })
    .sort((a, b) => a.faceId - b.faceId)
  return { ...report, faces, call: { ...report.call, ...callOf(pooled), faces: faces.length } }
}
