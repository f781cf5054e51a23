import { join } from 'node:path'
import { app, BrowserWindow, type WebPreferences } from 'electron'
import { appPageUrl } from './app-protocol'
import { devServerUrl } from './app-url'

const ourWindows = new Set<BrowserWindow>()

/** True when the window is one this app created (IPC answers only those). */
export function isOurWindow(window: BrowserWindow | null): boolean {
  return window !== null && ourWindows.has(window)
}

/** The app's live windows, for main → renderer events. */
export function listOurWindows(): BrowserWindow[] {
  return [...ourWindows].filter((w) => !w.isDestroyed())
}

/** Registers a window this app created (overlay, region selectors) so its IPC calls are trusted. */
export function trackWindow(window: BrowserWindow): void {
  ourWindows.add(window)
  window.on('closed', () => ourWindows.delete(window))
}

/**
 * The webPreferences of every window of ours (main window, overlay, region selectors): our preload
 * bridge, context isolation and the sandbox on, Node off, web security on. `extra` may only add
 * settings that do not weaken these (the overlay turns background throttling off).
 */
export function secureWebPreferences(extra: Pick<WebPreferences, 'backgroundThrottling'> = {}): WebPreferences {
  return {
    preload: join(__dirname, '../preload/index.js'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    ...extra
  }
}

/** Creates the main window with Electron's security defaults kept; it shows once it has painted. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    autoHideMenuBar: true,
    title: 'Emotion Overlay',
    webPreferences: secureWebPreferences()
  })
  trackWindow(window)
  window.once('ready-to-show', () => window.show())
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // The UI is one page: any navigation would be a bug or an attack.
  window.webContents.on('will-navigate', (event) => event.preventDefault())

  const devUrl = devServerUrl(process.env, app.isPackaged)
  if (devUrl) void window.loadURL(devUrl)
  else void window.loadURL(appPageUrl('index.html'))
  return window
}
