import { describe, expect, it } from 'vitest'
import { CHANGE_CELL, changedOutside, changedRegion, refreshedReference } from '../../../src/shared/detection/frame-change'
import type { DetectorSettings } from '../../../src/shared/detection/detection-filter'
import { lookPass } from '../../../src/shared/detection/frame-scan'
import type { Box } from '../../../src/shared/ipc'
import { paintScene, texturedFace } from './painted-scene'

const face = (x: number, y: number, side = 100): Box => ({ x, y, width: side, height: side })
const GALLERY_5X5: DetectorSettings = { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 60, tiles: 'auto' }
const contains = (outer: Box, inner: Box): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height

describe('changedOutside', () => {
  const faces = [{ box: face(100, 100, 120), texture: texturedFace(1) }]
  const before = paintScene(640, 480, faces)

  it('sees no change in the same picture, nor where only a followed face moved or changed', () => {
    expect(changedOutside(before, paintScene(640, 480, faces), [faces[0]!.box])).toBe(false)
    const moved = paintScene(640, 480, [{ box: face(110, 95, 120), texture: texturedFace(2) }])
    expect(changedOutside(before, moved, [face(110, 95, 120)])).toBe(false)
  })

  it('sees a face appear away from the followed ones, and any change of frame size', () => {
    const arrived = paintScene(640, 480, [...faces, { box: face(450, 300, 80), texture: texturedFace(3) }])
    expect(changedOutside(before, arrived, [faces[0]!.box])).toBe(true)
    expect(changedOutside(before, paintScene(320, 240, faces), [faces[0]!.box])).toBe(true)
  })

  it('ignores noise and compression below the threshold', () => {
    const noisy = paintScene(640, 480, faces)
    noisy.data.forEach((v, i) => (noisy.data[i] = Math.max(0, Math.min(255, v + ((i * 7919) % 9) - 4))))
    expect(changedOutside(before, noisy, [faces[0]!.box])).toBe(false)
  })
})

describe('changedRegion', () => {
  // A 5x5 gallery at 1920x1080 read at half size, as the follower reads it: faces of 110 px in tiles of 384x216.
  const seat = (k: number, side = 110): Box => face((k % 5) * 384 + 137, Math.floor(k / 5) * 216 + 53, side)
  const people = Array.from({ length: 25 }, (_, k) => ({ box: seat(k), texture: texturedFace(k + 1) }))
  const followed = people.filter((_, k) => k !== 1).map((p) => p.box)
  const empty = paintScene(1920, 1080, people.filter((_, k) => k !== 1), 2)

  it('finds a newcomer in a gallery seat beside followed faces, within its frame-pixel box', () => {
    const back = paintScene(1920, 1080, [...people.filter((_, k) => k !== 1), { box: seat(1), texture: texturedFace(99) }], 2)
    const region = changedRegion(empty, back, followed)
    expect(region).not.toBeNull()
    // The newcomer's box, give or take a cell (in frame pixels) on each side.
    const slack = CHANGE_CELL * 2
    const grown = { x: seat(1).x - slack, y: seat(1).y - slack, width: seat(1).width + 2 * slack, height: seat(1).height + 2 * slack }
    expect(contains(grown, region!)).toBe(true)
    expect(region!.width * region!.height).toBeGreaterThan(0.5 * 110 * 110)
  })

  it('answers the largest of several changes, and null where nothing changed or the size differs', () => {
    const two = paintScene(1920, 1080, [...people.filter((_, k) => k !== 1), { box: seat(1, 120), texture: texturedFace(50) }, { box: face(1880, 1040, 30), texture: texturedFace(51) }], 2)
    const region = changedRegion(empty, two, followed)!
    expect(region.x).toBeLessThan(700)
    expect(changedRegion(empty, paintScene(1920, 1080, people.filter((_, k) => k !== 1), 2), followed)).toBeNull()
    expect(changedRegion(empty, paintScene(960, 540, people, 2), followed)).toBeNull()
  })

  it('takes what was looked at into the reference, and nothing else', () => {
    const back = paintScene(1920, 1080, [...people.filter((_, k) => k !== 1), { box: seat(1), texture: texturedFace(99) }, { box: face(40, 1000, 60), texture: texturedFace(7) }], 2)
    const first = changedRegion(empty, back, followed)!
    const look = lookPass(first, 1920, 1080, GALLERY_5X5)!
    expect(contains(look.region, seat(1))).toBe(true)
    const refreshed = refreshedReference(empty, back, look.region)
    expect(refreshed.data).not.toBe(empty.data)
    // The newcomer is seen; the other change (bottom left) is still one, and is what is left.
    const rest = changedRegion(refreshed, back, followed)!
    expect(rest.x).toBeLessThan(100)
    expect(rest.y).toBeGreaterThan(950)
    expect(changedRegion(refreshedReference(refreshed, back, rest), back, followed)).toBeNull()
    // The inputs are left as they were.
    expect(changedRegion(empty, back, followed)).toEqual(first)
  })
})

describe('lookPass', () => {
  const settings = GALLERY_5X5

  it('looks at the change grown by a face on each side, squared, at an input that shows the smallest face at the tiles’ scale', () => {
    const look = lookPass({ x: 500, y: 300, width: 100, height: 80 }, 1920, 1080, settings)!
    expect(look.region).toEqual({ x: 440, y: 230, width: 220, height: 220 })
    // 220 px showing a 60 px face at 40 px: 147 → the next multiple of 32.
    expect(look.inputSize).toBe(160)
    expect(look.overlap).toBe(60)
  })

  it('stays inside the frame and leaves changes over half the frame to a full scan', () => {
    const corner = lookPass({ x: 1880, y: 1040, width: 40, height: 40 }, 1920, 1080, settings)!
    expect(corner.region.x + corner.region.width).toBe(1920)
    expect(corner.region.y + corner.region.height).toBe(1080)
    expect(lookPass({ x: 0, y: 0, width: 1400, height: 900 }, 1920, 1080, settings)).toBeNull()
  })
})
