/**
 * Run before `npm start` and `npm run dev`: says clearly when the Electron binary is missing, and
 * the one command that fetches it. package.json `allowScripts` keeps electron's own download off
 * during `npm ci` (scripts/postinstall.mjs tries it and only warns), so a machine that could not
 * reach GitHub then has the electron package without its binary; electron-vite would only answer
 * "Error: Electron uninstall". With `--dist` (before `npm run dist*`) it also checks, in seconds and
 * before the long build, that the hosts electron-builder downloads from resolve, and says what is
 * missing in one line.
 * Usage: node scripts/check-electron.mjs [--dist] [path to node_modules/electron]
 */
import { existsSync, readFileSync } from 'node:fs'
import { lookup } from 'node:dns/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const FETCH = 'node node_modules/electron/install.js'
const args = process.argv.slice(2)
const dist = args.includes('--dist')
const dirArg = args.find((a) => a !== '--dist')

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

/**
 * electron-builder downloads the Electron zip for the target (ELECTRON_MIRROR, else GitHub) and its
 * packaging tools: AppImage, NSIS, dmg helpers (ELECTRON_BUILDER_BINARIES_MIRROR, else GitHub).
 */
function downloadHosts() {
  const host = (url) => {
    try {
      return url ? new URL(url).hostname : 'github.com'
    } catch {
      return url
    }
  }
  return [...new Set([host(process.env.ELECTRON_MIRROR), host(process.env.ELECTRON_BUILDER_BINARIES_MIRROR)])]
}

/** The first download host that does not resolve within five seconds, with the error, or null. */
async function unreachable(hosts) {
  for (const host of hosts) {
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no DNS answer in 5 s')), 5000).unref())
    try {
      await Promise.race([lookup(host), timeout])
    } catch (error) {
      return `${host} (${error.code ?? error.message})`
    }
  }
  return null
}

const missing = problem(dirArg ?? electronDir())
if (missing && !dist) {
  console.error(`[electron] Cannot start the app: ${missing}`)
  process.exit(1)
}
if (missing) {
  console.error(`[dist] Cannot build installers: ${missing.replace(/\n\s*/g, ' ')}`)
  process.exit(1)
}
if (dist) {
  const host = await unreachable(downloadHosts())
  if (host) {
    console.error(
      `[dist] Cannot build installers: ${host} cannot be reached, and electron-builder downloads Electron and its packaging tools (AppImage, NSIS, dmg) from it; build where it is reachable, or let CI build them (.github/workflows/release.yml, on a v* tag).`
    )
    process.exit(1)
  }
}
