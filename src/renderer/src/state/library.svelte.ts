import type { ExportResult } from '../../../shared/ipc'
import type { FolderExportResult, SessionEntry, SessionFaces, SessionRecord } from '../../../shared/session-data'
import type { SessionSummaryReport } from '../../../shared/session-summary'
import { errors } from './errors.svelte'

/** How often an opened session that is still being written is re-read, for a live timeline. */
const LIVE_REFRESH_MS = 2000

class LibraryState {
  entries = $state.raw<SessionEntry[]>([])
  loading = $state(false)
  /** The opened session, with its summary. */
  opened = $state.raw<SessionRecord | null>(null)
  summary = $state.raw<SessionSummaryReport | null>(null)
  /** Id waiting for the user to confirm its deletion. */
  confirmingDelete = $state<string | null>(null)
  exporting = $state(false)
  lastExport = $state.raw<FolderExportResult | null>(null)
  lastCsvExport = $state.raw<ExportResult | null>(null)

  private timer: ReturnType<typeof setInterval> | null = null

  /** Re-reads the list of sessions in the user-data folder. */
  async refresh(): Promise<void> {
    this.loading = true
    try {
      this.entries = await window.api.listSessions()
    } catch (error) {
      errors.report('List sessions', error)
    } finally {
      this.loading = false
    }
  }

  /** Opens a session; one still being written is re-read every couple of seconds. */
  async open(id: string): Promise<void> {
    this.stopFollowing()
    this.lastExport = null
    this.lastCsvExport = null
    await this.load(id)
    if (this.opened?.entry.running) {
      this.timer = setInterval(() => {
        const current = this.opened
        if (!current?.entry.running) return this.stopFollowing()
        void this.load(current.entry.id)
      }, LIVE_REFRESH_MS)
    }
  }

  private async load(id: string): Promise<void> {
    try {
      const record = await window.api.openSession(id)
      this.opened = record
      this.summary = record.summary
    } catch (error) {
      errors.report('Open session', error)
    }
  }

  private stopFollowing(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Closes the opened session. */
  close(): void {
    this.stopFollowing()
    this.opened = null
    this.summary = null
  }

  /** Deletes a session after the user confirmed it. */
  async remove(id: string): Promise<void> {
    this.confirmingDelete = null
    try {
      await window.api.deleteSession(id)
      if (this.opened?.entry.id === id) this.close()
    } catch (error) {
      errors.report('Delete session', error)
    }
    await this.refresh()
  }

  /** Exports the raw CSV again through the save dialog. */
  async exportCsv(id: string): Promise<void> {
    try {
      this.lastCsvExport = await window.api.exportSession(id)
    } catch (error) {
      errors.report('Export CSV', error)
    }
  }

  /** Exports raw CSV, summary CSV and the charts into a folder the user picks. */
  async exportFolder(id: string, charts: () => Promise<{ name: string; svg: string; png: Uint8Array }[]>): Promise<void> {
    this.exporting = true
    try {
      this.lastExport = await window.api.exportSessionFolder({ sessionId: id, charts: await charts() })
    } catch (error) {
      errors.report('Export session', error)
    } finally {
      this.exporting = false
    }
  }

  /** Names a face of the opened session; the log's later rows and every export carry the name. */
  async nameFace(faceId: number, name: string): Promise<void> {
    const id = this.opened?.entry.id
    if (!id) return
    try {
      this.applyFaces(await window.api.nameFace({ sessionId: id, faceId, name }))
    } catch (error) {
      errors.report('Name face', error)
    }
  }

  /** Merges two faces of the opened session into one. */
  async mergeFaces(from: number, into: number): Promise<void> {
    const id = this.opened?.entry.id
    if (!id) return
    try {
      await window.api.mergeFaces({ sessionId: id, from, into })
      await this.load(id)
      // The list shows the number of faces, which the merge changed.
      await this.refresh()
    } catch (error) {
      errors.report('Merge faces', error)
    }
  }

  private applyFaces(faces: SessionFaces): void {
    if (this.opened) this.opened = { ...this.opened, ...faces }
  }
}

/** The session library: past sessions, the opened one's summary, names and exports. */
export const library = new LibraryState()
