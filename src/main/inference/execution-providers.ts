import type { SkippedProvider } from '../../shared/ipc'
import { checkCudaLibraries, cudaUnavailableReason, onnxRuntimeDir, type CudaLibraries } from './cuda-libraries'

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

/** The CUDA provider libraries of the installed onnxruntime-node (opt-in, docs/cuda.md). */
export function cudaLibraries(): CudaLibraries {
  const dir = onnxRuntimeDir()
  return dir ? checkCudaLibraries(dir) : { state: 'unsupported', reason: 'onnxruntime-node is not installed' }
}

/**
 * Providers left out of the chain though the machine could run them, with the reason and the fix:
 * CUDA on Linux x64 while its libraries (not in the npm package) are not installed, so a user with
 * an NVIDIA GPU is told why inference runs elsewhere. A platform without a CUDA build says nothing.
 */
export function skippedProviders(libraries: CudaLibraries): SkippedProvider[] {
  const reason = libraries.state === 'missing' ? cudaUnavailableReason(libraries) : null
  return reason ? [{ provider: 'cuda', reason }] : []
}
