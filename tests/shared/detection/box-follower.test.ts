import { describe, expect, it } from 'vitest'
import { faceTemplate, followBox, FOLLOW_MAX_SIDE, graySize, rgbaToGray, samplePatch, type GrayImage } from '../../../src/shared/detection/box-follower'
import type { Box } from '../../../src/shared/ipc'
import { paintScene, texturedFace } from './painted-scene'

const face = (x: number, y: number, side = 100): Box => ({ x, y, width: side, height: side })

describe('gray frames', () => {
  it('reads RGBA as BT.601 gray', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 200, 200, 200, 255])
    expect([...rgbaToGray(rgba, 2, 2, 1).data]).toEqual([76, 149, 28, 200])
  })

  it('downscales only frames larger than the follower needs, keeping the aspect', () => {
    expect(graySize(640, 480)).toEqual({ width: 640, height: 480, scale: 1 })
    const hd = graySize(1920, 1080)
    expect(hd.width).toBe(FOLLOW_MAX_SIDE)
    expect(hd.height).toBe(540)
    expect(hd.scale).toBe(2)
  })

  it('samples pixels exactly at a pitch of one pixel and interpolates between them', () => {
    const image: GrayImage = { width: 4, height: 4, data: Uint8Array.from({ length: 16 }, (_, i) => i * 10), scale: 1 }
    // Centre (2, 2) in pixel-centre coordinates is the corner shared by pixels (1,1), (2,1), (1,2), (2,2).
    expect([...samplePatch(image, 2, 2, 1, 2)]).toEqual([50, 60, 90, 100])
    expect(samplePatch(image, 2, 2, 1, 1)[0]).toBeCloseTo(75, 5)
    // Half the scale: the same frame point is read from the half-size image.
    const half: GrayImage = { ...image, scale: 2 }
    expect(samplePatch(half, 4, 4, 2, 1)[0]).toBeCloseTo(75, 5)
  })
})

describe('followBox', () => {
  const base = face(200, 150, 120)
  const texture = texturedFace(7)

  for (const [dx, dy] of [
    [0, 0],
    [6, -4],
    [-20, 13],
    [2.5, 1.5]
  ] as const) {
    it(`finds a textured face shifted by (${dx}, ${dy}) px to within a pixel`, () => {
      const before = paintScene(640, 480, [{ box: base, texture }])
      const after = paintScene(640, 480, [{ box: { ...base, x: base.x + dx, y: base.y + dy }, texture }])
      const template = faceTemplate(before, base)
      expect(template).not.toBeNull()
      const found = followBox(after, base, template!)
      expect(found.score).toBeGreaterThan(0.9)
      expect(Math.abs(found.dx - dx)).toBeLessThanOrEqual(1)
      expect(Math.abs(found.dy - dy)).toBeLessThanOrEqual(1)
    })
  }

  it('follows on a half-size gray copy of a large frame', () => {
    const big = face(700, 400, 160)
    const before = paintScene(1920, 1080, [{ box: big, texture }], 2)
    const after = paintScene(1920, 1080, [{ box: { ...big, x: big.x + 12, y: big.y - 8 }, texture }], 2)
    const found = followBox(after, big, faceTemplate(before, big)!)
    expect(Math.abs(found.dx - 12)).toBeLessThanOrEqual(2)
    expect(Math.abs(found.dy + 8)).toBeLessThanOrEqual(2)
  })

  it('scores low where the face left (background) or another face took its place', () => {
    const before = paintScene(640, 480, [{ box: base, texture }])
    const template = faceTemplate(before, base)!
    expect(followBox(paintScene(640, 480, []), base, template).score).toBeLessThan(0.6)
    expect(followBox(paintScene(640, 480, [{ box: base, texture: texturedFace(99) }]), base, template).score).toBeLessThan(0.6)
  })

  it('gives no template for a flat patch', () => {
    const flat: GrayImage = { width: 100, height: 100, data: new Uint8Array(10_000).fill(128), scale: 1 }
    expect(faceTemplate(flat, face(10, 10, 50))).toBeNull()
  })
})
