import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { SessionLibrary } from '../../../src/main/sessions/session-library'
import { SessionLog } from '../../../src/main/sessions/session-log'
import { SESSION_COLUMNS, type FaceRecord } from '../../../src/main/sessions/session-rows'
import { EMOTIONS } from '../../../src/shared/emotions'
import type { InvokeChannel, IpcResult } from '../../../src/shared/ipc'

let dir: string
let exportDir: string
let log: SessionLog
let library: SessionLibrary

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'library-'))
  exportDir = await mkdtemp(join(tmpdir(), 'library-export-'))
  log = new SessionLog({ dir })
  library = new SessionLibrary(dir, log)
})

afterEach(async () => {
  await log.stopAll()
  await rm(dir, { recursive: true, force: true })
  await rm(exportDir, { recursive: true, force: true })
})

const happy = [0.05, 0.01, 0.04, 0.7, 0.1, 0.05, 0.05]
const sad = [0.05, 0.01, 0.04, 0.05, 0.1, 0.7, 0.05]

const record = (faceId: number, probabilities: number[], mediaTimeMs?: number): FaceRecord => ({
  frameIndex: 0,
  faceId,
  box: { x: 1, y: 2, width: 30, height: 30 },
  modelId: 'resnet50-fer',
  executionProvider: 'cpu',
  label: EMOTIONS[probabilities.indexOf(Math.max(...probabilities))] ?? 'neutral',
  confidence: Math.max(...probabilities),
  probabilities,
  inferenceMs: 3,
  ...(mediaTimeMs === undefined ? {} : { mediaTimeMs })
})

/** A video-like session: rows at the given media times for faces 1 and 2. */
async function videoSession(source = 'video: call.mp4'): Promise<string> {
  const info = await log.start({ source, modelId: 'resnet50-fer' })
  for (let t = 0; t <= 2000; t += 200) log.append(info.id, [record(1, t < 1000 ? happy : sad, t), record(2, happy, t)])
  return info.id
}

describe('SessionLibrary', () => {
  it('adds face_name, smoothed_label and source at the end of the columns only', () => {
    expect(SESSION_COLUMNS.slice(0, 20).at(-1)).toBe('inference_ms')
    expect(SESSION_COLUMNS.slice(20)).toEqual(['face_name', 'smoothed_label', 'source'])
  })

  it('lists a session with its date, source, duration (video time) and faces, and marks it running', async () => {
    const id = await videoSession()
    const [entry, ...rest] = await library.list()
    expect(rest).toEqual([])
    expect(entry).toMatchObject({ id, source: 'video: call.mp4', durationMs: 2000, faces: 2, rows: 22, running: true, truncated: false })
    expect(Date.parse(entry!.startedAt)).not.toBeNaN()
    await log.stop(id)
    expect((await library.list())[0]?.running).toBe(false)
  })

  it('logs the smoothed label, which lags a sudden change, and the source in every row', async () => {
    const id = await videoSession()
    await log.stop(id)
    const [header, ...rows] = parse(await readFile(join(dir, `${id}.csv`), 'utf8')) as string[][]
    const col = (name: string): number => header!.indexOf(name)
    const face1 = rows.filter((r) => r[col('face_id')] === '1')
    expect(face1.map((r) => r[col('label')])).toEqual([...Array(5).fill('happy'), ...Array(6).fill('sad')])
    // At t=1000 the raw label flips; 200 ms later with a 300 ms time constant the average has not yet.
    expect(face1[5]?.[col('smoothed_label')]).toBe('happy')
    expect(face1.at(-1)?.[col('smoothed_label')]).toBe('sad')
    expect(new Set(rows.map((r) => r[col('source')]))).toEqual(new Set(['video: call.mp4']))
    expect(face1.map((r) => Number(r[col('ms_since_start')]))).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000])
  })

  it('exports a session of an earlier run of the app, which used to fail with unknown-session', async () => {
    const id = await videoSession()
    await log.stopAll()
    // A new run: fresh log and library over the same folder.
    const nextLog = new SessionLog({ dir })
    const nextLibrary = new SessionLibrary(dir, nextLog)
    const services = {
      appInfo: () => ({}) as never,
      inference: {} as never,
      sessions: nextLog,
      library: nextLibrary,
      chooseExportPath: async (name: string) => join(exportDir, name)
    } as Services
    const handlers = createHandlers(services)
    const call = (channel: InvokeChannel, ...args: unknown[]): Promise<IpcResult<unknown>> => (handlers[channel] as (...a: unknown[]) => Promise<IpcResult<unknown>>)(...args)
    const result = await call('session:export', id)
    expect(result).toMatchObject({ ok: true, value: { saved: true, rows: 22 } })
    const [header, ...rows] = parse(await readFile(join(exportDir, `emotions-${id}.csv`), 'utf8')) as string[][]
    expect(header).toEqual([...SESSION_COLUMNS])
    expect(rows).toHaveLength(22)
    expect(await call('session:export', 'nope-123')).toMatchObject({ ok: false, error: { code: 'unknown-session' } })
  })

  it('opens a session cut short by a crash: the flushed rows count, the partial last row is dropped', async () => {
    const id = await videoSession()
    await log.snapshot(id)
    // What a crash mid-write leaves: a row without its end.
    await appendFile(join(dir, `${id}.csv`), '2026-01-01T00:00:00.000Z,2200,0,1,1,2,30,')
    const crashed = new SessionLibrary(dir, new SessionLog({ dir }))
    const opened = await crashed.open(id)
    expect(opened.entry).toMatchObject({ rows: 22, truncated: true, running: false, source: 'video: call.mp4' })
    expect(opened.summary.call.rows).toBe(22)
    expect(opened.summary.faces.map((f) => f.rows)).toEqual([11, 11])
    expect(new Set(opened.timeline.map((p) => p.faceId))).toEqual(new Set([1, 2]))
  })

  it('opens a log from before the new columns and the meta file existed', async () => {
    const old = SESSION_COLUMNS.slice(0, 20)
    const row = ['2026-11-27T11:08:43.000Z', 0, 0, 4, 1, 2, 3, 4, 'resnet50-fer', 'cpu', 'sad', 0.7, ...sad, 2]
    const row2 = ['2026-11-27T11:08:44.000Z', 500, 1, 4, 1, 2, 3, 4, 'resnet50-fer', 'cpu', 'sad', 0.7, ...sad, 2]
    await writeFile(join(dir, '20261127-110843-abcdef.csv'), [old, row, row2].map((r) => r.join(',') + '\r\n').join(''))
    const [entry] = await library.list()
    expect(entry).toMatchObject({ id: '20261127-110843-abcdef', startedAt: '2026-11-27T11:08:43.000Z', source: 'unknown', durationMs: 500, faces: 1, rows: 2 })
    const opened = await library.open('20261127-110843-abcdef')
    // smoothed_label did not exist yet: the summary smooths the rows as main does while logging.
    expect(opened.summary.faces[0]).toMatchObject({ faceId: 4, rows: 2, dominant: 'sad' })
    await library.exportCsv('20261127-110843-abcdef', join(exportDir, 'old.csv'))
    const [header, first] = parse(await readFile(join(exportDir, 'old.csv'), 'utf8')) as string[][]
    expect(header).toEqual([...SESSION_COLUMNS])
    expect(first?.slice(-3)).toEqual(['', '', 'unknown'])
  })

  it('lists a CSV that is not a session log with the reason, so it can be deleted; skips names that are not ids', async () => {
    await writeFile(join(dir, 'notes.csv'), 'hello,world\r\n')
    await writeFile(join(dir, 'bad name!.csv'), 'x')
    expect(await library.list()).toEqual([expect.objectContaining({ id: 'notes', rows: 0, problem: "the file does not start with the session log's header" })])
    await expect(library.exportCsv('notes', join(exportDir, 'n.csv'))).rejects.toMatchObject({ code: 'unknown-session' })
    await library.delete('notes')
    expect(await readdir(dir)).toEqual(['bad name!.csv'])
  })

  it('deletes a finished session (CSV and meta) but refuses a running one', async () => {
    const id = await videoSession()
    await expect(library.delete(id)).rejects.toMatchObject({ code: 'session-busy' })
    await log.stop(id)
    await library.delete(id)
    expect(await readdir(dir)).toEqual([])
    await expect(library.open(id)).rejects.toMatchObject({ code: 'unknown-session' })
    await expect(library.delete(id)).rejects.toMatchObject({ code: 'unknown-session' })
  })

  it('names a face: later rows carry the name, the export all rows; merges rewrite the id', async () => {
    const info = await log.start({ source: 'webcam: cam', modelId: 'resnet50-fer' })
    log.append(info.id, [record(1, happy, 0), record(3, happy, 0)])
    await library.nameFace(info.id, 1, '  Ada ')
    log.append(info.id, [record(1, happy, 100), record(3, sad, 100)])
    await log.stop(info.id)
    const onDisk = parse(await readFile(info.path, 'utf8')) as string[][]
    const nameCol = SESSION_COLUMNS.indexOf('face_name')
    expect(onDisk.slice(1).map((r) => r[nameCol])).toEqual(['', '', 'Ada', ''])

    const faces = await library.mergeFaces(info.id, 3, 1)
    expect(faces).toEqual({ names: { '1': 'Ada' }, merges: { '3': 1 } })
    await expect(library.mergeFaces(info.id, 3, 1)).rejects.toMatchObject({ code: 'invalid-argument' })
    const opened = await library.open(info.id)
    expect(opened.summary.faces.map((f) => [f.faceId, f.rows])).toEqual([[1, 4]])
    expect(new Set(opened.timeline.map((p) => p.faceId))).toEqual(new Set([1]))
    expect(opened.entry.faces).toBe(1)

    await library.exportCsv(info.id, join(exportDir, 'named.csv'))
    const exported = parse(await readFile(join(exportDir, 'named.csv'), 'utf8')) as string[][]
    const idCol = SESSION_COLUMNS.indexOf('face_id')
    expect(exported.slice(1).map((r) => [r[idCol], r[nameCol]])).toEqual([
      ['1', 'Ada'],
      ['1', 'Ada'],
      ['1', 'Ada'],
      ['1', 'Ada']
    ])
    // Names survive a restart: they live in the meta file beside the CSV.
    const again = await new SessionLibrary(dir, new SessionLog({ dir })).open(info.id)
    expect(again.names).toEqual({ '1': 'Ada' })
    await library.nameFace(info.id, 1, '')
    expect((await library.open(info.id)).names).toEqual({})
  })
})

describe('folder export', () => {
  it('writes session.csv, summary.csv and the charts', async () => {
    const id = await videoSession()
    await log.stop(id)
    await library.nameFace(id, 2, 'Bo')
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const result = await library.exportFolder(id, exportDir, [{ name: 'timeline-face-1', svg: '<svg></svg>', png }])
    // A new folder named after the session, inside the folder the user chose.
    const folder = join(exportDir, `emotions-${id}`)
    expect(result).toEqual({ saved: true, folder, rows: 22, files: ['session.csv', 'summary.csv', 'timeline-face-1.svg', 'timeline-face-1.png'] })
    expect((await readdir(folder)).sort()).toEqual(['session.csv', 'summary.csv', 'timeline-face-1.png', 'timeline-face-1.svg'])
    const [header, call, face1, face2] = parse(await readFile(join(folder, 'summary.csv'), 'utf8')) as string[][]
    expect(header?.slice(0, 4)).toEqual(['scope', 'face_id', 'face_name', 'seen_s'])
    expect(call?.[0]).toBe('call')
    expect(face1?.slice(0, 3)).toEqual(['face', '1', ''])
    expect(face2?.slice(0, 3)).toEqual(['face', '2', 'Bo'])
    // Face 1 was happy for a second, then sad; the smoothing lags the flip by one row.
    expect(Number(face1?.[header!.indexOf('share_happy')])).toBeCloseTo(0.545, 2)
    expect(Number(face2?.[header!.indexOf('share_happy')])).toBe(1)
    expect(await readFile(join(folder, 'timeline-face-1.png'))).toEqual(Buffer.from(png))
  })

  it('reports an unwritable folder without losing the session', async () => {
    const id = await videoSession()
    await log.stop(id)
    await writeFile(join(exportDir, 'a-file'), 'x')
    await expect(library.exportFolder(id, join(exportDir, 'a-file', 'sub'), [])).rejects.toMatchObject({ code: 'session-write-failed' })
    expect((await library.open(id)).entry.rows).toBe(22)
  })
})

describe('the index beside each CSV', () => {
  it('lists, opens and names from the index, not the CSV: same-size garbage in the CSV changes nothing', async () => {
    const id = await videoSession()
    await log.stop(id)
    const before = await library.open(id)
    const path = join(dir, `${id}.csv`)
    const size = (await readFile(path)).length
    await writeFile(path, 'x'.repeat(size))
    const fresh = new SessionLibrary(dir, new SessionLog({ dir }))
    expect((await fresh.list())[0]).toMatchObject({ id, rows: 22, faces: 2 })
    expect((await fresh.open(id)).summary).toEqual(before.summary)
    expect(await fresh.nameFace(id, 1, 'Ada')).toEqual({ names: { '1': 'Ada' }, merges: {} })
  })

  it('indexes a CSV again when it changed size after its index (rows a crash left past the last index)', async () => {
    const id = await videoSession()
    await log.stop(id)
    const extra = (await readFile(join(dir, `${id}.csv`), 'utf8')).split('\r\n')[2]!
    await appendFile(join(dir, `${id}.csv`), `${extra}\r\n`)
    const fresh = new SessionLibrary(dir, new SessionLog({ dir }))
    expect((await fresh.list())[0]).toMatchObject({ id, rows: 23 })
  })

  it('rebuilds the index a crash left behind (written while running, not final)', async () => {
    const info = await log.start({ source: 'webcam: cam', modelId: 'resnet50-fer' })
    log.append(info.id, [record(1, happy, 0), record(2, sad, 0)])
    await log.snapshot(info.id)
    // The app dies here: no stop, so the index on disk is the one written at start.
    const stale = JSON.parse(await readFile(join(dir, `${info.id}.json`), 'utf8')) as { final: boolean; rows: number }
    expect(stale).toMatchObject({ final: false, rows: 0 })
    const afterCrash = new SessionLibrary(dir, new SessionLog({ dir }))
    expect((await afterCrash.list())[0]).toMatchObject({ id: info.id, rows: 2, faces: 2, running: false, source: 'webcam: cam' })
  })

  it.each([
    ['0 bytes', '', 0, 'the file is empty'],
    ['LF line ends', 'LF', 2, undefined],
    ['a byte-order mark', 'BOM', 2, undefined],
    ['an unbalanced quote', 'QUOTE', 1, undefined]
  ])('lists and deletes a CSV with %s', async (_what, kind, rows, problem) => {
    const id = await videoSession()
    await log.stop(id)
    const [header, first, second] = (await readFile(join(dir, `${id}.csv`), 'utf8')).split('\r\n')
    const other = '20261127-120000-bbbbbb'
    const text =
      kind === '' ? '' : kind === 'LF' ? `${header}\n${first}\n${second}\n` : kind === 'BOM' ? `\uFEFF${header}\r\n${first}\r\n${second}\r\n` : `${header}\r\n"${first}\r\n${second}\r\n`
    await writeFile(join(dir, `${other}.csv`), text)
    const entry = (await library.list()).find((e) => e.id === other)
    expect(entry).toMatchObject({ rows, ...(problem ? { problem } : {}) })
    if (!problem) expect(entry?.problem).toBeUndefined()
    await library.delete(other)
    expect((await library.list()).map((e) => e.id)).toEqual([id])
  })

  it('changes names only once they are on disk: a failed write answers an error and changes nothing', async () => {
    const id = await videoSession()
    await log.stop(id)
    await library.nameFace(id, 1, 'Ada')
    const onDisk = await readFile(join(dir, `${id}.json`), 'utf8')
    const atomic = await import('../../../src/main/app/atomic-write')
    const full = vi.spyOn(atomic, 'writeFileAtomic').mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
    try {
      await expect(library.nameFace(id, 2, 'Bo')).rejects.toMatchObject({ code: 'session-write-failed' })
      await expect(library.mergeFaces(id, 2, 1)).rejects.toMatchObject({ code: 'session-write-failed' })
    } finally {
      full.mockRestore()
    }
    expect((await library.open(id)).names).toEqual({ '1': 'Ada' })
    expect((await library.open(id)).merges).toEqual({})
    expect(await readFile(join(dir, `${id}.json`), 'utf8')).toBe(onDisk)
  })

  it('keeps a running session\'s names in memory only once written, and its later rows carry them', async () => {
    const info = await log.start({ source: 'webcam: cam', modelId: 'resnet50-fer' })
    const atomic = await import('../../../src/main/app/atomic-write')
    const full = vi.spyOn(atomic, 'writeFileAtomic').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
    await expect(library.nameFace(info.id, 1, 'Ada')).rejects.toMatchObject({ code: 'session-write-failed' })
    full.mockRestore()
    expect(log.append(info.id, [record(1, happy, 0)])[0]?.faceName).toBeUndefined()
    await library.nameFace(info.id, 1, 'Ada')
    expect(log.append(info.id, [record(1, happy, 100)])[0]?.faceName).toBe('Ada')
    expect((await library.open(info.id)).names).toEqual({ '1': 'Ada' })
  })

  it('answers unknown-session when a deleted session is stopped again', async () => {
    const id = await videoSession()
    await log.stop(id)
    await library.delete(id)
    await expect(log.stop(id)).rejects.toMatchObject({ code: 'unknown-session' })
  })
})

describe('exports of a session nothing was changed in', () => {
  it('are the log byte for byte, as CSV and in the folder, with its row count', async () => {
    const id = await videoSession()
    await log.stop(id)
    const original = await readFile(join(dir, `${id}.csv`))
    expect(await library.exportCsv(id, join(exportDir, 'plain.csv'))).toMatchObject({ saved: true, rows: 22 })
    expect((await readFile(join(exportDir, 'plain.csv'))).equals(original)).toBe(true)
    const folder = await library.exportFolder(id, exportDir, [])
    expect(folder.rows).toBe(22)
    expect((await readFile(join(folder.folder!, 'session.csv'))).equals(original)).toBe(true)
    // Once a face is named the rows of that face are rewritten, so the export differs.
    await library.nameFace(id, 2, 'Bo')
    await library.exportCsv(id, join(exportDir, 'named.csv'))
    expect((await readFile(join(exportDir, 'named.csv'))).equals(original)).toBe(false)
  })
})
