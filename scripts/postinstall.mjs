/**
 * Our own postinstall. package.json `allowScripts` denies the install scripts of `electron`
 * (downloads its binary from GitHub) and `onnxruntime-node` (downloads CUDA libraries from NuGet),
 * so that `npm ci` succeeds on a machine that reaches only the npm registry. Here we try the
 * Electron download ourselves and only warn when it fails, so on a normal machine
 * `npm ci && npm start` still works, and we install the CUDA provider (scripts/install-cuda.ts) only
 * when the user opted in (docs/cuda.md).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Resolves a dependency's install script, or null when the package is not installed. */
function installScript(pkg, relative) {
  try {
    const file = join(dirname(require.resolve(`${pkg}/package.json`)), relative)
    return existsSync(file) ? file : null
  } catch {
    return null
  }
}

/**
 * Runs a Node script with a time limit; returns a short description of the failure or null.
 * `quiet` keeps a failing installer's stack trace out of the log, keeping its first line.
 */
function runNode(script, env, timeoutMs, quiet = false) {
  const result = spawnSync(process.execPath, [script], {
    stdio: quiet ? ['ignore', 'inherit', 'pipe'] : 'inherit',
    encoding: 'utf8',
    env,
    timeout: timeoutMs
  })
  if (result.error) return result.error.message
  if (result.status !== 0) {
    const firstLine = (result.stderr ?? '').split('\n').find((line) => line.trim()) ?? ''
    return `exit code ${result.status ?? result.signal}${firstLine ? `: ${firstLine.trim()}` : ''}`
  }
  return null
}

function installElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('[postinstall] ELECTRON_SKIP_BINARY_DOWNLOAD is set: not downloading the Electron binary.')
    return
  }
  const script = installScript('electron', 'install.js')
  if (!script) return
  // Electron's installer is idempotent: it exits at once when the right binary is already there.
  const failure = runNode(script, process.env, 10 * 60_000, true)
  if (failure) {
    console.warn(
      `[postinstall] WARNING: the Electron binary could not be downloaded (${failure}).\n` +
        '  Unit tests, the typecheck, the build and the browser e2e tests do not need it;\n' +
        '  `npm start`, `npm run dev` and the Electron e2e suite do.\n' +
        '  Retry later with: node node_modules/electron/install.js'
    )
  }
}

/** onnxruntime-node's own opt-in switches (see its script/install-utils.js); 'skip' means no. */
const ORT_FLAGS = [
  'ONNXRUNTIME_NODE_INSTALL',
  'npm_config_onnxruntime_node_install',
  'ONNXRUNTIME_NODE_INSTALL_CUDA',
  'npm_config_onnxruntime_node_install_cuda'
]

function installOnnxRuntimeExtras() {
  const set = ORT_FLAGS.filter((name) => process.env[name] && process.env[name] !== 'skip')
  if (set.length === 0) return
  // Not onnxruntime-node's installer directly: with ONNXRUNTIME_NODE_INSTALL=cuda12 it installs
  // nothing and exits 0 (docs/cuda.md). scripts/install-cuda.ts passes the flag it understands and
  // checks the libraries afterwards.
  console.log(`[postinstall] ${set.map((n) => `${n}=${process.env[n]}`).join(' ')}: installing the CUDA provider (scripts/install-cuda.ts).`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'install-cuda.ts')], { stdio: 'inherit', timeout: 30 * 60_000 })
  // The user asked for CUDA explicitly, so a failure here must be loud.
  if (result.status !== 0) {
    console.error(`[postinstall] the CUDA provider was not installed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`}); see docs/cuda.md.`)
    process.exit(1)
  }
}

installElectron()
installOnnxRuntimeExtras()
