import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Replaces `path` with `data` so that a reader, a crash or a full disk sees the old file or the new
 * one, never half of either: write a temporary file beside it, fsync, rename over, fsync the folder.
 * On failure the temporary file is removed and the old file is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    // 'wx': never follows or reuses a file that is already there.
    const file = await open(temp, 'wx', 0o644)
    try {
      await file.writeFile(data)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  await syncDir(dir)
}

/** Makes a rename in `dir` durable; a platform that cannot open folders (Windows) skips it. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // The rename itself has happened; only its durability across a power cut is not guaranteed here.
  }
}
