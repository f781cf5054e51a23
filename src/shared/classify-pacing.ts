import type { Box } from './ipc'

/**
 * A cap on the share of time the classifier may take: each face is then classified less often
 * where the model is slow for the machine (a measured ms per face) or the faces are many.
 */
export interface ClassifyBudget {
  /** Share of wall time (0-1] the model's runs may take. */
  share: number
  /** Longest time between two classifications of the same face, whatever the cost. */
  maxIntervalMs: number
}

/**
 * How often each face is classified in the live loop. Labels are averaged over DEFAULT_SMOOTHING_MS
 * (300 ms), so classifying a face on every frame of a 30 fps source adds work and nothing a user can
 * see: each face is classified once its last classification is `interval()` old, and on the
 * frames between it keeps its smoothed label while its box moves with the frame. With nine faces
 * that is a third of the classifications at 30 fps, and the frame rate no longer falls as faces
 * are added. A face never classified goes first, then the one classified longest ago.
 *
 * With a budget, the interval also stretches so that classifying every face once per interval
 * takes at most `budget.share` of the time at the model's measured ms per face (`record`): on a
 * machine where the model takes 5 ms a face, nine faces every 100 ms would keep the model busy
 * half the time, beside detection on the same cores; with a quarter as the share they are
 * classified every 180 ms instead. A fast machine keeps the base interval.
 */
export class ClassifyPacing {
  private readonly last = new Map<number, number>()
  // Smoothed model time per face (ms), from record(); null until measured.
  private msPerFace: number | null = null

  constructor(
    private readonly intervalMs: number,
    private readonly budget: ClassifyBudget | null = null
  ) {
    if (!(intervalMs >= 0)) throw new RangeError(`interval must be >= 0, got ${intervalMs}`)
    if (budget && !(budget.share > 0 && budget.share <= 1 && budget.maxIntervalMs >= intervalMs)) {
      throw new RangeError(`budget share must be in (0, 1] and its longest interval at least ${intervalMs} ms`)
    }
  }

  /** Records a classification: `faces` faces took `ms` of model time. Ignored without a budget or for nonsense values. */
  record(faces: number, ms: number): void {
    if (!this.budget || !(faces > 0) || !(ms >= 0) || !Number.isFinite(ms)) return
    const perFace = ms / faces
    this.msPerFace = this.msPerFace === null ? perFace : 0.8 * this.msPerFace + 0.2 * perFace
  }

  /** The time between two classifications of a face, with `faceCount` faces in view. */
  interval(faceCount: number): number {
    if (!this.budget || this.msPerFace === null) return this.intervalMs
    const needed = (faceCount * this.msPerFace) / this.budget.share
    return Math.min(this.budget.maxIntervalMs, Math.max(this.intervalMs, needed))
  }

  /**
   * The faces to classify on the frame at `nowMs`, at most `maxFaces` (stalest first, then the
   * largest), recorded as classified at `nowMs`. Faces no longer in `faces` are forgotten.
   */
  pick<F extends { id: number; box: Box }>(faces: readonly F[], nowMs: number, maxFaces: number): F[] {
    const present = new Set(faces.map((f) => f.id))
    for (const id of [...this.last.keys()]) if (!present.has(id)) this.last.delete(id)
    const interval = this.interval(faces.length)
    const due = faces
      .map((f) => ({ f, at: this.last.get(f.id) ?? Number.NEGATIVE_INFINITY }))
      .filter((d) => nowMs - d.at >= interval)
      .sort((a, b) => a.at - b.at || b.f.box.width * b.f.box.height - a.f.box.width * a.f.box.height)
      .slice(0, Math.max(0, maxFaces))
      .map((d) => d.f)
    for (const f of due) this.last.set(f.id, nowMs)
    return due
  }

  /** Classifies every face afresh on the next frame, and measures the model afresh (the model changed). */
  clear(): void {
    this.last.clear()
    this.msPerFace = null
  }
}

/** The live loop's pacing: each face at most ten times a second, a third of the 300 ms the labels are smoothed over. */
export const LIVE_CLASSIFY_INTERVAL_MS = 100

/**
 * The live loop's budget: the model may take a quarter of the time (detection, the page and the
 * call itself share the cores), and every face is classified at least once a second.
 */
export const LIVE_CLASSIFY_BUDGET: ClassifyBudget = { share: 0.25, maxIntervalMs: 1000 }
