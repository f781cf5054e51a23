import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** What decides which execution providers are worth trying on this machine. */
export interface ProviderEnvironment {
  platform: NodeJS.Platform
  /** Backend names onnxruntime-node reports (ort.listSupportedBackends()). */
  supported: readonly string[]
  /** Whether the CUDA provider library was installed (opt-in, docs/cuda.md). */
  cudaInstalled: boolean
}

/**
 * The fallback chain, fastest first: CUDA only where its libraries were installed, DirectML on
 * Windows, CoreML on macOS, WebGPU, then CPU, which always works and is always last.
 */
export function providerChain(env: ProviderEnvironment): string[] {
  const supported = new Set(env.supported)
  const chain: string[] = []
  if (env.cudaInstalled && supported.has('cuda')) chain.push('cuda')
  if (env.platform === 'win32' && supported.has('dml')) chain.push('dml')
  if (env.platform === 'darwin' && supported.has('coreml')) chain.push('coreml')
  if (supported.has('webgpu')) chain.push('webgpu')
  chain.push('cpu')
  return chain
}

/**
 * Whether onnxruntime-node's CUDA provider library is on disk. It is not in the npm package: its
 * installer fetches it from NuGet only on opt-in, and loading the provider without it only fails.
 */
export function isCudaInstalled(): boolean {
  try {
    const req = createRequire(__filename)
    const pkgDir = dirname(req.resolve('onnxruntime-node/package.json'))
    const binDir = join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch)
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'
    return existsSync(join(binDir, lib))
  } catch {
    return false
  }
}
