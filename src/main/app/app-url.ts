/** Which URLs belong to the app: its own app:// origin, or the dev server during `npm run dev`. */

import { isAppOrigin } from './app-protocol'

/** The renderer dev server's URL when running under `electron-vite dev`, else undefined. */
export function devServerUrl(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  const url = env.ELECTRON_RENDERER_URL
  return !isPackaged && url ? url : undefined
}

/** The parsed URL, or null where it is not a valid absolute URL. */
function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** True for a page of ours: one on app://bundle, or on the dev server's origin. */
export function isAppUrl(url: string, devUrl: string | undefined): boolean {
  const parsed = parseUrl(url)
  if (!parsed) return false
  if (isAppOrigin(url)) return true
  return devUrl !== undefined && parsed.origin === new URL(devUrl).origin
}

const LOCAL_PROTOCOLS = new Set(['data:', 'blob:', 'devtools:'])

/**
 * Whether the app may load a URL at all. There is no network at run time: only the app's own
 * app:// files and in-memory data, plus the dev server (and its hot-reload web socket) during development.
 */
export function isAllowedRequest(url: string, devUrl: string | undefined): boolean {
  const parsed = parseUrl(url)
  if (!parsed) return false
  if (LOCAL_PROTOCOLS.has(parsed.protocol) || isAppOrigin(url)) return true
  if (devUrl === undefined) return false
  const dev = new URL(devUrl)
  const sameHost = parsed.hostname === dev.hostname && parsed.port === dev.port
  return sameHost && (parsed.protocol === dev.protocol || parsed.protocol === 'ws:' || parsed.protocol === 'wss:')
}
