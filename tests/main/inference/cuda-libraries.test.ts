import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkCudaLibraries, cudaInstallerEnv, cudaUnavailableReason, onnxRuntimeDir } from '../../../src/main/inference/cuda-libraries'
import { skippedProviders } from '../../../src/main/inference/execution-providers'

const LIBS = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

/** A stand-in onnxruntime-node package whose install metadata names LIBS for linux/x64, with `present` of them installed. */
function fakeOrt(present: string[]): string {
  dir = mkdtempSync(join(tmpdir(), 'ort-pkg-'))
  mkdirSync(join(dir, 'script'))
  const manifest = Object.fromEntries(LIBS.map((f) => [`./${f}`, { package: 'nuget:linux/x64:cuda12', path: `runtimes/linux-x64/native/${f}` }]))
  writeFileSync(join(dir, 'script', 'install-metadata.js'), `module.exports = ${JSON.stringify({ manifests: { 'linux/x64:cuda12': manifest } })}`)
  const bin = join(dir, 'bin', 'napi-v6', 'linux', 'x64')
  mkdirSync(bin, { recursive: true })
  for (const f of present) writeFileSync(join(bin, f), '')
  return dir
}

/** What the real onnxruntime-node installer's flag parser makes of an environment. */
function installerFlag(env: NodeJS.ProcessEnv): unknown {
  const utils = join(onnxRuntimeDir() ?? '', 'script', 'install-utils.js')
  const run = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(utils)}).parseInstallFlag() ?? null))`], {
    encoding: 'utf8',
    env
  })
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as unknown
}

describe('checkCudaLibraries', () => {
  it('lists every library of the manifest that is missing, in the folder the installer writes to', () => {
    const ort = fakeOrt([LIBS[0] ?? ''])
    const result = checkCudaLibraries(ort, 'linux', 'x64')
    expect(result).toEqual({ state: 'missing', dir: join(ort, 'bin', 'napi-v6', 'linux', 'x64'), files: LIBS, missing: [LIBS[1]] })
    const reason = cudaUnavailableReason(result) ?? ''
    expect(reason).toContain(LIBS[1])
    expect(reason).toContain('npm run cuda:install')
    expect(skippedProviders(result)).toEqual([{ provider: 'cuda', reason }])
  })

  it('says installed, and the app skips nothing, when every library is there', () => {
    const result = checkCudaLibraries(fakeOrt(LIBS), 'linux', 'x64')
    expect(result.state).toBe('installed')
    expect(cudaUnavailableReason(result)).toBeNull()
    expect(skippedProviders(result)).toEqual([])
  })

  it('calls a platform without a CUDA build unsupported, which the app does not report as a fallback', () => {
    const result = checkCudaLibraries(fakeOrt([]), 'darwin', 'arm64')
    expect(result.state).toBe('unsupported')
    expect(cudaUnavailableReason(result)).toContain('darwin/arm64')
    expect(skippedProviders(result)).toEqual([])
  })

  it("reads the installed onnxruntime-node's own manifest: the CUDA and shared provider libraries for Linux x64", () => {
    const result = checkCudaLibraries(onnxRuntimeDir() ?? '', 'linux', 'x64')
    expect(result.state).not.toBe('unsupported')
    if (result.state !== 'unsupported') expect(result.files).toEqual(expect.arrayContaining(LIBS))
  })
})

describe("cudaInstallerEnv (the flag onnxruntime-node's installer understands)", () => {
  const base = { PATH: process.env.PATH }

  it('the documented ONNXRUNTIME_NODE_INSTALL=cuda12 parses to nothing (the bug we work around)', () => {
    expect(installerFlag({ ...base, ONNXRUNTIME_NODE_INSTALL: 'cuda12' })).toBeNull()
  })

  it('parses to cuda12, even when the user set the documented switch', () => {
    expect(installerFlag(cudaInstallerEnv({ ...base, ONNXRUNTIME_NODE_INSTALL: 'cuda12', npm_config_onnxruntime_node_install: 'cuda12' }))).toBe(
      'cuda12'
    )
  })
})
