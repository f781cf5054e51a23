import { randomBytes } from 'node:crypto'
import { appendFile, copyFile, mkdir, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { SESSION_ID_PATTERN, type EventChannels, type ExportResult, type SessionInfo, type SessionStartOptions, type SessionSummary } from '../../shared/ipc'
import { AppError, describeError } from '../app/app-error'
import { csvRow } from './csv'
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
  source: string
  startedMs: number
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

/** Rows a classify call will append once inference answers; stop() waits for it (see reserve()). */
export interface RowReservation {
  /** Queues the rows; throws AppError when the session failed or stopped without waiting for them. */
  commit(records: readonly FaceRecord[]): void
  /** Gives the reservation up (inference failed): nothing is written. */
  cancel(): void
}

/** Session ids are file names and IPC arguments; the pattern is part of the IPC contract. */
export { SESSION_ID_PATTERN }

/** A sortable, unique id such as 20261127-110843-3f9a1c. */
function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

/**
 * Writes one CSV row per classified face to <dir>/<id>.csv as it happens: rows are buffered and
 * appended at least once per flush interval and on stop. A write failure ends that session with a
 * 'session:error' event; rows already on disk stay there and nothing throws out of a timer.
 */
export class SessionLog {
  private readonly sessions = new Map<string, Session>()
  private readonly flushIntervalMs: number

  constructor(private readonly options: SessionLogOptions) {
    this.flushIntervalMs = Math.min(options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, 1_000)
  }

  /** Creates the session's file with its header row and starts the flush timer. */
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
      source: options.source,
      startedMs: performance.now(),
      state: 'running',
      stopping: false,
      pending: [],
      rowsWritten: 0,
      bytesWritten: Buffer.byteLength(header),
      reservations: new Set(),
      writing: Promise.resolve()
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

  /** Queues one row per record; they reach the disk within the flush interval. */
  append(sessionId: string, records: readonly FaceRecord[]): void {
    this.assertRunning(sessionId)
    this.queue(this.get(sessionId), records)
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
        this.queue(session, records)
      },
      cancel: () => void close()
    }
  }

  private queue(session: Session, records: readonly FaceRecord[]): void {
    const now = new Date()
    const ms = performance.now() - session.startedMs
    // A recorded video's rows carry the video's own time instead of the time since start.
    for (const record of records) session.pending.push(csvRow(recordCells(record, now, record.mediaTimeMs ?? ms, session.source)))
    if (session.pending.length >= MAX_PENDING_ROWS) void this.flush(session)
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
      }
    })
    return session.writing
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

  /** Waits for classify calls in flight, flushes and closes the session; stopping twice answers the same summary. */
  async stop(sessionId: string): Promise<SessionSummary> {
    const session = this.get(sessionId)
    session.stopping = true
    if (session.reservations.size > 0) {
      let timer: NodeJS.Timeout | undefined
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))
      await Promise.race([Promise.all(session.reservations), giveUp])
      clearTimeout(timer)
    }
    clearInterval(session.timer)
    await this.flush(session)
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
    return this.summary(session)
  }

  /** Copies the session's CSV (flushed first) to `destination`. */
  async exportTo(sessionId: string, destination: string): Promise<ExportResult> {
    const { path, rows } = await this.snapshot(sessionId)
    try {
      await copyFile(path, destination)
    } catch (error) {
      throw new AppError('session-write-failed', `cannot export to ${destination}: ${describeError(error)}`)
    }
    return { saved: true, path: destination, rows }
  }

  /** True while this run of the app writes the session (the library must not delete it then). */
  isRunning(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.state === 'running'
  }

  /** Stops every running session; the app calls this before quitting. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.stop(id)))
  }
}
