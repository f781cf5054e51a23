import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { providerChain } from '../../../src/main/inference/execution-providers'
import { iconsDirFor, modelsDirFor } from '../../../src/main/app/paths'

describe('modelsDirFor', () => {
  it('uses the repository folder in development', () => {
    expect(modelsDirFor({ isPackaged: false, appPath: '/repo', resourcesPath: '/electron/resources' })).toBe(join('/repo', 'resources', 'models'))
  })

  it('uses the unpacked folder beside the asar when packaged', () => {
    expect(modelsDirFor({ isPackaged: true, appPath: '/opt/app/resources/app.asar', resourcesPath: '/opt/app/resources' })).toBe(
      join('/opt/app/resources', 'app.asar.unpacked', 'resources', 'models')
    )
  })
})

describe('iconsDirFor', () => {
  it("holds the window and tray icons main loads, in the repository in development", () => {
    const dir = iconsDirFor({ appPath: join(__dirname, '..', '..', '..') })
    for (const name of ['icon.png', 'tray-idle.png', 'tray-analysing.png']) expect(existsSync(join(dir, name)), name).toBe(true)
  })

})

describe('providerChain', () => {
  const all = ['cpu', 'webgpu', 'cuda', 'dml', 'coreml', 'tensorrt']

  it('tries CUDA only where its libraries are installed', () => {
    expect(providerChain({ platform: 'linux', supported: all, cudaInstalled: false })).toEqual(['webgpu', 'cpu'])
    expect(providerChain({ platform: 'linux', supported: all, cudaInstalled: true })).toEqual(['cuda', 'webgpu', 'cpu'])
  })

  it('tries DirectML on Windows and CoreML on macOS', () => {
    expect(providerChain({ platform: 'win32', supported: all, cudaInstalled: false })).toEqual(['dml', 'webgpu', 'cpu'])
    expect(providerChain({ platform: 'darwin', supported: all, cudaInstalled: false })).toEqual(['coreml', 'webgpu', 'cpu'])
  })

  it('always ends with CPU, even when nothing else is offered', () => {
    expect(providerChain({ platform: 'linux', supported: [], cudaInstalled: true })).toEqual(['cpu'])
  })
})
