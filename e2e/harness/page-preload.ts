/**
 * The harness's stand-in for src/preload/index.ts, bundled and run as a Playwright init script:
 * the same createApi() over a different transport. Invokes go to Node through a Playwright binding
 * (where the real handler registry answers them) instead of ipcRenderer; events come back through
 * a page function instead of ipcRenderer.on. Nothing else differs from the app's preload.
 */
import type { EventChannel, EventChannels, IpcResult } from '../../src/shared/ipc'
import { createApi, createOverlayApi, createSelectorApi, type Invoke, type Subscribe } from '../../src/preload/api'
import { EMIT_FUNCTION, INVOKE_BINDING } from './bridge-names'

type Listener = (payload: unknown) => void

const host = window as unknown as Record<string, unknown>
const send = host[INVOKE_BINDING] as ((channel: string, args: unknown[]) => Promise<IpcResult<unknown>>) | undefined

if (typeof send !== 'function') throw new Error(`e2e harness: binding ${INVOKE_BINDING} is missing; expose it before adding this script`)

const listeners = new Map<string, Set<Listener>>()

const invoke = ((channel: string, ...args: unknown[]) => send(channel, args)) as Invoke

const subscribe: Subscribe = <E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void) => {
  const set = listeners.get(channel) ?? new Set<Listener>()
  listeners.set(channel, set)
  const wrapped: Listener = (payload) => listener(payload as EventChannels[E])
  set.add(wrapped)
  return () => {
    set.delete(wrapped)
  }
}

Object.defineProperty(window, EMIT_FUNCTION, {
  value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((listener) => listener(payload))
})
// contextBridge hands the page a frozen, non-writable object; do the same. One init script serves
// every page here, so each gets all three APIs; the app's preloads give each window only its own.
Object.defineProperty(window, 'api', { value: Object.freeze(createApi(invoke, subscribe)), enumerable: true })
Object.defineProperty(window, 'overlayApi', { value: Object.freeze(createOverlayApi(subscribe)), enumerable: true })
Object.defineProperty(window, 'selectorApi', { value: Object.freeze(createSelectorApi(invoke)), enumerable: true })
