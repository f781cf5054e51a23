import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The repository root (this file is e2e/harness/repo-paths.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..')

/**
 * Where the shipped models and their cards live. E2E_MODELS_DIR points elsewhere only to develop
 * the harness itself before trained models exist; the suite's verdict is about resources/models.
 */
export const MODELS_DIR = process.env.E2E_MODELS_DIR ?? join(REPO_ROOT, 'resources', 'models')

/** electron-vite's build output. */
export const OUT_DIR = join(REPO_ROOT, 'out')

/** The built renderer that the harness serves. */
export const RENDERER_DIR = join(OUT_DIR, 'renderer')

/** The built main-process entry the Electron suite launches. */
export const MAIN_ENTRY = join(OUT_DIR, 'main', 'index.js')

/** The built bench CLI (npm run build:bench) that the Compare view runs. */
export const BENCH_CLI = join(OUT_DIR, 'bench', 'cli.mjs')

/** Newest modification time of any file under `dir` (0 when it does not exist). */
export function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}
