/**
 * Vitest setup: `electron` is mocked once for every spec. Outside Electron `require('electron')`
 * only returns the binary's path, so the thin setup files that import it get these stand-ins;
 * the services (inference, session log, csv) never import electron and run for real.
 */
import { vi } from 'vitest'

vi.mock('electron', () => {
  type Listener = (...args: unknown[]) => unknown

  class FakeWebContents {
    readonly listeners = new Map<string, Listener[]>()
    readonly mainFrame = { url: 'app://bundle/index.html', parent: null }
    readonly send = vi.fn()
    readonly setWindowOpenHandler = vi.fn()
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
      return this
    }
  }

  class FakeBrowserWindow {
    static readonly instances: FakeBrowserWindow[] = []
    static fromWebContents = vi.fn((contents: unknown) => FakeBrowserWindow.instances.find((w) => w.webContents === contents) ?? null)
    static getFocusedWindow = vi.fn(() => null)
    static getAllWindows = vi.fn(() => FakeBrowserWindow.instances)
    readonly webContents = new FakeWebContents()
    readonly listeners = new Map<string, Listener[]>()
    readonly loadURL = vi.fn(async () => undefined)
    readonly loadFile = vi.fn(async () => undefined)
    readonly show = vi.fn()
    readonly setAlwaysOnTop = vi.fn()
    readonly setBounds = vi.fn()
    private destroyed = false
    constructor(readonly options: unknown) {
      FakeBrowserWindow.instances.push(this)
    }
    /** Like Electron: destroyed at once, then 'closed'. */
    destroy(): void {
      if (this.destroyed) return
      this.destroyed = true
      for (const listener of this.listeners.get('closed') ?? []) listener()
    }
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
      return this
    }
    once(event: string, listener: Listener): this {
      return this.on(event, listener)
    }
    isDestroyed(): boolean {
      return this.destroyed
    }
  }

  const ipcHandlers = new Map<string, Listener>()
  return {
    app: {
      isPackaged: false,
      getAppPath: vi.fn(() => '/app'),
      getPath: vi.fn((name: string) => `/tmp/electron-mock/${name}`),
      getVersion: vi.fn(() => '0.0.0-test'),
      on: vi.fn(),
      whenReady: vi.fn(() => new Promise(() => undefined)),
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn()
    },
    ipcMain: {
      handlers: ipcHandlers,
      handle: vi.fn((channel: string, listener: Listener) => ipcHandlers.set(channel, listener)),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel))
    },
    BrowserWindow: FakeBrowserWindow,
    // The web contents a top frame belongs to (subframes are not modelled: their contents are their parent's).
    webContents: {
      fromFrame: vi.fn((frame: unknown) => FakeBrowserWindow.instances.find((w) => w.webContents.mainFrame === frame)?.webContents)
    },
    dialog: { showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })) },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: vi.fn(), onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn()
      }
    },
    screen: {
      getAllDisplays: vi.fn(() => [
        { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 },
        { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 }, workArea: { x: 1920, y: 0, width: 1280, height: 1024 }, scaleFactor: 1 }
      ])
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    utilityProcess: { fork: vi.fn() },
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }
  }
})
