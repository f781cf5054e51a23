import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ConsentState } from '../../shared/ipc'
import { AppError, describeError } from './app-error'

/**
 * Version of the first-run notice (src/renderer/src/components/ConsentNotice.svelte). Raising it
 * shows the notice again to users who acknowledged an older text.
 */
export const CONSENT_VERSION = 1

/** The first-run consent acknowledgement, kept as a small JSON file in the user-data folder. */
export class ConsentStore {
  constructor(private readonly path: string) {}

  /** The stored state; a missing, unreadable or older acknowledgement counts as not acknowledged. */
  async read(): Promise<ConsentState> {
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as Partial<ConsentState>
      if (raw.acknowledged === true && raw.version === CONSENT_VERSION && typeof raw.acknowledgedAt === 'string') {
        return { acknowledged: true, acknowledgedAt: raw.acknowledgedAt, version: CONSENT_VERSION }
      }
    } catch {
      // First run, or a damaged file: asking again is the safe answer.
    }
    return { acknowledged: false, acknowledgedAt: null, version: CONSENT_VERSION }
  }

  /** Records the acknowledgement; written to a temporary file first so a crash never leaves half a file. */
  async acknowledge(now: Date = new Date()): Promise<ConsentState> {
    const state: ConsentState = { acknowledged: true, acknowledgedAt: now.toISOString(), version: CONSENT_VERSION }
    const temp = `${this.path}.tmp`
    try {
      await mkdir(dirname(this.path), { recursive: true })
      await writeFile(temp, JSON.stringify(state, null, 2), 'utf8')
      await rename(temp, this.path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A folder where the file should be (EISDIR, or ENOTEMPTY/EEXIST/EPERM from rename) needs the user's hand.
      const why = code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM' ? 'a folder (or something else that is not a file) is in the way' : describeError(error)
      throw new AppError('storage-failed', `cannot save the consent acknowledgement to ${this.path}: ${why}; remove or rename it and try again`)
    }
    return state
  }
}
