import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../harness/repo-paths'

const ELECTRON_DIR = join(REPO_ROOT, 'node_modules', 'electron')

/**
 * The Electron executable, found the way node_modules/electron/index.js finds it (path.txt names it
 * under dist/), without require('electron'), which throws where the binary was never downloaded;
 * or why the suite skips. With E2E_REQUIRE_ELECTRON=1 (CI, .github/workflows/release.yml) a
 * missing binary throws instead, so the suite can never pass there by skipping.
 */
export function findElectron(env: NodeJS.ProcessEnv = process.env): { path: string } | { skip: string } {
  const pathTxt = join(ELECTRON_DIR, 'path.txt')
  const missing = 'Electron binary not installed (node_modules/electron/path.txt / dist missing)'
  let found: { path: string } | { skip: string }
  if (!existsSync(pathTxt)) found = { skip: `${missing}: ${pathTxt} does not exist, so electron's postinstall download did not run or failed` }
  else {
    const binary = join(ELECTRON_DIR, 'dist', readFileSync(pathTxt, 'utf8').trim())
    found = existsSync(binary) ? { path: binary } : { skip: `${missing}: path.txt names ${binary}, which does not exist` }
  }
  if ('skip' in found && env.E2E_REQUIRE_ELECTRON === '1') throw new Error(`E2E_REQUIRE_ELECTRON=1 but ${found.skip}`)
  return found
}
