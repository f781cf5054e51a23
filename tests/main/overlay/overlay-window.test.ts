import { describe, expect, it, vi } from 'vitest'
import type { BrowserWindow } from 'electron'
import { contentProtectionWorks, makeOverlay, OVERLAY_WINDOW_OPTIONS } from '../../../src/main/overlay/overlay-window'

describe('overlay window', () => {
  it('is transparent, frameless, unfocusable, off the taskbar, on top, and keeps the sandbox', () => {
    expect(OVERLAY_WINDOW_OPTIONS).toMatchObject({
      transparent: true,
      frame: false,
      focusable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      hasShadow: false,
      resizable: false,
      show: false
    })
    expect(OVERLAY_WINDOW_OPTIONS.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
  })

  it('goes above full-screen apps, lets clicks through, follows workspaces and hides from capture', () => {
    const window = {
      setAlwaysOnTop: vi.fn(),
      setIgnoreMouseEvents: vi.fn(),
      setVisibleOnAllWorkspaces: vi.fn(),
      setContentProtection: vi.fn()
    }
    makeOverlay(window as unknown as BrowserWindow)
    expect(window.setAlwaysOnTop).toHaveBeenCalledWith(true, 'screen-saver')
    expect(window.setIgnoreMouseEvents).toHaveBeenCalledWith(true, { forward: true })
    expect(window.setVisibleOnAllWorkspaces).toHaveBeenCalledWith(true, { visibleOnFullScreen: true })
    expect(window.setContentProtection).toHaveBeenCalledWith(true)
  })

  it('knows where content protection keeps the overlay out of captures', () => {
    expect(contentProtectionWorks('darwin')).toBe(true)
    expect(contentProtectionWorks('win32')).toBe(true)
    expect(contentProtectionWorks('linux')).toBe(false)
  })
})
