import { app, type BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'
import { appPageUrl } from '../app/app-protocol'
import { devServerUrl } from '../app/app-url'
import { secureWebPreferences } from '../app/window'

/** What differs between our transparent windows (the labels overlay and the region selectors). */
export interface TransparentWindowSpec {
  title: string
  /** Which preload (and so which IPC channels) the window gets. */
  kind: 'overlay' | 'selector'
  /** False for a window that must never take the focus (the overlay); a selector needs it for Escape. */
  focusable?: boolean
  /** False to lock out minimise, maximise and full screen (the overlay, whose bounds follow the call). */
  stateChanges?: boolean
  /** Lets a window cover its whole display, which some platforms would otherwise clip (the selectors). */
  enableLargerThanScreen?: boolean
  /** False for a window that must keep drawing while another app has the focus (the overlay). */
  backgroundThrottling?: boolean
}

/**
 * Options for a transparent, frameless, shadowless, always-on-top window that is hidden until
 * shown, cannot be resized or moved by the user and stays off the taskbar. Only the settings a
 * spec names are set beyond these, so each window keeps Electron's defaults for the rest.
 */
export function transparentWindowOptions(spec: TransparentWindowSpec): BrowserWindowConstructorOptions {
  return {
    show: false,
    frame: false,
    transparent: true,
    backgroundColor: '#00000000',
    hasShadow: false,
    resizable: false,
    movable: false,
    ...(spec.stateChanges === false ? { minimizable: false, maximizable: false, fullscreenable: false } : {}),
    ...(spec.focusable === undefined ? {} : { focusable: spec.focusable }),
    skipTaskbar: true,
    alwaysOnTop: true,
    ...(spec.enableLargerThanScreen === undefined ? {} : { enableLargerThanScreen: spec.enableLargerThanScreen }),
    title: spec.title,
    webPreferences: secureWebPreferences(spec.kind, spec.backgroundThrottling === undefined ? {} : { backgroundThrottling: spec.backgroundThrottling })
  }
}

/** Loads one of the renderer's extra pages (overlay.html, selector.html): from the dev server under `npm run dev`, else from app://bundle (out/renderer). */
export function loadRendererPage(window: BrowserWindow, page: 'overlay.html' | 'selector.html'): void {
  const devUrl = devServerUrl(process.env, app.isPackaged)
  if (devUrl) void window.loadURL(new URL(page, devUrl.endsWith('/') ? devUrl : `${devUrl}/`).toString())
  else void window.loadURL(appPageUrl(page))
}
