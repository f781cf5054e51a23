import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

let counter = 0

/**
 * Writes a whole file or leaves the old one: the data goes to a temporary file beside it, is
 * flushed to disk (fsync), then renamed over the target, which is atomic on one file system; the
 * folder is flushed too where the OS allows it, so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${(counter += 1)}`
  try {
    const file = await open(temp, 'w')
    try {
      await file.writeFile(data, 'utf8')
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  await syncFolder(dirname(path))
}

/** fsync of a folder: POSIX only (Windows cannot open a folder for it), and best effort. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  try {
    const folder = await open(dir, 'r')
    try {
      await folder.sync()
    } finally {
      await folder.close()
    }
  } catch {
    // Some file systems refuse to fsync a folder; the file itself is already on disk.
  }
}
