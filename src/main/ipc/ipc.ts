import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { INVOKE_CHANNELS, type EventChannel, type EventChannels, type InvokeChannel, type IpcResult } from '../../shared/ipc'
import { devServerUrl, isAppUrl } from '../app/app-url'
import type { Handler, Handlers } from './ipc-handlers'
import { mayInvoke, receives } from '../../shared/window-channels'
import { isOurWindow, listOurWindows, windowKind } from '../app/window'

/** True when the call comes from the top frame of one of our windows showing one of our pages. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  if (!isOurWindow(BrowserWindow.fromWebContents(event.sender))) return false
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  return isAppUrl(frame.url, devServerUrl(process.env, app.isPackaged))
}

/** The only place main listens to the renderer: checks the sender, then runs the channel's handler. */
export function handle<K extends InvokeChannel>(channel: K, handler: Handler<K>): void {
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'invalid-sender', message: `${channel}: the sender is not one of this app's windows` } }
    }
    // Each window may only use its own channels (src/shared/window-channels.ts): a compromised
    // overlay or selector page cannot start sessions, read files' paths or run the benchmark.
    const kind = windowKind(BrowserWindow.fromWebContents(event.sender))
    if (!kind || !mayInvoke(kind, channel)) {
      return { ok: false, error: { code: 'invalid-sender', message: `${channel}: the ${kind ?? 'unknown'} window may not use this channel` } }
    }
    return handler(...args)
  })
}

/** Registers every invoke channel's handler. */
export function setupIpc(handlers: Handlers): void {
  for (const channel of INVOKE_CHANNELS) handle(channel, handlers[channel] as Handler<typeof channel>)
}

/** Sends a main → renderer event to the windows of ours that listen for it. */
export function sendToWindows<E extends EventChannel>(channel: E, payload: EventChannels[E]): void {
  for (const window of listOurWindows()) {
    const kind = windowKind(window)
    if (kind && receives(kind, channel)) window.webContents.send(channel, payload)
  }
}
