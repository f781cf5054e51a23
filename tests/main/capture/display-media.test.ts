import { BrowserWindow, type DesktopCapturerSource, type DisplayMediaRequestHandlerHandlerRequest, type Streams, type WebFrameMain } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { trackWindow } from '../../../src/main/app/window'
import { displayMediaRequestHandler } from '../../../src/main/capture/display-media'

const source = { id: 'screen:1:0', name: 'Screen 1' } as DesktopCapturerSource

function setup(selected: string | null = source.id) {
  const log = vi.fn()
  const handler = displayMediaRequestHandler({ currentSourceId: () => selected, listSources: async () => [source], devUrl: undefined, log })
  const ask = (frame: unknown, videoRequested = true): Promise<Streams> =>
    new Promise((resolve) => handler({ frame, videoRequested, audioRequested: false, securityOrigin: 'app://bundle' } as DisplayMediaRequestHandlerHandlerRequest, resolve))
  return { ask, log }
}

function ourWindow(kind: 'main' | 'overlay' | 'selector', url = 'app://bundle/index.html'): WebFrameMain {
  const window = new BrowserWindow({})
  trackWindow(window, kind)
  Object.assign(window.webContents.mainFrame, { url })
  return window.webContents.mainFrame as unknown as WebFrameMain
}

describe('the display-media request handler', () => {
  it("grants the selected source to the main window's top frame", async () => {
    const { ask } = setup()
    expect(await ask(ourWindow('main'))).toEqual({ video: source })
  })

  // The overlay and the region selector show app:// pages too; a compromised one must not capture the screen.
  it.each(['overlay', 'selector'] as const)('refuses the %s window though its page is app://', async (kind) => {
    const { ask, log } = setup()
    expect(await ask(ourWindow(kind, `app://bundle/${kind}.html`))).toEqual({})
    expect(log).toHaveBeenCalledWith(expect.stringContaining(`the ${kind} window`))
  })

  it('refuses a window that is not ours, a subframe of the main window, another origin and a destroyed frame', async () => {
    const { ask } = setup()
    const stranger = new BrowserWindow({}).webContents.mainFrame
    const main = ourWindow('main')
    expect(await ask(stranger)).toEqual({})
    expect(await ask({ url: 'app://bundle/index.html', parent: main })).toEqual({})
    expect(await ask(ourWindow('main', 'https://example.com/'))).toEqual({})
    expect(await ask(null)).toEqual({})
  })

  it('refuses the main window when no source is selected or no video was asked for', async () => {
    expect(await setup(null).ask(ourWindow('main'))).toEqual({})
    expect(await setup().ask(ourWindow('main'), false)).toEqual({})
  })
})
