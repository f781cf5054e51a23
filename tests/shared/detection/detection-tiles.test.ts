import { describe, expect, it } from 'vitest'
import { iou } from '../../../src/shared/box-math'
import { autoGrid, dropCutFaces, mergeDetections, offsetDetections, planTiles } from '../../../src/shared/detection/detection-tiles'

describe('tiled detection', () => {
  it('covers the whole frame with overlapping tiles', () => {
    const tiles = planTiles(1920, 1080, { cols: 3, rows: 3 }, 60)
    expect(tiles).toHaveLength(9)
    for (let x = 0; x < 1920; x += 37) {
      for (let y = 0; y < 1080; y += 41) {
        expect(tiles.some((t) => x >= t.x && x < t.x + t.width && y >= t.y && y < t.y + t.height)).toBe(true)
      }
    }
    // Neighbours overlap by twice the margin, so a face up to that size is whole in one of them.
    expect(tiles[0]!.x + tiles[0]!.width - tiles[1]!.x).toBe(120)
    expect(tiles.every((t) => t.x >= 0 && t.y >= 0 && t.x + t.width <= 1920 && t.y + t.height <= 1080)).toBe(true)
  })

  it('uses the whole frame for a grid of one', () => {
    expect(planTiles(640, 360, { cols: 1, rows: 1 }, 50)).toEqual([{ x: 0, y: 0, width: 640, height: 360 }])
  })

  it('tiles a 1080p gallery with small faces and leaves a webcam frame whole', () => {
    // 60 px faces need tiles of at most 624 px to reach 40 px at a 416 input.
    expect(autoGrid(1920, 1080, 416, 60)).toEqual({ cols: 3, rows: 2 })
    // A wide screen gets more columns, not more rows.
    expect(autoGrid(2560, 1080, 416, 60)).toEqual({ cols: 4, rows: 2 })
    expect(autoGrid(1920, 1080, 416, 40)).toEqual({ cols: 4, rows: 3 })
    expect(autoGrid(1920, 1080, 416, 200)).toEqual({ cols: 1, rows: 1 })
    expect(autoGrid(640, 360, 416, 120)).toEqual({ cols: 1, rows: 1 })
    expect(autoGrid(3840, 2160, 128, 10)).toEqual({ cols: 4, rows: 4 })
  })

  it('plans a wide grid as columns by rows', () => {
    const tiles = planTiles(2560, 1080, { cols: 4, rows: 2 }, 30)
    expect(tiles).toHaveLength(8)
    expect(tiles[0]).toEqual({ x: 0, y: 0, width: 670, height: 570 })
    expect(tiles[7]).toEqual({ x: 1890, y: 510, width: 670, height: 570 })
  })

  it('merges duplicates from overlapping tiles, keeping the best score', () => {
    const a = { box: { x: 100, y: 100, width: 80, height: 80 }, score: 0.9 }
    const dup = { box: { x: 104, y: 98, width: 78, height: 84 }, score: 0.7 }
    const cut = { box: { x: 100, y: 100, width: 40, height: 80 }, score: 0.8 } // the same face cut by a tile edge
    const other = { box: { x: 400, y: 100, width: 80, height: 80 }, score: 0.6 }
    expect(mergeDetections([dup, other, cut, a])).toEqual([a, other])
    expect(iou(a.box, other.box)).toBe(0)
  })

  it('moves tile detections into frame coordinates', () => {
    expect(offsetDetections([{ box: { x: 5, y: 6, width: 7, height: 8 }, score: 1 }], { x: 100, y: 200, width: 50, height: 50 })).toEqual([
      { box: { x: 105, y: 206, width: 7, height: 8 }, score: 1 }
    ])
  })

  it('drops faces cut by an inner tile edge, keeps those at the frame edge and those too big for the overlap', () => {
    const tile = { x: 600, y: 0, width: 700, height: 400 } // inner edges: left, right, bottom; top is the frame's
    const frame = { w: 1920, h: 1080 }
    const cutLeft = { box: { x: 0, y: 100, width: 50, height: 80 }, score: 0.9 }
    const cutBottom = { box: { x: 300, y: 340, width: 60, height: 60 }, score: 0.9 }
    const atFrameTop = { box: { x: 300, y: 0, width: 60, height: 60 }, score: 0.9 }
    const inside = { box: { x: 300, y: 100, width: 60, height: 60 }, score: 0.9 }
    const huge = { box: { x: 0, y: 50, width: 300, height: 300 }, score: 0.9 }
    expect(dropCutFaces([cutLeft, cutBottom, atFrameTop, inside, huge], tile, frame.w, frame.h, 100)).toEqual([atFrameTop, inside, huge])
  })
})
