import {
  EVENT_CHANNELS,
  EVENT_CONTRACT,
  INVOKE_CHANNELS,
  INVOKE_CONTRACT,
  type EventChannel,
  type EventChannels,
  type EventContract,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeContract,
  type InvokeValue,
  type IpcResult,
  type WindowKind
} from '../shared/ipc'

/** Sends one invoke and resolves to main's IpcResult (ipcRenderer.invoke in the app). */
export type Invoke = <K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>) => Promise<IpcResult<InvokeValue<K>>>

/** Listens to one main → renderer event; returns the function that stops listening. */
export type Subscribe = <E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void) => () => void

/**
 * The API a window kind's preload exposes, derived from the contract: for each invoke channel the
 * window uses, its `method` answering a Promise; for each event it hears, its `method` taking a
 * callback and returning the unsubscribe function (fits Svelte 5 `$effect` cleanup).
 */
export type WindowApi<W extends WindowKind> = {
  [K in InvokeChannel as W extends InvokeContract[K]['windows'][number] ? InvokeContract[K]['method'] : never]: (
    ...args: InvokeArgs<K>
  ) => Promise<InvokeValue<K>>
} & {
  [E in EventChannel as W extends EventContract[E]['windows'][number] ? EventContract[E]['method'] : never]: (
    callback: (payload: EventChannels[E]) => void
  ) => () => void
}

/** Unwraps main's answer: the value, or an Error whose message starts with the error code. */
function invoker<K extends InvokeChannel>(invoke: Invoke, channel: K) {
  const count = INVOKE_CONTRACT[channel].args.length
  return async (...args: InvokeArgs<K>): Promise<InvokeValue<K>> => {
    // Only the declared arguments cross: a method passed as a DOM event handler does not send the event.
    const result = await invoke(channel, ...(args.slice(0, count) as InvokeArgs<K>))
    if (result.ok) return result.value
    // Only the message survives contextBridge reliably, so the code goes into it.
    throw new Error(`${result.error.code}: ${result.error.message}`)
  }
}

/**
 * One window kind's view of main: narrow, named methods over one transport, for exactly the
 * channels whose contract entry names this window kind. This module does not import electron, so
 * the e2e harness builds the identical API over a Playwright binding.
 */
export function createWindowApi<W extends WindowKind>(kind: W, invoke: Invoke, subscribe: Subscribe): WindowApi<W> {
  const api: Record<string, unknown> = {}
  for (const channel of INVOKE_CHANNELS) {
    const entry = INVOKE_CONTRACT[channel]
    if ((entry.windows as readonly WindowKind[]).includes(kind)) api[entry.method] = invoker(invoke, channel)
  }
  for (const channel of EVENT_CHANNELS) {
    const entry = EVENT_CONTRACT[channel]
    if ((entry.windows as readonly WindowKind[]).includes(kind)) {
      api[entry.method] = (callback: (payload: unknown) => void) => subscribe(channel, callback)
    }
  }
  return api as WindowApi<W>
}

// The overlay calls nothing and the selector hears nothing; their preloads get no transport for it.
const noInvoke = ((channel: InvokeChannel) => Promise.reject(new Error(`${channel}: this window may not call main`))) as Invoke
const noSubscribe: Subscribe = (channel) => {
  throw new Error(`${channel}: this window hears no events`)
}

/** The main window's API (window.api). */
export function createApi(invoke: Invoke, subscribe: Subscribe): Api {
  return createWindowApi('main', invoke, subscribe)
}

/** The overlay window's API (window.overlayApi): it only listens for the labels to draw. */
export function createOverlayApi(subscribe: Subscribe): OverlayApi {
  return createWindowApi('overlay', noInvoke, subscribe)
}

/** A region selector's API (window.selectorApi): it only answers the dragged rectangle (null when cancelled). */
export function createSelectorApi(invoke: Invoke): SelectorApi {
  return createWindowApi('selector', invoke, noSubscribe)
}

/** The API the main window's preload exposes as window.api. */
export type Api = WindowApi<'main'>
/** The API the overlay's preload exposes as window.overlayApi. */
export type OverlayApi = WindowApi<'overlay'>
/** The API a region selector's preload exposes as window.selectorApi. */
export type SelectorApi = WindowApi<'selector'>
