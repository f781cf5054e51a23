/**
 * Opt-in: downloads onnxruntime-node's CUDA execution provider (from NuGet, through the package's
 * own installer) into node_modules/onnxruntime-node/bin. `npm run cuda:install`; see docs/cuda.md.
 * Needs Linux x64, an NVIDIA driver, CUDA 12 and cuDNN 9 on the machine.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const flag = process.argv[2] ?? process.env.ONNXRUNTIME_NODE_INSTALL ?? 'cuda12'
const script = join(dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js')
console.log(`Running onnxruntime-node's installer with ONNXRUNTIME_NODE_INSTALL=${flag} ...`)
const result = spawnSync(process.execPath, [script], { stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: flag } })
if (result.status !== 0) {
  console.error('The CUDA provider was not installed; the app keeps using the providers it has (see docs/cuda.md).')
  process.exit(result.status ?? 1)
}
console.log('Done. Start the app: its stats show "cuda" as the execution provider when CUDA loads.')
