import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportRegistry } from '../../../src/main/sessions/export-registry'
import { exportFile, exportFolder, fileNameProblem, type ExportFile } from '../../../src/main/sessions/safe-export'

let root: string
// The folder the user picked, and a folder outside it that a link may point into.
let picked: string
let outside: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'safe-export-'))
  picked = join(root, 'picked')
  outside = join(root, 'outside')
  await mkdir(picked)
  await mkdir(outside)
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const files = (...names: string[]): ExportFile[] => names.map((name) => ({ name, content: `${name}\r\n` }))

/** Everything under a folder, as relative paths, links marked. */
async function tree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = `${prefix}${entry.name}`
    if (entry.isSymbolicLink()) out.push(`${rel} -> link`)
    else if (entry.isDirectory()) out.push(`${rel}/`, ...(await tree(join(dir, entry.name), `${rel}/`)))
    else out.push(rel)
  }
  return out
}

async function errorOf(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected the export to fail')
}

describe('exportFolder', () => {
  it('writes the files into a new folder named after the session inside the picked folder', async () => {
    const registry = new ExportRegistry()
    const result = await exportFolder(picked, 'emotions-s1', files('session.csv', 'summary.csv'), { registry })
    expect(result).toEqual({ folder: join(picked, 'emotions-s1'), files: ['session.csv', 'summary.csv'], bytes: 26 })
    expect(await readFile(join(picked, 'emotions-s1', 'summary.csv'), 'utf8')).toBe('summary.csv\r\n')
    expect(registry.has(result.folder)).toBe(true)
  })

  it('never merges into an existing folder: a second export of the same session gets "name (2)", a third "name (3)"', async () => {
    await exportFolder(picked, 'emotions-s1', files('session.csv', 'timeline-face-1.svg'))
    const second = await exportFolder(picked, 'emotions-s1', files('session.csv'))
    const third = await exportFolder(picked, 'emotions-s1', files('session.csv'))
    expect(second.folder).toBe(join(picked, 'emotions-s1 (2)'))
    expect(third.folder).toBe(join(picked, 'emotions-s1 (3)'))
    // The first export's chart is not mixed into the second's folder.
    expect(await tree(picked)).toEqual([
      'emotions-s1/',
      'emotions-s1/session.csv',
      'emotions-s1/timeline-face-1.svg',
      'emotions-s1 (2)/',
      'emotions-s1 (2)/session.csv',
      'emotions-s1 (3)/',
      'emotions-s1 (3)/session.csv'
    ])
  })

  it('does not follow a link named like an output file in the picked folder: its target is untouched', async () => {
    const target = join(outside, 'precious.csv')
    await writeFile(target, 'keep me')
    await symlink(target, join(picked, 'summary.csv'))
    await exportFolder(picked, 'emotions-s1', files('summary.csv'))
    expect(await readFile(target, 'utf8')).toBe('keep me')
    expect((await lstat(join(picked, 'summary.csv'))).isSymbolicLink()).toBe(true)
    expect(await readFile(join(picked, 'emotions-s1', 'summary.csv'), 'utf8')).toBe('summary.csv\r\n')
  })

  it('does not write through a link named like the new folder: it makes "name (2)" beside it', async () => {
    await symlink(outside, join(picked, 'emotions-s1'))
    const result = await exportFolder(picked, 'emotions-s1', files('session.csv'))
    expect(result.folder).toBe(join(picked, 'emotions-s1 (2)'))
    expect(await readdir(outside)).toEqual([])
  })

  it('does not follow a dangling link named like the new folder either', async () => {
    await symlink(join(outside, 'not-yet'), join(picked, 'emotions-s1'))
    const result = await exportFolder(picked, 'emotions-s1', files('session.csv'))
    expect(result.folder).toBe(join(picked, 'emotions-s1 (2)'))
    expect(await readdir(outside)).toEqual([])
  })

  it('refuses file names that differ only in case, before creating anything', async () => {
    const error = await errorOf(exportFolder(picked, 'emotions-s1', files('session.csv', 'Chart.svg', 'chart.SVG')))
    expect(error.code).toBe('session-write-failed')
    expect(error.message).toContain('"Chart.svg" and "chart.SVG"')
    expect(await tree(picked)).toEqual([])
  })

  it('refuses case-insensitive duplicates from a generator too, removing what it had written', async () => {
    async function* generated(): AsyncIterable<ExportFile> {
      yield { name: 'Timeline.svg', content: '<svg/>' }
      yield { name: 'TIMELINE.svg', content: '<svg/>' }
    }
    const error = await errorOf(exportFolder(picked, 'emotions-s1', generated()))
    expect(error.code).toBe('session-write-failed')
    expect(await tree(picked)).toEqual([])
  })

  it.each([
    ['a path', '../escape.csv'],
    ['a Windows path', '..\\escape.csv'],
    ['a device name', 'CON.csv'],
    ['a device name in lower case', 'com1'],
    ['a trailing dot', 'summary.'],
    ['a colon', 'a:b.csv'],
    ['a control character', 'a\u0001.csv'],
    ['nothing', '']
  ])('refuses a file name with %s, creating nothing', async (_what, name) => {
    const error = await errorOf(exportFolder(picked, 'emotions-s1', files(name)))
    expect(error.code).toBe('session-write-failed')
    expect(await tree(picked)).toEqual([])
    expect(await readdir(root)).toEqual(['outside', 'picked'])
  })

  it('refuses a folder name that is not a plain name', async () => {
    expect((await errorOf(exportFolder(picked, '../outside', files('a.csv')))).code).toBe('session-write-failed')
    expect(await readdir(outside)).toEqual([])
  })

  it('leaves nothing behind when the content fails midway: no partial file, no 0-byte file, no folder', async () => {
    async function* breaks(): AsyncIterable<string> {
      yield 'time,face\r\n'
      yield '1,1\r\n'
      throw new Error('the session file went away')
    }
    const error = await errorOf(exportFolder(picked, 'emotions-s1', [{ name: 'summary.csv', content: 'ok' }, { name: 'session.csv', content: breaks() }]))
    expect(error.code).toBe('session-write-failed')
    expect(error.message).toContain('the session file went away')
    expect(error.message).toContain('Nothing was left behind')
    expect(await tree(picked)).toEqual([])
  })

  it('answers the content’s own AppError (its code) after cleaning up', async () => {
    const { AppError } = await import('../../../src/main/app/app-error')
    async function* gone(): AsyncIterable<string> {
      yield 'x'
      throw new AppError('unknown-session', 'no session "s1"')
    }
    const error = await errorOf(exportFolder(picked, 'emotions-s1', [{ name: 'session.csv', content: gone() }]))
    expect(error).toMatchObject({ code: 'unknown-session', message: 'no session "s1"' })
    expect(await tree(picked)).toEqual([])
  })

  it('fails clearly when the picked folder is a file or is missing, creating nothing', async () => {
    await writeFile(join(root, 'a-file'), 'x')
    expect((await errorOf(exportFolder(join(root, 'a-file'), 'emotions-s1', files('a.csv')))).code).toBe('session-write-failed')
    const missing = await errorOf(exportFolder(join(root, 'gone'), 'emotions-s1', files('a.csv')))
    expect(missing.code).toBe('session-write-failed')
    expect(missing.message).toContain('no longer exists')
    expect(await readdir(root)).toEqual(['a-file', 'outside', 'picked'])
  })

  it('records nothing in the registry when it fails', async () => {
    const registry = new ExportRegistry()
    await errorOf(exportFolder(picked, 'emotions-s1', files('a.csv', 'A.csv'), { registry }))
    expect(registry.has(join(picked, 'emotions-s1'))).toBe(false)
  })

  it('streams a large file chunk by chunk: what is produced but not yet on disk stays small', async () => {
    const chunk = `${'0.125,'.repeat(1000)}\r\n`
    const chunks = 8000 // 48 MB
    let produced = 0
    let mostAhead = 0
    async function* rows(): AsyncIterable<string> {
      for (let i = 0; i < chunks; i++) {
        if (i % 500 === 0 && i > 0) {
          const onDisk = (await stat(join(picked, 'emotions-s1', 'session.csv'))).size
          mostAhead = Math.max(mostAhead, produced - onDisk)
        }
        produced += chunk.length
        yield chunk
      }
    }
    const result = await exportFolder(picked, 'emotions-s1', [{ name: 'session.csv', content: rows() }])
    expect(result.bytes).toBe(chunk.length * chunks)
    expect((await stat(join(picked, 'emotions-s1', 'session.csv'))).size).toBe(chunk.length * chunks)
    // Never more than a write batch or two ahead of the disk (a joined string would be the whole 48 MB).
    expect(mostAhead).toBeLessThan(1024 * 1024)
  })
})

describe('exportFile', () => {
  it('writes the file whole and records it for "Show in folder"', async () => {
    const registry = new ExportRegistry()
    const destination = join(picked, 'emotions-s1.csv')
    expect(await exportFile(destination, ['a,b\r\n', new Uint8Array([0x31, 0x2c, 0x32])], { registry })).toEqual({ path: destination, bytes: 8 })
    expect(await readFile(destination, 'utf8')).toBe('a,b\r\n1,2')
    expect(registry.has(destination)).toBe(true)
    expect(await readdir(picked)).toEqual(['emotions-s1.csv'])
  })

  it('replaces an existing file (the save dialog asked) with the whole new one', async () => {
    const destination = join(picked, 'emotions-s1.csv')
    await writeFile(destination, 'old')
    await exportFile(destination, 'new')
    expect(await readFile(destination, 'utf8')).toBe('new')
  })

  it('replaces a link at the destination instead of writing through it: the target is untouched', async () => {
    const target = join(outside, 'precious.csv')
    await writeFile(target, 'keep me')
    const destination = join(picked, 'emotions-s1.csv')
    await symlink(target, destination)
    await exportFile(destination, 'new')
    expect(await readFile(target, 'utf8')).toBe('keep me')
    expect((await lstat(destination)).isFile()).toBe(true)
    expect(await readFile(destination, 'utf8')).toBe('new')
  })

  it('keeps the old file and leaves no temp file when the content fails midway', async () => {
    const destination = join(picked, 'emotions-s1.csv')
    await writeFile(destination, 'old')
    async function* breaks(): AsyncIterable<string> {
      yield 'half a row'
      throw new Error('read failed')
    }
    const error = await errorOf(exportFile(destination, breaks()))
    expect(error.code).toBe('session-write-failed')
    expect(await readFile(destination, 'utf8')).toBe('old')
    expect(await readdir(picked)).toEqual(['emotions-s1.csv'])
  })

  it('leaves no 0-byte file when the first export fails', async () => {
    const breaks: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('read failed')) })
    }
    await errorOf(exportFile(join(picked, 'emotions-s1.csv'), breaks))
    expect(await readdir(picked)).toEqual([])
  })

  it('refuses a destination that is a folder, and one in a missing folder', async () => {
    await mkdir(join(picked, 'emotions-s1.csv'))
    expect((await errorOf(exportFile(join(picked, 'emotions-s1.csv'), 'x'))).code).toBe('session-write-failed')
    expect((await errorOf(exportFile(join(root, 'gone', 'x.csv'), 'x'))).code).toBe('session-write-failed')
  })
})

describe('fileNameProblem', () => {
  it('accepts the names an export writes', () => {
    for (const name of ['session.csv', 'summary.csv', 'timeline-face-1.svg', 'emotions-20261127-110843-3f9a1c', 'Zoë (2).png']) expect(fileNameProblem(name)).toBeUndefined()
  })
})
