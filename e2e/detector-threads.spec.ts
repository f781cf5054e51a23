import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../src/shared/isolation'
import { showDetails } from './harness/app-view'
import { expect, test } from './harness/fixtures'

/**
 * TF.js's WASM backend runs threads (one per core but one) only on a cross-origin isolated page (threads
 * share memory through SharedArrayBuffer). The Performance panel says which backend runs and how
 * many threads; these tests read it beside the page's own view of isolation and cores, with the
 * isolation headers the app sends and without them.
 */
test.describe('face detection threads', () => {
  const backendStat = '[data-stat="detector-backend"]'
  /** The panel's backend line once the detector has loaded, e.g. "wasm SIMD · 2 threads". */
  const loadedBackend = async (page: import('@playwright/test').Page): Promise<string> => {
    const stat = page.locator(backendStat)
    await expect(stat).toHaveText(/threads?$/, { timeout: 120_000 })
    return ((await stat.textContent()) ?? '').trim()
  }

  test('an isolated page runs the threaded WASM SIMD build with one thread per core but one', async ({ app }) => {
    const { page } = app
    const text = await loadedBackend(page)
    const view = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }))
    expect(view.isolated, 'the page is cross-origin isolated').toBe(true)
    const threads = Math.max(1, view.cores - 1)
    expect(text).toBe(`wasm SIMD · ${threads} ${threads === 1 ? 'thread' : 'threads'}`)
    // Where that is one thread, the panel must not give the reason of a page without isolation.
    await expect(page.getByText(/not cross-origin isolated/)).toHaveCount(0)
    await expect(page.locator('[data-stat="detector-place"]')).toHaveText('worker')
  })

  test('without the isolation headers the panel says one thread and why', async ({ app }) => {
    const { page } = app
    // Let the first load finish, so the reload below cuts off no request.
    await loadedBackend(page)
    await page.route('**/*', async (route) => {
      const response = await route.fetch()
      const headers = { ...response.headers() }
      for (const name of Object.keys(CROSS_ORIGIN_ISOLATION_HEADERS)) delete headers[name.toLowerCase()]
      await route.fulfill({ response, headers })
    })
    await page.reload()
    const text = await loadedBackend(page)
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false)
    expect(text).toBe('wasm SIMD · 1 thread')
    await showDetails(page)
    await expect(page.getByText(/not cross-origin isolated/)).toBeVisible()
  })

  test('a detection worker that cannot start leaves detection in the page, and the panel says so', async ({ app }) => {
    const { page, guards } = app
    await loadedBackend(page)
    // The worker's script loads but throws at once, as a broken or blocked build would.
    const isWorkerScript = (url: URL): boolean => /^\/assets\/detector-worker-/.test(url.pathname) && !url.pathname.includes('detector-worker-client')
    await page.route(isWorkerScript, async (route) => {
      // Served with the real response's headers (a worker without them is blocked by the page's isolation).
      const response = await route.fetch()
      await route.fulfill({ response, body: "throw new Error('worker script refused by the test')" })
    })
    await page.reload()
    const text = await loadedBackend(page)
    expect(text).toMatch(/^wasm SIMD · \d+ threads?$/)
    await expect(page.locator('[data-stat="detector-place"]')).toHaveText('page')
    await expect(page.locator('[data-stat="detector-fallback"]')).toContainText('worker script refused by the test')
    // The refusal is on purpose; anything else still fails the test.
    guards.problems.splice(0, guards.problems.length, ...guards.problems.filter((p) => !/worker script refused by the test/.test(p)))
  })
})
