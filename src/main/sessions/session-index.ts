import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from '../../shared/emotion-smoother'
import { EMOTIONS } from '../../shared/emotions'
import type { SessionFaces } from '../../shared/session-data'
import { SessionDigest, type SessionSummaryReport, type TimelinePoint } from '../../shared/session-digest'
import { writeFileAtomic } from '../app/atomic-write'
import { parseCsvRecord, readCsv } from './csv-reader'
import { SESSION_COLUMNS } from './session-rows'

/** The index format; version 1 files held only the names, merges and where the session came from. */
export const INDEX_VERSION = 2

/** Where a session came from and what the user called its faces. */
export interface SessionMeta extends SessionFaces {
  id: string
  startedAt: string
  source: string
  modelId: string
}

/**
 * What list, open, name and delete read instead of the CSV, kept in <id>.json beside it: the
 * meta, the counts and the summary over the faces as logged (merges are applied when read). The
 * timeline lives in <id>.timeline.json, so a list of a thousand sessions reads only small files.
 */
export interface SessionIndex extends SessionMeta {
  version: typeof INDEX_VERSION
  /** Written when the session stopped (or by indexing its CSV); an index a crash left behind is not final and is rebuilt. */
  final: boolean
  /** Size of the CSV this index describes; a CSV of another size (rows written after a crash) is indexed again. */
  fileBytes: number
  rows: number
  /** The CSV ends in a partial row (the app stopped mid-write); that row is ignored. */
  truncated: boolean
  /** Why the CSV could not be read as a session log (empty, another header), when it could not. */
  problem?: string
  /** Lines skipped as unreadable (an unbalanced quote). */
  malformed: number
  summary: SessionSummaryReport
}

/** The timeline file: each face's smoothed timeline as logged, at most TIMELINE_POINTS points a face. */
export interface TimelineFile {
  version: typeof INDEX_VERSION
  fileBytes: number
  points: TimelinePoint[]
}

export const csvPath = (dir: string, id: string): string => join(dir, `${id}.csv`)
export const indexPath = (dir: string, id: string): string => join(dir, `${id}.json`)
export const timelinePath = (dir: string, id: string): string => join(dir, `${id}.timeline.json`)

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback)

/** Names and merges from a file: only numeric face ids, names as strings, merges as safe integers. */
export function cleanFaces(raw: Record<string, unknown>): SessionFaces {
  const names: Record<string, string> = {}
  const merges: Record<string, number> = {}
  if (isRecord(raw.names)) for (const [k, v] of Object.entries(raw.names)) if (/^\d{1,15}$/.test(k) && typeof v === 'string') names[k] = v
  if (isRecord(raw.merges)) for (const [k, v] of Object.entries(raw.merges)) if (/^\d{1,15}$/.test(k) && Number.isSafeInteger(v)) merges[k] = v as number
  return { names, merges }
}

/** Session ids start with the UTC start time (20261127-110843-…); the fallback when nothing else tells it. */
export function startedFromId(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(id)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : ''
}

/** What <id>.json holds: a current index, or only the meta of a version 1 file (or nothing usable). */
export type StoredIndex = { index: SessionIndex; meta: SessionMeta } | { index: null; meta: SessionMeta | null }

function looksLikeSummary(v: unknown): v is SessionSummaryReport {
  return isRecord(v) && Array.isArray(v.faces) && isRecord(v.call) && typeof v.gapMs === 'number'
}

/** Reads <id>.json; a missing or unreadable file gives no meta, an older one its meta only. */
export async function readIndex(dir: string, id: string): Promise<StoredIndex> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(indexPath(dir, id), 'utf8'))
  } catch {
    return { index: null, meta: null }
  }
  if (!isRecord(raw)) return { index: null, meta: null }
  const meta: SessionMeta = {
    id,
    startedAt: text(raw.startedAt) || startedFromId(id),
    source: text(raw.source, 'unknown'),
    modelId: text(raw.modelId),
    ...cleanFaces(raw)
  }
  const counts = ['fileBytes', 'rows', 'malformed'].every((k) => Number.isSafeInteger(raw[k]) && (raw[k] as number) >= 0)
  if (raw.version !== INDEX_VERSION || !counts || typeof raw.truncated !== 'boolean' || typeof raw.final !== 'boolean' || !looksLikeSummary(raw.summary)) return { index: null, meta }
  const index: SessionIndex = {
    version: INDEX_VERSION,
    ...meta,
    final: raw.final,
    fileBytes: raw.fileBytes as number,
    rows: raw.rows as number,
    truncated: raw.truncated,
    malformed: raw.malformed as number,
    ...(typeof raw.problem === 'string' ? { problem: raw.problem } : {}),
    summary: raw.summary
  }
  return { index, meta }
}

/** Writes <id>.json atomically. */
export function writeIndex(dir: string, index: SessionIndex): Promise<void> {
  return writeFileAtomic(indexPath(dir, index.id), JSON.stringify(index) + '\n')
}

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000

/** Writes <id>.timeline.json atomically, probabilities to four places. */
export function writeTimeline(dir: string, id: string, fileBytes: number, points: readonly TimelinePoint[]): Promise<void> {
  const file: TimelineFile = { version: INDEX_VERSION, fileBytes, points: points.map((p) => ({ ...p, probabilities: p.probabilities.map(round4) })) }
  return writeFileAtomic(timelinePath(dir, id), JSON.stringify(file) + '\n')
}

/** Reads <id>.timeline.json when it describes a CSV of `fileBytes`; null otherwise. */
export async function readTimeline(dir: string, id: string, fileBytes: number): Promise<TimelinePoint[] | null> {
  try {
    const raw = JSON.parse(await readFile(timelinePath(dir, id), 'utf8')) as Partial<TimelineFile>
    return raw.version === INDEX_VERSION && raw.fileBytes === fileBytes && Array.isArray(raw.points) ? raw.points : null
  } catch {
    return null
  }
}

/** The session's CSV size, or null when it has none. */
export async function csvSize(dir: string, id: string): Promise<number | null> {
  try {
    const s = await stat(csvPath(dir, id))
    return s.isFile() ? s.size : null
  } catch {
    return null
  }
}

/** Column positions of a log's header; logs older than the newest columns lack some. */
export class RowReader {
  readonly col: (name: string) => number
  private readonly t: number
  private readonly face: number
  private readonly smoothed: number
  private readonly probs: number[]
  /** Logs written before smoothed_label existed get it computed with the smoothing main applies while logging. */
  private readonly smoother = new EmotionSmoother(DEFAULT_SMOOTHING_MS)

  constructor(readonly header: readonly string[]) {
    this.col = (name) => header.indexOf(name)
    this.t = this.col('ms_since_start')
    this.face = this.col('face_id')
    this.smoothed = this.col('smoothed_label')
    this.probs = EMOTIONS.map((e) => this.col(`p_${e}`))
  }

  /** A row long enough to be a log row (old logs may lack the last three columns). */
  isRow(cells: readonly string[]): boolean {
    return cells.length >= this.header.length - 3
  }

  /** The digest's view of a row, or null when its time, face or probabilities are not numbers. */
  digestRow(cells: readonly string[]): { t: number; faceId: number; smoothedLabel: string; probabilities: number[] } | null {
    const faceId = Number(cells[this.face])
    const t = Number(cells[this.t])
    if (!Number.isSafeInteger(faceId) || !Number.isFinite(t) || cells[this.t] === '') return null
    const probabilities = this.probs.map((c) => Number(cells[c]))
    if (!probabilities.every(Number.isFinite)) return null
    let smoothedLabel = this.smoothed >= 0 ? (cells[this.smoothed] ?? '') : ''
    const top = this.smoother.update(faceId, probabilities, t).top
    if (!(EMOTIONS as readonly string[]).includes(smoothedLabel)) smoothedLabel = EMOTIONS[top] ?? ''
    return { t, faceId, smoothedLabel, probabilities }
  }
}

/** Why a file whose first record is `first` is not a session log; undefined when it is one. */
export function headerProblem(first: readonly string[] | undefined): string | undefined {
  if (!first) return 'the file is empty'
  return first[0] === SESSION_COLUMNS[0] ? undefined : "the file does not start with the session log's header"
}

/**
 * Indexes a session's CSV by streaming it once (a chunk at a time, so main's event loop serves
 * other calls between chunks), with the meta known so far or, for logs older than the meta file,
 * the first row's time, source and model. Returns the index and the timeline, without writing them.
 */
export async function buildIndex(dir: string, id: string, known: SessionMeta | null): Promise<{ index: SessionIndex; timeline: TimelinePoint[] }> {
  const fileBytes = await csvSize(dir, id)
  if (fileBytes === null) throw new Error(`no log ${csvPath(dir, id)}`)
  const digest = new SessionDigest()
  let reader: RowReader | null = null
  let problem: string | undefined
  let firstRow: string[] | null = null
  let rows = 0
  let extraMalformed = 0
  const csv = readCsv(csvPath(dir, id))
  let next = await csv.next()
  let header = true
  while (!next.done) {
    for (const line of next.value) {
      const cells = parseCsvRecord(line)
      if (header) {
        header = false
        problem = headerProblem(cells)
        if (problem) break
        reader = new RowReader(cells)
        continue
      }
      if (!reader) break
      const row = reader.isRow(cells) ? reader.digestRow(cells) : null
      if (!row) {
        extraMalformed++
        continue
      }
      firstRow ??= cells
      digest.add(row)
      rows++
    }
    if (problem) break
    next = await csv.next()
  }
  // A file that is not a session log is not read further; its result stays unknown.
  const result = next.done ? next.value : null
  await csv.return?.(undefined as never)
  if (header && !problem) problem = headerProblem(undefined)
  const cell = (name: string): string | undefined => {
    const i = reader?.col(name) ?? -1
    return i >= 0 && firstRow ? firstRow[i] : undefined
  }
  const meta: SessionMeta = known ?? {
    id,
    startedAt: cell('iso_time') || startedFromId(id),
    source: cell('source') || 'unknown',
    modelId: cell('model_id') ?? '',
    names: {},
    merges: {}
  }
  const index: SessionIndex = {
    version: INDEX_VERSION,
    ...meta,
    id,
    final: true,
    fileBytes,
    rows,
    truncated: result?.truncated ?? false,
    malformed: (result?.malformed ?? 0) + extraMalformed,
    ...(problem ? { problem } : {}),
    summary: digest.summary()
  }
  return { index, timeline: digest.timeline() }
}
