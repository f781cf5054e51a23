import { contextBridge } from 'electron'
import { createOverlayApi } from './api'
import { subscribe } from './transport'

// The labels overlay's preload: it can only listen for the labels main sends it.
contextBridge.exposeInMainWorld('overlayApi', createOverlayApi(subscribe))
