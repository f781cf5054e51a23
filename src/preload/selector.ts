import { contextBridge } from 'electron'
import { createSelectorApi } from './api'
import { invoke } from './transport'

// A region selector's preload: it can only answer the dragged rectangle.
contextBridge.exposeInMainWorld('selectorApi', createSelectorApi(invoke))
