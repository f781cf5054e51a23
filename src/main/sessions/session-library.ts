import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from '../../shared/emotion-smoother'
import { EMOTIONS } from '../../shared/emotions'
import type { SessionStartOptions } from '../../shared/ipc'
import type { ChartFile, FolderExportResult, SessionEntry, SessionFaces, SessionRecord, SessionSample } from '../../shared/session-data'
import { summaryCsvRows, summarise } from '../../shared/session-summary'
import { AppError, describeError } from '../app/app-error'
import { csvRow } from './csv'
import { SESSION_COLUMNS, type FaceRecord } from './session-rows'

/** What the library needs from the running session log. */
export interface LiveSessions {
  isRunning(sessionId: string): boolean
  /** Writes the session's buffered rows, so a read sees all of them. */
  snapshot(sessionId: string): Promise<unknown>
}

/** The JSON kept beside each session CSV: where it came from, and the names the user gave its faces. */
interface SessionMeta extends SessionFaces {
  version: 1
  id: string
  startedAt: string
  source: string
  modelId: string
}

/** A parsed session file. */
interface ParsedSession {
  header: string[]
  rows: string[][]
  truncated: boolean
}

/**
 * Past and present sessions in the user-data folder: lists them, opens one as samples for the
 * timeline and summary, re-exports, deletes, and keeps the names and merges of their faces. A
 * session the app did not stop (a crash) is read like any other: rows are flushed as they come,
 * and a partial last row is dropped.
 */
export class SessionLibrary {
  private readonly metas = new Map<string, SessionMeta>()
  private readonly smoothers = new Map<string, EmotionSmoother>()

  constructor(
    private readonly dir: string,
    private readonly live: LiveSessions
  ) {}

  private csvPath(id: string): string {
    return join(this.dir, `${id}.csv`)
  }

  private metaPath(id: string): string {
    return join(this.dir, `${id}.json`)
  }

  /** Records where a new session comes from; called right after the session log created its file. */
  async begin(info: { id: string; startedAt: string }, options: SessionStartOptions): Promise<void> {
    const meta: SessionMeta = { version: 1, id: info.id, startedAt: info.startedAt, source: options.source, modelId: options.modelId, names: {}, merges: {} }
    this.metas.set(info.id, meta)
    this.smoothers.set(info.id, new EmotionSmoother(DEFAULT_SMOOTHING_MS))
    await this.saveMeta(meta)
  }

  /**
   * Adds the smoothed label and the face's name to rows about to be logged. `timeMs` is any
   * monotonic clock (the video's time for a video): only differences matter to the smoothing.
   */
  enrich(sessionId: string, records: FaceRecord[], timeMs: number): FaceRecord[] {
    const smoother = this.smoothers.get(sessionId)
    const meta = this.metas.get(sessionId)
    return records.map((record) => {
      const enriched: FaceRecord = { ...record }
      const name = meta?.names[String(record.faceId)]
      if (name) enriched.faceName = name
      if (smoother && record.probabilities.every(Number.isFinite)) {
        const { top } = smoother.update(record.faceId, record.probabilities, record.mediaTimeMs ?? timeMs)
        enriched.smoothedLabel = EMOTIONS[top]
      }
      return enriched
    })
  }

  /** Forgets a finished session's smoothing state. */
  end(sessionId: string): void {
    this.smoothers.delete(sessionId)
  }

  private async saveMeta(meta: SessionMeta): Promise<void> {
    try {
      await writeFile(this.metaPath(meta.id), JSON.stringify(meta, null, 2) + '\n')
    } catch (error) {
      throw new AppError('session-write-failed', `cannot write ${this.metaPath(meta.id)}: ${describeError(error)}`)
    }
  }

  /** The session's meta, read from disk once; logs older than the meta file get one from the CSV. */
  private async meta(id: string, parsed?: ParsedSession): Promise<SessionMeta> {
    const known = this.metas.get(id)
    if (known) return known
    let meta: SessionMeta | undefined
    try {
      const raw = JSON.parse(await readFile(this.metaPath(id), 'utf8')) as Partial<SessionMeta>
      meta = {
        version: 1,
        id,
        startedAt: typeof raw.startedAt === 'string' ? raw.startedAt : '',
        source: typeof raw.source === 'string' ? raw.source : 'unknown',
        modelId: typeof raw.modelId === 'string' ? raw.modelId : '',
        names: cleanNames(raw.names),
        merges: cleanMerges(raw.merges)
      }
    } catch {
      // No or unreadable meta: the CSV alone still tells the time and the source.
      const rows = parsed ?? (await this.parse(id))
      const cell = (name: string): string | undefined => {
        const i = rows.header.indexOf(name)
        return i >= 0 ? rows.rows[0]?.[i] : undefined
      }
      meta = { version: 1, id, startedAt: cell('iso_time') ?? startedFromId(id), source: cell('source') || 'unknown', modelId: cell('model_id') ?? '', names: {}, merges: {} }
    }
    if (!meta.startedAt) meta.startedAt = startedFromId(id)
    this.metas.set(id, meta)
    return meta
  }

  private async parse(id: string): Promise<ParsedSession> {
    let text: string
    try {
      text = await readFile(this.csvPath(id), 'utf8')
    } catch (error) {
      throw new AppError('unknown-session', `session "${id}" has no log in ${this.dir}: ${describeError(error)}`)
    }
    // Rows end in CRLF; anything after the last one is a row the app was writing when it stopped.
    const end = text.lastIndexOf('\r\n')
    const complete = end < 0 ? '' : text.slice(0, end + 2)
    let records: string[][]
    try {
      records = parse(complete, { relax_column_count: true, skip_empty_lines: true }) as string[][]
    } catch (error) {
      throw new AppError('unknown-session', `session "${id}" is not a readable CSV: ${describeError(error)}`)
    }
    const [header = [], ...rows] = records
    if (header[0] !== SESSION_COLUMNS[0]) throw new AppError('unknown-session', `session "${id}" does not start with the session log's header`)
    return { header, rows: rows.filter((r) => r.length >= header.length - 3), truncated: complete.length < text.length }
  }

  private async read(id: string): Promise<{ meta: SessionMeta; parsed: ParsedSession; samples: SessionSample[] }> {
    if (this.live.isRunning(id)) await this.live.snapshot(id)
    const parsed = await this.parse(id)
    const meta = await this.meta(id, parsed)
    return { meta, parsed, samples: toSamples(parsed, meta.merges) }
  }

  private entry(meta: SessionMeta, parsed: ParsedSession, samples: readonly SessionSample[]): SessionEntry {
    const times = samples.map((s) => s.t)
    return {
      id: meta.id,
      startedAt: meta.startedAt,
      source: meta.source,
      durationMs: times.length > 0 ? Math.max(...times) - Math.min(...times) : 0,
      faces: new Set(samples.map((s) => s.faceId)).size,
      rows: parsed.rows.length,
      running: this.live.isRunning(meta.id),
      truncated: parsed.truncated
    }
  }

  /** Every session CSV in the folder, newest first; unreadable files are skipped, not fatal. */
  async list(): Promise<SessionEntry[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch {
      return []
    }
    const entries: SessionEntry[] = []
    for (const name of names) {
      const id = name.endsWith('.csv') ? name.slice(0, -4) : ''
      if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) continue
      try {
        const { meta, parsed, samples } = await this.read(id)
        entries.push(this.entry(meta, parsed, samples))
      } catch {
        // A file that is not a session log (or vanished meanwhile) is not listed.
      }
    }
    return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id))
  }

  /** One session's samples, names and merges. */
  async open(id: string): Promise<SessionRecord> {
    const { meta, parsed, samples } = await this.read(id)
    return { entry: this.entry(meta, parsed, samples), samples, names: { ...meta.names }, merges: { ...meta.merges } }
  }

  /** Deletes the session's CSV and meta; a running session cannot be deleted. */
  async delete(id: string): Promise<void> {
    if (this.live.isRunning(id)) throw new AppError('session-busy', `session "${id}" is still running; stop it first`)
    await this.parse(id)
    try {
      await rm(this.csvPath(id))
      await rm(this.metaPath(id), { force: true })
    } catch (error) {
      throw new AppError('session-write-failed', `cannot delete session "${id}": ${describeError(error)}`)
    }
    this.metas.delete(id)
  }

  /** Names a face (an empty name removes it); later rows carry it in face_name, exports and summaries all rows. */
  async nameFace(id: string, faceId: number, name: string): Promise<SessionFaces> {
    await this.parse(id)
    const meta = await this.meta(id)
    const key = String(resolveMerge(meta.merges, faceId))
    if (name.trim() === '') delete meta.names[key]
    else meta.names[key] = name.trim()
    await this.saveMeta(meta)
    return { names: { ...meta.names }, merges: { ...meta.merges } }
  }

  /** Treats face `from` as face `into` from now on (a person the tracker split in two). */
  async mergeFaces(id: string, from: number, into: number): Promise<SessionFaces> {
    await this.parse(id)
    const meta = await this.meta(id)
    const target = resolveMerge(meta.merges, into)
    const source = resolveMerge(meta.merges, from)
    if (source === target) throw new AppError('invalid-argument', `faces ${from} and ${into} are already one face`)
    meta.merges[String(source)] = target
    // Everything merged into `source` before now follows it.
    for (const [k, v] of Object.entries(meta.merges)) if (v === source) meta.merges[k] = target
    const sourceName = meta.names[String(source)]
    if (sourceName && !meta.names[String(target)]) meta.names[String(target)] = sourceName
    delete meta.names[String(source)]
    await this.saveMeta(meta)
    return { names: { ...meta.names }, merges: { ...meta.merges } }
  }

  /** The session's CSV with names and merges applied: face_id is the merged id, face_name the face's name. */
  private async exportedCsv(id: string): Promise<{ text: string; rows: number; meta: SessionMeta; samples: SessionSample[] }> {
    const { meta, parsed, samples } = await this.read(id)
    const col = (name: string): number => parsed.header.indexOf(name)
    const faceCol = col('face_id')
    const lines = [csvRow(SESSION_COLUMNS)]
    for (const row of parsed.rows) {
      // Old logs lack the newest columns: fill them so every exported file has the same header.
      const cells = SESSION_COLUMNS.map((name) => row[col(name)] ?? '')
      const faceId = resolveMerge(meta.merges, Number(row[faceCol]))
      cells[SESSION_COLUMNS.indexOf('face_id')] = String(faceId)
      const name = meta.names[String(faceId)]
      if (name) cells[SESSION_COLUMNS.indexOf('face_name')] = name
      if (!cells[SESSION_COLUMNS.indexOf('source')]) cells[SESSION_COLUMNS.indexOf('source')] = meta.source
      lines.push(csvRow(cells.map(numberOrText)))
    }
    return { text: lines.join(''), rows: parsed.rows.length, meta, samples }
  }

  /** Writes the session's CSV (names and merges applied) to `destination`. */
  async exportCsv(id: string, destination: string): Promise<{ saved: true; path: string; rows: number }> {
    const { text, rows } = await this.exportedCsv(id)
    try {
      await writeFile(destination, text)
    } catch (error) {
      throw new AppError('session-write-failed', `cannot export to ${destination}: ${describeError(error)}`)
    }
    return { saved: true, path: destination, rows }
  }

  /** Writes session.csv, summary.csv and the renderer's charts (SVG and PNG) into `folder`. */
  async exportFolder(id: string, folder: string, charts: readonly ChartFile[]): Promise<FolderExportResult> {
    const { text, rows, meta, samples } = await this.exportedCsv(id)
    const summary = summarise(samples)
    const files: [string, string | Uint8Array][] = [
      ['session.csv', text],
      ['summary.csv', summaryCsvRows(summary, meta.names).map((r) => csvRow(r)).join('')]
    ]
    for (const chart of charts) files.push([`${chart.name}.svg`, chart.svg], [`${chart.name}.png`, chart.png])
    try {
      await mkdir(folder, { recursive: true })
      for (const [name, content] of files) await writeFile(join(folder, name), content)
    } catch (error) {
      throw new AppError('session-write-failed', `cannot export to ${folder}: ${describeError(error)}`)
    }
    return { saved: true, folder, files: files.map(([name]) => name), rows }
  }
}

/** Follows merges to the face an id now belongs to (cycles cannot arise: merges always point at a root). */
export function resolveMerge(merges: Readonly<Record<string, number>>, faceId: number): number {
  let id = faceId
  for (let hops = 0; hops < 1000 && merges[String(id)] !== undefined; hops++) id = merges[String(id)] as number
  return id
}

function cleanNames(value: unknown): Record<string, string> {
  const names: Record<string, string> = {}
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (/^\d+$/.test(k) && typeof v === 'string') names[k] = v
  }
  return names
}

function cleanMerges(value: unknown): Record<string, number> {
  const merges: Record<string, number> = {}
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (/^\d+$/.test(k) && Number.isSafeInteger(v)) merges[k] = v as number
  }
  return merges
}

/** Session ids start with the UTC start time (20261127-110843-…); the fallback when nothing else tells it. */
function startedFromId(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(id)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : ''
}

/** Numbers go back out as numbers, so the CSV writer does not quote-guard them as text. */
function numberOrText(cell: string): string | number {
  return cell !== '' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(cell) ? Number(cell) : cell.replace(/^'(?=[=+\-@\t\r])/, '')
}

/**
 * The rows as samples. Logs written before smoothed_label existed get it computed here with the
 * same smoothing main applies while logging.
 */
function toSamples(parsed: ParsedSession, merges: Readonly<Record<string, number>>): SessionSample[] {
  const col = (name: string): number => parsed.header.indexOf(name)
  const t = col('ms_since_start')
  const face = col('face_id')
  const label = col('label')
  const smoothed = col('smoothed_label')
  const probs = EMOTIONS.map((e) => col(`p_${e}`))
  const smoother = new EmotionSmoother(DEFAULT_SMOOTHING_MS)
  const samples: SessionSample[] = []
  for (const row of parsed.rows) {
    const faceId = Number(row[face])
    const time = Number(row[t])
    if (!Number.isSafeInteger(faceId) || !Number.isFinite(time)) continue
    const probabilities = probs.map((c) => Number(row[c]))
    if (!probabilities.every(Number.isFinite)) continue
    let smoothedLabel = smoothed >= 0 ? (row[smoothed] ?? '') : ''
    const top = smoother.update(faceId, probabilities, time).top
    if (!(EMOTIONS as readonly string[]).includes(smoothedLabel)) smoothedLabel = EMOTIONS[top] ?? ''
    samples.push({ t: time, faceId: resolveMerge(merges, faceId), label: row[label] ?? '', smoothedLabel, probabilities })
  }
  return samples
}
