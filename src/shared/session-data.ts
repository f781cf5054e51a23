/**
 * What the session library hands the renderer about logged sessions: a list entry per CSV in the
 * user-data folder and, for an opened session, its summary and each face's timeline at a resolution
 * a chart can show (never every row: an hour of a full gallery is 324,000 rows). Main keeps them in
 * an index beside each CSV and the renderer draws them; both use these shapes.
 */
import type { Emotion } from './emotions'


/** One logged session as the library lists it. */
export interface SessionEntry {
  id: string
  /** ISO time the session started. */
  startedAt: string
  /** What was analysed ("webcam: HD Camera", "video: call.mp4"); "unknown" for logs older than this field. */
  source: string
  /** Time between the first and the last logged row, in ms (video time for a video). */
  durationMs: number
  /** Distinct faces after hand merges. */
  faces: number
  rows: number
  /** True while this run of the app is still writing it. */
  running: boolean
  /** True when the file ends in a partial row (the app stopped mid-write); that row is ignored. */
  truncated: boolean
  /** Why the file could not be read as a session log (empty, another header); it can still be deleted. */
  problem?: string
}

/** One logged row, reduced to what the summary needs (summarise() takes rows held in memory). */
export interface SessionSample {
  /** ms since the session started (the video's own time for a video). */
  t: number
  /** Face id with hand merges applied. */
  faceId: number
  /** Model's top label of this row. */
  label: string
  /** Top label of the smoothed probabilities at this row. */
  smoothedLabel: string
  /** Raw probabilities in EMOTIONS order. */
  probabilities: number[]
}

/** Names and merges the user gave a session's faces; kept in a JSON file beside its CSV. */
export interface SessionFaces {
  /** Face id → name. */
  names: Record<string, string>
  /** Merged face id → the id it was merged into. */
  merges: Record<string, number>
}

/** An opened session: its entry, summary and timelines (hand merges applied), and the faces' names. */
export interface SessionRecord extends SessionFaces {
  entry: SessionEntry
  summary: SessionSummaryReport
  /** Each face's smoothed timeline, at most TIMELINE_POINTS points a face, ordered by face and time. */
  timeline: TimelinePoint[]
}

/** A chart the renderer drew, to be written beside the CSVs of an export. */
export interface ChartFile {
  /** File name without extension: letters, digits, dashes and underscores. */
  name: string
  svg: string
  png: Uint8Array
}

/** What a folder export wrote. */
export interface FolderExportResult {
  saved: boolean
  /** The folder written to, absent when the user cancelled. */
  folder?: string
  /** Names of the files written there. */
  files?: string[]
  rows?: number
}

/** Limits main enforces on library calls. */
export const SESSION_LIBRARY_LIMITS = {
  maxFaceNameLength: 64,
  maxCharts: 64,
  maxChartNameLength: 64,
  maxSvgLength: 8_000_000,
  maxPngBytes: 16_000_000,
  /** A video's timestamps: up to 100 hours, in ms. */
  maxMediaTimeMs: 360_000_000
} as const

/** Share of seen time per emotion, 0..1, summing to 1 when anything was seen. */
export type EmotionShares = Record<Emotion, number>

/** One face's summary. */
export interface FaceSummary {
  faceId: number
  rows: number
  /**
   * ms the face was in view: each row stands for the time to the face's next row, gaps excluded;
   * never more than its own first..last span plus one typical interval, nor than the call's duration.
   */
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
  /** The call's duration: from the first to the last row of any face. */
  durationMs: number
  /** Face-time: the faces' seen times added up (two faces for a minute make two minutes), not a duration. */
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
  /** The typical interval between a face's rows (ms); absent in indexes written before it was kept. */
  typicalMs?: number
}

/** One point of a face's timeline: its smoothed probabilities averaged over the rows from t to tEnd. */
export interface TimelinePoint {
  t: number
  /** Time of the last row the point averages (t for a single row). */
  tEnd: number
  faceId: number
  probabilities: number[]
}
