/**
 * Which IPC channels each kind of window may use. Each window kind gets its own preload exposing
 * only these (src/preload), and main refuses any other call from that window and sends it only
 * these events (src/main/ipc.ts): the click-through overlay only listens for labels, the region
 * selector only answers a rectangle, and neither sees session errors with file paths in them.
 */
import type { EventChannel, InvokeChannel } from './ipc'

/** The kinds of window the app opens. */
export type WindowKind = 'main' | 'overlay' | 'selector'

/** Every window kind, for checks that go over all of them. */
export const WINDOW_KINDS = ['main', 'overlay', 'selector'] as const satisfies readonly WindowKind[]

/** What one window kind may call and hear. */
export interface WindowChannels {
  invoke: readonly InvokeChannel[]
  events: readonly EventChannel[]
}

/** The allowlist of each window kind; a new channel goes into the list of the window that uses it. */
export const WINDOW_CHANNELS = {
  main: {
    invoke: [
      'app:info',
      'models:list',
      'inference:status',
      'app:cpu-usage',
      'inference:classify',
      'session:start',
      'session:stop',
      'session:export',
      'session:list',
      'session:open',
      'session:delete',
      'session:name-face',
      'session:merge-faces',
      'session:export-folder',
      'capture:list-sources',
      'capture:select',
      'capture:pick-region',
      'capture:release',
      'overlay:publish',
      'analysis:set-state',
      'consent:get',
      'consent:acknowledge',
      'bench:run'
    ],
    events: ['session:error', 'capture:source-lost', 'capture:follow', 'analysis:paused', 'bench:progress']
  },
  overlay: { invoke: [], events: ['overlay:update'] },
  selector: { invoke: ['region:submit'], events: [] }
} as const satisfies Record<WindowKind, WindowChannels>

/** True when a window of this kind may call the channel. */
export function mayInvoke(kind: WindowKind, channel: string): boolean {
  return (WINDOW_CHANNELS[kind].invoke as readonly string[]).includes(channel)
}

/** True when a window of this kind listens for the event. */
export function receives(kind: WindowKind, channel: string): boolean {
  return (WINDOW_CHANNELS[kind].events as readonly string[]).includes(channel)
}
