import { contextBridge, ipcRenderer } from 'electron'
import { createApi, type Invoke, type Subscribe } from './api'

const invoke: Invoke = (channel, ...args) => ipcRenderer.invoke(channel, ...args)

const subscribe: Subscribe = (channel, listener) => {
  // The renderer never sees the IPC event object, only the payload.
  const wrapped = (_event: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload)
  ipcRenderer.on(channel, wrapped)
  return () => {
    ipcRenderer.removeListener(channel, wrapped)
  }
}

contextBridge.exposeInMainWorld('api', createApi(invoke, subscribe))
