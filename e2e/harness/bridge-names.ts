/** Names the page-side preload and the Node-side bridge agree on; shared so they cannot drift. */

/** The Playwright binding that carries every invoke: (channel, args) → IpcResult. */
export const INVOKE_BINDING = '__e2eInvoke'

/** The page function Node calls to deliver a main → renderer event: (channel, payload). */
export const EMIT_FUNCTION = '__e2eEmit'
