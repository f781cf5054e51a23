/**
 * Runs the window-follow state machine (window-follow.ts) for one captured window: the poll timer,
 * one poll at a time, and the follow state between polls. It tells its host what to do with the
 * overlay and when the window is gone; it never touches the overlay itself.
 */
import type { DisplayLayout } from '../../shared/capture-geometry'
import type { Box } from '../../shared/ipc'
import { INITIAL_FOLLOW_STATE, followStep, type FollowAction, type FollowObservation, type FollowPhase, type FollowState } from './window-follow'

/** What the follower needs: the window's bounds, the displays, and who acts on its steps. */
export interface WindowFollowerHost {
  /** The window's bounds in desktop DIP; undefined when it is not listed; throws when bounds cannot be read. */
  readBounds(): Promise<Box | undefined>
  displays(): DisplayLayout[]
  /** The window is at `bounds`; `reveal` when it just came (back) into sight. */
  place(bounds: Box, reveal: boolean): void
  /** The window is out of sight (minimised or briefly missing). */
  conceal(): void
  /** The window was closed: the run ends (the host stops this follower). */
  closed(): void
  /** The follow phase changed; `message` says why when bounds became unreadable. */
  phaseChanged(phase: FollowPhase, message?: string): void
}

/** Tuning of the follower. */
export interface WindowFollowerOptions {
  intervalMs: number
  missesBeforeClosed: number
}

/** Follows one window for one run; stop() ends it for good. */
export class WindowFollower {
  private state: FollowState = INITIAL_FOLLOW_STATE
  private timer: ReturnType<typeof setInterval> | null = null
  private polling = false
  private stopped = false

  constructor(
    private readonly host: WindowFollowerHost,
    private readonly options: WindowFollowerOptions
  ) {}

  /** Starts polling; `firstBounds`, when the caller already read them, are the first observation. */
  start(firstBounds?: Box): void {
    if (firstBounds) this.apply({ kind: 'bounds', bounds: firstBounds })
    if (this.stopped) return
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs)
  }

  /** Stops polling; a poll still in flight is then ignored. */
  stop(): void {
    this.stopped = true
    this.stopTimer()
  }

  /** The current follow phase. */
  phase(): FollowPhase {
    return this.state.phase
  }

  /** One poll; public so tests drive it without timers. */
  async poll(): Promise<void> {
    if (this.stopped || this.polling) return
    this.polling = true
    try {
      let seen: FollowObservation
      try {
        const bounds = await this.host.readBounds()
        seen = bounds ? { kind: 'bounds', bounds } : { kind: 'missing' }
      } catch (error) {
        seen = { kind: 'error', message: error instanceof Error ? error.message : String(error) }
      }
      // The run may have ended while the reader ran.
      if (!this.stopped) this.apply(seen)
    } finally {
      this.polling = false
    }
  }

  private apply(seen: FollowObservation): void {
    const before = this.state.phase
    const step = followStep(this.state, seen, { missesBeforeClosed: this.options.missesBeforeClosed, displays: this.host.displays() })
    this.state = step.state
    let unavailable: Extract<FollowAction, { type: 'unavailable' }> | undefined
    for (const action of step.actions) {
      if (action.type === 'move' || action.type === 'show') this.host.place(action.bounds, action.type === 'show')
      else if (action.type === 'hide') this.host.conceal()
      else if (action.type === 'closed') {
        this.stop()
        this.host.closed()
        return
      } else {
        // Unavailable is final: polling again would only fail again.
        unavailable = action
        this.stopTimer()
      }
    }
    if (step.state.phase !== before) this.host.phaseChanged(step.state.phase, unavailable?.message)
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
