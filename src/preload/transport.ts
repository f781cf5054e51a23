import { ipcRenderer } from 'electron'
import type { Invoke, Subscribe } from './api'

/** ipcRenderer.invoke as the API modules take it; each preload bundles its own copy. */
export const invoke: Invoke = (channel, ...args) => ipcRenderer.invoke(channel, ...args)

/** ipcRenderer.on as the API modules take it; returns the function that stops listening. */
export const subscribe: Subscribe = (channel, listener) => {
  // The renderer never sees the IPC event object, only the payload.
  const wrapped = (_event: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload)
  ipcRenderer.on(channel, wrapped)
  return () => {
    ipcRenderer.removeListener(channel, wrapped)
  }
}
