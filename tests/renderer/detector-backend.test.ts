import { describe, expect, it } from 'vitest'
import { chooseBackend, isSoftwareRenderer, wasmThreadCount, withWasmThreadCap } from '../../src/renderer/src/lib/detector-backend'
import { filterDetections } from '../../src/shared/detection/detection-filter'

describe('isSoftwareRenderer', () => {
  it('recognises software rasterisers', () => {
    for (const r of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Mesa softpipe'
    ]) {
      expect(isSoftwareRenderer(r), r).toBe(true)
    }
  })

  it('accepts real GPUs', () => {
    for (const r of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'Apple M2'
    ]) {
      expect(isSoftwareRenderer(r), r).toBe(false)
    }
  })
})

describe('chooseBackend', () => {
  it('uses WebGL on a real GPU', () => {
    expect(chooseBackend({ webglRenderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080)', crossOriginIsolated: false }).backend).toBe('webgl')
  })

  it('uses WASM on software WebGL and says why', () => {
    const c = chooseBackend({ webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))', crossOriginIsolated: false })
    expect(c.backend).toBe('wasm')
    expect(c.reason).toMatch(/software WebGL/)
    expect(c.reason).toMatch(/no threads/)
  })

  it('uses WASM without WebGL or with an unnamed renderer, noting threads when isolated', () => {
    expect(chooseBackend({ webglRenderer: null, crossOriginIsolated: true })).toEqual({ backend: 'wasm', reason: 'WebGL unavailable; WASM (threads on)' })
    expect(chooseBackend({ webglRenderer: '', crossOriginIsolated: false }).backend).toBe('wasm')
  })

  it('honours an explicit override', () => {
    expect(chooseBackend({ webglRenderer: null, crossOriginIsolated: false }, 'cpu').backend).toBe('cpu')
  })
})

describe('filterDetections', () => {
  it('clips boxes to the frame and drops faces smaller than the minimum', () => {
    const out = filterDetections(
      [
        { box: { x: -10, y: 20, width: 60, height: 60 }, score: 0.9 },
        { box: { x: 100, y: 100, width: 20, height: 30 }, score: 0.8 },
        { box: { x: 620, y: 460, width: 40, height: 40 }, score: 0.7 },
        { box: { x: 700, y: 0, width: 40, height: 40 }, score: 0.7 }
      ],
      640,
      480,
      20
    )
    expect(out).toEqual([
      { box: { x: 0, y: 20, width: 50, height: 60 }, score: 0.9 },
      { box: { x: 100, y: 100, width: 20, height: 30 }, score: 0.8 },
      { box: { x: 620, y: 460, width: 20, height: 20 }, score: 0.7 }
    ])
    expect(filterDetections(out, 640, 480, 21)).toHaveLength(1)
  })
})

describe('wasmThreadCount', () => {
  it('follows the cores, leaving one, only where the page is cross-origin isolated', () => {
    expect(wasmThreadCount(true, 1)).toBe(1)
    expect(wasmThreadCount(true, 2)).toBe(1)
    expect(wasmThreadCount(true, 4)).toBe(3)
    expect(wasmThreadCount(true, 16)).toBe(15)
    expect(wasmThreadCount(false, 16)).toBe(1)
    expect(wasmThreadCount(true, undefined)).toBe(1)
    expect(wasmThreadCount(true, 0)).toBe(1)
  })
})

describe('withWasmThreadCap', () => {
  /** A navigator-like object whose core count is a prototype getter, as in browsers. */
  const fakeNavigator = (cores: number): { hardwareConcurrency: number } =>
    Object.create({ get hardwareConcurrency() { return cores } }) as { hardwareConcurrency: number }

  it('shows twice the thread count while the backend starts, then the real count again', async () => {
    const nav = fakeNavigator(2)
    const seen = await withWasmThreadCap(nav, 2, async () => nav.hardwareConcurrency)
    expect(seen).toBe(4)
    expect(nav.hardwareConcurrency).toBe(2)
    expect(Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency')).toBeUndefined()
  })

  it('restores the count when the start fails', async () => {
    const nav = fakeNavigator(8)
    await expect(withWasmThreadCap(nav, 8, () => Promise.reject(new Error('no wasm')))).rejects.toThrow('no wasm')
    expect(nav.hardwareConcurrency).toBe(8)
  })
})
