import { BrowserWindow, ipcMain } from 'electron'
import { describe, expect, it, vi, type Mock } from 'vitest'
import { sendToWindows, setupIpc } from '../../../src/main/ipc/ipc'
import type { Handlers } from '../../../src/main/ipc/ipc-handlers'
import { createMainWindow, trackWindow } from '../../../src/main/app/window'
import { INVOKE_CHANNELS } from '../../../src/shared/ipc'

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

describe('per-window channel allowlists', () => {
  type Fake = { webContents: { mainFrame: { url: string; parent: null }; send: ReturnType<typeof vi.fn> } }
  const overlay = new BrowserWindow({}) as unknown as Fake
  const selector = new BrowserWindow({}) as unknown as Fake
  trackWindow(overlay as unknown as BrowserWindow, 'overlay')
  trackWindow(selector as unknown as BrowserWindow, 'selector')
  const from = (w: Fake): unknown => eventFrom(w.webContents, w.webContents.mainFrame)

  it.each<[string, string, () => Fake]>([
    ['the overlay', 'session:stop', () => overlay],
    ['the overlay', 'overlay:publish', () => overlay],
    ['the region selector', 'inference:classify', () => selector],
    ['the region selector', 'capture:select', () => selector],
    ['the main window', 'region:submit', () => window as unknown as Fake]
  ])('refuses %s a call on %s without calling the handler', async (_name, channel, sender) => {
    const handler = vi.mocked(handlers[channel as keyof Handlers])
    handler.mockClear()
    const result = await (registered.get(channel) as Listener)(from(sender()), null)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-sender', message: expect.stringContaining(channel) } })
    expect(handler).not.toHaveBeenCalled()
  })

  it('lets the region selector submit its rectangle', async () => {
    const result = await (registered.get('region:submit') as Listener)(from(selector), null)
    expect(result).toEqual({ ok: true, value: { channel: 'region:submit', args: [null] } })
  })

  it('sends each event only to the windows that listen for it', () => {
    const main = window as unknown as Fake
    for (const w of [main, overlay, selector]) w.webContents.send.mockClear()
    sendToWindows('session:error', { sessionId: 's', message: '/home/me/sessions/s.csv: disk full' })
    expect(main.webContents.send).toHaveBeenCalledWith('session:error', expect.anything())
    expect(overlay.webContents.send).not.toHaveBeenCalled()
    expect(selector.webContents.send).not.toHaveBeenCalled()
  })
})

describe('createMainWindow', () => {
  type Prevented = { preventDefault: () => void }
  type Created = {
    options: { show?: boolean; webPreferences?: Record<string, unknown> }
    webContents: { setWindowOpenHandler: Mock<(handler: (details: { url: string }) => unknown) => void>; listeners: Map<string, ((event: Prevented) => void)[]> }
    listeners: Map<string, (() => void)[]>
    show: Mock
  }
  const created = (BrowserWindow as unknown as { instances: Created[] }).instances[0]!

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
    const openHandler = created.webContents.setWindowOpenHandler.mock.calls[0]?.[0]
    expect(openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    const preventDefault = vi.fn()
    for (const listener of created.webContents.listeners.get('will-navigate') ?? []) listener({ preventDefault })
    expect(preventDefault).toHaveBeenCalled()
  })
})
