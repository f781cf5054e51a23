import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { AppError, describeError } from '../app/app-error'

/** One file of an export: its content whole or as chunks written as they come. */
export interface ExportFile {
  name: string
  content: string | Uint8Array | AsyncIterable<string | Uint8Array>
}

async function writeContent(path: string, content: ExportFile['content']): Promise<void> {
  const file = await open(path, 'wx')
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) await file.writeFile(content)
    else for await (const chunk of content) await (typeof chunk === 'string' ? file.write(chunk) : file.write(chunk))
    await file.sync()
  } finally {
    await file.close()
  }
}

/** Writes `content` to a temporary file beside `destination` and renames it over; nothing is left on failure. */
export async function exportFile(destination: string, content: ExportFile['content']): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeContent(temp, content)
    await rename(temp, destination)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    if (error instanceof AppError) throw error
    throw new AppError('session-write-failed', `cannot export to ${destination}: ${describeError(error)}`)
  }
}

/** Writes the files into a new folder `name` inside `parent`; on failure the folder is removed. Answers the folder. */
export async function exportFolder(parent: string, name: string, files: readonly ExportFile[]): Promise<string> {
  const folder = join(parent, name)
  try {
    await mkdir(folder)
  } catch (error) {
    throw new AppError('session-write-failed', `cannot export to ${folder}: ${describeError(error)}`)
  }
  try {
    for (const f of files) await writeContent(join(folder, f.name), f.content)
  } catch (error) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined)
    if (error instanceof AppError) throw error
    throw new AppError('session-write-failed', `cannot export to ${folder}: ${describeError(error)}`)
  }
  return folder
}
