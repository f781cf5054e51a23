import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionLibrary } from '../../../src/main/sessions/session-library'
import { SessionLog } from '../../../src/main/sessions/session-log'
import { SESSION_COLUMNS, type FaceRecord } from '../../../src/main/sessions/session-rows'
import { parseCsv } from '../../../e2e/harness/rfc4180'

// appendFile is wrapped so one call can behave like a disk that fills up mid-write: the first bytes
// really reach the file, then the write fails with ENOSPC, as a full disk does.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return { ...real, appendFile: vi.fn(real.appendFile) }
})
const fs = await import('node:fs/promises')
const realFs = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')

/** The next append writes its first `rows` whole rows and 20 bytes of the next one, then fails like a full disk. */
function fillDiskAfter(rows: number): void {
  vi.mocked(fs.appendFile).mockImplementationOnce(async (path, data) => {
    const bytes = Buffer.from(data as string | Uint8Array)
    let end = 0
    for (let k = 0; k < rows; k++) end = bytes.indexOf('\r\n', end) + 2
    await realFs.appendFile(path, bytes.subarray(0, end + 20))
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  })
}

const record = (faceId: number): FaceRecord => ({
  frameIndex: faceId,
  faceId,
  box: { x: 1, y: 2, width: 30, height: 40 },
  modelId: 'resnet50-fer',
  executionProvider: 'cpu',
  label: 'happy',
  confidence: 0.7,
  probabilities: [0.05, 0.01, 0.04, 0.7, 0.1, 0.05, 0.05],
  inferenceMs: 3
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'session-full-'))
})
afterEach(async () => {
  vi.mocked(fs.appendFile).mockReset()
  await rm(dir, { recursive: true, force: true })
})

describe('SessionLog on a disk that fills up', () => {
  it.each([
    ['after rows were flushed', 300],
    ['in the very first flush', 0]
  ])('counts and exports the rows on disk and leaves no torn row (%s)', async (_when, before) => {
    const onError = vi.fn()
    const log = new SessionLog({ dir, onError })
    const { id, path } = await log.start({ source: 'Webcam', modelId: 'resnet50-fer' })
    for (let i = 0; i < before; i++) log.append(id, [record(i)])
    await log.snapshot(id)
    // 200 more rows; the disk takes 150 of them and the start of the next.
    for (let i = before; i < before + 200; i++) log.append(id, [record(i)])
    fillDiskAfter(150)
    await log.snapshot(id)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(String(onError.mock.calls[0]?.[0].message)).toContain('ENOSPC')

    const text = await readFile(path, 'utf8')
    // The strict reader also refuses a file whose last record is torn (no CRLF at the end).
    const [header, ...rows] = parseCsv(text)
    expect(rows).toHaveLength(before + 150)
    expect(rows.every((row) => row.length === header?.length)).toBe(true)
    expect(rows.at(-1)?.[SESSION_COLUMNS.indexOf('face_id')]).toBe(String(before + 149))

    // The library indexes the failed session from its CSV: its counts are the rows on disk, and the export copies them.
    const library = new SessionLibrary(dir, log)
    expect((await library.list())[0]).toMatchObject({ id, rows: before + 150, running: false, truncated: false })
    const destination = join(dir, 'export.csv')
    expect(await library.exportCsv(id, destination)).toEqual({ saved: true, path: destination, rows: before + 150 })
    expect(await readFile(destination, 'utf8')).toBe(text)
    expect(await log.stop(id)).toEqual({ id, rows: before + 150, path })
  })
})
