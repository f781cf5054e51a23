import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../shared/isolation'
import { MIME_TYPES as MIME } from '../../shared/mime-types'

/**
 * The app's pages come from app://bundle/ rather than file://: a privileged standard scheme gives
 * them one origin and lets main send real response headers, which cross-origin isolation
 * (threaded WebAssembly) needs and file:// cannot carry.
 */
export const APP_SCHEME = 'app'
/** The one host the scheme serves. */
export const APP_HOST = 'bundle'


/** The app:// URL of a page of the renderer build (index.html, overlay.html, selector.html). */
export function appPageUrl(page: string): string {
  return `${APP_SCHEME}://${APP_HOST}/${page}`
}

/** True for a URL on the app's own origin (app://bundle). */
export function isAppOrigin(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST
  } catch {
    return false
  }
}

/** The file under `root` that an app:// URL names, or null for another origin or a path that leaves `root`. */
export function resolveAppFile(url: string, root: string): string | null {
  if (!isAppOrigin(url)) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(url).pathname)
  } catch {
    return null
  }
  const relative = normalize(pathname === '/' || pathname === '' ? '/index.html' : pathname)
  const file = join(root, relative)
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null
}

/** The headers every app:// response carries: its type, the CSP and cross-origin isolation. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    ...CROSS_ORIGIN_ISOLATION_HEADERS
  }
}

/** Declares app:// standard, secure and fetchable; Electron accepts this only before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }])
}

/** Serves the renderer build in `root` on app://bundle/; anything else, or a missing file, is a 404. */
export function serveAppProtocol(root: string, log: (message: string) => void = console.log): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, root)
    if (!file) {
      log(`[app-protocol] refused ${request.url.slice(0, 200)}`)
      return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    }
    try {
      return new Response(await readFile(file), { headers: appResponseHeaders(file) })
    } catch {
      return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    }
  })
}
