/**
 * Run before `npm start` and `npm run dev`: says clearly when the Electron binary is missing, and
 * the one command that fetches it. package.json `allowScripts` keeps electron's own download off
 * during `npm ci` (scripts/postinstall.mjs tries it and only warns), so a machine that could not
 * reach GitHub then has the electron package without its binary; electron-vite would only answer
 * "Error: Electron uninstall". Usage: node scripts/check-electron.mjs [path to node_modules/electron]
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const FETCH = 'node node_modules/electron/install.js'

/** The electron package's folder, or null when the package itself is not installed. */
function electronDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
}

/** What is missing, in a sentence, or null when the binary is there (resolved as electron/index.js does). */
function problem(dir) {
  if (!dir) return 'the electron package is not installed; run npm ci first.'
  const pathFile = join(dir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!executable && !override) {
    return `the Electron binary is not installed: ${pathFile} does not exist, so its download never ran (npm ci leaves it to scripts/postinstall.mjs, which needs GitHub).\n  Fetch it with: ${FETCH}`
  }
  const binary = override ? join(override, executable || 'electron') : join(dir, 'dist', executable)
  if (!existsSync(binary)) return `the Electron binary is not installed: ${binary} does not exist.\n  Fetch it with: ${FETCH}`
  return null
}

const found = problem(process.argv[2] ?? electronDir())
if (found) {
  console.error(`[electron] Cannot start the app: ${found}`)
  process.exit(1)
}
