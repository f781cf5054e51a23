/**
 * Writes exports where the user asked and nowhere else, whole or not at all:
 * - exportFolder makes a NEW folder inside the folder the user picked ("name", else "name (2)", ...),
 *   never merges into an existing one, and creates each file there with O_CREAT|O_EXCL|O_NOFOLLOW;
 * - exportFile writes a temp file beside the destination, fsyncs it and renames it over the
 *   destination (the save dialog already asked about replacing it); a symlink there is replaced, not followed.
 * Content is streamed from (async) iterables of chunks, pulled only as fast as the disk takes them,
 * so an hour-long CSV never sits in memory. On any failure what was created is removed and an
 * AppError('session-write-failed') says what happened; nothing is left behind, not even a 0-byte file.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, realpath, rename, rmdir, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { AppError, describeError } from '../app/app-error'
import { exportedPaths, type ExportRegistry } from './export-registry'

/** One piece of a file's content: text (written as UTF-8) or bytes. */
export type ExportChunk = string | Uint8Array

/** A file's content: all of it at once, or chunks from an iterable, an async iterable or a Node Readable. */
export type ExportContent = ExportChunk | Iterable<ExportChunk> | AsyncIterable<ExportChunk>

/** One file of a folder export: a plain file name (no folders) and its content. */
export interface ExportFile {
  name: string
  content: ExportContent
}

/** What exportFolder wrote. */
export interface FolderExport {
  /** The new folder, inside the one the user picked. */
  folder: string
  /** The names of the files written there, in order. */
  files: string[]
  bytes: number
}

/** What exportFile wrote. */
export interface FileExport {
  path: string
  bytes: number
}

/** Options of both exports. */
export interface ExportOptions {
  /** Where the written path is recorded for "Show in folder"; the run's registry by default, null for none. */
  registry?: ExportRegistry | null
}

// Never follow a symlink where a file is created; O_NOFOLLOW does not exist on Windows, where O_EXCL
// alone already refuses any existing entry, links included.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

// Chunks are gathered up to this size before a write, so a CSV streamed row by row is not a syscall a row.
const WRITE_BATCH_BYTES = 256 * 1024

/** Folder names get " (2)" ... " (999)" before the export gives up. */
const MAX_FOLDER_TRIES = 999

// Windows refuses these names whatever the extension (CON, con.csv, COM1.txt).
const RESERVED_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i
// eslint-disable-next-line no-control-regex -- control characters are among what a file name must not hold
const FORBIDDEN_CHARACTER = /[<>:"/\\|?*\u0000-\u001f\u007f]/

/** Why `name` cannot be a file or folder name on every OS the app runs on, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty'
  if (name === '.' || name === '..') return 'is not a name'
  if (Buffer.byteLength(name) > 200) return 'is longer than 200 bytes'
  const bad = FORBIDDEN_CHARACTER.exec(name)?.[0]
  if (bad !== undefined) return `holds "${bad.charCodeAt(0) < 0x20 || bad === '\u007f' ? `U+${bad.charCodeAt(0).toString(16).padStart(4, '0')}` : bad}", which a file name cannot hold`
  if (/[. ]$/.test(name)) return 'ends with a dot or a space, which Windows drops'
  if (RESERVED_NAME.test(name)) return 'is a name Windows reserves for a device'
  return undefined
}

// macOS and Windows compare names without case (and macOS without Unicode normalisation).
const collisionKey = (name: string): string => name.normalize('NFC').toUpperCase().toLowerCase()

/** Refuses a name that is not portable or that collides, without regard to case, with one already seen. */
function checkName(name: string, seen: Map<string, string>): void {
  const problem = fileNameProblem(name)
  if (problem) throw new AppError('session-write-failed', `Cannot export a file named "${name.slice(0, 80)}": the name ${problem}.`)
  const key = collisionKey(name)
  const earlier = seen.get(key)
  if (earlier !== undefined) {
    throw new AppError('session-write-failed', `Cannot export both "${earlier}" and "${name}": the names differ only in case, and macOS and Windows would keep one file for both.`)
  }
  seen.set(key, name)
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** What an OS error means, in words. */
function reason(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the disk is read-only'
    case 'ENOENT':
      return 'the folder no longer exists'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    case 'ELOOP':
      return 'the path is a symbolic link, which the export does not follow'
    case 'EEXIST':
      return 'something of that name appeared there meanwhile'
    default:
      return describeError(error)
  }
}

/** The error the export answers; an AppError from the content (e.g. the session is gone) keeps its code. */
function failure(what: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  return new AppError('session-write-failed', `${what}: ${reason(error)}. Nothing was left behind.`, { cause: error })
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExportChunk> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** The content as chunks; a string or bytes is one chunk (both are iterable, but not of chunks). */
async function* chunksOf(content: ExportContent): AsyncIterable<ExportChunk> {
  if (typeof content === 'string' || ArrayBuffer.isView(content)) yield content
  else if (isAsyncIterable(content)) yield* content
  else yield* content
}

function toBytes(chunk: ExportChunk): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  if (ArrayBuffer.isView(chunk)) return chunk
  throw new TypeError(`an export chunk must be a string or bytes, not ${typeof chunk}`)
}

/** Writes every chunk, in batches, each awaited before the next chunk is pulled (backpressure); fsyncs. */
async function writeAll(handle: FileHandle, content: ExportContent): Promise<number> {
  let batch: Uint8Array[] = []
  let batched = 0
  let bytes = 0
  const flush = async (): Promise<void> => {
    if (batched === 0) return
    const data = batch.length === 1 ? (batch[0] as Uint8Array) : Buffer.concat(batch, batched)
    batch = []
    batched = 0
    // FileHandle.write may write less than asked; loop until all of it is down.
    for (let offset = 0; offset < data.length; ) offset += (await handle.write(data, offset, data.length - offset)).bytesWritten
    bytes += data.length
  }
  for await (const chunk of chunksOf(content)) {
    const data = toBytes(chunk)
    batch.push(data)
    batched += data.length
    if (batched >= WRITE_BATCH_BYTES) await flush()
  }
  await flush()
  await handle.sync()
  return bytes
}

/** Creates `path` (which must not exist, not even as a link), writes the content, fsyncs and closes it. */
async function writeNewFile(path: string, content: ExportContent, created: string[]): Promise<number> {
  const handle = await open(path, CREATE_NEW, 0o666)
  // O_EXCL: this file is ours, so a cleanup may remove it.
  created.push(path)
  try {
    return await writeAll(handle, content)
  } finally {
    await handle.close()
  }
}

/** The folder's real path, once its links are resolved (the user picked it); it must be a folder. */
async function realFolder(folder: string): Promise<string> {
  const real = await realpath(folder)
  if (!(await lstat(real)).isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: 'ENOTDIR' })
  return real
}

/**
 * fsync of a folder, so a new entry in it survives a power cut. Best effort: the files themselves are
 * already fsynced, and Windows (and some file systems) cannot sync a folder at all.
 */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(folder, constants.O_RDONLY).catch(() => undefined)
  await handle?.sync().catch(() => undefined)
  await handle?.close().catch(() => undefined)
}

/** Creates "name", or "name (2)", "name (3)" ... when that exists, inside `parent`; answers its name. */
async function makeNewFolder(parent: string, folderName: string): Promise<string> {
  for (let n = 1; n <= MAX_FOLDER_TRIES; n++) {
    const name = n === 1 ? folderName : `${folderName} (${n})`
    try {
      // Not recursive: an existing folder, file or link of that name fails with EEXIST and is left alone.
      await mkdir(join(parent, name))
      return name
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error
    }
  }
  throw new AppError('session-write-failed', `Cannot export into "${parent}": "${folderName}" and ${MAX_FOLDER_TRIES - 1} numbered folders of that name exist already.`)
}

/**
 * Exports files into a new folder `folderName` inside `parent` (the folder the user picked); when a
 * folder, file or link of that name exists, into "folderName (2)", "(3)" ... instead: it never
 * merges into or writes through anything that was there. File names must be plain, portable and
 * distinct without regard to case. Each file is created new (never through a link), streamed,
 * fsynced. On any failure every file it created and the new folder are removed and it throws an
 * AppError ('session-write-failed' with the reason, or the content's own AppError).
 */
export async function exportFolder(
  parent: string,
  folderName: string,
  files: Iterable<ExportFile> | AsyncIterable<ExportFile>,
  options: ExportOptions = {}
): Promise<FolderExport> {
  const problem = fileNameProblem(folderName)
  if (problem) throw new AppError('session-write-failed', `Cannot export into a folder named "${folderName.slice(0, 80)}": the name ${problem}.`)
  const seen = new Map<string, string>()
  // A list is checked whole before anything is created; names from a generator are checked as they come.
  if (Array.isArray(files)) for (const file of files as ExportFile[]) checkName(file.name, seen)
  const what = `Cannot export into "${parent}"`
  let real: string
  let name: string
  try {
    real = await realFolder(parent)
    name = await makeNewFolder(real, folderName)
  } catch (error) {
    throw failure(what, error)
  }
  const folder = join(real, name)
  const created: string[] = []
  const written: string[] = []
  let bytes = 0
  try {
    // The folder is new and ours: it must still be a plain folder (no link swapped in since mkdir).
    const made = await lstat(folder)
    if (!made.isDirectory() || (await realpath(folder)) !== folder) throw Object.assign(new Error('the new folder was replaced'), { code: 'ELOOP' })
    const names = Array.isArray(files) ? null : seen
    for await (const file of files) {
      if (names) checkName(file.name, names)
      bytes += await writeNewFile(join(folder, file.name), file.content, created)
      written.push(file.name)
    }
    await syncFolder(folder)
    await syncFolder(real)
  } catch (error) {
    await removeCreated(created, folder)
    throw failure(`${what} (folder "${name}")`, error)
  }
  // What the user sees is the folder they picked, with the new one in it.
  const shown = join(resolve(parent), name)
  if (options.registry !== null) (options.registry ?? exportedPaths).remember(shown)
  return { folder: shown, files: written, bytes }
}

/** Removes the files an export created, then its folder if it made one; what cannot be removed is left quietly. */
async function removeCreated(files: readonly string[], folder?: string): Promise<void> {
  for (const file of files) await unlink(file).catch(() => undefined)
  if (folder) await rmdir(folder).catch(() => undefined)
}

/**
 * Exports one file to `destination`, a path the user chose in a save dialog (which asked before
 * replacing): the content goes to a new temp file in the same folder (created new, never through a
 * link), is fsynced, then renamed over the destination, so the destination is the old file or the
 * whole new one, never half. A link at the destination is replaced, not followed. On failure the
 * temp file is removed and it throws an AppError as exportFolder does.
 */
export async function exportFile(destination: string, content: ExportContent, options: ExportOptions = {}): Promise<FileExport> {
  const path = resolve(destination)
  const base = basename(path)
  const what = `Cannot export to "${path}"`
  let real: string
  try {
    real = await realFolder(dirname(path))
    const existing = await lstat(join(real, base)).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined
      throw error
    })
    if (existing?.isDirectory()) throw new AppError('session-write-failed', `${what}: a folder of that name is there.`)
  } catch (error) {
    throw failure(what, error)
  }
  const temp = join(real, `.${base.slice(0, 100)}.${randomBytes(6).toString('hex')}.part`)
  const created: string[] = []
  let bytes: number
  try {
    bytes = await writeNewFile(temp, content, created)
    await rename(temp, join(real, base))
    created.length = 0
    await syncFolder(real)
  } catch (error) {
    await removeCreated(created)
    throw failure(what, error)
  }
  if (options.registry !== null) (options.registry ?? exportedPaths).remember(path)
  return { path, bytes }
}
