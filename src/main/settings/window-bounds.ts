import { screen, type BrowserWindow, type Rectangle } from 'electron'
import type { MainWindowPlace } from '../app/app-setup'
import { MAIN_WINDOW_SIZE } from '../app/window'
import type { WindowState } from './settings-file'
import type { SettingsStore } from './settings-store'

/** How much of a restored window must lie on one display for the user to grab it: its title bar's width and height. */
const GRAB = { width: 120, height: 40 }

/**
 * The saved bounds, when their top strip (where the title bar is) still lies on a display's work
 * area by at least GRAB, shrunk to fit that display; undefined when no display shows it any more
 * (a monitor unplugged), so the window opens at its default size and place instead.
 */
export function restorableBounds(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
  minimum: { width: number; height: number }
): Rectangle | undefined {
  if (!saved) return undefined
  const area = workAreas.find((a) => {
    const overlapX = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x)
    const titleTop = Math.max(saved.y, a.y)
    return overlapX >= GRAB.width && titleTop + GRAB.height <= Math.min(saved.y + saved.height, a.y + a.height) && saved.y >= a.y - GRAB.height / 2
  })
  if (!area) return undefined
  const width = Math.round(Math.max(minimum.width, Math.min(saved.width, area.width)))
  const height = Math.round(Math.max(minimum.height, Math.min(saved.height, area.height)))
  return { x: Math.round(saved.x), y: Math.round(saved.y), width, height }
}

/** Saves the main window's normal (not maximised) bounds and maximised state as the user moves and resizes it, and at close. */
export function rememberWindowBounds(
  window: BrowserWindow,
  settings: Pick<SettingsStore, 'setWindowBounds'>,
  log: (message: string) => void = console.log
): void {
  let timer: NodeJS.Timeout | null = null
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (window.isDestroyed() || window.isMinimized()) return
    settings
      .setWindowBounds({ ...window.getNormalBounds(), maximized: window.isMaximized() })
      .catch((error: unknown) => log(`[settings] window bounds not saved: ${String(error)}`))
  }
  // A drag fires dozens of events a second; the file is written once it settles.
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', later)
  window.on('close', save)
}

/** The main window's place from the settings: restored onto a display that still exists, and saved as it changes. */
export function mainWindowPlace(settings: Pick<SettingsStore, 'windowBounds' | 'setWindowBounds'>): MainWindowPlace {
  return {
    bounds: () => {
      const saved = settings.windowBounds()
      const workAreas = screen.getAllDisplays().map((d) => d.workArea)
      const bounds = restorableBounds(saved, workAreas, { width: MAIN_WINDOW_SIZE.minWidth, height: MAIN_WINDOW_SIZE.minHeight })
      return bounds && { ...bounds, maximized: saved?.maximized === true }
    },
    opened: (window) => rememberWindowBounds(window, settings)
  }
}
