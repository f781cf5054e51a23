import type { BrowserContext, Page } from '@playwright/test'

/** What went wrong in the page while a test ran; any entry fails the test. */
export interface PageGuards {
  problems: string[]
  /** Every request URL the page (or its workers) made, in order. */
  requests: string[]
}

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:'])

/**
 * Fails the test on any page error, any console error, any local request that does not succeed,
 * and any request that leaves the local server: the app must work with no network at all, so
 * every other request is aborted and recorded.
 */
export async function guardPage(context: BrowserContext, page: Page, localOrigin: string): Promise<PageGuards> {
  const guards: PageGuards = { problems: [], requests: [] }
  const isLocal = (url: string): boolean => {
    const parsed = new URL(url)
    return LOCAL_SCHEMES.has(parsed.protocol) || parsed.origin === localOrigin
  }

  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (isLocal(url)) return route.continue()
    guards.problems.push(`network request outside the app: ${route.request().method()} ${url}`)
    return route.abort('blockedbyclient')
  })
  await context.routeWebSocket(/.*/, (ws) => {
    guards.problems.push(`web socket opened: ${ws.url()}`)
    return ws.close()
  })

  context.on('request', (request) => {
    guards.requests.push(request.url())
    // Requests that bypass routing (none should) are still caught here.
    if (!isLocal(request.url()) && !guards.problems.some((p) => p.endsWith(request.url()))) {
      guards.problems.push(`network request outside the app: ${request.method()} ${request.url()}`)
    }
  })
  context.on('response', (response) => {
    if (response.status() >= 400 && isLocal(response.url())) guards.problems.push(`HTTP ${response.status()} for ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    if (isLocal(request.url())) guards.problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`)
  })
  page.on('pageerror', (error) => guards.problems.push(`page error: ${error.stack ?? error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') guards.problems.push(`console error: ${message.text()} (${message.location().url}:${message.location().lineNumber})`)
  })
  page.on('crash', () => guards.problems.push('the page crashed'))
  return guards
}
