import { join } from 'node:path'
import { app, BrowserWindow, screen } from 'electron'
import { devServerUrl } from './app-url'

/**
 * One full-screen transparent selector window per display for dragging a region. Each page reports
 * the drag in desktop DIP ('region:submit'); Escape or a click without a drag cancels.
 */
export function createRegionSelectors(onWindow: (window: BrowserWindow) => void): { open(): void; close(): void } {
  let windows: BrowserWindow[] = []
  return {
    open() {
      this.close()
      const devUrl = devServerUrl(process.env, app.isPackaged)
      windows = screen.getAllDisplays().map((display) => {
        const window = new BrowserWindow({
          ...display.bounds,
          show: false,
          frame: false,
          transparent: true,
          backgroundColor: '#00000000',
          hasShadow: false,
          resizable: false,
          movable: false,
          skipTaskbar: true,
          alwaysOnTop: true,
          enableLargerThanScreen: true,
          title: 'Select a region',
          webPreferences: {
            preload: join(__dirname, '../preload/index.js'),
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false
          }
        })
        window.setAlwaysOnTop(true, 'screen-saver')
        onWindow(window)
        window.once('ready-to-show', () => {
          // Some window managers place a new window by their own rules; put it back on its display.
          window.setBounds(display.bounds)
          window.show()
        })
        if (devUrl) void window.loadURL(new URL('selector.html', devUrl.endsWith('/') ? devUrl : `${devUrl}/`).toString())
        else void window.loadFile(join(__dirname, '../renderer/selector.html'))
        return window
      })
    },
    close() {
      for (const window of windows) if (!window.isDestroyed()) window.destroy()
      windows = []
    }
  }
}
