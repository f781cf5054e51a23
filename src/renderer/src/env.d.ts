/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { Api, OverlayApi, SelectorApi } from '../../preload/api'

// The preloads' APIs, typed from their source so the renderer never keeps a copy of the contract.
// Each page has only its own: window.api in the main window, overlayApi in the overlay,
// selectorApi in a region selector.
declare global {
  interface Window {
    api: Api
    overlayApi: OverlayApi
    selectorApi: SelectorApi
  }
}

export {}
