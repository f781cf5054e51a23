import { app, Menu, nativeImage, Tray, type BrowserWindow, type NativeImage } from 'electron'
import type { AnalysisState } from '../../shared/ipc'
import { iconPath } from './paths'

// Rendered from build/icon.svg by `npm run icons`: the app's mark, with a red dot while analysing
// (16 px, and the @2x file beside it for HiDPI panels).
const trayIcon = (analysing: boolean): NativeImage => nativeImage.createFromPath(iconPath(analysing ? 'tray-analysing.png' : 'tray-idle.png'))

/** What the tray menu does; wired to the desktop service and the main window by setupCapture. */
export interface TrayActions {
  setPaused(paused: boolean): void
  toggleOverlay(): boolean
  mainWindow(): BrowserWindow | undefined
}

/** The tray icon and menu: pause/resume, overlay toggle, show window, quit; the icon gets a red dot while analysing. */
export function setupTray(actions: TrayActions): { update(state: AnalysisState, overlayVisible: boolean): void; destroy(): void } {
  const tray = new Tray(trayIcon(false))
  const render = (state: AnalysisState, overlayVisible: boolean): void => {
    const analysing = state.running && !state.paused
    tray.setImage(trayIcon(analysing))
    tray.setToolTip(analysing ? 'Emotion Overlay: analysing' : state.running ? 'Emotion Overlay: paused' : 'Emotion Overlay')
    // A text indicator next to the icon in the macOS menu bar.
    if (process.platform === 'darwin') tray.setTitle(analysing ? '● Analysing' : '')
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: state.paused ? 'Resume analysis' : 'Pause analysis', enabled: state.running, click: () => actions.setPaused(!state.paused) },
        // The service calls update() after the toggle, so the checkbox shows the wish, not the window.
        { label: 'Show labels overlay', type: 'checkbox', checked: overlayVisible, click: () => void actions.toggleOverlay() },
        {
          label: 'Show window',
          click: () => {
            const window = actions.mainWindow()
            if (!window) return
            if (window.isMinimized()) window.restore()
            window.show()
            window.focus()
          }
        },
        { type: 'separator' },
        { label: 'Quit', click: () => app.quit() }
      ])
    )
  }
  render({ running: false, paused: false }, true)
  return { update: render, destroy: () => tray.destroy() }
}
