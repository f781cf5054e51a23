import type { Page } from '@playwright/test'
import type { DisplayLayout } from '../../src/shared/capture-geometry'
import type { Box, DesktopSource, EventChannel, EventChannels, OverlayUpdate } from '../../src/shared/ipc'
import type { DesktopHost } from '../../src/main/capture/desktop-service'
import { EMIT_FUNCTION } from '../harness/bridge-names'

/** What the overlay received, for the test's assertions and its fps / labels-per-second figures. */
export interface OverlayRecord {
  /** Overlay window bounds in X screen pixels (DIP at scale 1), as main placed it. */
  bounds: Box | null
  visible: boolean
  closed: number
  updates: { at: number; update: OverlayUpdate }[]
}

/** Delivers a main → renderer event to a page connected through the harness's preload. */
export async function emitTo<E extends EventChannel>(page: Page, channel: E, payload: EventChannels[E]): Promise<void> {
  await page.evaluate(([name, c, p]) => (window as unknown as Record<string, (c: string, p: unknown) => void>)[name]?.(c, p), [EMIT_FUNCTION, channel, payload] as const)
}

/**
 * The Electron desktop host's stand-in for the e2e suite: one X screen (Xvfb, scale 1) as the only
 * screen source, and the overlay window played by `overlayPage` (in a headless browser, so it is not
 * on the captured screen), resized to the bounds main gives it and fed main's 'overlay:update'.
 * Everything else is the app's real DesktopService.
 */
export function createE2eDesktopHost(options: {
  screen: { width: number; height: number }
  overlayPage: Page
  appPage: () => Page
  log: (message: string) => void
}): { host: DesktopHost; overlay: OverlayRecord } {
  const display: DisplayLayout = { id: '0', bounds: { x: 0, y: 0, ...options.screen }, scaleFactor: 1 }
  // Chromium names its only X screen this way; --auto-select-desktop-capture-source picks it by that title.
  const source: DesktopSource = { id: 'screen:0:0', kind: 'screen', name: 'Entire screen', displayId: '0', thumbnail: '', appIcon: null }
  const overlay: OverlayRecord = { bounds: null, visible: false, closed: 0, updates: [] }
  const fail = (what: string) => (error: unknown) => options.log(`[e2e-host] ${what}: ${String(error)}`)
  const host: DesktopHost = {
    listSources: async () => [source],
    displays: () => [display],
    readWindowBounds: async () => {
      throw new Error('this harness has no window manager to read window bounds from')
    },
    openRegionSelectors: () => options.log('[e2e-host] region selectors are not part of this suite'),
    closeRegionSelectors: () => undefined,
    overlay: {
      show: (bounds) => {
        overlay.bounds = bounds
        void options.overlayPage.setViewportSize({ width: bounds.width, height: bounds.height }).catch(fail('resize overlay'))
      },
      setBounds: (bounds) => {
        overlay.bounds = bounds
        void options.overlayPage.setViewportSize({ width: bounds.width, height: bounds.height }).catch(fail('resize overlay'))
      },
      setVisible: (visible) => (overlay.visible = visible),
      send: (update) => {
        overlay.updates.push({ at: Date.now(), update })
        void emitTo(options.overlayPage, 'overlay:update', update).catch(fail('overlay update'))
      },
      close: () => overlay.closed++
    },
    contentProtection: false,
    emit: (channel, payload) => void emitTo(options.appPage(), channel, payload).catch(fail(channel)),
    log: options.log
  }
  return { host, overlay }
}
