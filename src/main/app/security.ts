import { app, session } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { devServerUrl, isAllowedRequest, isAppUrl } from './app-url'
import { windowKindOf } from './window'

/**
 * App-wide guards: no network at run time, the CSP as a response header for production loads (the
 * page's meta tag carries the same one), camera access only for our pages, and no new windows,
 * webviews or navigation from any web contents, including ones later features create.
 */
export function setupSecurity(log: (message: string) => void = console.log): void {
  const devUrl = devServerUrl(process.env, app.isPackaged)
  const ses = session.defaultSession

  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, devUrl)
    if (!allowed) log(`[security] blocked request to ${details.url.slice(0, 200)}`)
    callback({ cancel: !allowed })
  })

  // The dev server needs its own inline HMR client and web socket, so its CSP comes from the page.
  if (!devUrl) {
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
    })
  }

  // The camera is for the main window only; the overlay and the selectors never need it.
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(permission === 'media' && windowKindOf(contents) === 'main' && isAppUrl(details.requestingUrl, devUrl))
  })
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    return permission === 'media' && windowKindOf(contents) === 'main' && isAppUrl(requestingOrigin, devUrl)
  })

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.on('will-navigate', (event) => event.preventDefault())
    // Sub-frames and server redirects are navigations too.
    contents.on('will-frame-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
