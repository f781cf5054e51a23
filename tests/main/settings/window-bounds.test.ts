import { BrowserWindow } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { setupMainWindow } from '../../../src/main/app/app-setup'
import type { WindowState } from '../../../src/main/settings/settings-file'
import { mainWindowPlace, restorableBounds } from '../../../src/main/settings/window-bounds'

const MIN = { width: 800, height: 600 }
const LEFT = { x: 0, y: 0, width: 1920, height: 1040 }
const RIGHT = { x: 1920, y: 0, width: 1280, height: 1024 }

describe('restorableBounds', () => {
  it('restores bounds on the display they were on', () => {
    expect(restorableBounds({ x: 2000, y: 50, width: 1000, height: 700 }, [LEFT, RIGHT], MIN)).toEqual({ x: 2000, y: 50, width: 1000, height: 700 })
  })

  it('drops bounds whose display is gone (the right monitor unplugged)', () => {
    expect(restorableBounds({ x: 2000, y: 50, width: 1000, height: 700 }, [LEFT], MIN)).toBeUndefined()
  })

  it('drops bounds whose title bar is off every display (above the top edge)', () => {
    expect(restorableBounds({ x: 100, y: -500, width: 1000, height: 520 }, [LEFT], MIN)).toBeUndefined()
  })

  it('keeps a window that straddles two displays, shrunk to fit the one its title bar is on, never below the minimum', () => {
    expect(restorableBounds({ x: 1500, y: 0, width: 2500, height: 2000 }, [LEFT, RIGHT], MIN)).toEqual({ x: 1500, y: 0, width: 1920, height: 1040 })
    expect(restorableBounds({ x: 10, y: 10, width: 300, height: 200 }, [LEFT], MIN)).toEqual({ x: 10, y: 10, width: 800, height: 600 })
  })

  it('has nothing to restore when nothing was saved', () => {
    expect(restorableBounds(undefined, [LEFT], MIN)).toBeUndefined()
  })
})

/** What tests/setup.ts's fake BrowserWindow keeps: its options and listeners. */
interface FakeWindow {
  options: Record<string, unknown>
  listeners: Map<string, ((...args: unknown[]) => unknown)[]>
}

describe('mainWindowPlace (the two displays of tests/setup.ts: 1920x1040 work area, then 1280x1024 to its right)', () => {
  beforeEach(() => {
    ;(BrowserWindow as unknown as { instances: unknown[] }).instances.length = 0
  })

  const store = (saved?: WindowState) => ({ windowBounds: () => saved, setWindowBounds: vi.fn(async (_bounds: WindowState) => undefined) })

  it('opens the main window where it was last when that place is still on a display', () => {
    const window = setupMainWindow(mainWindowPlace(store({ x: 2000, y: 100, width: 1000, height: 700 }))) as unknown as FakeWindow
    expect(window.options).toMatchObject({ x: 2000, y: 100, width: 1000, height: 700 })
  })

  it('opens it at the default size, centred by Electron, when that display is gone', () => {
    const window = setupMainWindow(mainWindowPlace(store({ x: 5000, y: 100, width: 1000, height: 700 }))) as unknown as FakeWindow
    expect(window.options).toMatchObject({ width: 1280, height: 800 })
    expect(window.options).not.toHaveProperty('x')
  })

  it('saves the normal bounds and the maximised state when the window closes', () => {
    const settings = store()
    const window = setupMainWindow(mainWindowPlace(settings)) as unknown as FakeWindow & Record<string, unknown>
    Object.assign(window, { getNormalBounds: () => ({ x: 5, y: 6, width: 900, height: 650 }), isMaximized: () => true, isMinimized: () => false })
    for (const listener of window.listeners.get('close') ?? []) listener()
    expect(settings.setWindowBounds).toHaveBeenCalledWith({ x: 5, y: 6, width: 900, height: 650, maximized: true })
  })
})
