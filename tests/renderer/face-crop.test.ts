import { describe, expect, it } from 'vitest'
import { cropDrawPlan, rgbaToGray, squareCrop, DEFAULT_CROP_SCALE } from '../../src/renderer/src/lib/face-crop'

describe('squareCrop', () => {
  it('centres a square of scale × the box side on the box', () => {
    const c = squareCrop({ x: 300, y: 200, width: 100, height: 100 }, 1280, 720, 1.2)
    expect(c).toEqual({ x: 290, y: 190, side: 120 })
  })

  it('uses a default margin in the 10-20 % FER2013 range', () => {
    expect(DEFAULT_CROP_SCALE).toBeGreaterThanOrEqual(1.1)
    expect(DEFAULT_CROP_SCALE).toBeLessThanOrEqual(1.2)
    const c = squareCrop({ x: 500, y: 300, width: 100, height: 100 }, 1280, 720)
    expect(c.side).toBeCloseTo(100 * DEFAULT_CROP_SCALE, 10)
  })

  it('squares a tall box on its longer side, keeping the centre', () => {
    const c = squareCrop({ x: 400, y: 200, width: 80, height: 120 }, 1280, 720, 1.1)
    expect(c.side).toBeCloseTo(132, 10)
    expect(c.x + c.side / 2).toBeCloseTo(440, 10)
    expect(c.y + c.side / 2).toBeCloseTo(260, 10)
  })

  it('squares a wide box on its longer side', () => {
    const c = squareCrop({ x: 400, y: 200, width: 150, height: 90 }, 1280, 720, 1)
    expect(c).toEqual({ x: 400, y: 170, side: 150 })
  })

  it('shifts the square inside the frame at the left and top edges instead of padding', () => {
    const c = squareCrop({ x: 0, y: 0, width: 100, height: 100 }, 640, 480, 1.2)
    expect(c).toEqual({ x: 0, y: 0, side: 120 })
  })

  it('shifts the square inside the frame at the right and bottom edges', () => {
    const c = squareCrop({ x: 560, y: 400, width: 80, height: 80 }, 640, 480, 1.5)
    expect(c).toEqual({ x: 520, y: 360, side: 120 })
  })

  it('keeps a square larger than the frame centred on the face (to be padded)', () => {
    const c = squareCrop({ x: 10, y: 0, width: 300, height: 400 }, 320, 400, 1.2)
    expect(c.side).toBe(480)
    expect(c.x + c.side / 2).toBe(160)
    expect(c.y + c.side / 2).toBe(200)
  })

  it('handles tiny and empty boxes with a side of at least 1 px', () => {
    expect(squareCrop({ x: 50, y: 50, width: 4, height: 3 }, 640, 480, 1.25)).toEqual({ x: 49.5, y: 49, side: 5 })
    expect(squareCrop({ x: 50, y: 50, width: 0, height: 0 }, 640, 480).side).toBe(1)
  })
})

describe('cropDrawPlan', () => {
  it('maps a crop fully inside the frame onto the whole output', () => {
    expect(cropDrawPlan({ x: 100, y: 50, side: 96 }, 640, 480, 48, 48)).toEqual({ sx: 100, sy: 50, sw: 96, sh: 96, dx: 0, dy: 0, dw: 48, dh: 48 })
  })

  it('draws only the in-frame part, at the matching offset, when the crop passes the top-left corner', () => {
    // 100 px square from (-20, -40): the in-frame part is 80 × 60 px and starts 20 / 40 px into the crop.
    expect(cropDrawPlan({ x: -20, y: -40, side: 100 }, 640, 480, 50, 50)).toEqual({ sx: 0, sy: 0, sw: 80, sh: 60, dx: 10, dy: 20, dw: 40, dh: 30 })
  })

  it('clips at the right and bottom edges', () => {
    expect(cropDrawPlan({ x: 600, y: 440, side: 80 }, 640, 480, 40, 40)).toEqual({ sx: 600, sy: 440, sw: 40, sh: 40, dx: 0, dy: 0, dw: 20, dh: 20 })
  })

  it('pads on both sides when the crop is larger than the frame', () => {
    const p = cropDrawPlan({ x: -80, y: 0, side: 480 }, 320, 480, 48, 48)
    expect(p).toEqual({ sx: 0, sy: 0, sw: 320, sh: 480, dx: 8, dy: 0, dw: 32, dh: 48 })
  })

  it('returns null for a crop entirely outside the frame', () => {
    expect(cropDrawPlan({ x: 700, y: 0, side: 50 }, 640, 480, 48, 48)).toBeNull()
  })
})

describe('rgbaToGray', () => {
  const image = (pixels: number[][], width: number) => ({ width, height: pixels.length / width, data: pixels.flat() })

  it('converts known colours with BT.601 luma weights and ignores alpha', () => {
    const out = rgbaToGray(
      image(
        [
          [255, 0, 0, 255],
          [0, 255, 0, 0],
          [0, 0, 255, 255],
          [255, 255, 255, 17],
          [0, 0, 0, 255],
          [128, 128, 128, 255]
        ],
        3
      )
    )
    // 0.299 × 255 = 76.2, 0.587 × 255 = 149.7, 0.114 × 255 = 29.1.
    expect(Array.from(out)).toEqual([76, 150, 29, 255, 0, 128])
  })

  it('keeps row-major order and size', () => {
    const out = rgbaToGray(image([[10, 10, 10, 255], [20, 20, 20, 255], [30, 30, 30, 255], [40, 40, 40, 255]], 2))
    expect(out).toBeInstanceOf(Uint8Array)
    expect(Array.from(out)).toEqual([10, 20, 30, 40])
  })

  it('accepts a Uint8ClampedArray as ImageData has', () => {
    const data = new Uint8ClampedArray([100, 150, 200, 255])
    expect(Array.from(rgbaToGray({ width: 1, height: 1, data }))).toEqual([Math.round(0.299 * 100 + 0.587 * 150 + 0.114 * 200)])
  })

  it('rejects a buffer shorter than width × height × 4', () => {
    expect(() => rgbaToGray({ width: 2, height: 2, data: new Uint8ClampedArray(12) })).toThrow(RangeError)
  })
})
