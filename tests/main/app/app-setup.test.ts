import { app, BrowserWindow, protocol } from 'electron'
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { setupAppBeforeReady, setupMainWindow, setupShutdown } from '../../../src/main/app/app-setup'

type Listener = (...args: unknown[]) => unknown

/** The listener the code under test registered on `app` for `event` (the last one). */
function appListener(event: string): Listener {
  const call = (app.on as Mock).mock.calls.filter(([name]) => name === event).at(-1)
  if (!call) throw new Error(`no ${event} listener`)
  return call[1] as Listener
}

beforeEach(() => {
  vi.mocked(app.on).mockClear()
  vi.mocked(app.quit).mockClear()
  vi.mocked(app.requestSingleInstanceLock).mockReturnValue(true)
  ;(BrowserWindow as unknown as { instances: unknown[] }).instances.length = 0
})

describe('setupAppBeforeReady', () => {
  it('registers the app:// scheme and the window-all-closed rule when this is the only instance', () => {
    expect(setupAppBeforeReady()).toBe(true)
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalled()
    expect(app.quit).not.toHaveBeenCalled()
    expect(vi.mocked(app.on).mock.calls.map(([event]) => event)).toEqual(['second-instance', 'window-all-closed'])
  })

  it('quits and registers nothing when another instance holds the lock', () => {
    vi.mocked(app.requestSingleInstanceLock).mockReturnValue(false)
    expect(setupAppBeforeReady()).toBe(false)
    expect(app.quit).toHaveBeenCalledOnce()
    expect(app.on).not.toHaveBeenCalled()
  })
})

describe('setupMainWindow', () => {
  it('opens one window, and another from the dock only once none is left', () => {
    const first = setupMainWindow()
    expect(BrowserWindow.getAllWindows()).toEqual([first])
    // macOS activates the app at launch too: with the window open that must not add a second one.
    appListener('activate')()
    expect(BrowserWindow.getAllWindows()).toHaveLength(1)
    ;(BrowserWindow as unknown as { instances: unknown[] }).instances.length = 0
    appListener('activate')()
    expect(BrowserWindow.getAllWindows()).toHaveLength(1)
  })

})

describe('setupShutdown', () => {
  it('holds the first quit until dispose has finished, runs dispose once, then lets the quit through', async () => {
    let finish = (): void => undefined
    const dispose = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)))
    setupShutdown(dispose)
    const beforeQuit = appListener('before-quit')
    const first = { preventDefault: vi.fn() }
    beforeQuit(first)
    expect(first.preventDefault).toHaveBeenCalledOnce()
    expect(dispose).toHaveBeenCalledOnce()
    expect(app.quit).not.toHaveBeenCalled()
    // A second quit while disposing (or the one dispose triggers) is neither held nor disposes again.
    const second = { preventDefault: vi.fn() }
    beforeQuit(second)
    expect(second.preventDefault).not.toHaveBeenCalled()
    finish()
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce())
    expect(dispose).toHaveBeenCalledOnce()
  })
})
