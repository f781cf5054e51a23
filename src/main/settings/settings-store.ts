import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { SettingsState, UserSettings } from '../../shared/ipc'
import { AppError, describeError } from '../app/app-error'
import { writeFileAtomic } from '../app/atomic-write'
import { parseSettingsFile, serializeSettings, SETTINGS_FILE, type SettingsDocument, type WindowState } from './settings-file'

/** The name a file that could not be used is kept under, beside it: settings.json.corrupt-2026-12-08T01-02-03-456Z. */
export const asideName = (now: Date): string => `${SETTINGS_FILE}.corrupt-${now.toISOString().replace(/:/g, '-').replace(/\./g, '-')}`

/** Where the store reads and writes, and what it tells. */
export interface SettingsStoreOptions {
  userDataDir: string
  log?: (message: string) => void
  now?: () => Date
}

/**
 * The settings that persist, in one file in the user-data folder (<userData>/settings.json): the
 * renderer's (model, last source, detector, video rate) and main's own (window bounds, overlay
 * visibility). Read once at start; a missing file means defaults, a file that cannot be used means
 * defaults plus a notice for the user, and the file is renamed aside, never overwritten or fatal.
 * Every save rewrites the whole file atomically; saves are queued, so the last one wins on disk.
 */
export class SettingsStore {
  private document: SettingsDocument = { user: {} }
  private notice: string | null = null
  private writing: Promise<void> = Promise.resolve()
  readonly path: string

  private constructor(private readonly options: SettingsStoreOptions) {
    this.path = join(options.userDataDir, SETTINGS_FILE)
  }

  /** Reads the settings file, setting a file that cannot be used aside. */
  static async open(options: SettingsStoreOptions): Promise<SettingsStore> {
    const store = new SettingsStore(options)
    await store.load()
    return store
  }

  private log(message: string): void {
    ;(this.options.log ?? console.log)(`[settings] ${message}`)
  }

  private async load(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      this.notice = `Your settings could not be read (${describeError(error)}); the app started with default settings.`
      this.log(`cannot read ${this.path}: ${describeError(error)}`)
      return
    }
    try {
      this.document = parseSettingsFile(text)
      return
    } catch (error) {
      const why = (error as Error).message
      const aside = join(this.options.userDataDir, asideName((this.options.now ?? (() => new Date()))()))
      try {
        await rename(this.path, aside)
        this.notice = `Your settings file ${why}, so the app started with default settings. The file was kept as ${aside}.`
      } catch (renameError) {
        this.notice = `Your settings file ${why}, so the app started with default settings. It could not be set aside (${describeError(renameError)}) and will be overwritten at the next change.`
      }
      this.log(`${this.path} ${why}; using defaults. ${this.notice}`)
    }
  }

  /** The renderer's settings and the notice about an unusable file, if there was one. */
  state(): SettingsState {
    return { settings: structuredClone(this.document.user), notice: this.notice }
  }

  /** Merges the renderer's settings (each key given replaces the saved one) and saves. */
  async update(patch: UserSettings): Promise<UserSettings> {
    this.document = { ...this.document, user: { ...this.document.user, ...patch } }
    await this.save()
    return structuredClone(this.document.user)
  }

  /** The main window's last bounds, if saved. */
  windowBounds(): WindowState | undefined {
    return this.document.windowBounds
  }

  /** Saves the main window's bounds. */
  async setWindowBounds(bounds: WindowState): Promise<void> {
    this.document = { ...this.document, windowBounds: bounds }
    await this.save()
  }

  /** Whether the overlay was last wanted visible, if saved. */
  overlayVisible(): boolean | undefined {
    return this.document.overlayVisible
  }

  /** Saves the overlay's wanted visibility (the tray and the shortcut change it). */
  async setOverlayVisible(visible: boolean): Promise<void> {
    if (this.document.overlayVisible === visible) return
    this.document = { ...this.document, overlayVisible: visible }
    await this.save()
  }

  /** Waits for the saves already asked for (quit). */
  flush(): Promise<void> {
    return this.writing
  }

  private save(): Promise<void> {
    // Each save writes the document as it is when its turn comes, so a burst ends with the newest.
    const run = this.writing.then(async () => {
      await mkdir(this.options.userDataDir, { recursive: true })
      await writeFileAtomic(this.path, serializeSettings(this.document))
    })
    this.writing = run.catch(() => undefined)
    return run.catch((error: unknown) => {
      this.log(`cannot save ${this.path}: ${describeError(error)}`)
      throw new AppError('storage-failed', `cannot save the settings to ${this.path}: ${describeError(error)}`)
    })
  }
}
