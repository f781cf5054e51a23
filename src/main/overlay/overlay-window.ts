import { BrowserWindow, type BrowserWindowConstructorOptions, type Rectangle } from 'electron'
import type { OverlayUpdate } from '../../shared/ipc'
import type { OverlayHost } from './overlay-controller'
import { loadRendererPage, transparentWindowOptions } from '../capture/transparent-window'

/**
 * The overlay's window options: transparent, frameless, never focused, not in the taskbar, not
 * resizable by the user, and without a shadow that would darken the call underneath. Exported so
 * the _electron suite and unit tests check the flags that make it an overlay.
 */
export const OVERLAY_WINDOW_OPTIONS: BrowserWindowConstructorOptions = transparentWindowOptions({
  title: 'Emotion Overlay labels',
  kind: 'overlay',
  focusable: false,
  stateChanges: false,
  // The overlay must keep drawing while the call window, not ours, has the focus.
  backgroundThrottling: false
})

/** Whether setContentProtection keeps a window out of screen captures on this platform (macOS, Windows 10 2004+). */
export function contentProtectionWorks(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32'
}

/** Applies the overlay behaviour that options cannot express; exported for the _electron suite. */
export function makeOverlay(window: BrowserWindow): void {
  // 'screen-saver' sits above full-screen apps on macOS and above normal top-most windows elsewhere.
  window.setAlwaysOnTop(true, 'screen-saver')
  // Clicks go to the call underneath; forward keeps hover working there on Windows and macOS.
  window.setIgnoreMouseEvents(true, { forward: true })
  window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true })
  // Keeps our labels out of the capture we analyse (no effect on Linux, see README).
  window.setContentProtection(true)
}

/** One overlay BrowserWindow per analysed source, created on first show and closed with the run. */
export function createOverlayHost(onWindow: (window: BrowserWindow) => void): OverlayHost {
  let window: BrowserWindow | null = null
  let ready = false
  let pending: OverlayUpdate | null = null

  const alive = (): BrowserWindow | null => (window && !window.isDestroyed() ? window : null)
  const rect = (b: Rectangle): Rectangle => ({ x: Math.round(b.x), y: Math.round(b.y), width: Math.max(1, Math.round(b.width)), height: Math.max(1, Math.round(b.height)) })

  return {
    show(bounds) {
      const existing = alive()
      if (existing) {
        existing.setBounds(rect(bounds))
        return
      }
      const created = new BrowserWindow({ ...OVERLAY_WINDOW_OPTIONS, ...rect(bounds) })
      window = created
      ready = false
      onWindow(created)
      makeOverlay(created)
      created.webContents.once('did-finish-load', () => {
        ready = true
        if (pending) created.webContents.send('overlay:update', pending)
        pending = null
      })
      created.on('closed', () => {
        if (window === created) window = null
      })
      loadRendererPage(created, 'overlay.html')
    },
    setBounds(bounds) {
      alive()?.setBounds(rect(bounds))
    },
    setVisible(visible) {
      const w = alive()
      if (!w) return
      // showInactive: showing the overlay must never take the focus from the call.
      if (visible) w.showInactive()
      else w.hide()
    },
    send(update) {
      const w = alive()
      if (!w) return
      if (ready) w.webContents.send('overlay:update', update)
      else pending = update
    },
    close() {
      alive()?.destroy()
      window = null
    }
  }
}
