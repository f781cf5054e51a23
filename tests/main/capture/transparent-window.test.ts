import type { BrowserWindow } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OVERLAY_WINDOW_OPTIONS } from '../../../src/main/overlay/overlay-window'
import { createRegionSelectors, REGION_SELECTOR_WINDOW_OPTIONS } from '../../../src/main/capture/region-selector'
import { loadRendererPage, transparentWindowOptions } from '../../../src/main/capture/transparent-window'
import { secureWebPreferences } from '../../../src/main/app/window'

/** The secure preferences of a window whose preload is `preload`. */
const secure = (preload: string) => ({
  preload: expect.stringMatching(new RegExp(`[\\\\/]preload[\\\\/]${preload}\\.js$`)),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true
})
const SECURE = secure('index')

const TRANSPARENT = {
  show: false,
  frame: false,
  transparent: true,
  backgroundColor: '#00000000',
  hasShadow: false,
  resizable: false,
  movable: false,
  skipTaskbar: true,
  alwaysOnTop: true
}

describe('secureWebPreferences', () => {
  it('keeps the preload bridge, isolation, the sandbox and web security on and Node off', () => {
    expect(secureWebPreferences('main')).toEqual(SECURE)
  })

  it("gives each window kind its own preload", () => {
    expect(secureWebPreferences('overlay')).toEqual(secure('overlay'))
    expect(secureWebPreferences('selector')).toEqual(secure('selector'))
  })

  it('adds only what it is given', () => {
    expect(secureWebPreferences('main', { backgroundThrottling: false })).toEqual({ ...SECURE, backgroundThrottling: false })
  })
})

describe('transparentWindowOptions', () => {
  it('sets only the flags a spec names beyond the shared transparent, frameless, on-top ones', () => {
    expect(transparentWindowOptions({ title: 't', kind: 'selector' })).toEqual({ ...TRANSPARENT, title: 't', webPreferences: secure('selector') })
  })

  it('builds the overlay: never focused, no minimise/maximise/full screen, drawing while unfocused', () => {
    expect(OVERLAY_WINDOW_OPTIONS).toEqual({
      ...TRANSPARENT,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      focusable: false,
      title: 'Emotion Overlay labels',
      webPreferences: { ...secure('overlay'), backgroundThrottling: false }
    })
  })

  it('builds the region selector: focusable for Escape, allowed to cover its display', () => {
    expect(REGION_SELECTOR_WINDOW_OPTIONS).toEqual({
      ...TRANSPARENT,
      enableLargerThanScreen: true,
      title: 'Select a region',
      webPreferences: secure('selector')
    })
    expect(REGION_SELECTOR_WINDOW_OPTIONS).not.toHaveProperty('focusable')
  })
})

describe('loadRendererPage', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  const fakeWindow = (): { loadURL: ReturnType<typeof vi.fn>; loadFile: ReturnType<typeof vi.fn> } => ({
    loadURL: vi.fn(async () => undefined),
    loadFile: vi.fn(async () => undefined)
  })

  it.each([
    ['http://localhost:5173', 'http://localhost:5173/overlay.html'],
    ['http://localhost:5173/', 'http://localhost:5173/overlay.html']
  ])('loads the page from the dev server %s', (devUrl, expected) => {
    vi.stubEnv('ELECTRON_RENDERER_URL', devUrl)
    const window = fakeWindow()
    loadRendererPage(window as unknown as BrowserWindow, 'overlay.html')
    expect(window.loadURL).toHaveBeenCalledWith(expected)
    expect(window.loadFile).not.toHaveBeenCalled()
  })

  it('loads the built page from the app:// origin otherwise', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', undefined)
    const window = fakeWindow()
    loadRendererPage(window as unknown as BrowserWindow, 'selector.html')
    expect(window.loadURL).toHaveBeenCalledWith('app://bundle/selector.html')
    expect(window.loadFile).not.toHaveBeenCalled()
  })
})

describe('createRegionSelectors', () => {
  it('opens one selector per display and reports a window closed by the user, but not its own close()', () => {
    const onClosed = vi.fn()
    const windows: BrowserWindow[] = []
    const selectors = createRegionSelectors((w) => windows.push(w))
    selectors.open(onClosed)
    expect(windows).toHaveLength(2)
    // Alt+F4 on the second display's selector.
    windows[1]?.destroy()
    expect(onClosed).toHaveBeenCalledTimes(1)
    selectors.close()
    expect(onClosed).toHaveBeenCalledTimes(1)
    expect(windows.every((w) => w.isDestroyed())).toBe(true)
  })
})
