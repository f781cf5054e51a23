import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron'
import type { AnalysisState } from '../../shared/ipc'

// 16x16 dots drawn in code (no asset pipeline for two tiny icons): red while analysing, grey idle.
const ACTIVE_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAQklEQVR42mN46uHLQAnGJthAAOM1AKboPw6MYQi65v9E4gZ0AxrIMKAB3YD/JOJRA2hhAEXRSHFCokpSpkpmIhkDAC5+DaPvjo1OAAAAAElFTkSuQmCC'
const IDLE_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAQklEQVR42mPo6ZnGQAnGJthAAOM1AKboPw6MYQi65v9E4gZ0AxrIMKAB3YD/JOJRA2hhAEXRSHFCokpSpkpmIhkDAEylQaO8zs7IAAAAAElFTkSuQmCC'

/** What the tray menu does; wired to the desktop service and the main window by setupCapture. */
export interface TrayActions {
  setPaused(paused: boolean): void
  toggleOverlay(): boolean
  mainWindow(): BrowserWindow | undefined
}

/** The tray icon and menu: pause/resume, overlay toggle, show window, quit; the icon turns red while analysing. */
export function setupTray(actions: TrayActions): { update(state: AnalysisState, overlayVisible: boolean): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromDataURL(IDLE_ICON))
  const render = (state: AnalysisState, overlayVisible: boolean): void => {
    const analysing = state.running && !state.paused
    tray.setImage(nativeImage.createFromDataURL(analysing ? ACTIVE_ICON : IDLE_ICON))
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
