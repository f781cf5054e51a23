import { createReadStream } from 'node:fs'
import { open, readdir, rm } from 'node:fs/promises'
import type { ChartFile, FolderExportResult, SessionEntry, SessionFaces, SessionRecord } from '../../shared/session-data'
import { mergeSummary, resolveMerge, type TimelinePoint } from '../../shared/session-digest'
import { summaryCsvRows } from '../../shared/session-summary'
import { AppError, describeError } from '../app/app-error'
import { csvRow } from './csv'
import { csvCell, csvCellCount, parseCsvRecord, readCsv } from './csv-reader'
import { exportFile, exportFolder, type ExportFile } from './safe-export'
import { applyFaceName, applyMerge } from './session-faces'
import { buildIndex, csvPath, csvSize, headerProblem, indexPath, readIndex, readTimeline, RowReader, timelinePath, writeIndex, writeTimeline, type SessionIndex } from './session-index'
import type { SessionLog } from './session-log'
import { SESSION_COLUMNS } from './session-rows'

/** What the library needs from the owner of the live sessions. */
export type LiveSessions = Pick<SessionLog, 'isRunning' | 'snapshot' | 'entry' | 'record' | 'meta' | 'nameFace' | 'mergeFaces' | 'forget'>

/** Session ids the library reads: the log's own ids, and any other plain name a user may have copied in. */
const LISTED_ID = /^[A-Za-z0-9-]{1,64}$/

/** A whole export as text chunks of about this size, written as they are made. */
const EXPORT_CHUNK_CHARS = 1 << 20

/** One CSV chunk of an export and the rows it holds. */
export interface ExportChunk {
  text: string
  rows: number
}

/**
 * The library of logged sessions in the user-data folder: lists, opens, names, merges, exports and
 * deletes them. It reads each session's index (<id>.json), never its rows, except to export them
 * (streamed) or to index a CSV that has no final index (an older version, a crash): that happens
 * once, streaming, and the index is written then. Running sessions are read from their owner, the
 * session log, which keeps their summary as rows come.
 */
export class SessionLibrary {
  /** Indexes read or built, with the CSV size each describes; a CSV of another size is indexed again. */
  private readonly cache = new Map<string, SessionIndex>()
  /** One indexing per session at a time. */
  private readonly indexing = new Map<string, Promise<SessionIndex>>()

  constructor(
    private readonly dir: string,
    private readonly live: LiveSessions
  ) {}

  /**
   * The session's final index: from memory while its CSV keeps its size, else from <id>.json, else
   * built by streaming the CSV and written (a write failure only means it is built again next time).
   */
  private async index(id: string): Promise<SessionIndex> {
    const size = await csvSize(this.dir, id)
    if (size === null) {
      this.cache.delete(id)
      throw new AppError('unknown-session', `session "${id}" has no log in ${this.dir}`)
    }
    const cached = this.cache.get(id)
    if (cached && cached.fileBytes === size) return cached
    const running = this.indexing.get(id)
    if (running) return running
    const work = (async () => {
      const stored = await readIndex(this.dir, id)
      if (stored.index?.final && stored.index.fileBytes === size) return stored.index
      const { index, timeline } = await buildIndex(this.dir, id, stored.meta)
      await writeIndex(this.dir, index).catch(() => undefined)
      await writeTimeline(this.dir, id, index.fileBytes, timeline).catch(() => undefined)
      return index
    })()
    this.indexing.set(id, work)
    try {
      const index = await work
      this.cache.set(id, index)
      return index
    } finally {
      this.indexing.delete(id)
    }
  }

  private entryOf(index: SessionIndex): SessionEntry {
    return {
      id: index.id,
      startedAt: index.startedAt,
      source: index.source,
      durationMs: index.summary.call.durationMs,
      faces: mergeSummary(index.summary, index.merges).faces.length,
      rows: index.rows,
      running: false,
      truncated: index.truncated,
      ...(index.problem ? { problem: index.problem } : {})
    }
  }

  /** Every session CSV in the folder, newest first; a file that vanishes meanwhile is skipped. */
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
      if (!LISTED_ID.test(id)) continue
      try {
        entries.push(this.live.isRunning(id) ? this.live.entry(id) : this.entryOf(await this.index(id)))
      } catch {
        // Deleted or moved between readdir and now.
      }
    }
    return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id))
  }

  /** One session's summary, timelines, names and merges. */
  async open(id: string): Promise<SessionRecord> {
    if (this.live.isRunning(id)) return this.live.record(id)
    const index = await this.index(id)
    let points = await readTimeline(this.dir, id, index.fileBytes)
    if (!points) {
      // The timeline file is missing or older than the CSV: read the rows again for it.
      const { timeline } = await buildIndex(this.dir, id, index)
      await writeTimeline(this.dir, id, index.fileBytes, timeline).catch(() => undefined)
      points = timeline
    }
    const timeline: TimelinePoint[] = points.map((p) => ({ ...p, faceId: resolveMerge(index.merges, p.faceId) }))
    timeline.sort((a, b) => a.faceId - b.faceId || a.t - b.t)
    return { entry: this.entryOf(index), summary: mergeSummary(index.summary, index.merges), timeline, names: { ...index.names }, merges: { ...index.merges } }
  }

  /** Deletes the session's CSV, index and timeline; a running session cannot be deleted. */
  async delete(id: string): Promise<void> {
    if (this.live.isRunning(id)) throw new AppError('session-busy', `session "${id}" is still running; stop it first`)
    if ((await csvSize(this.dir, id)) === null) throw new AppError('unknown-session', `session "${id}" has no log in ${this.dir}`)
    try {
      await rm(csvPath(this.dir, id))
      await rm(indexPath(this.dir, id), { force: true })
      await rm(timelinePath(this.dir, id), { force: true })
    } catch (error) {
      throw new AppError('session-write-failed', `cannot delete session "${id}": ${describeError(error)}`)
    }
    this.cache.delete(id)
    this.live.forget(id)
  }

  /** Names a face (an empty name removes it); later rows carry it in face_name, exports and summaries all rows. */
  nameFace(id: string, faceId: number, name: string): Promise<SessionFaces> {
    if (this.live.isRunning(id)) return this.live.nameFace(id, faceId, name)
    return this.changeFaces(id, (faces) => applyFaceName(faces, faceId, name))
  }

  /** Treats face `from` as face `into` from now on (a person the tracker split in two). */
  mergeFaces(id: string, from: number, into: number): Promise<SessionFaces> {
    if (this.live.isRunning(id)) return this.live.mergeFaces(id, from, into)
    return this.changeFaces(id, (faces) => applyMerge(faces, from, into))
  }

  /** Writes the changed names and merges atomically; the cached index changes only once they are on disk. */
  private async changeFaces(id: string, change: (faces: SessionFaces) => SessionFaces): Promise<SessionFaces> {
    const index = await this.index(id)
    const next: SessionIndex = { ...index, ...change(index) }
    try {
      await writeIndex(this.dir, next)
    } catch (error) {
      throw new AppError('session-write-failed', `cannot save the face names of session "${id}": ${describeError(error)}`)
    }
    this.cache.set(id, next)
    return { names: { ...next.names }, merges: { ...next.merges } }
  }

  /** The names and merges of a session, running or not. */
  private async faces(id: string): Promise<SessionFaces & { source: string }> {
    if (this.live.isRunning(id)) {
      await this.live.snapshot(id)
      const { names, merges, source } = this.live.meta(id)
      return { names, merges, source }
    }
    const index = await this.index(id)
    return { names: index.names, merges: index.merges, source: index.source }
  }

  /**
   * The session's CSV with names and merges applied (face_id the merged id, face_name the face's
   * name), streamed in chunks of about a megabyte. Rows of a current log that need no change are
   * copied as they are; older logs get the newest columns, empty, so every export has one header.
   */
  async *exportCsvChunks(id: string): AsyncGenerator<ExportChunk> {
    const { names, merges, source } = await this.faces(id)
    const csv = readCsv(csvPath(this.dir, id))
    let text = csvRow(SESSION_COLUMNS)
    let rows = 0
    let reader: RowReader | null = null
    let current = false
    const faceCol = SESSION_COLUMNS.indexOf('face_id')
    const nameCol = SESSION_COLUMNS.indexOf('face_name')
    const sourceCol = SESSION_COLUMNS.indexOf('source')
    const plain = Object.keys(names).length === 0 && Object.keys(merges).length === 0
    // A whole row of a current log is copied as it is unless its face was merged or named, or it lacks the source.
    const asItIs = (line: string): boolean => {
      if (!current || csvCellCount(line) !== SESSION_COLUMNS.length || line.endsWith(',')) return false
      if (plain) return true
      const raw = Number(csvCell(line, faceCol))
      const faceId = resolveMerge(merges, raw)
      const name = names[String(faceId)]
      return faceId === raw && (name === undefined || name === csvCell(line, nameCol))
    }
    try {
      for await (const lines of csv) {
        for (const line of lines) {
          if (!reader) {
            const header = parseCsvRecord(line)
            const problem = headerProblem(header)
            if (problem) throw new AppError('unknown-session', `session "${id}" cannot be exported: ${problem}`)
            reader = new RowReader(header)
            current = header.length === SESSION_COLUMNS.length && SESSION_COLUMNS.every((c, i) => header[i] === c)
            continue
          }
          if (asItIs(line)) {
            rows++
            text += line + '\r\n'
          } else {
            const all = parseCsvRecord(line)
            if (!reader.isRow(all)) continue
            rows++
            const raw = Number(all[reader.col('face_id')])
            const faceId = resolveMerge(merges, raw)
            const name = names[String(faceId)]
            const r = reader
            const cells = SESSION_COLUMNS.map((c) => all[r.col(c)] ?? '')
            cells[faceCol] = String(faceId)
            if (name) cells[nameCol] = name
            if (!cells[sourceCol]) cells[sourceCol] = source
            text += csvRow(cells.map(numberOrText))
          }
          if (text.length >= EXPORT_CHUNK_CHARS) {
            yield { text, rows }
            text = ''
            rows = 0
          }
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('unknown-session', `session "${id}" cannot be read: ${describeError(error)}`)
    }
    if (!reader) throw new AppError('unknown-session', `session "${id}" cannot be exported: the file is empty`)
    if (text.length > 0 || rows > 0) yield { text, rows }
  }

  /** summary.csv of a session: one row for the call, one per face, names and merges applied. */
  async summaryCsv(id: string): Promise<string> {
    // The summary alone: a finished session's index has it, so the timeline file is not read.
    const record = this.live.isRunning(id) ? this.live.record(id) : await this.index(id).then((index) => ({ summary: mergeSummary(index.summary, index.merges), names: index.names }))
    return summaryCsvRows(record.summary, record.names)
      .map((r) => csvRow(r))
      .join('')
  }

  /** Makes sure the session exists and can be read before a dialog asks where to export it. */
  async assertExportable(id: string): Promise<void> {
    if (this.live.isRunning(id)) return
    const index = await this.index(id)
    if (index.problem) throw new AppError('unknown-session', `session "${id}" cannot be exported: ${index.problem}`)
  }

  /** The export's text, counting its rows into `counted` as they go by. */
  private async *countedCsv(id: string, counted: { rows: number }): AsyncGenerator<string | Uint8Array> {
    const asItIs = await this.copyableAsIs(id)
    if (asItIs) {
      // Nothing to rewrite: the export is the file's bytes, read as fast as the disk gives them.
      for await (const chunk of createReadStream(csvPath(this.dir, id), { start: 0, end: asItIs.fileBytes - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) yield chunk
      counted.rows = asItIs.rows
      return
    }
    for await (const chunk of this.exportCsvChunks(id)) {
      counted.rows += chunk.rows
      yield chunk.text
    }
  }

  /**
   * The index of a finished session whose export is its file unchanged: written by this version
   * (its header, CRLF), every row whole and read, no face named or merged. Otherwise null.
   */
  private async copyableAsIs(id: string): Promise<SessionIndex | null> {
    if (this.live.isRunning(id)) return null
    const index = await this.index(id)
    const faces = Object.keys(index.names).length + Object.keys(index.merges).length
    if (!index.final || index.truncated || index.malformed > 0 || index.problem || faces > 0 || index.rows === 0) return null
    const header = Buffer.from(csvRow(SESSION_COLUMNS))
    const file = await open(csvPath(this.dir, id), 'r')
    try {
      const start = Buffer.alloc(header.length)
      const { bytesRead } = await file.read(start, 0, header.length, 0)
      return bytesRead === header.length && start.equals(header) ? index : null
    } finally {
      await file.close()
    }
  }

  /** Writes the session's CSV (names and merges applied) to `destination`. */
  async exportCsv(id: string, destination: string): Promise<{ saved: true; path: string; rows: number }> {
    const counted = { rows: 0 }
    const written = await exportFile(destination, this.countedCsv(id, counted))
    return { saved: true, path: written.path, rows: counted.rows }
  }

  /** Writes session.csv, summary.csv and the renderer's charts (SVG and PNG) into a new folder inside `parent`. */
  async exportFolder(id: string, parent: string, charts: readonly ChartFile[]): Promise<FolderExportResult> {
    const counted = { rows: 0 }
    const files: ExportFile[] = [
      { name: 'session.csv', content: this.countedCsv(id, counted) },
      { name: 'summary.csv', content: await this.summaryCsv(id) }
    ]
    for (const chart of charts) files.push({ name: `${chart.name}.svg`, content: chart.svg }, { name: `${chart.name}.png`, content: chart.png })
    const written = await exportFolder(parent, `emotions-${id}`, files)
    return { saved: true, folder: written.folder, files: written.files, rows: counted.rows }
  }
}

/** Numbers go back out as numbers, so the CSV writer does not quote-guard them as text. */
function numberOrText(cell: string): string | number {
  return cell !== '' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(cell) ? Number(cell) : cell.replace(/^'(?=[=+\-@\t\r])/, '')
}
