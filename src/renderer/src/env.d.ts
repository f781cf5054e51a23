/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { createApi } from '../../preload/api'

/** The preload's API, typed from its source so the renderer never keeps a copy of the contract. */
type Api = ReturnType<typeof createApi>

declare global {
  interface Window {
    api: Api
  }
}

export {}
