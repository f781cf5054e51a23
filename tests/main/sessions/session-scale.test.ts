/**
 * An hour-long call kept whole: a 324,000-row session (an hour of a 3x3 gallery) among 1,000 short
 * ones, in a temporary user-data folder, through the real IPC handlers. Correctness only: rows,
 * faces, durations, exported bytes; the speeds are `npm run bench`'s session-library section.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOUR_3X3, writeFixtureSession, writeShortSessions } from '../../../src/bench/session-fixtures'
import { createHandlers, type Handlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { parseCsvRecord, readCsv } from '../../../src/main/sessions/csv-reader'
import { SessionLibrary } from '../../../src/main/sessions/session-library'
import { SessionLog } from '../../../src/main/sessions/session-log'
import { SESSION_COLUMNS } from '../../../src/main/sessions/session-rows'
import type { InvokeChannel, IpcResult } from '../../../src/shared/ipc'
import type { FolderExportResult, SessionEntry, SessionRecord } from '../../../src/shared/session-data'

let root: string
let dir: string
let exportDir: string
let hourBytes: number

function handlersOver(sessionsDir: string): Handlers {
  const log = new SessionLog({ dir: sessionsDir })
  const services = {
    appInfo: () => ({}) as never,
    inference: {} as never,
    sessions: log,
    library: new SessionLibrary(sessionsDir, log),
    chooseExportPath: async (name: string) => join(exportDir, name),
    chooseExportFolder: async () => exportDir
  } satisfies Services
  return createHandlers(services)
}

async function call<T>(handlers: Handlers, channel: InvokeChannel, ...args: unknown[]): Promise<T> {
  const result = (await (handlers[channel] as (...a: unknown[]) => Promise<IpcResult<T>>)(...args)) as IpcResult<T>
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`)
  return result.value
}

/** Rows of an exported CSV and the names of one face's rows, read as a stream. */
async function exportedRows(path: string, faceId: string): Promise<{ header: string[]; rows: number; names: Set<string> }> {
  let header: string[] = []
  let rows = 0
  const names = new Set<string>()
  for await (const batch of readCsv(path)) {
    for (const line of batch) {
      const cells = parseCsvRecord(line)
      if (header.length === 0) {
        header = cells
        continue
      }
      rows++
      if (cells[header.indexOf('face_id')] === faceId) names.add(cells[header.indexOf('face_name')] ?? '')
    }
  }
  return { header, rows, names }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'session-scale-'))
  dir = join(root, 'sessions')
  exportDir = join(root, 'exports')
  await mkdir(exportDir, { recursive: true })
  await writeFixtureSession(dir, HOUR_3X3)
  await writeShortSessions(dir, 1000)
  hourBytes = (await stat(join(dir, `${HOUR_3X3.id}.csv`))).size
}, 300_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('an hour of a 3x3 gallery among 1,000 short sessions', () => {
  it('lists, opens, names and exports the hour, indexing each CSV once without blocking the event loop', async () => {
    const handlers = handlersOver(dir)
    // Meanwhile the event loop must go on serving: a timer stands in for a classify call.
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const listed = await call<SessionEntry[]>(handlers, 'session:list')
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(10)
    expect(listed).toHaveLength(1001)
    const hour = listed.find((e) => e.id === HOUR_3X3.id)
    expect(hour).toMatchObject({ rows: 324_000, faces: 9, durationMs: 3_599_900, running: false, truncated: false })
    expect(listed.filter((e) => e.rows === 120 && e.faces === 3 && e.durationMs === 19_500)).toHaveLength(1000)
    // Indexed once: an index and a timeline beside every CSV.
    const files = await readdir(dir)
    expect(files.filter((f) => f.endsWith('.timeline.json'))).toHaveLength(1001)

    const opened = await call<SessionRecord>(handlers, 'session:open', HOUR_3X3.id)
    expect(opened.summary.call).toMatchObject({ rows: 324_000, faces: 9, durationMs: 3_599_900 })
    for (const face of opened.summary.faces) expect(face).toMatchObject({ rows: 36_000, seenMs: 3_599_900, firstMs: 0, lastMs: 3_599_900, returns: 0 })
    const perFace = new Map<number, number>()
    for (const p of opened.timeline) perFace.set(p.faceId, (perFace.get(p.faceId) ?? 0) + 1)
    expect([...perFace.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (const n of perFace.values()) expect(n).toBeLessThanOrEqual(600)

    expect(await call(handlers, 'session:name-face', { sessionId: HOUR_3X3.id, faceId: 4, name: 'Priya' })).toEqual({ names: { '4': 'Priya' }, merges: {} })

    const csv = await call<{ saved: boolean; path: string; rows: number }>(handlers, 'session:export', HOUR_3X3.id)
    expect(csv).toMatchObject({ saved: true, rows: 324_000 })
    const exported = await exportedRows(csv.path, '4')
    expect(exported.header).toEqual([...SESSION_COLUMNS])
    expect(exported.rows).toBe(324_000)
    expect(exported.names).toEqual(new Set(['Priya']))
    // Only face 4's rows gained a name: the file grew by exactly that.
    expect((await stat(csv.path)).size).toBe(hourBytes + 36_000 * 'Priya'.length)

    const folder = await call<FolderExportResult>(handlers, 'session:export-folder', { sessionId: HOUR_3X3.id, charts: [] })
    expect(folder).toMatchObject({ saved: true, rows: 324_000, files: ['session.csv', 'summary.csv'] })
    expect((await readFile(join(folder.folder!, 'session.csv'))).equals(await readFile(csv.path)), 'session.csv is the CSV export').toBe(true)
    const summary = (await readFile(join(folder.folder!, 'summary.csv'), 'utf8')).trimEnd().split('\r\n')
    expect(summary).toHaveLength(1 + 1 + 9)
    expect(summary.find((l) => l.startsWith('face,4,'))).toContain('Priya')
  }, 300_000)

  it('after a restart, reads the indexes it wrote: the same entries and the name kept', async () => {
    const handlers = handlersOver(dir)
    const listed = await call<SessionEntry[]>(handlers, 'session:list')
    expect(listed).toHaveLength(1001)
    expect(listed.find((e) => e.id === HOUR_3X3.id)).toMatchObject({ rows: 324_000, faces: 9 })
    const opened = await call<SessionRecord>(handlers, 'session:open', HOUR_3X3.id)
    expect(opened.names).toEqual({ '4': 'Priya' })
    expect(opened.summary.faces).toHaveLength(9)
  }, 300_000)
})
