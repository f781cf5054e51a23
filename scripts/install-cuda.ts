/**
 * Opt-in: installs onnxruntime-node's CUDA execution provider (from NuGet, through the package's own
 * installer) into node_modules/onnxruntime-node/bin, then checks that the libraries are there and
 * fails loudly with the reason and the fix when they are not. `npm run cuda:install`; docs/cuda.md.
 * Needs Linux x64, an NVIDIA driver, CUDA 12 and cuDNN 9 on the machine, and NuGet reachable.
 * The flag we pass, and why not the documented ONNXRUNTIME_NODE_INSTALL=cuda12: cudaInstallerEnv().
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { checkCudaLibraries, cudaInstallerEnv, onnxRuntimeDir } from '../src/main/inference/cuda-libraries'

const FIX = 'fix: make https://api.nuget.org reachable (behind a proxy: GLOBAL_AGENT_HTTPS_PROXY) and rerun npm run cuda:install (docs/cuda.md)'

/** Prints the reason and the fix on one line to stderr and exits 1. */
function fail(reason: string): never {
  console.error(`[cuda] CUDA provider NOT installed: ${reason}`)
  console.error(
    '[cuda] The app keeps running on the providers it has (DirectML, CoreML, WebGPU or CPU); its Performance panel says why CUDA is not used.'
  )
  process.exit(1)
}

const ortDir = onnxRuntimeDir()
if (!ortDir) fail('onnxruntime-node is not installed; run npm ci first.')
const before = checkCudaLibraries(ortDir)
if (before.state === 'unsupported') fail(before.reason)
if (before.state === 'installed') {
  console.log(`[cuda] Already installed in ${before.dir}: ${before.files.join(', ')}.`)
  process.exit(0)
}

console.log(
  `[cuda] Running onnxruntime-node's installer with ONNXRUNTIME_NODE_INSTALL_CUDA=v12 (downloads ${before.missing.join(', ')} from NuGet) ...`
)
const run = spawnSync(process.execPath, [join(ortDir, 'script', 'install.js')], {
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
  env: cudaInstallerEnv(process.env)
})
// The installer's failure is an unhandled rejection with a long stack; its first line says what went wrong.
const installerError =
  run.error?.message ??
  (run.stderr ?? '')
    .split('\n')
    .find((line) => /Error|ENOTFOUND|EAI_AGAIN/.test(line))
    ?.trim()
const after = checkCudaLibraries(ortDir)
if (after.state === 'unsupported') fail(after.reason)
if (after.state === 'missing') {
  const why =
    run.status === 0
      ? 'the installer exited 0 without installing them'
      : `the installer failed (exit ${run.status ?? run.signal}${installerError ? `: ${installerError}` : ''})`
  fail(`${after.missing.join(', ')} missing in ${after.dir}: ${why}; ${FIX}.`)
}
console.log(`[cuda] Installed in ${after.dir}: ${after.files.join(', ')}.`)
console.log(
  '[cuda] Start the app: its Performance panel shows "cuda" as the execution provider when CUDA loads (it needs the NVIDIA driver, CUDA 12 and cuDNN 9).'
)
