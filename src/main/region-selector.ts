import { BrowserWindow, type BrowserWindowConstructorOptions, screen } from 'electron'
import { loadRendererPage, transparentWindowOptions } from './transparent-window'

/**
 * A selector window's options (its bounds are its display's): transparent and frameless like the
 * overlay, but focusable so the page gets Escape, and allowed to cover the whole display.
 * Exported for the unit tests.
 */
export const REGION_SELECTOR_WINDOW_OPTIONS: BrowserWindowConstructorOptions = transparentWindowOptions({
  title: 'Select a region',
  enableLargerThanScreen: true
})

/**
 * One full-screen transparent selector window per display for dragging a region. Each page reports
 * the drag in desktop DIP ('region:submit'); Escape or a click without a drag cancels.
 */
export function createRegionSelectors(onWindow: (window: BrowserWindow) => void): { open(): void; close(): void } {
  let windows: BrowserWindow[] = []
  return {
    open() {
      this.close()
      windows = screen.getAllDisplays().map((display) => {
        const window = new BrowserWindow({ ...REGION_SELECTOR_WINDOW_OPTIONS, ...display.bounds })
        window.setAlwaysOnTop(true, 'screen-saver')
        onWindow(window)
        window.once('ready-to-show', () => {
          // Some window managers place a new window by their own rules; put it back on its display.
          window.setBounds(display.bounds)
          window.show()
        })
        loadRendererPage(window, 'selector.html')
        return window
      })
    },
    close() {
      for (const window of windows) if (!window.isDestroyed()) window.destroy()
      windows = []
    }
  }
}
