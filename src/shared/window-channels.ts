/**
 * Which IPC channels each kind of window may use, derived from the `windows` of each channel's
 * entry in the contract (src/shared/ipc.ts), never kept by hand. Each window kind gets its own
 * preload exposing only these (src/preload), and main refuses any other call from that window and
 * sends it only these events (src/main/ipc/ipc.ts): the click-through overlay only listens for labels,
 * the region selector only answers a rectangle, and neither sees session errors with file paths in them.
 */
import { EVENT_CHANNELS, EVENT_CONTRACT, INVOKE_CHANNELS, INVOKE_CONTRACT, WINDOW_KINDS, type EventChannel, type InvokeChannel, type WindowKind } from './ipc'

export { WINDOW_KINDS, type WindowKind }

/** What one window kind may call and hear. */
export interface WindowChannels {
  invoke: readonly InvokeChannel[]
  events: readonly EventChannel[]
}

function channelsOf(kind: WindowKind): WindowChannels {
  return {
    invoke: INVOKE_CHANNELS.filter((channel) => (INVOKE_CONTRACT[channel].windows as readonly WindowKind[]).includes(kind)),
    events: EVENT_CHANNELS.filter((channel) => (EVENT_CONTRACT[channel].windows as readonly WindowKind[]).includes(kind))
  }
}

/** The allowlist of each window kind, in the contract's order. */
export const WINDOW_CHANNELS: Readonly<Record<WindowKind, WindowChannels>> = {
  main: channelsOf('main'),
  overlay: channelsOf('overlay'),
  selector: channelsOf('selector')
}

/** True when a window of this kind may call the channel. */
export function mayInvoke(kind: WindowKind, channel: string): boolean {
  return (WINDOW_CHANNELS[kind].invoke as readonly string[]).includes(channel)
}

/** True when a window of this kind listens for the event. */
export function receives(kind: WindowKind, channel: string): boolean {
  return (WINDOW_CHANNELS[kind].events as readonly string[]).includes(channel)
}
