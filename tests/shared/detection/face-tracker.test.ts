import { describe, expect, it } from 'vitest'
import { iou } from '../../../src/shared/box-math'
import { FaceTracker } from '../../../src/shared/detection/face-tracker'
import type { Box } from '../../../src/shared/ipc'

const box = (x: number, y: number, width = 100, height = 100): Box => ({ x, y, width, height })
const ids = (t: FaceTracker, boxes: Box[]): number[] => t.update(boxes).faces.map((f) => f.id)

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1)
    expect(iou(box(0, 0), box(200, 0))).toBe(0)
    // Half overlap: intersection 50x100 = 5000, union 15000.
    expect(iou(box(0, 0), box(50, 0))).toBeCloseTo(1 / 3, 10)
  })

  it('is 0 for empty boxes instead of NaN', () => {
    expect(iou(box(0, 0, 0, 0), box(0, 0, 0, 0))).toBe(0)
  })
})

describe('FaceTracker', () => {
  it('gives new faces increasing ids starting at 1', () => {
    const t = new FaceTracker()
    expect(ids(t, [box(0, 0), box(300, 0), box(600, 0)])).toEqual([1, 2, 3])
  })

  it('keeps ids stable while faces move a little each frame', () => {
    const t = new FaceTracker()
    const first = ids(t, [box(0, 0), box(400, 0)])
    for (let step = 1; step <= 20; step++) {
      // 10 px per frame: IoU with the previous position stays about 0.82.
      expect(ids(t, [box(step * 10, step * 5), box(400 - step * 10, step * 5)])).toEqual(first)
    }
  })

  it('follows each face when the detector returns them in a different order', () => {
    const t = new FaceTracker()
    const [a, b] = ids(t, [box(0, 0), box(400, 0)])
    const out = t.update([box(405, 3), box(4, 2)]).faces
    expect(out.map((f) => f.id)).toEqual([b, a])
    expect(out.map((f) => f.detectionIndex)).toEqual([0, 1])
  })

  it('gives each detection to the track it overlaps most when two tracks compete', () => {
    const t = new FaceTracker({ iouThreshold: 0.1 })
    const [a, b] = ids(t, [box(0, 0), box(60, 0)])
    // The detection at 55 overlaps b (IoU ~0.9) far more than a; the one at 5 belongs to a.
    expect(ids(t, [box(55, 0), box(5, 0)])).toEqual([b, a])
  })

  it('keeps a face through a short occlusion and gives it back its id', () => {
    const t = new FaceTracker({ maxMissedFrames: 3 })
    const [a, b] = ids(t, [box(0, 0), box(400, 0)])
    for (let i = 0; i < 3; i++) expect(ids(t, [box(400, 0)])).toEqual([b])
    expect(t.liveIds().sort()).toEqual([a, b])
    expect(ids(t, [box(2, 1), box(400, 0)])).toEqual([a, b])
  })

  it('expires a track after more than maxMissedFrames misses and reports it once', () => {
    const t = new FaceTracker({ maxMissedFrames: 2 })
    const [a] = ids(t, [box(0, 0)])
    expect(t.update([]).expired).toEqual([])
    expect(t.update([]).expired).toEqual([])
    expect(t.update([]).expired).toEqual([a])
    expect(t.update([]).expired).toEqual([])
    expect(t.liveIds()).toEqual([])
  })

  it('never reuses an id, even for a face that comes back where an expired one was', () => {
    const t = new FaceTracker({ maxMissedFrames: 0 })
    const seen = new Set<number>()
    for (let round = 0; round < 5; round++) {
      const [id] = ids(t, [box(0, 0)])
      expect(seen.has(id)).toBe(false)
      seen.add(id)
      expect(t.update([]).expired).toEqual([id])
    }
    t.clear()
    expect(seen.has(ids(t, [box(0, 0)])[0])).toBe(false)
  })

  it('starts a new track when a face jumps farther than the IoU threshold allows', () => {
    const t = new FaceTracker({ iouThreshold: 0.3 })
    const [a] = ids(t, [box(0, 0)])
    // Moved by 60 px: IoU = 40/160 = 0.25 < 0.3.
    const [b] = ids(t, [box(60, 0)])
    expect(b).not.toBe(a)
    expect(t.liveIds().sort()).toEqual([a, b])
  })

  it('does not let one detection continue two tracks', () => {
    const t = new FaceTracker()
    const [a, b] = ids(t, [box(0, 0), box(10, 0)])
    const out = ids(t, [box(5, 0)])
    expect(out).toHaveLength(1)
    expect([a, b]).toContain(out[0])
  })

  it('returns copies of the boxes so callers cannot corrupt track state', () => {
    const t = new FaceTracker()
    const input = box(0, 0)
    const [face] = t.update([input]).faces
    face.box.x = 5000
    input.x = 5000
    expect(ids(t, [box(3, 0)])).toEqual([face.id])
  })
})
