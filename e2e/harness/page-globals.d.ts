import type { Api, OverlayApi, SelectorApi } from '../../src/preload/api'

// What the page sees inside page.evaluate: the preload's API, typed from its source like the renderer's env.d.ts.
declare global {
  interface Window {
    api: Api
    overlayApi: OverlayApi
    selectorApi: SelectorApi
  }
}

export {}
