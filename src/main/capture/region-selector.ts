import { BrowserWindow, type BrowserWindowConstructorOptions, screen } from 'electron'
import { loadRendererPage, transparentWindowOptions } from './transparent-window'

/**
 * A selector window's options (its bounds are its display's): transparent and frameless like the
 * overlay, but focusable so the page gets Escape, and allowed to cover the whole display.
 * Exported for the unit tests.
 */
export const REGION_SELECTOR_WINDOW_OPTIONS: BrowserWindowConstructorOptions = transparentWindowOptions({
  title: 'Select a region',
  kind: 'selector',
  enableLargerThanScreen: true
})

/**
 * One full-screen transparent selector window per display for dragging a region. Each page reports
 * the drag in desktop DIP ('region:submit'); Escape or a click without a drag cancels, and so does a
 * selector window closed by the user or the window manager (`onClosed`), so a pick never hangs.
 */
export function createRegionSelectors(onWindow: (window: BrowserWindow) => void): { open(onClosed: () => void): void; close(): void } {
  let windows: BrowserWindow[] = []
  return {
    open(onClosed) {
      this.close()
      const opened = screen.getAllDisplays().map((display) => {
        const window = new BrowserWindow({ ...REGION_SELECTOR_WINDOW_OPTIONS, ...display.bounds })
        window.setAlwaysOnTop(true, 'screen-saver')
        onWindow(window)
        window.once('ready-to-show', () => {
          // Some window managers place a new window by their own rules; put it back on its display.
          window.setBounds(display.bounds)
          window.show()
        })
        // close() empties `windows` first, so only a close we did not ask for reaches onClosed.
        window.on('closed', () => {
          if (windows.includes(window)) onClosed()
        })
        loadRendererPage(window, 'selector.html')
        return window
      })
      windows = opened
    },
    close() {
      const closing = windows
      windows = []
      for (const window of closing) if (!window.isDestroyed()) window.destroy()
    }
  }
}
