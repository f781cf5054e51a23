import { describe, expect, it } from 'vitest'
import { createApi, createOverlayApi, createSelectorApi, type Invoke, type Subscribe } from '../../src/preload/api'
import { INVOKE_CHANNELS, type EventChannel } from '../../src/shared/ipc'
import { WINDOW_CHANNELS, WINDOW_KINDS, mayInvoke, receives } from '../../src/shared/window-channels'

const EVENTS: EventChannel[] = ['session:error', 'capture:source-lost', 'capture:follow', 'analysis:paused', 'overlay:update', 'bench:progress']

/** The channels a preload API touches when every method is called once. */
function channelsUsedBy(build: (invoke: Invoke, subscribe: Subscribe) => Record<string, (...args: never[]) => unknown>) {
  const invoked = new Set<string>()
  const subscribed = new Set<string>()
  const invoke = (async (channel: string) => (invoked.add(channel), { ok: true, value: null })) as unknown as Invoke
  const subscribe = ((channel: string) => (subscribed.add(channel), () => undefined)) as unknown as Subscribe
  for (const method of Object.values(build(invoke, subscribe))) void (method as (...a: unknown[]) => unknown)(() => undefined)
  return { invoke: [...invoked].sort(), events: [...subscribed].sort() }
}

describe('the channels each window kind may use', () => {
  it('gives every invoke channel and every event to some window', () => {
    const invoke = new Set(WINDOW_KINDS.flatMap((kind) => WINDOW_CHANNELS[kind].invoke))
    const events = new Set(WINDOW_KINDS.flatMap((kind) => WINDOW_CHANNELS[kind].events))
    expect([...invoke].sort()).toEqual([...INVOKE_CHANNELS].sort())
    expect([...events].sort()).toEqual([...EVENTS].sort())
  })

  it('lets the overlay only listen for labels and the region selector only answer a rectangle', () => {
    expect(WINDOW_CHANNELS.overlay).toEqual({ invoke: [], events: ['overlay:update'] })
    expect(WINDOW_CHANNELS.selector).toEqual({ invoke: ['region:submit'], events: [] })
    expect(mayInvoke('overlay', 'session:stop')).toBe(false)
    expect(mayInvoke('selector', 'inference:classify')).toBe(false)
    expect(mayInvoke('main', 'region:submit')).toBe(false)
    expect(mayInvoke('main', 'inference:classify')).toBe(true)
    // Session errors carry file paths: only the main window hears them.
    expect(receives('main', 'session:error')).toBe(true)
    expect(receives('overlay', 'session:error')).toBe(false)
    expect(receives('selector', 'session:error')).toBe(false)
  })

  it.each([
    ['main', createApi],
    ['overlay', (_invoke: Invoke, subscribe: Subscribe) => createOverlayApi(subscribe)],
    ['selector', (invoke: Invoke) => createSelectorApi(invoke)]
  ] as const)("exposes in the %s window's preload exactly the channels that window may use", (kind, build) => {
    expect(channelsUsedBy(build as never)).toEqual({ invoke: [...WINDOW_CHANNELS[kind].invoke].sort(), events: [...WINDOW_CHANNELS[kind].events].sort() })
  })
})
