import { app, BrowserWindow, type Rectangle } from 'electron'
import { registerAppScheme, serveAppProtocol } from './app-protocol'
import { setupSecurity } from './security'
import { createMainWindow } from './window'

/**
 * What has to happen before the app is ready: the app:// scheme (Electron accepts privileged
 * schemes only then) and the single-instance lock. Answers false, and quits, when another instance
 * already runs; that one gets the focus instead.
 */
export function setupAppBeforeReady(): boolean {
  registerAppScheme()
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  return true
}

/** Once ready: serves the renderer's pages from `rendererDir` over app:// and applies the security rules. */
export function setupApp(rendererDir: string): void {
  serveAppProtocol(rendererDir)
  setupSecurity()
}

/** Where the main window opens, and who hears of each one opened (src/main/settings keeps its bounds). */
export interface MainWindowPlace {
  /** The last bounds, when they are still on a display; undefined opens it at the default size. */
  bounds(): (Rectangle & { maximized?: boolean }) | undefined
  opened(window: BrowserWindow): void
}

/**
 * Opens the main window, and again from the macOS dock once all are closed. Registered only now:
 * macOS also activates the app at launch, which must not open a second window while the services load.
 */
export function setupMainWindow(place?: MainWindowPlace): BrowserWindow {
  const open = (): BrowserWindow => {
    const window = createMainWindow(place?.bounds())
    place?.opened(window)
    return window
  }
  const mainWindow = open()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open()
  })
  return mainWindow
}

/** Runs `dispose` (flush session logs, release models) once before the process exits. */
export function setupShutdown(dispose: () => Promise<void>): void {
  let disposed = false
  app.on('before-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    disposed = true
    void dispose().finally(() => app.quit())
  })
}
