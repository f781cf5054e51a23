import { argmax } from './box-math'

/** The smoothing time constant the app uses, live and in the session log: labels hold through blinks, not through a new expression. */
export const DEFAULT_SMOOTHING_MS = 300

/** A smoothed probability vector and the winning class. */
export interface SmoothedEmotion {
  probabilities: number[]
  /** Index of the largest smoothed probability. */
  top: number
}

interface FaceState {
  probabilities: number[]
  timeMs: number
}

/**
 * Per-face exponential moving average of class probabilities. The weight of a new sample is
 * 1 - exp(-dt / tau), so the smoothing depends on elapsed time, not on the frame rate: two
 * updates 50 ms apart move the average as far as one update 100 ms later.
 */
export class EmotionSmoother {
  private readonly faces = new Map<number, FaceState>()

  /** @param timeConstantMs tau; 0 disables smoothing. */
  constructor(private readonly timeConstantMs = 300) {
    if (!(timeConstantMs >= 0)) throw new RangeError(`time constant must be >= 0, got ${timeConstantMs}`)
  }

  /** Folds one observation of face `faceId` at time `timeMs` into its average and returns the average. */
  update(faceId: number, probabilities: readonly number[], timeMs: number): SmoothedEmotion {
    const prev = this.faces.get(faceId)
    let next: number[]
    if (!prev || prev.probabilities.length !== probabilities.length || this.timeConstantMs === 0) {
      next = [...probabilities]
    } else {
      // Out-of-order or equal timestamps would give a negative or zero weight; treat them as no time passed.
      const dt = Math.max(0, timeMs - prev.timeMs)
      const alpha = 1 - Math.exp(-dt / this.timeConstantMs)
      next = prev.probabilities.map((p, i) => p + alpha * ((probabilities[i] as number) - p))
    }
    this.faces.set(faceId, { probabilities: next, timeMs: Math.max(timeMs, prev?.timeMs ?? timeMs) })
    return { probabilities: [...next], top: argmax(next) }
  }

  /** Replaces the face's average with one smoothed elsewhere (main's session smoothing). */
  set(faceId: number, probabilities: readonly number[], timeMs: number): void {
    this.faces.set(faceId, { probabilities: [...probabilities], timeMs })
  }

  /** The face's current average without a new observation; null for a face with none yet. */
  current(faceId: number): SmoothedEmotion | null {
    const state = this.faces.get(faceId)
    return state ? { probabilities: [...state.probabilities], top: argmax(state.probabilities) } : null
  }

  /** Forgets a face, so a new track with the same id (never the case with FaceTracker) starts fresh. */
  reset(faceId: number): void {
    this.faces.delete(faceId)
  }

  /** Forgets every face, e.g. when the model changes and old probabilities mean something else. */
  clear(): void {
    this.faces.clear()
  }

  /** Number of faces with state; lets callers check that dead tracks are released. */
  get size(): number {
    return this.faces.size
  }
}
