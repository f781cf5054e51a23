/**
 * The display-media request handler: hands getDisplayMedia exactly the source the user picked in
 * the main window, and nothing to any other page or frame (the overlay, the region selector, a
 * subframe, a page that is not ours).
 */
import { webContents, type DesktopCapturerSource, type DisplayMediaRequestHandlerHandlerRequest, type Streams, type WebFrameMain } from 'electron'
import { isAppUrl } from '../app/app-url'
import { windowKindOf } from '../app/window'

/** What the handler needs: the chosen source, how to list sources, and where to log refusals. */
export interface DisplayMediaOptions {
  /** The source the user selected through 'capture:select', or undefined when none is. */
  currentSourceId(): string | null
  listSources(): Promise<DesktopCapturerSource[]>
  /** The dev server's URL under `electron-vite dev`, else undefined. */
  devUrl: string | undefined
  log(message: string): void
}

/**
 * Why a frame may not capture, or undefined when it is the top frame of our main window showing our
 * page. The overlay and selector pages are ours and app:// too, but they never capture.
 */
function refusal(frame: WebFrameMain | null, devUrl: string | undefined): string | undefined {
  if (!frame) return 'a destroyed frame'
  const url = frame.url.slice(0, 120)
  if (!isAppUrl(frame.url, devUrl)) return `a page that is not ours (${url})`
  if (frame.parent !== null) return `a subframe (${url})`
  const kind = windowKindOf(webContents.fromFrame(frame))
  if (kind !== 'main') return `${kind ? `the ${kind} window` : 'a window that is not ours'} (${url})`
  return undefined
}

/** The handler for session.setDisplayMediaRequestHandler. */
export function displayMediaRequestHandler(options: DisplayMediaOptions) {
  return (request: DisplayMediaRequestHandlerHandlerRequest, callback: (streams: Streams) => void): void => {
    const id = options.currentSourceId()
    const refused = refusal(request.frame, options.devUrl)
    if (refused || !id || !request.videoRequested) {
      options.log(`[capture] refused a display-media request from ${refused ?? (id ? 'the main window: no video was asked for' : 'the main window: no source is selected')}`)
      callback({})
      return
    }
    options
      .listSources()
      .then((sources) => {
        const source = sources.find((s) => s.id === id)
        if (!source) options.log(`[capture] ${id} is gone; refusing the request`)
        callback(source ? { video: source } : {})
      })
      .catch((error: unknown) => {
        options.log(`[capture] listing sources failed: ${String(error)}`)
        callback({})
      })
  }
}
