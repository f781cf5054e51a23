import { contextBridge } from 'electron'
import { createApi } from './api'
import { invoke, subscribe } from './transport'

// The main window's preload; the overlay and the region selectors have their own (overlay.ts, selector.ts).
contextBridge.exposeInMainWorld('api', createApi(invoke, subscribe))
