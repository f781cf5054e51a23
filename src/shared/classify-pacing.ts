import type { Box } from './ipc'

/**
 * How often each face is classified in the live loop. Labels are averaged over DEFAULT_SMOOTHING_MS
 * (300 ms), so classifying a face on every frame of a 30 fps source adds work and nothing a user can
 * see: each face is classified once its last classification is `intervalMs` old, and on the
 * frames between it keeps its smoothed label while its box moves with the frame. With nine faces
 * that is a third of the classifications at 30 fps, and the frame rate no longer falls as faces
 * are added. A face never classified goes first, then the one classified longest ago.
 */
export class ClassifyPacing {
  private readonly last = new Map<number, number>()

  constructor(private readonly intervalMs: number) {
    if (!(intervalMs >= 0)) throw new RangeError(`interval must be >= 0, got ${intervalMs}`)
  }

  /**
   * The faces to classify on the frame at `nowMs`, at most `maxFaces` (stalest first, then the
   * largest), recorded as classified at `nowMs`. Faces no longer in `faces` are forgotten.
   */
  pick<F extends { id: number; box: Box }>(faces: readonly F[], nowMs: number, maxFaces: number): F[] {
    const present = new Set(faces.map((f) => f.id))
    for (const id of [...this.last.keys()]) if (!present.has(id)) this.last.delete(id)
    const due = faces
      .map((f) => ({ f, at: this.last.get(f.id) ?? Number.NEGATIVE_INFINITY }))
      .filter((d) => nowMs - d.at >= this.intervalMs)
      .sort((a, b) => a.at - b.at || b.f.box.width * b.f.box.height - a.f.box.width * a.f.box.height)
      .slice(0, Math.max(0, maxFaces))
      .map((d) => d.f)
    for (const f of due) this.last.set(f.id, nowMs)
    return due
  }

  /** Classifies every face afresh on the next frame (the model changed). */
  clear(): void {
    this.last.clear()
  }
}

/** The live loop's pacing: each face at most ten times a second, a third of the 300 ms the labels are smoothed over. */
export const LIVE_CLASSIFY_INTERVAL_MS = 100
