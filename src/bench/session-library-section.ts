/**
 * The bench's session-library section: the app's own SessionLog and SessionLibrary over made-up
 * logs the size of an hour-long call (an hour of a 3x3 gallery, 324,000 rows, among 1,000 short
 * sessions), in a temporary user-data folder. Times list, open, name-face and exports the way the
 * IPC handlers call them, with a plain file copy (fsynced, as exports are) as the disk's speed beside the exports, and the
 * process's peak resident memory during each.
 */
import { copyFile, mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { SessionLibrary } from '../main/sessions/session-library'
import { SessionLog } from '../main/sessions/session-log'
import type { SessionLibraryRow } from './report'
import { HOUR_3X3, writeFixtureSession, writeShortSessions, type FixtureSession } from './session-fixtures'
import type { Progress } from './progress'

/** Sizes of a run: the whole hour and 1,000 others, or a minute and 20 for --quick. */
export function sessionLibrarySizes(quick: boolean): { long: FixtureSession; short: number } {
  return quick ? { long: { ...HOUR_3X3, seconds: 60 }, short: 20 } : { long: HOUR_3X3, short: 1000 }
}

/** Runs `work`, sampling the resident memory while it runs; answers its result, wall ms and peak RSS in MB. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5)
  const start = performance.now()
  try {
    const value = await work()
    const ms = performance.now() - start
    peak = Math.max(peak, process.memoryUsage.rss())
    return { value, ms, peakRssMb: peak / 2 ** 20 }
  } finally {
    clearInterval(timer)
  }
}

/** A plain copy made durable, as the exports make theirs (fsync before they answer). */
async function copyAndSync(from: string, to: string): Promise<void> {
  await copyFile(from, to)
  const file = await open(to, 'r+')
  try {
    await file.sync()
  } finally {
    await file.close()
  }
}

/** Measures the session library; the folder is removed afterwards. */
export async function runSessionLibrarySection(quick: boolean, progress: Progress): Promise<SessionLibraryRow[]> {
  const { long, short } = sessionLibrarySizes(quick)
  const root = await mkdtemp(join(os.tmpdir(), 'bench-sessions-'))
  const dir = join(root, 'sessions')
  const exports = join(root, 'exports')
  const rows: SessionLibraryRow[] = []
  try {
    progress.start('session library: writing made-up logs', 1)
    await mkdir(exports, { recursive: true })
    const csv = await writeFixtureSession(dir, long)
    await writeShortSessions(dir, short)
    progress.tick()
    progress.stop()
    const bytes = (await stat(csv)).size
    const mb = bytes / 1e6
    const longRows = long.faces * long.rate * long.seconds
    const sessions = short + 1
    const allRows = longRows + short * 3 * 2 * 20
    const hour = long.seconds >= 3600 ? 'the hour' : `${long.seconds} s of a 3x3 gallery`
    // A new SessionLog and SessionLibrary over the same folder is what a restart of the app gives.
    const fresh = (): SessionLibrary => new SessionLibrary(dir, new SessionLog({ dir }))
    const add = (operation: string, n: number, m: { ms: number; peakRssMb: number }, streamedMb: number | null = null): void => {
      rows.push({ operation, sessions, rows: n, ms: m.ms, mbPerSecond: streamedMb === null ? null : streamedMb / (m.ms / 1000), peakRssMb: m.peakRssMb })
    }

    progress.start('session library: list, open, name, export', 9)
    let library = fresh()
    add('index every CSV once (first list after an update or a crash)', allRows, await measured(() => library.list()), null)
    progress.tick()
    library = fresh()
    add('list (after a restart: reads the indexes)', allRows, await measured(() => library.list()))
    progress.tick()
    add('list again', allRows, await measured(() => library.list()))
    progress.tick()
    library = fresh()
    add(`open ${hour} (summary and timelines, after a restart)`, longRows, await measured(() => library.open(long.id)))
    progress.tick()
    add(`copy ${hour}'s CSV and fsync (the disk's speed)`, longRows, await measured(() => copyAndSync(csv, join(exports, 'copy.csv'))), mb)
    progress.tick()
    add(`export ${hour} as CSV (nothing named)`, longRows, await measured(() => library.exportCsv(long.id, join(exports, 'plain.csv'))), mb)
    progress.tick()
    add(`name a face in ${hour}`, longRows, await measured(() => library.nameFace(long.id, 4, 'Priya')))
    progress.tick()
    add(`export ${hour} as CSV (a face named)`, longRows, await measured(() => library.exportCsv(long.id, join(exports, 'export.csv'))), mb)
    progress.tick()
    add(`export ${hour} as a folder (CSV and summary)`, longRows, await measured(() => library.exportFolder(long.id, exports, [])), mb)
    progress.tick()
    progress.stop()
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  return rows
}
