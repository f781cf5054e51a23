import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/main/app/app-error'
import { DEFAULT_FLUSH_INTERVAL_MS, SESSION_ID_PATTERN, SessionLog } from '../../../src/main/sessions/session-log'
import { SESSION_COLUMNS, type FaceRecord } from '../../../src/main/sessions/session-rows'
import { EMOTIONS } from '../../../src/shared/emotions'
import { parseCsv } from '../../../e2e/harness/rfc4180'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'session-log-'))
})

afterEach(async () => {
  vi.useRealTimers()
  await rm(dir, { recursive: true, force: true })
})

const record = (faceId: number, frameIndex = 0): FaceRecord => ({
  frameIndex,
  faceId,
  box: { x: 10.25, y: -3, width: 80, height: 96.5 },
  modelId: 'resnet50-fer',
  executionProvider: 'cpu',
  label: 'happy',
  confidence: 0.7,
  probabilities: [0.05, 0.01, 0.04, 0.7, 0.1, 0.05, 0.05],
  inferenceMs: 12.345
})

/** The records of a session CSV, read with the strict RFC 4180 reader. */
const lines = async (path: string): Promise<string[][]> => parseCsv(await readFile(path, 'utf8'))

describe('SessionLog', () => {
  it('creates <dir>/<id>.csv with the header row at start', async () => {
    const log = new SessionLog({ dir: join(dir, 'sessions') })
    const info = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    expect(info.id).toMatch(SESSION_ID_PATTERN)
    expect(info.path).toBe(join(dir, 'sessions', `${info.id}.csv`))
    expect(await lines(info.path)).toEqual([[...SESSION_COLUMNS]])
    expect(SESSION_COLUMNS.filter((c) => c.startsWith('p_'))).toEqual(EMOTIONS.map((e) => `p_${e}`))
  })

  it('writes one row per face with every column, on stop', async () => {
    const log = new SessionLog({ dir })
    const { id, path } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    log.append(id, [record(1), record(2)])
    log.append(id, [record(1, 1)])
    const summary = await log.stop(id)
    expect(summary).toEqual({ id, rows: 3, path })
    const [header, ...rows] = parseCsv(await readFile(path, 'utf8'))
    expect(header).toEqual([...SESSION_COLUMNS])
    expect(rows).toHaveLength(3)
    const cells = rows[0] ?? []
    expect(cells).toHaveLength(SESSION_COLUMNS.length)
    const cell = (name: string): string | undefined => cells[SESSION_COLUMNS.indexOf(name as (typeof SESSION_COLUMNS)[number])]
    expect(new Date(cell('iso_time') ?? '').toString()).not.toBe('Invalid Date')
    expect(Number(cell('ms_since_start'))).toBeGreaterThanOrEqual(0)
    expect(cell('face_id')).toBe('1')
    expect(cell('box_x')).toBe('10.3')
    expect(cell('box_y')).toBe('-3')
    expect(cell('label')).toBe('happy')
    expect(cell('p_happy')).toBe('0.7')
    expect(cell('inference_ms')).toBe('12.35')
    expect(rows[2]?.[SESSION_COLUMNS.indexOf('frame_index')]).toBe('1')
  })

  it('buffers rows and flushes them on its interval, at least once a second', async () => {
    expect(DEFAULT_FLUSH_INTERVAL_MS).toBeLessThanOrEqual(1000)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const log = new SessionLog({ dir })
    const { id, path } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    log.append(id, [record(1)])
    await log.whenWritten(id)
    expect(await lines(path)).toHaveLength(1)
    vi.advanceTimersByTime(DEFAULT_FLUSH_INTERVAL_MS)
    await log.whenWritten(id)
    expect(await lines(path)).toHaveLength(2)
    await log.stop(id)
  })

  it('caps a requested flush interval at one second', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const log = new SessionLog({ dir, flushIntervalMs: 60_000 })
    const { id, path } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    log.append(id, [record(1)])
    vi.advanceTimersByTime(1000)
    await log.whenWritten(id)
    expect(await lines(path)).toHaveLength(2)
    await log.stop(id)
  })

  it('answers a clear session-write-failed when the folder cannot be created', async () => {
    const blocker = join(dir, 'not-a-folder')
    await writeFile(blocker, 'x')
    const log = new SessionLog({ dir: join(blocker, 'sessions') })
    const error = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('session-write-failed')
    expect((error as AppError).message).toContain(join(blocker, 'sessions'))
  })

  it('reports a failed write as an event, keeps the rows already written and fails later appends', async () => {
    const onError = vi.fn()
    const log = new SessionLog({ dir, onError })
    const { id, path } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    log.append(id, [record(1), record(2)])
    await log.snapshot(id)
    // Move the file away (same inode, so its rows stay) and put a folder where it was: appends now fail.
    const kept = join(dir, 'kept.csv')
    await rename(path, kept)
    await mkdir(path)
    log.append(id, [record(3)])
    await log.snapshot(id)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ sessionId: id })
    expect(String(onError.mock.calls[0]?.[0].message)).toContain(path)
    expect(await lines(kept)).toHaveLength(3)
    expect(() => log.append(id, [record(4)])).toThrowError(expect.objectContaining({ code: 'session-write-failed' }))
    expect(await log.stop(id)).toEqual({ id, rows: 2, path })
  })

  it('rejects unknown and stopped sessions', async () => {
    const log = new SessionLog({ dir })
    expect(() => log.append('nope', [record(1)])).toThrowError(expect.objectContaining({ code: 'unknown-session' }))
    await expect(log.stop('nope')).rejects.toMatchObject({ code: 'unknown-session' })
    const { id } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    await log.stop(id)
    expect(() => log.append(id, [record(1)])).toThrowError(expect.objectContaining({ code: 'unknown-session' }))
    expect((await log.stop(id)).rows).toBe(0)
  })

  it('starts no session and leaves no file when its index cannot be written', async () => {
    const log = new SessionLog({ dir })
    const first = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    await log.stop(first.id)
    const before = (await readdir(dir)).sort()
    // The CSV is created, then the index write fails (as on a disk that just filled up).
    const atomic = await import('../../../src/main/app/atomic-write')
    const blocked = vi.spyOn(atomic, 'writeFileAtomic').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
    try {
      await expect(log.start({ source: 'Webcam', modelId: 'resnet50-fer' })).rejects.toMatchObject({ code: 'session-write-failed' })
      expect(blocked).toHaveBeenCalledOnce()
    } finally {
      blocked.mockRestore()
    }
    expect((await readdir(dir)).sort()).toEqual(before)
  })

  it('answers unknown-session for a stopped session it was told to forget (deleted)', async () => {
    const log = new SessionLog({ dir })
    const { id } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    log.append(id, [record(1)])
    expect((await log.stop(id)).rows).toBe(1)
    log.forget(id)
    await expect(log.stop(id)).rejects.toMatchObject({ code: 'unknown-session' })
  })

  it('smooths each face once, and logs that smoothing as smoothed_label', async () => {
    const log = new SessionLog({ dir })
    const { id, path } = await log.start({ source: 'video: a.mp4', modelId: 'resnet50-fer' })
    const sad = [0.05, 0.01, 0.04, 0.05, 0.1, 0.7, 0.05]
    const at = (faceId: number, t: number, probabilities: number[]): FaceRecord => ({ ...record(faceId), probabilities, mediaTimeMs: t })
    const first = log.append(id, [at(1, 0, record(1).probabilities)])
    // 100 ms later a sad frame: with a 300 ms time constant the average is still happy.
    const second = log.append(id, [at(1, 100, sad)])
    expect(first[0]?.smoothed).toEqual(record(1).probabilities)
    const w = 1 - Math.exp(-100 / 300)
    second[0]!.smoothed!.forEach((p, i) => expect(p).toBeCloseTo(record(1).probabilities[i]! + w * (sad[i]! - record(1).probabilities[i]!), 10))
    expect(second[0]?.smoothedLabel).toBe('happy')
    await log.stop(id)
    const [header, ...rows] = await lines(path)
    expect(rows.map((r) => r[header!.indexOf('smoothed_label')])).toEqual(['happy', 'happy'])
  })

  it('keeps sessions apart', async () => {
    const log = new SessionLog({ dir })
    const a = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    const b = await log.start({ source: 'Screen', modelId: 'vit-fer' })
    expect(a.id).not.toBe(b.id)
    log.append(a.id, [record(1)])
    await log.stopAll()
    expect(await lines(a.path)).toHaveLength(2)
    expect(await lines(b.path)).toHaveLength(1)
  })
})
