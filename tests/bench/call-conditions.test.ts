/** Call tiles: a face placed at call size over a blurred real background, JPEG round-tripped, found where it was put. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_FRAMING, squareCrop, wholeImageCrop } from '../../src/shared/face-crop'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { boxOfCrop, callBackgrounds, callTile, CALL_TILE, faceAtSpot } from '../../src/bench/call-conditions'
import { demoPhotoPaths } from '../../src/bench/gallery-frames'
import { readRgba } from '../../src/bench/images'
import { detectLikeApp } from '../../src/bench/pipelines'

describe('boxOfCrop', () => {
  it("is the box whose FER2013-style crop is the image itself (the app's framing inverted)", () => {
    for (const [w, h] of [
      [48, 48],
      [96, 96],
      [60, 80]
    ] as const) {
      const crop = squareCrop(boxOfCrop(w, h), 1e4, 1e4, DEFAULT_FRAMING)
      const whole = wholeImageCrop(w, h)
      expect(crop.side).toBeCloseTo(whole.side, 9)
      expect(crop.y).toBeCloseTo(whole.y, 9)
    }
  })
})

describe('faceAtSpot', () => {
  it('takes the detection nearest the spot within half a face, and none farther', () => {
    const spot = { x: 0.5 * CALL_TILE.width, y: 0.45 * CALL_TILE.height }
    const at = (dx: number) => ({ x: spot.x + dx - 35, y: spot.y - 35, width: 70, height: 70 })
    expect(faceAtSpot([at(30), at(5)], 70)).toEqual(at(5))
    expect(faceAtSpot([at(40)], 70)).toBeUndefined()
  })
})

describe('callTile', () => {
  it("shows a photo's face at the asked size where the app's scan finds it, over a background with no face of its own, JPEG-compressed", async () => {
    const api = await FaceApiNode.create()
    const [background] = await callBackgrounds()
    const photo = await readRgba((await demoPhotoPaths())[0] as string)
    const frame = api.imageTensor(photo)
    const [face] = (await detectLikeApp(api, frame)).sort((a, b) => b.width - a.width)
    frame.dispose()
    expect(face).toBeDefined()
    const found: number[] = []
    for (const px of [70, 100]) {
      const rgb = callTile(photo, face!, px, background!)
      expect(rgb.length).toBe(CALL_TILE.width * CALL_TILE.height * 3)
      const tile = api.tf.tensor3d(rgb, [CALL_TILE.height, CALL_TILE.width, 3], 'int32')
      const box = faceAtSpot(await detectLikeApp(api, tile), px)
      tile.dispose()
      expect(box, `${px} px`).toBeDefined()
      found.push(Math.max(box!.width, box!.height))
    }
    // The detector's box on the tile is about the asked size (its box on the photo, scaled).
    for (const [i, px] of [70, 100].entries()) {
      expect(found[i]! / px, `${px} px`).toBeGreaterThan(0.7)
      expect(found[i]! / px, `${px} px`).toBeLessThan(1.35)
    }
    expect(found[1]!).toBeGreaterThan(found[0]!)
    const blank = api.tf.tensor3d(background!, [CALL_TILE.height, CALL_TILE.width, 3], 'int32')
    expect(await detectLikeApp(api, blank)).toEqual([])
    blank.dispose()
  }, 120_000)

  it('is lossy: the same tile at quality 95 and at quality 20 differ, and quality 20 is further from 95 than 55 is', async () => {
    const [background] = await callBackgrounds()
    const photo = await readRgba((await demoPhotoPaths())[0] as string)
    const box = { x: photo.width / 2 - 60, y: photo.height / 3 - 60, width: 120, height: 120 }
    const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0) / a.length
    const q95 = callTile(photo, box, 70, background!, 95)
    expect(diff(q95, callTile(photo, box, 70, background!, 20))).toBeGreaterThan(diff(q95, callTile(photo, box, 70, background!, 55)))
    expect(diff(q95, callTile(photo, box, 70, background!, 20))).toBeGreaterThan(1)
  }, 60_000)
})
