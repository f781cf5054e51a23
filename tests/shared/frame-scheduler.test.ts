import { describe, expect, it } from 'vitest'
import { FrameScheduler, type FrameTimings } from '../../src/shared/frame-scheduler'
import { RateMeter, RollingMean, RollingPercentiles } from '../../src/shared/rolling-stats'

/** A unit of work the test finishes by hand, so nothing depends on real time. */
function deferred(): { promise: Promise<FrameTimings | null>; resolve: (t: FrameTimings | null) => void; reject: (e: unknown) => void } {
  let resolve!: (t: FrameTimings | null) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<FrameTimings | null>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const newScheduler = (errors: unknown[] = []) => new FrameScheduler({ onError: (e) => errors.push(e), now: () => 0 })

describe('FrameScheduler', () => {
  it('runs one frame at a time; of the frames offered while busy the newest runs next and the others are dropped', async () => {
    const s = newScheduler()
    const works: { at: number; d: ReturnType<typeof deferred> }[] = []
    const dropped: number[] = []
    const offer = (at: number) =>
      s.offerStaged(at, {
        detect: () => {
          const d = deferred()
          works.push({ at, d })
          return d.promise
        },
        label: async (t) => t,
        dropped: () => dropped.push(at)
      })
    expect(offer(0)).toBe('started')
    for (let i = 1; i <= 10; i++) expect(offer(i * 33)).toBe('queued')
    expect(works.map((w) => w.at)).toEqual([0])
    // Each newer arrival replaced the one kept before it.
    expect(dropped).toEqual([33, 66, 99, 132, 165, 198, 231, 264, 297])
    expect(s.stats()).toMatchObject({ framesSeen: 11, framesDropped: 9, framesProcessed: 0, busy: true })

    // Frame 0's detection ends: the kept frame (the newest) starts at once, with no new arrival.
    works[0]!.d.resolve({ detectionMs: 80, faces: 0 })
    await new Promise((r) => setTimeout(r, 0))
    expect(works.map((w) => w.at)).toEqual([0, 330])
    expect(s.accepting).toBe(false)
    works[1]!.d.resolve({ detectionMs: 80, faces: 0 })
    await s.idle()
    expect(s.stats()).toMatchObject({ framesProcessed: 2, framesDropped: 9, busy: false })
    expect(offer(400)).toBe('started')
    works[2]!.d.resolve(null)
    await s.idle()
  })

  it('never holds more than one piece of work in flight and one kept, however many frames arrive', async () => {
    const s = newScheduler()
    const pending: ReturnType<typeof deferred>[] = []
    for (let i = 0; i < 1000; i++) {
      s.offer(i, () => {
        const d = deferred()
        pending.push(d)
        return d.promise
      })
    }
    expect(pending).toHaveLength(1)
    expect(s.stats().framesDropped).toBe(998)
    pending[0]!.resolve(null)
    await new Promise((r) => setTimeout(r, 0))
    expect(pending).toHaveLength(2)
    pending[1]!.resolve(null)
    await s.idle()
    expect(pending).toHaveLength(2)
  })

  it('waits in idle() for the kept frame that a frame in flight starts, and dropNext() drops it instead', async () => {
    const s = newScheduler()
    const first = deferred()
    const ran: number[] = []
    const dropped: number[] = []
    const stages = (n: number, work: () => Promise<FrameTimings | null>) => ({
      detect: () => {
        ran.push(n)
        return work()
      },
      label: async (t: FrameTimings) => t,
      dropped: () => dropped.push(n)
    })
    s.offerStaged(0, stages(0, () => first.promise))
    s.offerStaged(1, stages(1, async () => ({ detectionMs: 1, faces: 0 })))
    const idle = s.idle()
    first.resolve({ detectionMs: 1, faces: 0 })
    await idle
    expect(ran).toEqual([0, 1])
    expect(s.stats().framesProcessed).toBe(2)

    const second = deferred()
    s.offerStaged(2, stages(2, () => second.promise))
    s.offerStaged(3, stages(3, async () => ({ detectionMs: 1, faces: 0 })))
    s.dropNext()
    second.resolve(null)
    await s.idle()
    expect(ran).toEqual([0, 1, 2])
    expect(dropped).toEqual([3])
    expect(s.stats()).toMatchObject({ framesDropped: 1, busy: false })
  })

  it('detects the next frame while one is labelled, labels frames in order, and keeps at most one waiting', async () => {
    const s = newScheduler()
    const log: string[] = []
    const labels: ReturnType<typeof deferred>[] = []
    const stages = (n: number) => ({
      detect: async () => {
        log.push(`detect ${n}`)
        return n
      },
      label: (k: number) => {
        log.push(`label ${k}`)
        const d = deferred()
        labels.push(d)
        return d.promise
      }
    })
    expect(s.offerStaged(0, stages(0))).toBe('started')
    await Promise.resolve()
    await Promise.resolve()
    // Frame 0 is being labelled: frame 1 may be detected meanwhile, then waits for its turn.
    expect(s.offerStaged(33, stages(1))).toBe('started')
    await new Promise((r) => setTimeout(r, 0))
    // Frame 1 waits for its turn to be labelled: later frames are kept (the newest) or dropped.
    for (let i = 2; i <= 5; i++) expect(s.offerStaged(33 * i, stages(i))).toBe('queued')
    expect(log).toEqual(['detect 0', 'label 0', 'detect 1'])
    expect(s.stats()).toMatchObject({ framesSeen: 6, framesDropped: 3, busy: true })
    labels[0]?.resolve({ detectionMs: 10, faces: 0 })
    await new Promise((r) => setTimeout(r, 0))
    // Frame 1's turn to be labelled came, so the kept frame 5 is detected meanwhile (started first).
    expect(log).toEqual(['detect 0', 'label 0', 'detect 1', 'detect 5', 'label 1'])
    expect(s.offerStaged(200, stages(6))).toBe('queued')
    labels[1]?.resolve({ detectionMs: 10, faces: 0 })
    await new Promise((r) => setTimeout(r, 0))
    expect(log).toEqual(['detect 0', 'label 0', 'detect 1', 'detect 5', 'label 1', 'detect 6', 'label 5'])
    labels[2]?.resolve(null)
    await new Promise((r) => setTimeout(r, 0))
    labels[3]?.resolve(null)
    await s.idle()
    expect(log).toEqual(['detect 0', 'label 0', 'detect 1', 'detect 5', 'label 1', 'detect 6', 'label 5', 'label 6'])
    expect(s.stats()).toMatchObject({ framesProcessed: 2, framesDropped: 3, busy: false })
  })

  it('counts a failed detection and lets the next frame start', async () => {
    const errors: unknown[] = []
    const s = newScheduler(errors)
    expect(s.offerStaged(0, { detect: () => Promise.reject(new Error('worker gone')), label: async () => null })).toBe('started')
    await s.idle()
    expect(errors).toHaveLength(1)
    expect(s.offerStaged(33, { detect: async () => 1, label: async () => ({ detectionMs: 5, faces: 0 }) })).toBe('started')
    await s.idle()
    expect(s.stats()).toMatchObject({ framesFailed: 1, framesProcessed: 1, busy: false })
  })

  it('reports page and detection time per second as mean ms per labelled frame times labelled frames per second', async () => {
    let clock = 0
    const s = new FrameScheduler({ onError: () => {}, now: () => clock })
    for (let i = 0; i < 5; i++) {
      clock = i * 100
      s.offer(clock, async () => ({ detectionMs: 40, faces: 0, pageMs: 6 }))
      await s.idle()
    }
    // Five frames 100 ms apart: 10 labelled frames a second.
    expect(s.stats().processedFps).toBeCloseTo(10)
    expect(s.stats().pageMsPerSecond).toBeCloseTo(60)
    expect(s.stats().detectionMsPerSecond).toBeCloseTo(400)
  })

  it('averages the parts of detection the tracker reports, and reports none where it gives none', async () => {
    const s = newScheduler()
    expect(s.stats().detectionParts).toBeNull()
    for (const parts of [
      { scanMs: 90, searchMs: 10, followMs: 2 },
      { scanMs: 0, searchMs: 6, followMs: 4 }
    ]) {
      s.offer(0, async () => ({ detectionMs: 50, faces: 0, parts }))
      await s.idle()
    }
    expect(s.stats().detectionParts).toEqual({ scanMs: 45, searchMs: 8, followMs: 3 })
  })

  it('averages detection ms and spreads a batch inference time over its faces', async () => {
    const s = newScheduler()
    const runs: FrameTimings[] = [
      { detectionMs: 100, inferenceMs: 30, faces: 3 },
      { detectionMs: 50, inferenceMs: 40, faces: 2 }
    ]
    for (const [i, t] of runs.entries()) {
      s.offer(i, async () => t)
      await s.idle()
    }
    expect(s.stats().detectionMs).toBe(75)
    expect(s.stats().inferenceMsPerFace).toBe(15)
  })

  it('does not count a frame without faces as an inference sample', async () => {
    const s = newScheduler()
    s.offer(0, async () => ({ detectionMs: 10, faces: 0 }))
    await s.idle()
    expect(s.stats().inferenceMsPerFace).toBeNull()
  })

  it('measures capture fps from offered frame times, dropped ones included', async () => {
    const s = newScheduler()
    const d = deferred()
    for (let i = 0; i <= 10; i++) s.offer(i * 50, () => d.promise)
    expect(s.stats().captureFps).toBeCloseTo(20, 10)
    d.resolve(null)
    await s.idle()
  })

  it('reports a failed frame, counts it, and keeps accepting frames', async () => {
    const errors: unknown[] = []
    const s = newScheduler(errors)
    s.offer(0, async () => {
      throw new Error('inference-failed: boom')
    })
    await s.idle()
    expect(errors).toHaveLength(1)
    expect(s.stats()).toMatchObject({ framesFailed: 1, busy: false })
    expect(s.offer(1, async () => null)).toBe('started')
    await s.idle()
  })

  it("reports capture-to-label latency p50 and p95 from each processed frame's capture time to its end", async () => {
    let clock = 0
    const s = new FrameScheduler({ onError: () => {}, now: () => clock })
    expect(s.stats()).toMatchObject({ latencyP50Ms: null, latencyP95Ms: null })
    // Twenty frames: nineteen labelled 40 ms after capture, one 200 ms after.
    for (let i = 0; i < 20; i++) {
      const captured = i * 1000
      const d = deferred()
      s.offer(captured, () => d.promise)
      clock = captured + (i === 7 ? 200 : 40)
      d.resolve({ detectionMs: 10, faces: 0 })
      await s.idle()
    }
    // A dropped frame and cancelled ones add no sample.
    const d = deferred()
    s.offer(30_000, () => d.promise)
    s.offer(30_010, async () => ({ detectionMs: 1, faces: 0 }))
    s.offer(30_020, async () => null)
    clock = 40_000
    d.resolve(null)
    await s.idle()
    expect(s.stats()).toMatchObject({ latencyP50Ms: 40, latencyP95Ms: 40 })
    const sorted = new RollingPercentiles(20)
    for (let i = 0; i < 20; i++) sorted.add(i === 7 ? 200 : 40)
    expect(sorted.percentile(100)).toBe(200)
  })

  it("counts a kept frame's latency from its arrival, its wait for detection included", async () => {
    let clock = 0
    const s = new FrameScheduler({ onError: () => {}, now: () => clock })
    const first = deferred()
    s.offer(0, () => first.promise)
    s.offer(33, async () => ({ detectionMs: 10, faces: 0 }))
    // Frame 0 ends at 50, the kept frame (arrived at 33) right after.
    clock = 50
    first.resolve(null)
    await s.idle()
    expect(s.stats()).toMatchObject({ framesProcessed: 1, latencyP50Ms: 17 })
  })

  it('reports how long labelling takes and how long a detected frame waited for the one before it', async () => {
    let clock = 0
    const s = new FrameScheduler({ onError: () => {}, now: () => clock })
    expect(s.stats()).toMatchObject({ labelMs: null, labelWaitMs: null })
    const labels: ReturnType<typeof deferred>[] = []
    const stages = (n: number) => ({
      detect: async () => n,
      label: () => {
        const d = deferred()
        labels.push(d)
        return d.promise
      }
    })
    // Frame 0 detected at 0 and labelled at once; frame 1 detected at 0 too, so it waits for frame 0's labels.
    s.offerStaged(0, stages(0))
    await new Promise((r) => setTimeout(r, 0))
    s.offerStaged(10, stages(1))
    await new Promise((r) => setTimeout(r, 0))
    // Frame 0's labelling ends at 30: it took 30 ms; frame 1 waited 30 ms and its own takes 20.
    clock = 30
    labels[0]!.resolve({ detectionMs: 5, faces: 0 })
    await new Promise((r) => setTimeout(r, 0))
    clock = 50
    labels[1]!.resolve({ detectionMs: 5, faces: 0 })
    await s.idle()
    expect(s.stats()).toMatchObject({ labelMs: 25, labelWaitMs: 15 })
  })

  it('clears inference timings on resetTimings but keeps counters', async () => {
    const s = newScheduler()
    s.offer(0, async () => ({ detectionMs: 10, inferenceMs: 10, faces: 1 }))
    await s.idle()
    s.resetTimings()
    expect(s.stats()).toMatchObject({ inferenceMsPerFace: null, detectionMs: 10, framesProcessed: 1 })
  })
})

describe('RollingMean', () => {
  it('averages only the last `capacity` samples', () => {
    const m = new RollingMean(3)
    expect(m.mean).toBeNull()
    for (const v of [1, 2, 3, 4, 5]) m.add(v)
    expect(m.mean).toBe(4)
    expect(m.count).toBe(3)
  })
})

describe('RollingPercentiles', () => {
  it('gives nearest-rank percentiles of the last `capacity` samples', () => {
    const p = new RollingPercentiles(10)
    expect(p.percentile(50)).toBeNull()
    for (let v = 1; v <= 15; v++) p.add(v)
    // Retained: 6..15.
    expect(p.percentile(0)).toBe(6)
    expect(p.percentile(50)).toBe(10)
    expect(p.percentile(95)).toBe(15)
    p.clear()
    expect(p.percentile(95)).toBeNull()
  })
})

describe('RateMeter', () => {
  it('computes events per second over the retained window', () => {
    const r = new RateMeter(5)
    r.tick(0)
    expect(r.perSecond).toBeNull()
    // Slow start, then 100 ms spacing; only the last 5 ticks count.
    for (const t of [1000, 2000, 2100, 2200, 2300, 2400]) r.tick(t)
    expect(r.perSecond).toBeCloseTo(10, 10)
  })
})
