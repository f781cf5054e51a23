import { describe, expect, it, vi } from 'vitest'
import type { Detection, DetectorSettings } from '../../../src/shared/detection/detection-filter'
import { DetectThenTrack, GALLERY_TRACK_SETTINGS, pickContinuation, TrackSchedule, WEBCAM_TRACK_SETTINGS, type TrackSettings } from '../../../src/shared/detection/detect-track'
import { LARGE_FACE_INPUT_SIZE, planScan, type RegionDetector } from '../../../src/shared/detection/frame-scan'
import { MIN_FACE_AT_INPUT } from '../../../src/shared/detection/detection-tiles'
import type { Box } from '../../../src/shared/ipc'
import type { GrayImage } from '../../../src/shared/detection/box-follower'
import { paintScene, texturedFace } from './painted-scene'

const box = (x: number, y: number, side = 100): Box => ({ x, y, width: side, height: side })
const FRAME_MS = 1000 / 30

/**
 * A made-up scene instead of a network: a region "detects" each face lying wholly inside it
 * that is between `minAtInput` and `maxAtInput` pixels tall at the region's input size (as
 * TinyFaceDetector misses faces too small or too large for its anchors). Calls are recorded.
 */
class SceneDetector implements RegionDetector<null> {
  faces: Box[] = []
  calls: { region: Box; inputSize: number }[] = []
  /** Time each call takes on the fake clock (withFakeClock). */
  costMs = 0
  constructor(
    private readonly minAtInput = 40,
    private readonly maxAtInput = 200
  ) {}
  async detectRegion(_frame: null, region: Box, inputSize: number): Promise<Detection[]> {
    this.calls.push({ region, inputSize })
    fakeClock.ms += this.costMs
    const scale = inputSize / Math.max(region.width, region.height)
    return this.faces
      .filter((f) => f.x >= region.x && f.y >= region.y && f.x + f.width <= region.x + region.width && f.y + f.height <= region.y + region.height)
      .filter((f) => f.height * scale >= this.minAtInput && f.height * scale <= this.maxAtInput)
      .map((f) => ({ box: { ...f }, score: 0.9 }))
  }
}

/** A fake performance.now (the tracker times its parts with it), advanced by the detectors' costMs. */
const fakeClock = { ms: 0 }

async function withFakeClock<T>(run: () => Promise<T>): Promise<T> {
  fakeClock.ms = 0
  const now = vi.spyOn(performance, 'now').mockImplementation(() => fakeClock.ms)
  try {
    return await run()
  } finally {
    now.mockRestore()
  }
}

/** The scene again, with each face's own texture painted in a gray frame, so faces can be followed. */
class PaintedSceneDetector extends SceneDetector {
  grayFrame(_frame: null, width: number, height: number): GrayImage {
    return paintScene(width, height, this.faces.map((box) => ({ box, texture: texturedFace(Math.round(box.width * 7 + box.height)) })), width > 960 ? width / 960 : 1)
  }
}

const WEBCAM: DetectorSettings = { inputSize: 416, scoreThreshold: 0.5, minFaceSize: 24, tiles: 1 }
const GALLERY: DetectorSettings = { inputSize: 224, scoreThreshold: 0.5, minFaceSize: 48, tiles: 'auto' }

/** Runs frames at 30 fps from `fromFrame` until `until` holds or `maxFrames` pass; returns the frame it held at, or -1. */
async function framesUntil(track: DetectThenTrack<null>, settings: DetectorSettings, fromFrame: number, maxFrames: number, until: (faces: Box[]) => boolean, width = 1280, height = 720): Promise<number> {
  for (let f = fromFrame; f < fromFrame + maxFrames; f++) {
    const out = await track.next(null, width, height, f * FRAME_MS, settings)
    if (until(out.detections.map((d) => d.box))) return f
  }
  return -1
}

const near = (a: Box, b: Box): boolean => Math.abs(a.x - b.x) < 20 && Math.abs(a.y - b.y) < 20

describe('TrackSchedule', () => {
  const settings: TrackSettings = { ...GALLERY_TRACK_SETTINGS, scanIntervalMs: 300, scanCycleMs: 100, maxScanPassesPerFrame: 5 }

  it('spreads a scan over the frames of scanCycleMs at the frame rate seen, and waits for the interval before the next', () => {
    const s = new TrackSchedule(settings)
    // No frame rate known yet: the first scan runs whole.
    expect(s.planScan(0, 5)).toEqual([0, 1, 2, 3, 4])
    // Frames every 25 ms; the cycle started at 0, so nothing until 300 ms have passed.
    for (let t = 25; t < 300; t += 25) expect(s.planScan(t, 5)).toEqual([])
    // Four frames fit in the 100 ms cycle: five passes go 2, 1, 1, 1.
    expect(s.planScan(300, 5)).toEqual([0, 1])
    expect(s.planScan(325, 5)).toEqual([2])
    expect(s.planScan(350, 5)).toEqual([3])
    expect(s.planScan(375, 5)).toEqual([4])
    expect(s.planScan(400, 5)).toEqual([])
  })

  it('runs more passes a frame when frames come slower', () => {
    const s = new TrackSchedule({ ...settings, scanIntervalMs: 0, scanCycleMs: 400, maxScanPassesPerFrame: 5 })
    const counts: number[] = []
    for (let t = 0; t <= 2000; t += 100) counts.push(s.planScan(t, 12).length)
    // Frames 100 ms apart: once the rate is known, four frames share each 400 ms cycle of 12 passes.
    expect(counts.slice(-8)).toEqual([3, 3, 3, 3, 3, 3, 3, 3])
    // A different number of passes (the frame size changed) starts a new scan at once.
    expect(s.planScan(2100, 4)).toEqual([0])
  })

  it('never runs more than maxScanPassesPerFrame passes on a frame, so slow frames do not grow slower', () => {
    const s = new TrackSchedule({ ...settings, scanIntervalMs: 0, scanCycleMs: 400, maxScanPassesPerFrame: 2 })
    expect(s.planScan(0, 12)).toEqual([0, 1])
    // Frames 500 ms apart would want all the remaining passes at once.
    expect(s.planScan(500, 12)).toEqual([2, 3])
  })

  it('spaces scans so that they take at most scanShare of the time, and lets a fast scan keep scanIntervalMs', () => {
    const s = new TrackSchedule({ ...settings, scanShare: 0.25 })
    expect(s.planScan(0, 2)).toEqual([0, 1])
    // That scan took 200 ms: the next begins 800 ms after it did, not after scanIntervalMs (300).
    s.recordScan(200)
    for (let t = 300; t < 800; t += 100) expect(s.planScan(t, 2)).toEqual([])
    expect(s.planScan(800, 2)).toEqual([0, 1])
    // A fast scan: scanIntervalMs again.
    s.recordScan(10)
    expect(s.planScan(1000, 2)).toEqual([])
    expect(s.planScan(1100, 2)).toEqual([0, 1])
  })

  it('spaces looks at changes by scanShare, and counts their time against the next scan', () => {
    const s = new TrackSchedule({ ...settings, scanShare: 0.25 })
    expect(s.lookDue(0)).toBe(true)
    expect(s.planScan(0, 2)).toEqual([0, 1])
    s.recordScan(100)
    // A look of 50 ms at 500 ms: the next may run 200 ms later.
    s.recordLook(500, 50)
    expect(s.lookDue(650)).toBe(false)
    expect(s.lookDue(700)).toBe(true)
    // The scan (100 ms) and the look since it began (50 ms) hold the next scan until 600 ms after the last began.
    expect(s.planScan(550, 2)).toEqual([])
    expect(s.planScan(600, 2)).toEqual([0, 1])
    // Without a share, a look may run on every frame; video analysis (no wall-time share) spaces them by lookIntervalMs.
    const unlimited = new TrackSchedule({ ...settings, scanShare: 1, lookIntervalMs: 0 })
    unlimited.recordLook(0, 50)
    expect(unlimited.lookDue(0)).toBe(true)
    const video = new TrackSchedule({ ...settings, scanShare: 1, lookIntervalMs: 250 })
    video.recordLook(0, 50)
    expect(video.lookDue(200)).toBe(false)
    expect(video.lookDue(250)).toBe(true)
    // A reset forgets the looks.
    s.recordLook(700, 1000)
    s.reset()
    expect(s.lookDue(701)).toBe(true)
  })

  it('searches the faces looked at longest ago, at most maxRegionsPerFrame a frame, so each gets its turn', () => {
    const s = new TrackSchedule({ ...settings, maxRegionsPerFrame: 2 })
    s.applyScan(0, [0, 1, 2, 3, 4].map((k) => ({ box: box(k * 200, 0), score: 0.9 })))
    const visitFrames = new Map<number, number[]>()
    for (let frame = 1; frame <= 12; frame++) {
      const visited = s.planSearch()
      expect(visited).toHaveLength(2)
      for (const i of visited) visitFrames.set(i, [...(visitFrames.get(i) ?? []), frame])
      // Every search finds its face where it was.
      s.applyTrack(frame * FRAME_MS, visited, visited.map((i) => ({ box: s.tracked()[i]!.box, score: 0.9 })))
    }
    // Two searches a frame over five faces: each face is searched by frame 3, then at least every third frame.
    expect([...visitFrames.keys()].sort()).toEqual([0, 1, 2, 3, 4])
    for (const frames of visitFrames.values()) {
      expect(frames[0]).toBeLessThanOrEqual(3)
      for (let k = 1; k < frames.length; k++) expect(frames[k]! - frames[k - 1]!).toBeLessThanOrEqual(3)
      expect(12 - frames[frames.length - 1]!).toBeLessThan(3)
    }
  })

  it('keeps a face a search missed until dropAfterMs has passed since it was last found', () => {
    const s = new TrackSchedule({ ...settings, dropAfterMs: 300 })
    s.applyScan(0, [{ box: box(100, 100), score: 0.9 }])
    s.applyTrack(200, [0], [null])
    expect(s.tracked()).toHaveLength(1)
    s.applyTrack(300, [0], [null])
    expect(s.tracked()).toHaveLength(1)
    s.applyTrack(301, [0], [null])
    expect(s.tracked()).toHaveLength(0)
  })

  it('keeps a face that is only waiting for its turn, however long, and searches a missed face again first', () => {
    const s = new TrackSchedule({ ...settings, dropAfterMs: 300, maxRegionsPerFrame: 1 })
    s.applyScan(0, [
      { box: box(0, 0), score: 0.9 },
      { box: box(300, 0), score: 0.9 }
    ])
    // Only the first face is searched, found each time, for a second.
    for (let t = 100; t <= 1000; t += 100) s.applyTrack(t, [0], [{ box: box(0, 0), score: 0.9 }])
    expect(s.tracked()).toHaveLength(2)
    // The second face's turn: missed. It is searched again before the one looked at longest ago.
    expect(s.planSearch()).toEqual([1])
    s.applyTrack(1100, [1], [null])
    expect(s.tracked()).toHaveLength(1)
    // A face seen recently that misses once is searched first on the next frame.
    s.applyTrack(1200, [0], [null])
    expect(s.planSearch()).toEqual([0])
  })

  it('continues a followed face with a scan hit that overlaps it and starts a new face for one that does not', () => {
    const s = new TrackSchedule(settings)
    s.applyScan(0, [{ box: box(100, 100), score: 0.9 }])
    s.applyScan(33, [
      { box: box(110, 105), score: 0.8 },
      { box: box(600, 100), score: 0.7 }
    ])
    expect(s.tracked().map((f) => f.box)).toEqual(expect.arrayContaining([box(110, 105), box(600, 100)]))
    expect(s.tracked()).toHaveLength(2)
  })

  it('merges two followed boxes that converged on one face, keeping the one seen last', () => {
    const s = new TrackSchedule(settings)
    s.applyScan(0, [
      { box: box(100, 100), score: 0.9 },
      { box: box(300, 100), score: 0.9 }
    ])
    // The second face's search lands on the first face.
    s.applyTrack(33, [1], [{ box: box(105, 100), score: 0.9 }])
    expect(s.tracked().map((f) => f.box)).toEqual([box(105, 100)])
  })

  it('keeps a search square inside the frame and at its size where the frame allows', () => {
    const s = new TrackSchedule({ ...settings, regionScale: 2 })
    s.applyScan(0, [
      { box: box(0, 0, 50), score: 0.9 },
      { box: box(1240, 680, 40), score: 0.9 }
    ])
    expect(s.searchRegion(0, 1280, 720)).toEqual({ x: 0, y: 0, width: 100, height: 100 })
    expect(s.searchRegion(1, 1280, 720)).toEqual({ x: 1200, y: 640, width: 80, height: 80 })
  })
})

describe('pickContinuation', () => {
  it('takes the best-scoring hit near the previous box and of a similar size', () => {
    const previous = box(100, 100)
    const hits: Detection[] = [
      { box: box(110, 100), score: 0.6 },
      { box: box(95, 105), score: 0.8 },
      // Too far away: the neighbour's face.
      { box: box(300, 100), score: 0.99 },
      // Three times larger: not the same face.
      { box: box(0, 0, 300), score: 0.95 }
    ]
    expect(pickContinuation(previous, hits)).toEqual({ box: box(95, 105), score: 0.8 })
    expect(pickContinuation(previous, [])).toBeNull()
  })
})

describe('DetectThenTrack', () => {
  it('on a webcam, finds faces on the first frame and then only searches around them between scans', async () => {
    const scene = new SceneDetector()
    scene.faces = [box(100, 200, 200), box(540, 200, 200), box(980, 200, 200)]
    const track = new DetectThenTrack(scene, WEBCAM_TRACK_SETTINGS)
    const first = await track.next(null, 1280, 720, 0, WEBCAM)
    expect(first.detections.map((d) => d.box)).toEqual(scene.faces)
    expect(first.scanPasses).toBe(1)
    // The scan's second pass (the whole frame at a small input, for close-ups) runs on the next frame.
    expect((await track.next(null, 1280, 720, FRAME_MS, WEBCAM)).scanPasses).toBe(1)
    const third = await track.next(null, 1280, 720, 2 * FRAME_MS, WEBCAM)
    expect(third.scanPasses).toBe(0)
    expect(third.searches).toBe(3)
    expect(third.detections).toHaveLength(3)
    // The searches ran at the small input, on squares around the faces.
    const searches = scene.calls.slice(-3)
    expect(searches.every((c) => c.inputSize === WEBCAM_TRACK_SETTINGS.regionInputSize && c.region.width < 400)).toBe(true)
  })

  it('follows a face that moves between scans through the searches alone', async () => {
    const scene = new SceneDetector()
    scene.faces = [box(300, 200, 150)]
    const track = new DetectThenTrack(scene, { ...WEBCAM_TRACK_SETTINGS, scanIntervalMs: 10_000 })
    await track.next(null, 1280, 720, 0, WEBCAM)
    await track.next(null, 1280, 720, FRAME_MS, WEBCAM)
    for (let f = 2; f <= 20; f++) {
      scene.faces = [box(300 + 10 * f, 200, 150)]
      const out = await track.next(null, 1280, 720, f * FRAME_MS, WEBCAM)
      expect(out.scanPasses).toBe(0)
      expect(out.detections.map((d) => d.box)).toEqual(scene.faces)
    }
  })

  for (const [name, settings, detector, width, height, painted] of [
    ['webcam', WEBCAM_TRACK_SETTINGS, WEBCAM, 1280, 720, false],
    ['3x3 gallery', GALLERY_TRACK_SETTINGS, GALLERY, 1280, 720, false],
    ['5x5 gallery', GALLERY_TRACK_SETTINGS, GALLERY, 1920, 1080, false],
    ['webcam, faces followed and quiet scans', WEBCAM_TRACK_SETTINGS, WEBCAM, 1280, 720, true],
    ['3x3 gallery, faces followed and quiet scans', GALLERY_TRACK_SETTINGS, GALLERY, 1280, 720, true],
    ['5x5 gallery, faces followed and quiet scans', GALLERY_TRACK_SETTINGS, GALLERY, 1920, 1080, true]
  ] as const) {
    it(`${name}: a face that appears is found, and one that leaves is dropped, within half a second of 30 fps frames`, async () => {
      const scene = painted ? new PaintedSceneDetector() : new SceneDetector()
      // The synthetic galleries' face heights: about 136 px in the 3x3 at 720p and 130 px in the 5x5 at 1080p.
      const side = name === 'webcam' ? 200 : 130
      scene.faces = [box(width / 4, height / 4, side)]
      const track = new DetectThenTrack(scene, settings)
      // Settle for a second so the newcomer arrives in the middle of a scan cycle, not at its start.
      await framesUntil(track, detector, 0, 30, () => false, width, height)
      const newcomer = box((width * 3) / 5, (height * 3) / 5, side)
      scene.faces = [...scene.faces, newcomer]
      const found = await framesUntil(track, detector, 30, 60, (faces) => faces.some((f) => near(f, newcomer)), width, height)
      expect(found, 'frame the newcomer was found at').toBeGreaterThanOrEqual(30)
      expect((found - 30) * FRAME_MS).toBeLessThanOrEqual(500)
      scene.faces = [scene.faces[0] as Box]
      const from = found + 1
      const dropped = await framesUntil(track, detector, from, 60, (faces) => !faces.some((f) => near(f, newcomer)), width, height)
      expect(dropped, 'frame the leaver was dropped at').toBeGreaterThanOrEqual(from)
      expect((dropped - from) * FRAME_MS).toBeLessThanOrEqual(500)
      // The face that stayed is still there.
      const out = await track.next(null, width, height, (dropped + 1) * FRAME_MS, detector)
      expect(out.detections).toHaveLength(1)
      // Exact where the box is the detector's; within a pixel where the follower carried it.
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(out.detections[0]!.box[k] - scene.faces[0]![k])).toBeLessThanOrEqual(painted ? 1 : 0)
    })
  }

  it('with gray frames, follows moving faces on every frame and searches each only every searchIntervalMs', async () => {
    const scene = new PaintedSceneDetector()
    const start = [box(100, 200, 160), box(540, 220, 150), box(980, 180, 170)]
    scene.faces = start
    const settings = { ...WEBCAM_TRACK_SETTINGS, scanIntervalMs: 10_000 }
    const track = new DetectThenTrack(scene, settings)
    await track.next(null, 1280, 720, 0, WEBCAM)
    await track.next(null, 1280, 720, FRAME_MS, WEBCAM)
    const calls = scene.calls.length
    let followed = 0
    const frames = 60
    for (let f = 2; f < 2 + frames; f++) {
      // Each face drifts 2 px right and 1 px down a frame (60 px/s), staying inside the frame.
      scene.faces = start.map((b) => ({ ...b, x: b.x + 2 * (f - 1), y: b.y + (f - 1) }))
      const out = await track.next(null, 1280, 720, f * FRAME_MS, WEBCAM)
      followed += out.followed
      expect(out.detections, `frame ${f}: ${JSON.stringify(out)}`).toHaveLength(3)
      for (const truth of scene.faces) {
        const d = out.detections.find((x) => Math.abs(x.box.x - truth.x) < 20)
        expect(d, `a box near the face at ${truth.x}`).toBeDefined()
        // Within 2 % of the face's side: the follower's sub-pixel error adds up between two searches.
        expect(Math.abs(d!.box.x - truth.x)).toBeLessThanOrEqual(0.02 * truth.width)
        expect(Math.abs(d!.box.y - truth.y)).toBeLessThanOrEqual(0.02 * truth.width)
      }
    }
    // Each face searched once every searchIntervalMs (500 ms: every 15th frame) instead of on every frame; followed on the others.
    const searches = scene.calls.length - calls
    expect(searches).toBeLessThanOrEqual(3 * Math.ceil((frames * FRAME_MS) / settings.searchIntervalMs) + 3)
    expect(followed).toBeGreaterThanOrEqual(3 * frames - searches)
  })

  it('with gray frames, searches a face the follower lost on that same frame and drops it when the search misses', async () => {
    const scene = new PaintedSceneDetector()
    scene.faces = [box(100, 200, 160), box(700, 200, 160)]
    const track = new DetectThenTrack(scene, { ...GALLERY_TRACK_SETTINGS, dropAfterMs: 0, scanIntervalMs: 10_000, scanCycleMs: 0, maxScanPassesPerFrame: 10 })
    for (let f = 0; f < 10; f++) await track.next(null, 1280, 720, f * FRAME_MS, GALLERY)
    scene.faces = [scene.faces[0] as Box]
    const calls = scene.calls.length
    const out = await track.next(null, 1280, 720, 10 * FRAME_MS, GALLERY)
    expect(out.detections).toHaveLength(1)
    expect(out.detections[0]?.box.x).toBeCloseTo(100, 0)
    // The lost face's square was searched (the one that stayed is followed and was searched recently).
    expect(scene.calls.slice(calls).map((c) => c.region.x)).toEqual([780 - 0.9 * 160])
  })

  it('with gray frames, does not scan a still scene again before quietScanIntervalMs, and looks at once where something changes', async () => {
    const scene = new PaintedSceneDetector()
    scene.faces = [box(100, 200, 160), box(700, 200, 160)]
    const settings = GALLERY_TRACK_SETTINGS
    const track = new DetectThenTrack(scene, settings)
    const passes: number[] = []
    const frames = Math.floor(settings.quietScanIntervalMs / FRAME_MS) - 1
    for (let f = 0; f < frames; f++) passes.push((await track.next(null, 1280, 720, f * FRAME_MS, GALLERY)).scanPasses)
    const scanPasses = planScan(1280, 720, GALLERY).length
    // One scan at the start; none while nothing changes (without gray frames one would start every scanCycleMs).
    expect(passes.reduce((a, b) => a + b, 0)).toBe(scanPasses)
    // A face appears away from the others: the next frame starts a scan, which finds it.
    const newcomer = box(400, 450, 160)
    scene.faces = [...scene.faces, newcomer]
    const found = await framesUntil(track, GALLERY, frames, 30, (faces) => faces.some((f) => near(f, newcomer)))
    expect(found).toBeGreaterThanOrEqual(frames)
    expect((found - frames) * FRAME_MS).toBeLessThanOrEqual(settings.scanCycleMs + FRAME_MS)
  })

  it('scans a gallery as the whole frame plus tiles, spread over frames', async () => {
    const passes = planScan(1920, 1080, GALLERY)
    expect(passes.length).toBeGreaterThan(1)
    expect(passes[0]?.region).toEqual({ x: 0, y: 0, width: 1920, height: 1080 })
    const scene = new SceneDetector()
    const track = new DetectThenTrack(scene, GALLERY_TRACK_SETTINGS)
    const perFrame: number[] = []
    for (let f = 0; f < 3 * passes.length; f++) perFrame.push((await track.next(null, 1920, 1080, f * FRAME_MS, GALLERY)).scanPasses)
    expect(Math.max(...perFrame)).toBeLessThanOrEqual(GALLERY_TRACK_SETTINGS.maxScanPassesPerFrame)
    expect(scene.calls.map((c) => c.region).slice(0, 2 * passes.length)).toEqual([...passes, ...passes].map((p) => p.region))
  })

  it('finds a face that fills most of a webcam frame through the scan\'s small-input pass, and keeps it', async () => {
    const scene = new SceneDetector()
    // 400 px tall in 640x480: 260 px at the 416 input, too large; 133 px at 160.
    scene.faces = [{ x: 140, y: 40, width: 340, height: 400 }]
    const passes = planScan(640, 480, WEBCAM)
    expect(passes.map((p) => p.inputSize)).toEqual([416, 160])
    const track = new DetectThenTrack(scene, WEBCAM_TRACK_SETTINGS)
    expect((await track.next(null, 640, 480, 0, WEBCAM)).detections).toEqual([])
    expect((await track.next(null, 640, 480, FRAME_MS, WEBCAM)).detections.map((d) => d.box)).toEqual(scene.faces)
    // The searches (a square of the frame's height at 96 px) keep it between scans.
    for (let f = 2; f < 8; f++) expect((await track.next(null, 640, 480, f * FRAME_MS, WEBCAM)).detections).toHaveLength(1)
  })

  it('on a machine where scans are slow, scans take about scanShare of the time instead of all of it', async () => {
    // Every detector call takes 100 ms of the fake clock.
    const slowScene = (): SceneDetector => Object.assign(new SceneDetector(), { costMs: 100 })
    const scanTime = async (scanShare: number): Promise<number> => {
      const scene = slowScene()
      scene.faces = [box(100, 100, 100)]
      const track = new DetectThenTrack(scene, { ...GALLERY_TRACK_SETTINGS, scanShare })
      let total = 0
      for (let f = 0; f < 600; f++) total += (await track.next(null, 1280, 720, f * FRAME_MS, GALLERY)).scanMs
      return total
    }
    await withFakeClock(async () => {
      // One slow pass a frame, though the settings allow two: the second waits for the next frame.
      const track = new DetectThenTrack(slowScene(), GALLERY_TRACK_SETTINGS)
      const perFrame: number[] = []
      for (let f = 0; f < 20; f++) perFrame.push((await track.next(null, 1280, 720, f * FRAME_MS, GALLERY)).scanPasses)
      expect(GALLERY_TRACK_SETTINGS.maxScanPassesPerFrame).toBeGreaterThan(1)
      expect(Math.max(...perFrame)).toBe(1)
      const span = 600 * FRAME_MS
      const cycle = 100 * planScan(1280, 720, GALLERY).length
      // Unlimited, the scan never stops: a pass on every frame, three times the frames' own time.
      expect(await scanTime(1)).toBeGreaterThan(2 * span)
      // A third: each scan waits three times what the last one took (frames without a pass do not count as scans).
      const limited = await scanTime(1 / 3)
      expect(limited).toBeLessThanOrEqual(span / 3 + cycle)
      expect(limited).toBeGreaterThanOrEqual(span / 3 - cycle)
    })
  })

  it('on a machine where scans are slow, a newcomer is found within a frame by a look at the change while the share holds the next scan back', async () => {
    await withFakeClock(async () => {
      // Every detector call takes 100 ms: a full scan of 1920x1080 (several tiles) about a second, so the share
      // (a third of the time) holds the next one back for about three.
      const scene = Object.assign(new PaintedSceneDetector(), { costMs: 100 })
      scene.faces = [box(200, 200, 120), box(900, 200, 120), box(1500, 700, 120)]
      const settings = { ...GALLERY_TRACK_SETTINGS, scanShare: 1 / 3 }
      const track = new DetectThenTrack(scene, settings)
      const scanPasses = planScan(1920, 1080, GALLERY).length
      expect(scanPasses).toBeGreaterThan(3)
      expect(await framesUntil(track, GALLERY, 0, 60, (faces) => faces.length === 3, 1920, 1080)).toBeGreaterThanOrEqual(0)
      // Let the first scan end.
      await framesUntil(track, GALLERY, 60, 30, () => false, 1920, 1080)
      const newcomer = box(600, 650, 120)
      scene.faces = [...scene.faces, newcomer]
      const calls = scene.calls.length
      const found = await framesUntil(track, GALLERY, 90, 30, (faces) => faces.some((f) => near(f, newcomer)), 1920, 1080)
      expect(found).toBe(90)
      // One detector call found it: a square around it at a small input, smaller than a scan's tile (the others
      // are searches of the followed faces).
      const tile = Math.min(...planScan(1920, 1080, GALLERY).map((p) => p.region.width))
      const covers = (c: { region: Box }): boolean =>
        c.region.x <= newcomer.x && c.region.y <= newcomer.y && c.region.x + c.region.width >= newcomer.x + newcomer.width && c.region.y + c.region.height >= newcomer.y + newcomer.height
      const since = scene.calls.slice(calls)
      expect(since.filter((c) => c.region.width >= tile)).toEqual([])
      const looks = since.filter(covers)
      expect(looks).toHaveLength(1)
      expect(looks[0]!.region.width).toBeLessThan(tile / 2)
      // What was looked at is no longer a change: the next frames (the faces stand still) neither look there
      // again nor scan, since the share holds the next scan back.
      const after = scene.calls.length
      await framesUntil(track, GALLERY, 91, 20, () => false, 1920, 1080)
      expect(scene.calls.slice(after).filter((c) => c.region.width >= tile || c.inputSize === looks[0]!.inputSize)).toEqual([])
    })
  })

  it('on a machine where searches are slow, a frame refreshes one followed face, not several, and every face still gets its turn', async () => {
    await withFakeClock(async () => {
      const scene = Object.assign(new PaintedSceneDetector(), { costMs: 100 })
      scene.faces = [box(100, 100, 130), box(500, 100, 130), box(900, 100, 130)]
      const settings = { ...GALLERY_TRACK_SETTINGS, searchIntervalMs: 300 }
      const track = new DetectThenTrack(scene, settings)
      const searches: number[] = []
      for (let f = 0; f < 90; f++) {
        const out = await track.next(null, 1280, 720, f * FRAME_MS, GALLERY)
        // A second to find them all (one slow scan pass a frame), then all three on every frame.
        if (f < 30) continue
        expect(out.detections).toHaveLength(3)
        searches.push(out.searches)
      }
      expect(settings.maxRegionsPerFrame).toBeGreaterThan(1)
      expect(Math.max(...searches)).toBe(1)
      // Two seconds, three faces each due every 300 ms: one search on most frames, none skipped for good.
      expect(searches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15)
    })
  })

  it('forgets every face on reset', async () => {
    const scene = new SceneDetector()
    scene.faces = [box(100, 100, 200)]
    const track = new DetectThenTrack(scene, WEBCAM_TRACK_SETTINGS)
    await track.next(null, 1280, 720, 0, WEBCAM)
    track.reset()
    scene.faces = []
    expect((await track.next(null, 1280, 720, FRAME_MS, WEBCAM)).detections).toEqual([])
  })
})

describe('planScan', () => {
  const cost = (passes: readonly { inputSize: number }[]): number => passes.reduce((sum, p) => sum + p.inputSize * p.inputSize, 0)

  it('draws each gallery tile no larger than its smallest faces need, and the whole frame for the faces too large for a tile', () => {
    const settings: DetectorSettings = { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 100, tiles: 'auto' }
    const passes = planScan(1280, 720, settings)
    const tiles = passes.filter((p) => p.overlap !== null)
    expect(tiles.length).toBeGreaterThan(1)
    for (const t of tiles) {
      const atInput = (100 * t.inputSize) / Math.max(t.region.width, t.region.height)
      // Shown at least as large as the detector needs, and within one input step (32 px) of it.
      expect(atInput).toBeGreaterThanOrEqual(MIN_FACE_AT_INPUT)
      expect((100 * (t.inputSize - 32)) / Math.max(t.region.width, t.region.height)).toBeLessThan(MIN_FACE_AT_INPUT)
    }
    const overlap = tiles[0]!.overlap!
    const whole = passes.filter((p) => p.overlap === null)
    expect(whole.every((p) => p.region.width === 1280 && p.region.height === 720)).toBe(true)
    // A face just too large to be whole in a tile is shown large enough by a whole-frame pass.
    expect(Math.max(...whole.map((p) => (2 * overlap * p.inputSize) / 1280))).toBeGreaterThanOrEqual(MIN_FACE_AT_INPUT)
    expect(Math.min(...whole.map((p) => p.inputSize))).toBeLessThanOrEqual(Math.max(LARGE_FACE_INPUT_SIZE, 192))
    // Less than half the detector work of every pass at the input size (and the close-up pass).
    expect(cost(passes)).toBeLessThan(0.5 * (cost(passes.map(() => ({ inputSize: 416 }))) + 160 * 160))
  })

  it('never draws a pass larger than the input size setting, and keeps the webcam scan as it was', () => {
    const gallery = planScan(1920, 1080, { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 60, tiles: 'auto' })
    expect(Math.max(...gallery.map((p) => p.inputSize))).toBe(416)
    expect(planScan(640, 480, WEBCAM).map((p) => p.inputSize)).toEqual([416, LARGE_FACE_INPUT_SIZE])
  })
})
