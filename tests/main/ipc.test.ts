import { BrowserWindow, ipcMain } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { setupIpc } from '../../src/main/ipc'
import type { Handlers } from '../../src/main/ipc-handlers'
import { createMainWindow } from '../../src/main/window'
import { INVOKE_CHANNELS } from '../../src/shared/ipc'

type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>
const registered = (ipcMain as unknown as { handlers: Map<string, Listener> }).handlers

const handlers = Object.fromEntries(
  INVOKE_CHANNELS.map((channel) => [channel, vi.fn(async (...args: unknown[]) => ({ ok: true, value: { channel, args } }))])
) as unknown as Handlers

setupIpc(handlers)
const window = createMainWindow() as unknown as { webContents: { mainFrame: { url: string; parent: null } } }

const eventFrom = (sender: unknown, frame: unknown): unknown => ({ sender, senderFrame: frame })

describe('handle', () => {
  it('registers every invoke channel on ipcMain', () => {
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it("passes calls from our window's top frame to the handler", async () => {
    const listener = registered.get('session:stop') as Listener
    const result = await listener(eventFrom(window.webContents, window.webContents.mainFrame), 'abc')
    expect(result).toEqual({ ok: true, value: { channel: 'session:stop', args: ['abc'] } })
  })

  it.each<[string, () => unknown]>([
    ['a web contents that is no window of ours', () => eventFrom({}, { url: 'file:///x.html', parent: null })],
    ['a sub-frame of our window', () => eventFrom(window.webContents, { url: 'file:///x.html', parent: {} })],
    ['a remote page in our window', () => eventFrom(window.webContents, { url: 'https://evil.example/', parent: null })],
    ['a local file page in our window (ours come from app://bundle)', () => eventFrom(window.webContents, { url: 'file:///x.html', parent: null })],
    ['a destroyed frame', () => eventFrom(window.webContents, null)]
  ])('answers invalid-sender to %s without calling the handler', async (_name, event) => {
    const listener = registered.get('inference:classify') as Listener
    vi.mocked(handlers['inference:classify']).mockClear()
    const result = await listener(event(), { modelId: 'x' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-sender' } })
    expect(handlers['inference:classify']).not.toHaveBeenCalled()
  })
})

describe('createMainWindow', () => {
  const created = (BrowserWindow as unknown as { instances: { options: any; webContents: any; listeners: Map<string, any[]>; show: any }[] })
    .instances[0]!

  it('keeps Electron security defaults on and hides the window until it is painted', () => {
    expect(created.options.show).toBe(false)
    expect(created.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    })
    expect(created.show).not.toHaveBeenCalled()
    for (const listener of created.listeners.get('ready-to-show') ?? []) listener()
    expect(created.show).toHaveBeenCalled()
  })

  it('denies new windows and prevents navigation', () => {
    const openHandler = created.webContents.setWindowOpenHandler.mock.calls[0][0]
    expect(openHandler({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    const preventDefault = vi.fn()
    for (const listener of created.webContents.listeners.get('will-navigate') ?? []) listener({ preventDefault })
    expect(preventDefault).toHaveBeenCalled()
  })
})
