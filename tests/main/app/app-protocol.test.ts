import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { protocol } from 'electron'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { appPageUrl, appResponseHeaders, isAppOrigin, registerAppScheme, resolveAppFile, serveAppProtocol } from '../../../src/main/app/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp'

const ROOT = '/app/out/renderer'

describe('app:// URLs', () => {
  it('names the renderer pages on app://bundle and recognises only that origin', () => {
    expect(appPageUrl('overlay.html')).toBe('app://bundle/overlay.html')
    expect(isAppOrigin('app://bundle/index.html')).toBe(true)
    expect(isAppOrigin('app://other/index.html')).toBe(false)
    expect(isAppOrigin('file:///app/out/renderer/index.html')).toBe(false)
    expect(isAppOrigin('https://bundle/index.html')).toBe(false)
    expect(isAppOrigin('not a url')).toBe(false)
  })

  it('maps a URL to a file under the root, the root to index.html, and refuses anything outside it', () => {
    expect(resolveAppFile('app://bundle/assets/index-abc.js', ROOT)).toBe(join(ROOT, 'assets/index-abc.js'))
    expect(resolveAppFile('app://bundle/', ROOT)).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile('app://bundle/some%20file.json?x=1#y', ROOT)).toBe(join(ROOT, 'some file.json'))
    // Dot segments, plain or encoded, never lead out of the root.
    for (const evil of ['app://bundle/../../etc/passwd', 'app://bundle/%2e%2e/%2e%2e/etc/passwd', 'app://bundle/..%2f..%2fetc%2fpasswd', 'app://bundle/a/..%5c..%5c..%5cetc']) {
      const file = resolveAppFile(evil, ROOT)
      expect(file === null || file.startsWith(`${ROOT}/`), `${evil} → ${file}`).toBe(true)
    }
    expect(resolveAppFile('app://bundle/%E0%A4%A', ROOT)).toBeNull()
    expect(resolveAppFile('app://other/index.html', ROOT)).toBeNull()
  })

  it('sends the CSP and the cross-origin isolation headers with the right type', () => {
    expect(appResponseHeaders('/r/x.wasm')).toEqual({
      'Content-Type': 'application/wasm',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin'
    })
    expect(appResponseHeaders('/r/index.html')['Content-Type']).toBe('text/html; charset=utf-8')
    expect(appResponseHeaders('/r/unknown.xyz')['Content-Type']).toBe('application/octet-stream')
  })
})

describe('the app:// handler', () => {
  let root = ''
  let handler: (request: { url: string }) => Promise<Response>
  const log = vi.fn()

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-protocol-'))
    await mkdir(join(root, 'assets'))
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>')
    await writeFile(join(root, 'assets', 'a.js'), 'export {}')
    registerAppScheme()
    serveAppProtocol(root, log)
    handler = vi.mocked(protocol.handle).mock.calls.at(-1)?.[1] as unknown as typeof handler
  })
  afterAll(() => rm(root, { recursive: true, force: true }))

  it('declares app:// standard, secure and fetchable', () => {
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }
    ])
    expect(vi.mocked(protocol.handle).mock.calls.at(-1)?.[0]).toBe('app')
  })

  it('serves the pages and assets with their headers', async () => {
    const page = await handler({ url: 'app://bundle/index.html' })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>app</title>')
    expect(page.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp')
    expect(page.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY)
    const script = await handler({ url: 'app://bundle/assets/a.js' })
    expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
  })

  it('answers 404 for a missing file, another host or a path out of the build, and logs the refusal', async () => {
    expect((await handler({ url: 'app://bundle/missing.js' })).status).toBe(404)
    expect((await handler({ url: 'app://other/index.html' })).status).toBe(404)
    expect((await handler({ url: 'app://bundle/%2e%2e/%2e%2e/etc/hostname' })).status).toBe(404)
    expect(log).toHaveBeenCalledWith(expect.stringContaining('refused app://other/index.html'))
  })
})
