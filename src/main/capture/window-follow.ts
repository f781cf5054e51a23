/**
 * Keeps an overlay over a captured window: a pure state machine fed with what a bounds reader saw
 * on each poll (bounds, nothing, or an error), answering what the overlay must do. No Electron here,
 * so every transition is unit-tested; src/main/capture/desktop-host.ts runs the poll loop.
 */
import type { Box } from '../../shared/ipc'
import type { DisplayLayout } from '../../shared/capture-geometry'

/** What one poll of the window-bounds reader saw. */
export type FollowObservation =
  | { kind: 'bounds'; bounds: Box }
  /** The window is not in the reader's list (closed, or hidden on platforms that omit minimised windows). */
  | { kind: 'missing' }
  /** The reader cannot read bounds at all (Wayland, permission refused, library missing). */
  | { kind: 'error'; message: string }

/** Where following stands. */
export type FollowPhase = 'waiting' | 'following' | 'hidden' | 'closed' | 'unavailable'

/** The follower's state between polls. */
export interface FollowState {
  phase: FollowPhase
  bounds: Box | null
  /** Consecutive polls that did not find the window. */
  misses: number
}

/** What the overlay window must do after a poll. */
export type FollowAction =
  | { type: 'move'; bounds: Box }
  | { type: 'show'; bounds: Box }
  | { type: 'hide'; reason: 'minimised' | 'missing' }
  | { type: 'closed' }
  | { type: 'unavailable'; message: string }

/** Tuning of the follower. */
export interface FollowOptions {
  /** Polls without the window before it counts as closed (one miss can be a reader hiccup). */
  missesBeforeClosed: number
  displays: readonly DisplayLayout[]
}

/** The state before the first poll. */
export const INITIAL_FOLLOW_STATE: FollowState = { phase: 'waiting', bounds: null, misses: 0 }

const sameBox = (a: Box | null, b: Box): boolean =>
  a !== null && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height

/**
 * True when bounds describe a minimised window: Windows parks them at -32000, X11 and macOS report
 * a zero size or a rectangle that no display shows.
 */
export function looksMinimised(bounds: Box, displays: readonly DisplayLayout[]): boolean {
  if (bounds.width <= 0 || bounds.height <= 0 || bounds.x <= -32000 || bounds.y <= -32000) return true
  if (displays.length === 0) return false
  return !displays.some(
    (d) =>
      bounds.x < d.bounds.x + d.bounds.width &&
      bounds.x + bounds.width > d.bounds.x &&
      bounds.y < d.bounds.y + d.bounds.height &&
      bounds.y + bounds.height > d.bounds.y
  )
}

/** One poll's transition: the next state and the overlay actions it calls for (often none). */
export function followStep(state: FollowState, seen: FollowObservation, options: FollowOptions): { state: FollowState; actions: FollowAction[] } {
  // Closed and unavailable are final: the session stops or the user switches to region mode.
  if (state.phase === 'closed' || state.phase === 'unavailable') return { state, actions: [] }

  if (seen.kind === 'error') {
    return { state: { phase: 'unavailable', bounds: state.bounds, misses: 0 }, actions: [{ type: 'unavailable', message: seen.message }] }
  }

  if (seen.kind === 'missing') {
    const misses = state.misses + 1
    if (misses >= options.missesBeforeClosed) return { state: { phase: 'closed', bounds: state.bounds, misses }, actions: [{ type: 'closed' }] }
    const actions: FollowAction[] = state.phase === 'following' ? [{ type: 'hide', reason: 'missing' }] : []
    return { state: { phase: state.phase === 'following' ? 'hidden' : state.phase, bounds: state.bounds, misses }, actions }
  }

  const { bounds } = seen
  if (looksMinimised(bounds, options.displays)) {
    const actions: FollowAction[] = state.phase === 'following' ? [{ type: 'hide', reason: 'minimised' }] : []
    return { state: { phase: 'hidden', bounds: state.bounds, misses: 0 }, actions }
  }
  if (state.phase === 'following') {
    const actions: FollowAction[] = sameBox(state.bounds, bounds) ? [] : [{ type: 'move', bounds }]
    return { state: { phase: 'following', bounds, misses: 0 }, actions }
  }
  // From waiting or hidden: the window is (back) on screen.
  return { state: { phase: 'following', bounds, misses: 0 }, actions: [{ type: 'show', bounds }] }
}
