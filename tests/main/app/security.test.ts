import { app, BrowserWindow, session } from 'electron'
import { describe, expect, it, vi, type Mock } from 'vitest'
import { isAllowedRequest, isAppUrl } from '../../../src/main/app/app-url'
import { setupSecurity } from '../../../src/main/app/security'
import { trackWindow } from '../../../src/main/app/window'
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp'

describe('isAllowedRequest', () => {
  it.each(['app://bundle/index.html', 'app://bundle/assets/tfjs-backend-wasm-threaded-simd.wasm', 'data:image/png;base64,AA', 'blob:app://bundle/1234', 'devtools://devtools/x'])(
    'allows the local URL %s',
    (url) => expect(isAllowedRequest(url, undefined)).toBe(true)
  )

  it.each(['https://cdn.jsdelivr.net/npm/x', 'http://localhost:5173/', 'ws://localhost:5173', 'ftp://x', 'not a url', 'file:///etc/passwd', 'app://elsewhere/index.html'])(
    'blocks %s in production',
    (url) => expect(isAllowedRequest(url, undefined)).toBe(false)
  )

  it('allows only the dev server and its web socket during development', () => {
    const dev = 'http://localhost:5173'
    expect(isAllowedRequest('http://localhost:5173/src/main.ts', dev)).toBe(true)
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequest('http://localhost:8080/', dev)).toBe(false)
    expect(isAllowedRequest('https://example.com/', dev)).toBe(false)
  })

  it('knows our own pages', () => {
    expect(isAppUrl('app://bundle/index.html', undefined)).toBe(true)
    expect(isAppUrl('app://bundle', undefined)).toBe(true)
    // Pages served any other way are not ours: a local file, another app:// host.
    expect(isAppUrl('file:///x/index.html', undefined)).toBe(false)
    expect(isAppUrl('app://other/index.html', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
  })
})

describe('setupSecurity', () => {
  setupSecurity(() => undefined)
  const web = session.defaultSession.webRequest

  it('cancels network requests and lets local files through', () => {
    const onBefore = vi.mocked(web.onBeforeRequest).mock.calls[0]?.[0] as unknown as (d: { url: string }, cb: (r: unknown) => void) => void
    const callback = vi.fn()
    onBefore({ url: 'https://example.com/track.js' }, callback)
    onBefore({ url: 'app://bundle/index.html' }, callback)
    expect(callback.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]])
  })

  it('adds the CSP header to responses', () => {
    const onHeaders = vi.mocked(web.onHeadersReceived).mock.calls[0]?.[0] as unknown as (d: unknown, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void
    const callback = vi.fn()
    onHeaders({ responseHeaders: { 'X-Other': ['1'] } }, callback)
    expect(callback.mock.calls[0]?.[0].responseHeaders).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it("grants the camera to the main window's pages only", () => {
    const main = new BrowserWindow({}) as unknown as { webContents: unknown }
    const overlay = new BrowserWindow({}) as unknown as { webContents: unknown }
    trackWindow(main as never, 'main')
    trackWindow(overlay as never, 'overlay')
    const handler = vi.mocked(session.defaultSession.setPermissionRequestHandler).mock.calls[0]?.[0] as unknown as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: { requestingUrl: string }
    ) => void
    const callback = vi.fn()
    handler(main.webContents, 'media', callback, { requestingUrl: 'app://bundle/index.html' })
    handler(main.webContents, 'media', callback, { requestingUrl: 'https://evil.example/' })
    handler(main.webContents, 'geolocation', callback, { requestingUrl: 'app://bundle/index.html' })
    handler(overlay.webContents, 'media', callback, { requestingUrl: 'app://bundle/overlay.html' })
    handler({}, 'media', callback, { requestingUrl: 'app://bundle/index.html' })
    expect(callback.mock.calls).toEqual([[true], [false], [false], [false], [false]])
    const check = vi.mocked(session.defaultSession.setPermissionCheckHandler).mock.calls[0]?.[0] as unknown as (c: unknown, p: string, origin: string) => boolean
    expect(check(main.webContents, 'media', 'app://bundle')).toBe(true)
    expect(check(overlay.webContents, 'media', 'app://bundle')).toBe(false)
    expect(check(null, 'media', 'app://bundle')).toBe(false)
  })

  it('guards every web contents created later', () => {
    type Prevented = { preventDefault: () => void }
    type Contents = { on: (name: string, listener: (e: Prevented) => void) => unknown; setWindowOpenHandler: Mock<(handler: () => unknown) => void> }
    const calls = vi.mocked(app.on).mock.calls as unknown as [string, (e: unknown, c: Contents) => void][]
    const created = calls.find(([name]) => name === 'web-contents-created')?.[1] as (e: unknown, c: Contents) => void
    const listeners = new Map<string, (e: Prevented) => void>()
    const contents: Contents = { on: (n, l) => listeners.set(n, l), setWindowOpenHandler: vi.fn() }
    created({}, contents)
    const preventDefault = vi.fn()
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(listeners.has(name), name).toBe(true)
      listeners.get(name)?.({ preventDefault })
    }
    expect(preventDefault).toHaveBeenCalledTimes(4)
    expect(contents.setWindowOpenHandler.mock.calls[0]?.[0]()).toEqual({ action: 'deny' })
  })
})
