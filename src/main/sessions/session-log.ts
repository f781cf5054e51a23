import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { EmotionSmoother, DEFAULT_SMOOTHING_MS } from '../../shared/emotion-smoother'
import { EMOTIONS } from '../../shared/emotions'
import { SESSION_ID_PATTERN, type EventChannels, type SessionInfo, type SessionStartOptions, type SessionSummary } from '../../shared/ipc'
import type { SessionEntry, SessionFaces, SessionRecord } from '../../shared/session-data'
import { resolveMerge, SessionDigest } from '../../shared/session-digest'
import { AppError, describeError } from '../app/app-error'
import { csvRow } from './csv'
import { applyFaceName, applyMerge } from './session-faces'
import { INDEX_VERSION, writeIndex, writeTimeline, type SessionIndex, type SessionMeta } from './session-index'
import { recordCells, SESSION_COLUMNS, type FaceRecord } from './session-rows'

/** Where session logs go and whom to tell when writing fails. */
export interface SessionLogOptions {
  /** Folder of the CSV files, created when missing (app.getPath('userData')/sessions in the app). */
  dir: string
  /** Buffered rows reach the disk at least this often; a crash loses at most this much. */
  flushIntervalMs?: number
  /** Called when a running session can no longer be written; the app sends it as 'session:error'. */
  onError?: (event: EventChannels['session:error']) => void
}

interface Session {
  info: SessionInfo
  /** Where it came from and the names and merges of its faces; changed only after the index with the change is on disk. */
  meta: SessionMeta
  startedMs: number
  /** The one smoothing of the session: its labels go to the overlay (in the classify answer) and to smoothed_label. */
  smoother: EmotionSmoother
  /** Summary and timeline of the rows queued so far, for list, open and the index. */
  digest: SessionDigest
  /** When the index was last written (performance.now()), and how many rows it had then. */
  indexedAt: number
  state: 'running' | 'failed' | 'stopped'
  /** Set once stop() was asked for: no new classify may reserve rows, the open reservations finish. */
  stopping: boolean
  error?: string
  pending: string[]
  rowsWritten: number
  /** File size up to the end of the last whole row written; a failed write is cut back to it. */
  bytesWritten: number
  /** Classify calls that reserved rows and have not yet committed or cancelled them. */
  reservations: Set<Promise<void>>
  /** The one stop in progress or done: stopping again answers the same summary. */
  stopped?: Promise<SessionSummary>
  /** Every write chains here, so rows reach the file in order and stop() can wait for them. */
  writing: Promise<void>
  timer?: NodeJS.Timeout
}

/** Half the one-second loss bound the issue allows. */
export const DEFAULT_FLUSH_INTERVAL_MS = 500

/** Flush early past this many buffered rows, so a fast source cannot grow memory without bound. */
const MAX_PENDING_ROWS = 2_000

/** How long stop() waits for classify calls in flight; one that commits later is told it came too late. */
const STOP_WAIT_MS = 10_000

/** A running session's index is rewritten at most this often (after a crash, the rows past it are indexed again). */
export const INDEX_INTERVAL_MS = 5_000

/** Rows a classify call will append once inference answers; stop() waits for it (see reserve()). */
export interface RowReservation {
  /** Queues the rows and answers them as logged (names, smoothed labels); throws AppError when the session failed or stopped without waiting for them. */
  commit(records: readonly FaceRecord[]): LoggedRecord[]
  /** Gives the reservation up (inference failed): nothing is written. */
  cancel(): void
}

/** A row as logged: with the face's name and the session's smoothed probabilities (EMOTIONS order) and label. */
export interface LoggedRecord extends FaceRecord {
  smoothed?: number[]
}

/** Session ids are file names and IPC arguments; the pattern is part of the IPC contract. */
export { SESSION_ID_PATTERN }

/** A sortable, unique id such as 20261127-110843-3f9a1c. */
function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

/**
 * The owner of every live session: its CSV (one row per classified face, buffered and appended at
 * least once per flush interval and on stop), its names and merges, the one smoother whose labels
 * both the overlay and the CSV show, and its index (<id>.json: counts and summary, rewritten
 * atomically as it runs and at stop). A write failure ends that session with a 'session:error'
 * event; rows already on disk stay there and nothing throws out of a timer.
 */
export class SessionLog {
  private readonly sessions = new Map<string, Session>()
  private readonly flushIntervalMs: number

  constructor(private readonly options: SessionLogOptions) {
    this.flushIntervalMs = Math.min(options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, 1_000)
  }

  /** The folder of the session files. */
  get dir(): string {
    return this.options.dir
  }

  /**
   * Creates the session's file with its header row and its index, and starts the flush timer. When
   * either cannot be written nothing is left behind and no session runs.
   */
  async start(options: SessionStartOptions): Promise<SessionInfo> {
    const now = new Date()
    const id = newSessionId(now)
    const path = join(this.options.dir, `${id}.csv`)
    const header = csvRow(SESSION_COLUMNS)
    try {
      await mkdir(this.options.dir, { recursive: true })
      await writeFile(path, header, { flag: 'wx' })
    } catch (error) {
      throw new AppError('session-write-failed', `cannot create the session log ${path}: ${describeError(error)}`)
    }
    const session: Session = {
      info: { id, startedAt: now.toISOString(), path },
      meta: { id, startedAt: now.toISOString(), source: options.source, modelId: options.modelId, names: {}, merges: {} },
      startedMs: performance.now(),
      smoother: new EmotionSmoother(DEFAULT_SMOOTHING_MS),
      digest: new SessionDigest(),
      indexedAt: performance.now(),
      state: 'running',
      stopping: false,
      pending: [],
      rowsWritten: 0,
      bytesWritten: Buffer.byteLength(header),
      reservations: new Set(),
      writing: Promise.resolve()
    }
    try {
      await writeIndex(this.options.dir, this.index(session, session.meta))
    } catch (error) {
      await rm(path, { force: true }).catch(() => undefined)
      throw new AppError('session-write-failed', `cannot create the session index beside ${path}: ${describeError(error)}`)
    }
    session.timer = setInterval(() => void this.flush(session), this.flushIntervalMs)
    // The timer alone must not keep a Node process (tests, the e2e harness) alive.
    session.timer.unref()
    this.sessions.set(id, session)
    return { ...session.info }
  }

  private get(sessionId: string): Session {
    const session = this.sessions.get(sessionId)
    if (!session) throw new AppError('unknown-session', `unknown session "${sessionId}"`)
    return session
  }

  /** Throws unless the session is running; checked before inference so a dead session fails fast. */
  assertRunning(sessionId: string): void {
    const session = this.get(sessionId)
    if (session.state === 'failed') throw new AppError('session-write-failed', session.error ?? 'the session log failed')
    if (session.state === 'stopped' || session.stopping) throw new AppError('unknown-session', `session "${sessionId}" has stopped`)
  }

  /** Queues one row per record; they reach the disk within the flush interval. Answers the rows as logged. */
  append(sessionId: string, records: readonly FaceRecord[]): LoggedRecord[] {
    this.assertRunning(sessionId)
    return this.queue(this.get(sessionId), records)
  }

  /**
   * Reserves rows for a classify call before inference starts. stop() waits for every open
   * reservation, so a frame acknowledged to the renderer is a frame in the file and in the stop
   * summary; a commit after stop gave up waiting throws instead of writing late.
   */
  reserve(sessionId: string): RowReservation {
    this.assertRunning(sessionId)
    const session = this.get(sessionId)
    let settle = (): void => undefined
    const done = new Promise<void>((resolve) => (settle = resolve))
    session.reservations.add(done)
    let open = true
    const close = (): boolean => {
      if (!open) return false
      open = false
      session.reservations.delete(done)
      settle()
      return true
    }
    return {
      commit: (records) => {
        if (!close() || session.state === 'stopped') {
          throw new AppError('unknown-session', `session "${sessionId}" stopped before this frame's rows could be written`)
        }
        if (session.state === 'failed') throw new AppError('session-write-failed', session.error ?? 'the session log failed')
        return this.queue(session, records)
      },
      cancel: () => void close()
    }
  }

  /** Names, smooths and digests the records, then buffers their rows. */
  private queue(session: Session, records: readonly FaceRecord[]): LoggedRecord[] {
    const now = new Date()
    const ms = performance.now() - session.startedMs
    const { names, merges } = session.meta
    return records.map((record) => {
      // A recorded video's rows carry the video's own time instead of the time since start.
      const t = record.mediaTimeMs ?? ms
      const logged: LoggedRecord = { ...record }
      const name = names[String(resolveMerge(merges, record.faceId))]
      if (name) logged.faceName = name
      if (record.probabilities.every(Number.isFinite)) {
        const { probabilities, top } = session.smoother.update(record.faceId, record.probabilities, t)
        logged.smoothed = probabilities
        logged.smoothedLabel = EMOTIONS[top]
        session.digest.add({ t: Math.round(t * 10) / 10, faceId: record.faceId, smoothedLabel: logged.smoothedLabel ?? '', probabilities: record.probabilities })
      }
      session.pending.push(csvRow(recordCells(logged, now, t, session.meta.source)))
      if (session.pending.length >= MAX_PENDING_ROWS) void this.flush(session)
      return logged
    })
  }

  private flush(session: Session): Promise<void> {
    if (session.state === 'failed' || session.pending.length === 0) return session.writing
    const rows = session.pending
    session.pending = []
    session.writing = session.writing.then(async () => {
      if (session.state === 'failed') return
      const chunk = Buffer.from(rows.join(''), 'utf8')
      try {
        await appendFile(session.info.path, chunk)
        session.rowsWritten += rows.length
        session.bytesWritten += chunk.length
      } catch (error) {
        const kept = await this.keepWholeRows(session, rows)
        this.fail(session, `cannot write the session log ${session.info.path}: ${describeError(error)}${kept}`)
        return
      }
      if (performance.now() - session.indexedAt >= INDEX_INTERVAL_MS) await this.writeIndexQuietly(session)
    })
    return session.writing
  }

  /**
   * The index with these names and merges. Only the one written at stop is `final`: while the
   * session runs, rows queued after the last flush are in the digest but not yet on disk, so an
   * index left behind by a crash is rebuilt from the CSV.
   */
  private index(session: Session, meta: SessionMeta, final = false): SessionIndex {
    return {
      version: INDEX_VERSION,
      ...meta,
      final,
      fileBytes: session.bytesWritten,
      rows: session.rowsWritten,
      truncated: false,
      malformed: 0,
      summary: session.digest.summary()
    }
  }

  /**
   * Rewrites the index between flushes. Rows are what matters: an index that cannot be written
   * (a full disk fails the rows too) is only out of date, and the library indexes the CSV again.
   */
  private async writeIndexQuietly(session: Session, final = false): Promise<void> {
    session.indexedAt = performance.now()
    try {
      await writeIndex(this.options.dir, this.index(session, session.meta, final))
    } catch {
      // Stale until the next try; the CSV is the truth.
    }
  }

  /**
   * After a failed append (a full disk writes part of the chunk), counts the rows that reached the
   * file whole and cuts off the torn one, so the file ends with a complete row and the summary and
   * export count what is really there. Answers a note for the error message.
   */
  private async keepWholeRows(session: Session, rows: readonly string[]): Promise<string> {
    const path = session.info.path
    try {
      const file = await stat(path)
      // Moved away or replaced by something else: the rows there are not ours to count or cut.
      if (!file.isFile() || file.size < session.bytesWritten) return ''
      let end = session.bytesWritten
      let whole = 0
      for (const row of rows) {
        const next = end + Buffer.byteLength(row)
        if (next > file.size) break
        end = next
        whole++
      }
      if (file.size > end) await truncate(path, end)
      session.rowsWritten += whole
      session.bytesWritten = end
      return whole > 0 ? ` (${whole} more rows were saved before it failed)` : ''
    } catch (error) {
      return ` (the last row may be incomplete: ${describeError(error)})`
    }
  }

  private fail(session: Session, message: string): void {
    session.state = 'failed'
    session.error = message
    session.pending = []
    clearInterval(session.timer)
    this.options.onError?.({ sessionId: session.info.id, message })
  }

  /**
   * Waits for classify calls in flight, flushes, writes the final index and timeline, and closes the
   * session; stopping twice answers the same summary. The digest counted rows that a failed write
   * never saved, so the index of a failed session is left for the library to build from the CSV.
   */
  async stop(sessionId: string): Promise<SessionSummary> {
    const session = this.get(sessionId)
    session.stopped ??= this.close(session)
    return session.stopped
  }

  private async close(session: Session): Promise<SessionSummary> {
    const sessionId = session.info.id
    session.stopping = true
    if (session.reservations.size > 0) {
      let timer: NodeJS.Timeout | undefined
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))
      await Promise.race([Promise.all(session.reservations), giveUp])
      clearTimeout(timer)
    }
    clearInterval(session.timer)
    await this.flush(session)
    session.writing = session.writing.then(async () => {
      if (session.state !== 'running') return
      await this.writeIndexQuietly(session, true)
      await writeTimeline(this.options.dir, sessionId, session.bytesWritten, session.digest.timeline()).catch(() => undefined)
    })
    await session.writing
    if (session.state === 'running') session.state = 'stopped'
    return this.summary(session)
  }

  private summary(session: Session): SessionSummary {
    return { id: session.info.id, rows: session.rowsWritten, path: session.info.path }
  }

  /** Resolves when the writes queued so far have finished, without queueing more. */
  async whenWritten(sessionId: string): Promise<void> {
    await this.get(sessionId).writing
  }

  /** Number of rows on disk and where; flushes a running session first. */
  async snapshot(sessionId: string): Promise<SessionSummary> {
    const session = this.get(sessionId)
    await this.flush(session)
    await session.writing
    return this.summary(session)
  }

  /** True while this run of the app writes the session (the library reads it from here then, and must not delete it). */
  isRunning(sessionId: string): boolean {
    const session = this.sessions.get(sessionId)
    return session?.state === 'running'
  }

  /** A running session's list entry, from memory. */
  entry(sessionId: string): SessionEntry {
    const session = this.get(sessionId)
    return {
      id: sessionId,
      startedAt: session.meta.startedAt,
      source: session.meta.source,
      durationMs: session.digest.durationMs,
      faces: session.digest.faceCount(session.meta.merges),
      // Rows still buffered reach the disk within the flush interval.
      rows: session.rowsWritten + session.pending.length,
      running: this.isRunning(sessionId),
      truncated: false
    }
  }

  /** A running session opened: its summary and timeline so far, from memory (rows still buffered included). */
  record(sessionId: string): SessionRecord {
    const session = this.get(sessionId)
    const { names, merges } = session.meta
    return { entry: this.entry(sessionId), summary: session.digest.summary(merges), timeline: session.digest.timeline(merges), names: { ...names }, merges: { ...merges } }
  }

  /** A running session's source, names and merges (a copy). */
  meta(sessionId: string): SessionMeta {
    const { meta } = this.get(sessionId)
    return { ...meta, names: { ...meta.names }, merges: { ...meta.merges } }
  }

  /** Names a face of a running session: later rows carry the name. Memory changes only once the index holds it. */
  nameFace(sessionId: string, faceId: number, name: string): Promise<SessionFaces> {
    return this.changeFaces(sessionId, (faces) => applyFaceName(faces, faceId, name))
  }

  /** Treats face `from` of a running session as face `into` from now on. */
  mergeFaces(sessionId: string, from: number, into: number): Promise<SessionFaces> {
    return this.changeFaces(sessionId, (faces) => applyMerge(faces, from, into))
  }

  private async changeFaces(sessionId: string, change: (faces: SessionFaces) => SessionFaces): Promise<SessionFaces> {
    const session = this.get(sessionId)
    const faces = change(session.meta)
    const meta = { ...session.meta, ...faces }
    // In the write chain, so a periodic index write never lands after this one with the old names.
    const written = session.writing.then(() => writeIndex(this.options.dir, this.index(session, meta)))
    session.writing = written.catch(() => undefined)
    try {
      await written
    } catch (error) {
      throw new AppError('session-write-failed', `cannot save the face names of session "${sessionId}": ${describeError(error)}`)
    }
    session.meta = meta
    return { names: { ...meta.names }, merges: { ...meta.merges } }
  }

  /** Forgets a stopped session (it was deleted): stopping it again answers unknown-session. */
  forget(sessionId: string): void {
    if (!this.isRunning(sessionId)) this.sessions.delete(sessionId)
  }

  /** Stops every running session; the app calls this before quitting. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.stop(id)))
  }
}
