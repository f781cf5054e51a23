import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'

/** Whether onnxruntime-node's CUDA provider libraries are where it loads them from. */
export type CudaLibraries =
  | { state: 'installed'; dir: string; files: string[] }
  | { state: 'missing'; dir: string; files: string[]; missing: string[] }
  | { state: 'unsupported'; reason: string }

/** The command that installs the libraries from a source checkout (docs/cuda.md). */
export const CUDA_INSTALL_COMMAND = 'npm run cuda:install'

/** The part of onnxruntime-node's script/install-metadata.js we read: file name → where it comes from, per `platform/arch:manifest`. */
interface InstallMetadata {
  manifests?: Record<string, Record<string, unknown> | undefined>
}

/** onnxruntime-node's package folder, or null when it cannot be resolved. */
export function onnxRuntimeDir(): string | null {
  try {
    return dirname(createRequire(__filename).resolve('onnxruntime-node/package.json'))
  } catch {
    return null
  }
}

/**
 * Checks the files onnxruntime-node's own installer would put in place for CUDA 12 (its
 * install-metadata.js manifest for this platform, so a new release's list is followed, not copied)
 * in the folder its installer writes to and its binding loads from (bin/napi-v6/<platform>/<arch>).
 */
export function checkCudaLibraries(ortDir: string, platform: string = process.platform, arch: string = process.arch): CudaLibraries {
  let metadata: InstallMetadata
  try {
    metadata = createRequire(__filename)(join(ortDir, 'script', 'install-metadata.js')) as InstallMetadata
  } catch {
    return {
      state: 'unsupported',
      reason: `onnxruntime-node at ${ortDir} has no script/install-metadata.js, so it names no CUDA libraries to install`
    }
  }
  const manifest = metadata.manifests?.[`${platform}/${arch}:cuda12`]
  if (!manifest)
    return {
      state: 'unsupported',
      reason: `onnxruntime-node publishes no CUDA provider for ${platform}/${arch} (CUDA is Linux x64 only; DirectML, CoreML and WebGPU need nothing extra)`
    }
  const dir = join(ortDir, 'bin', 'napi-v6', platform, arch)
  const files = Object.keys(manifest).map((file) => basename(file))
  const missing = files.filter((file) => !existsSync(join(dir, file)))
  return missing.length === 0 ? { state: 'installed', dir, files } : { state: 'missing', dir, files, missing }
}

/** Why CUDA is not in the provider chain, in a sentence with the fix, or null when its libraries are installed. */
export function cudaUnavailableReason(libraries: CudaLibraries): string | null {
  switch (libraries.state) {
    case 'installed':
      return null
    case 'unsupported':
      return libraries.reason
    case 'missing':
      return `CUDA provider libraries not installed (${libraries.missing.join(', ')} missing in ${libraries.dir}); with an NVIDIA GPU, CUDA 12 and cuDNN 9, install them with ${CUDA_INSTALL_COMMAND} (docs/cuda.md)`
  }
}

/**
 * The environment under which onnxruntime-node's installer installs the CUDA 12 provider.
 * ONNXRUNTIME_NODE_INSTALL=cuda12, as its docs say, does not: its parseInstallFlag() (1.30.0 and
 * 1.31.1) returns undefined for that value and the installer then exits 0 having installed nothing.
 * ONNXRUNTIME_NODE_INSTALL_CUDA=v12 is what its parser turns into `cuda12`; the other two switches
 * are removed because they take precedence over it.
 */
export function cudaInstallerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'v12' }
  delete out.ONNXRUNTIME_NODE_INSTALL
  delete out.npm_config_onnxruntime_node_install
  return out
}
