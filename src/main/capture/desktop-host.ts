import { join } from 'node:path'
import { app, desktopCapturer, globalShortcut, screen, session, shell, systemPreferences, type BrowserWindow } from 'electron'
import { physicalToDip, type DisplayLayout } from '../../shared/capture-geometry'
import type { DesktopSource, EventChannels } from '../../shared/ipc'
import { AppError } from '../app/app-error'
import { devServerUrl } from '../app/app-url'
import { ConsentStore } from '../app/consent'
import type { DesktopServices } from '../ipc/desktop-ipc'
import { DesktopService, type DesktopHost } from './desktop-service'
import { displayMediaRequestHandler } from './display-media'
import { contentProtectionWorks, createOverlayHost } from '../overlay/overlay-window'
import { createRegionSelectors } from './region-selector'
import { readOverlayShortcut } from '../app/shortcuts'
import { setupTray } from '../app/tray'
import { readWindowBounds } from './window-bounds'

/** What setupCapture needs from index.ts. */
export interface DesktopSetup {
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  /** Registers a window as ours with its kind, so its IPC calls are trusted for that kind's channels. */
  trackWindow(window: BrowserWindow, kind: 'overlay' | 'selector'): void
  mainWindow(): BrowserWindow | undefined
  /** The overlay's wanted visibility (tray, shortcut) as the last run left it, and where a change is kept (src/main/settings). */
  overlayVisibility?: { initial: boolean | undefined; save(visible: boolean): Promise<void> }
  log?: (message: string) => void
}

const THUMBNAIL = { width: 320, height: 180 }

function displays(): DisplayLayout[] {
  return screen.getAllDisplays().map((d) => ({ id: String(d.id), bounds: d.bounds, scaleFactor: d.scaleFactor }))
}

/** macOS asks for the screen-recording permission once; without it sources have no content. */
function assertScreenPermission(): void {
  if (process.platform !== 'darwin') return
  const status = systemPreferences.getMediaAccessStatus('screen')
  if (status === 'denied' || status === 'restricted') {
    throw new AppError(
      'capture-unavailable',
      'macOS denied screen recording. Allow Emotion Overlay in System Settings → Privacy & Security → Screen & System Audio Recording, then restart the app.'
    )
  }
}

async function listSources(): Promise<DesktopSource[]> {
  assertScreenPermission()
  let sources: Electron.DesktopCapturerSource[]
  try {
    sources = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL, fetchWindowIcons: true })
  } catch (error) {
    // Wayland: the xdg-desktop-portal (PipeWire) picker was cancelled or is missing.
    throw new AppError('capture-unavailable', `the system did not list screens or windows: ${error instanceof Error ? error.message : String(error)}`)
  }
  const ownTitles = new Set(['Emotion Overlay labels', 'Select a region'])
  return sources
    .filter((s) => !ownTitles.has(s.name))
    .map((s) => ({
      id: s.id,
      kind: s.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
      name: s.name,
      displayId: s.display_id || null,
      thumbnail: s.thumbnail.isEmpty() ? '' : s.thumbnail.toDataURL(),
      appIcon: s.appIcon && !s.appIcon.isEmpty() ? s.appIcon.toDataURL() : null
    }))
}

async function windowBoundsDip(source: DesktopSource): Promise<Electron.Rectangle | undefined> {
  const raw = await readWindowBounds(source)
  if (!raw) return undefined
  // get-windows reports physical pixels on Windows and X11, points (= DIP) on macOS.
  if (process.platform === 'win32') return screen.screenToDipRect(null, raw)
  if (process.platform === 'linux') return physicalToDip(raw, displays())
  return raw
}

/**
 * Screen, window and region capture with the overlay: the display-media handler that hands
 * getDisplayMedia the chosen source, the overlay and selector windows, window following, the tray,
 * the show/hide shortcut and the consent store. Returns the services the IPC handlers call.
 */
export async function setupCapture(setup: DesktopSetup): Promise<DesktopServices> {
  const log = setup.log ?? ((message: string) => console.log(message))
  const devUrl = devServerUrl(process.env, app.isPackaged)
  const selectors = createRegionSelectors((window) => setup.trackWindow(window, 'selector'))
  let tray: ReturnType<typeof setupTray> | null = null

  const host: DesktopHost = {
    listSources,
    displays,
    readWindowBounds: windowBoundsDip,
    openRegionSelectors: (onClosed) => selectors.open(onClosed),
    closeRegionSelectors: () => selectors.close(),
    overlay: createOverlayHost((window) => setup.trackWindow(window, 'overlay')),
    contentProtection: contentProtectionWorks(),
    emit: setup.emit,
    onStateChange: (state) => {
      tray?.update(state.analysis, state.overlayWanted)
      setup.overlayVisibility?.save(state.overlayWanted).catch((error: unknown) => log(`[settings] overlay visibility not saved: ${String(error)}`))
    },
    log
  }
  const desktop = new DesktopService(host)
  // The overlay starts as the user last left it (hidden with the tray or the shortcut, or shown).
  if (setup.overlayVisibility?.initial === false) desktop.setOverlayVisible(false)

  // getDisplayMedia in our page gets exactly the source the user picked, with no OS picker on
  // Windows and X11; on Wayland Chromium shows the PipeWire portal's own picker instead.
  session.defaultSession.setDisplayMediaRequestHandler(
    displayMediaRequestHandler({
      currentSourceId: () => desktop.currentSourceId(),
      listSources: () => desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } }),
      devUrl,
      log
    }),
    { useSystemPicker: false }
  )

  for (const event of ['display-added', 'display-removed', 'display-metrics-changed'] as const) {
    screen.on(event as 'display-added', () => desktop.displaysChanged())
  }

  // The tray re-renders through onStateChange, so its checkbox shows the user's wish.
  const toggleOverlay = (): boolean => desktop.toggleOverlay()

  try {
    tray = setupTray({ setPaused: (paused) => desktop.setPaused(paused), toggleOverlay, mainWindow: setup.mainWindow })
  } catch (error) {
    // Some Linux desktops (GNOME without the AppIndicator extension) have no tray.
    log(`[tray] unavailable: ${String(error)}`)
  }

  const shortcut = await readOverlayShortcut(join(app.getPath('userData'), 'settings.json'), log)
  if (!globalShortcut.register(shortcut, toggleOverlay)) log(`[shortcut] ${shortcut} is taken by another application; the overlay toggle is in the tray menu`)
  else log(`[shortcut] ${shortcut} shows or hides the overlay`)

  // The overlay is not a reason to keep running once the main window is gone.
  setup.mainWindow()?.on('closed', () => {
    desktop.release()
    selectors.close()
  })

  app.on('will-quit', () => {
    globalShortcut.unregisterAll()
    desktop.release()
    selectors.close()
    tray?.destroy()
  })

  return {
    desktop,
    consent: new ConsentStore(join(app.getPath('userData'), 'consent.json')),
    shell: { showItemInFolder: (path) => shell.showItemInFolder(path) }
  }
}
