import { join } from 'node:path'
import { app, BrowserWindow, type Rectangle, type WebContents, type WebPreferences } from 'electron'
import type { WindowKind } from '../../shared/window-channels'
import { appPageUrl } from './app-protocol'
import { devServerUrl } from './app-url'
import { iconPath } from './paths'

const ourWindows = new Map<BrowserWindow, WindowKind>()

/** True when the window is one this app created (IPC answers only those). */
export function isOurWindow(window: BrowserWindow | null): boolean {
  return window !== null && ourWindows.has(window)
}

/** What kind of window of ours this is, or undefined for a window we did not create. */
export function windowKind(window: BrowserWindow | null): WindowKind | undefined {
  return window === null ? undefined : ourWindows.get(window)
}

/** The kind of the window of ours that shows these web contents, or undefined. */
export function windowKindOf(contents: WebContents | null | undefined): WindowKind | undefined {
  return contents ? windowKind(BrowserWindow.fromWebContents(contents)) : undefined
}

/** The app's live windows, for main → renderer events. */
export function listOurWindows(): BrowserWindow[] {
  return [...ourWindows.keys()].filter((w) => !w.isDestroyed())
}

/** Registers a window this app created, with its kind: its IPC calls are trusted for that kind's channels. */
export function trackWindow(window: BrowserWindow, kind: WindowKind): void {
  ourWindows.set(window, kind)
  window.on('closed', () => ourWindows.delete(window))
}

// Each kind of window gets the preload that exposes only its own channels (src/preload).
const PRELOADS: Record<WindowKind, string> = { main: 'index.js', overlay: 'overlay.js', selector: 'selector.js' }

/**
 * The webPreferences of every window of ours: the preload of its kind, context isolation and the
 * sandbox on, Node off, web security on. `extra` may only add settings that do not weaken these
 * (the overlay turns background throttling off).
 */
export function secureWebPreferences(kind: WindowKind, extra: Pick<WebPreferences, 'backgroundThrottling'> = {}): WebPreferences {
  return {
    preload: join(__dirname, '../preload', PRELOADS[kind]),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    ...extra
  }
}

/** The main window's size when nothing was saved, and the least it may be. */
export const MAIN_WINDOW_SIZE = { width: 1280, height: 800, minWidth: 800, minHeight: 600 } as const

/**
 * Creates the main window with Electron's security defaults kept; it shows once it has painted.
 * `bounds` restores the last size and place (src/main/settings/window-bounds.ts checked they are on a display).
 */
export function createMainWindow(bounds?: Rectangle & { maximized?: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    ...MAIN_WINDOW_SIZE,
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : {}),
    show: false,
    autoHideMenuBar: true,
    title: 'Emotion Overlay',
    // Windows and macOS take the icon from the executable and the app bundle; Linux needs it here.
    ...(process.platform === 'linux' ? { icon: iconPath('icon.png') } : {}),
    webPreferences: secureWebPreferences('main')
  })
  trackWindow(window, 'main')
  window.once('ready-to-show', () => {
    if (bounds?.maximized) window.maximize()
    window.show()
  })
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // The UI is one page: any navigation would be a bug or an attack.
  window.webContents.on('will-navigate', (event) => event.preventDefault())

  const devUrl = devServerUrl(process.env, app.isPackaged)
  if (devUrl) void window.loadURL(devUrl)
  else void window.loadURL(appPageUrl('index.html'))
  return window
}
