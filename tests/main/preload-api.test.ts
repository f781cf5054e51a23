import { contextBridge, ipcRenderer } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { createApi, type Invoke, type Subscribe } from '../../src/preload/api'

describe('createApi', () => {
  it('unwraps ok results', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: [{ id: 'm' }] })) as unknown as Invoke
    const api = createApi(invoke, vi.fn() as unknown as Subscribe)
    await expect(api.listModels()).resolves.toEqual([{ id: 'm' }])
    expect(invoke).toHaveBeenCalledWith('models:list')
  })

  it('throws an Error whose message carries the code', async () => {
    const invoke = vi.fn(async () => ({ ok: false, error: { code: 'unknown-model', message: 'unknown model "x"' } })) as unknown as Invoke
    const api = createApi(invoke, vi.fn() as unknown as Subscribe)
    await expect(api.classifyFaces({ modelId: 'x', frameIndex: 0, faces: [] })).rejects.toThrow('unknown-model: unknown model "x"')
    expect(invoke).toHaveBeenCalledWith('inference:classify', { modelId: 'x', frameIndex: 0, faces: [] })
  })

  it('maps each method to its channel', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: null })) as unknown as Invoke
    const api = createApi(invoke, vi.fn() as unknown as Subscribe)
    await api.getAppInfo()
    await api.getInferenceStatus()
    await api.startSession({ source: 's', modelId: 'm' })
    await api.stopSession('id1')
    await api.exportSession('id2')
    expect(vi.mocked(invoke).mock.calls).toEqual([
      ['app:info'],
      ['inference:status'],
      ['session:start', { source: 's', modelId: 'm' }],
      ['session:stop', 'id1'],
      ['session:export', 'id2']
    ])
  })

  it('subscribes to session errors and returns the unsubscribe function', () => {
    const unsubscribe = vi.fn()
    const subscribe = vi.fn(() => unsubscribe) as unknown as Subscribe
    const api = createApi(vi.fn() as unknown as Invoke, subscribe)
    const callback = vi.fn()
    expect(api.onSessionError(callback)).toBe(unsubscribe)
    expect(subscribe).toHaveBeenCalledWith('session:error', callback)
  })
})

describe('preload index', () => {
  it('exposes exactly one object, window.api, over ipcRenderer', async () => {
    await import('../../src/preload/index')
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    const [name, api] = vi.mocked(contextBridge.exposeInMainWorld).mock.calls[0] as [string, ReturnType<typeof createApi>]
    expect(name).toBe('api')
    vi.mocked(ipcRenderer.invoke).mockResolvedValue({ ok: true, value: { version: '1' } })
    await expect(api.getAppInfo()).resolves.toEqual({ version: '1' })
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('app:info')

    const callback = vi.fn()
    const unsubscribe = api.onSessionError(callback)
    const [channel, listener] = vi.mocked(ipcRenderer.on).mock.calls[0] as unknown as [string, (e: unknown, p: unknown) => void]
    expect(channel).toBe('session:error')
    listener({ sender: 'hidden' }, { sessionId: 's', message: 'disk full' })
    expect(callback).toHaveBeenCalledWith({ sessionId: 's', message: 'disk full' })
    unsubscribe()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('session:error', listener)
  })
})

describe('the overlay and region selector preloads', () => {
  it.each([
    ['overlay', 'overlayApi', ['onOverlayUpdate']],
    ['selector', 'selectorApi', ['submitRegion']]
  ] as const)('%s exposes only %s with %j', async (file, global, methods) => {
    vi.mocked(contextBridge.exposeInMainWorld).mockClear()
    await import(`../../src/preload/${file}.ts`)
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    const [name, api] = vi.mocked(contextBridge.exposeInMainWorld).mock.calls[0] as [string, Record<string, unknown>]
    expect(name).toBe(global)
    expect(Object.keys(api)).toEqual(methods)
  })
})
