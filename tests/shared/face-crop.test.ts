import { describe, expect, it } from 'vitest'
import {
  cropFace,
  cropSourceRect,
  framingFromCard,
  rgbaToGray,
  sampleCrop,
  squareCrop,
  wholeImageCrop,
  DEFAULT_FRAMING,
  FACE_API_FRAMING,
  PAD_GRAY
} from '../../src/shared/face-crop'

describe('squareCrop', () => {
  const at = (scale: number, shiftY = 0) => ({ scale, shiftY })

  it('centres a square of scale × the box side on the box', () => {
    const c = squareCrop({ x: 300, y: 200, width: 100, height: 100 }, 1280, 720, at(1.2))
    expect(c).toEqual({ x: 290, y: 190, side: 120 })
  })

  it('moves the square by shiftY × the longer side (negative: up)', () => {
    const c = squareCrop({ x: 300, y: 200, width: 100, height: 80 }, 1280, 720, at(0.8, -0.1))
    expect(c.side).toBeCloseTo(80, 10)
    expect(c.x + c.side / 2).toBeCloseTo(350, 10)
    expect(c.y + c.side / 2).toBeCloseTo(240 - 10, 10)
  })

  it('frames by default as the training sets do: tighter than the box, above its centre', () => {
    // TinyFaceDetector boxes run from the brows to below the chin; FER2013 faces from the brows to the chin.
    expect(DEFAULT_FRAMING.scale).toBeGreaterThan(0.7)
    expect(DEFAULT_FRAMING.scale).toBeLessThan(1)
    expect(DEFAULT_FRAMING.shiftY).toBeLessThan(0)
    const c = squareCrop({ x: 500, y: 300, width: 100, height: 100 }, 1280, 720)
    expect(c.side).toBeCloseTo(100 * DEFAULT_FRAMING.scale, 10)
    expect(c.y + c.side / 2).toBeCloseTo(350 + 100 * DEFAULT_FRAMING.shiftY, 10)
  })

  it('squares a tall box on its longer side, keeping the centre', () => {
    const c = squareCrop({ x: 400, y: 200, width: 80, height: 120 }, 1280, 720, at(1.1))
    expect(c.side).toBeCloseTo(132, 10)
    expect(c.x + c.side / 2).toBeCloseTo(440, 10)
    expect(c.y + c.side / 2).toBeCloseTo(260, 10)
  })

  it('squares a wide box on its longer side', () => {
    const c = squareCrop({ x: 400, y: 200, width: 150, height: 90 }, 1280, 720, at(1))
    expect(c).toEqual({ x: 400, y: 170, side: 150 })
  })

  it('shifts the square inside the frame at the left and top edges instead of padding', () => {
    const c = squareCrop({ x: 0, y: 0, width: 100, height: 100 }, 640, 480, at(1.2))
    expect(c).toEqual({ x: 0, y: 0, side: 120 })
    expect(squareCrop({ x: 0, y: 0, width: 100, height: 100 }, 640, 480, at(0.8, -0.1))).toEqual({ x: 10, y: 0, side: 80 })
  })

  it('shifts the square inside the frame at the right and bottom edges', () => {
    const c = squareCrop({ x: 560, y: 400, width: 80, height: 80 }, 640, 480, at(1.5))
    expect(c).toEqual({ x: 520, y: 360, side: 120 })
  })

  it('keeps a square larger than the frame where the framing puts it (to be padded)', () => {
    const c = squareCrop({ x: 10, y: 0, width: 300, height: 400 }, 320, 400, at(1.2))
    expect(c.side).toBe(480)
    expect(c.x + c.side / 2).toBe(160)
    expect(c.y + c.side / 2).toBe(200)
    const up = squareCrop({ x: 10, y: 0, width: 300, height: 400 }, 320, 400, at(1.2, -0.1))
    expect(up.y + up.side / 2).toBe(160)
  })

  it('handles tiny and empty boxes with a side of at least 1 px', () => {
    expect(squareCrop({ x: 50, y: 50, width: 4, height: 3 }, 640, 480, at(1.25))).toEqual({ x: 49.5, y: 49, side: 5 })
    expect(squareCrop({ x: 50, y: 50, width: 0, height: 0 }, 640, 480).side).toBe(1)
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

describe('sampleCrop', () => {
  const gray = (width: number, height: number, f: (x: number, y: number) => number) => {
    const data = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y)
    return { width, height, channels: 1 as const, data }
  }

  it('copies an image of the output size unchanged (a 48x48 dataset face)', () => {
    const img = gray(48, 48, (x, y) => (x * 7 + y * 13) % 256)
    expect(Array.from(sampleCrop(img, wholeImageCrop(48, 48), 48))).toEqual(Array.from(img.data))
  })

  it('halves by averaging each 2x2 block (area averaging)', () => {
    const img = gray(4, 4, (x, y) => [[0, 10, 200, 201], [20, 31, 100, 100]][y % 2]![x]!)
    // (0+10+20+31)/4 = 15.25 → 15; (200+201+100+100)/4 = 150.25 → 150.
    expect(Array.from(sampleCrop(img, { x: 0, y: 0, side: 4 }, 2))).toEqual([15, 150, 15, 150])
  })

  it('does not alias: a one-pixel checkerboard shrunk tenfold is flat mid-grey', () => {
    const img = gray(480, 480, (x, y) => ((x + y) % 2 === 0 ? 0 : 255))
    const out = sampleCrop(img, wholeImageCrop(480, 480), 48)
    expect(Math.min(...out)).toBeGreaterThanOrEqual(127)
    expect(Math.max(...out)).toBeLessThanOrEqual(128)
  })

  it('averages fractional cells by their overlap with each pixel', () => {
    // Three pixels 0, 90, 180 into two outputs of 1.5 px each: (0 + 0.5 × 90) / 1.5 = 30, (0.5 × 90 + 180) / 1.5 = 150.
    expect(Array.from(sampleCrop(gray(3, 3, (x) => x * 90), { x: 0, y: 0, side: 3 }, 2))).toEqual([30, 150, 30, 150])
  })

  it('pads with mid-grey, not black, where the crop leaves the frame', () => {
    const black = gray(10, 20, () => 0)
    // A 20 px square centred on a 10 px wide frame: 5 px of padding left and right.
    const out = sampleCrop(black, { x: -5, y: 0, side: 20 }, 4)
    expect(PAD_GRAY).toBe(128)
    for (let row = 0; row < 4; row++) expect(Array.from(out.slice(row * 4, row * 4 + 4))).toEqual([128, 0, 0, 128])
  })

  it('is all grey for a crop wholly outside the frame', () => {
    expect(new Set(sampleCrop(gray(10, 10, () => 3), { x: 50, y: 50, side: 5 }, 5))).toEqual(new Set([128]))
  })

  it('enlarges by linear interpolation between pixel centres', () => {
    const out = sampleCrop(gray(2, 2, (x) => x * 100), { x: 0, y: 0, side: 2 }, 4).slice(4, 8)
    // Row 1 lies inside vertically. Output centres at source x = -0.25, 0.25, 0.75, 1.25 (grey beyond the edges), i.e. 25 % and 75 % of the way in between.
    expect(Array.from(out)).toEqual([Math.floor(0.75 * 0 + 0.25 * 128 + 0.5), 25, 75, Math.floor(0.75 * 100 + 0.25 * 128 + 0.5)])
  })

  it('converts RGB and RGBA with BT.601 weights before resampling', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 9, 0, 0, 255, 255, 255, 255, 255, 0])
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
    const fromRgba = sampleCrop({ width: 2, height: 2, channels: 4, data: rgba }, { x: 0, y: 0, side: 2 }, 2)
    expect(Array.from(fromRgba)).toEqual([76, 150, 29, 255])
    expect(Array.from(sampleCrop({ width: 2, height: 2, channels: 3, data: rgb }, { x: 0, y: 0, side: 2 }, 2))).toEqual(Array.from(fromRgba))
  })

  it('gives the same bytes from only the pixels cropSourceRect names as from the whole frame (the renderer reads back just those)', () => {
    const frame = gray(200, 120, (x, y) => (x * 3 + y * 5 + ((x * y) % 17)) % 256)
    for (const box of [{ x: 37.3, y: 20.6, width: 61.2, height: 70.1 }, { x: 150, y: 60, width: 80, height: 80 }, { x: 2, y: 1, width: 20, height: 15 }]) {
      const crop = squareCrop(box, 200, 120)
      const rect = cropSourceRect(crop, 200, 120)!
      const part = new Uint8Array(rect.width * rect.height)
      for (let y = 0; y < rect.height; y++) part.set(frame.data.subarray((rect.y + y) * 200 + rect.x, (rect.y + y) * 200 + rect.x + rect.width), y * rect.width)
      const fromPart = sampleCrop({ width: rect.width, height: rect.height, channels: 1, data: part, left: rect.x, top: rect.y }, crop, 48)
      expect(Array.from(fromPart)).toEqual(Array.from(cropFace(frame, box, 48)))
    }
    // Enlarging reads one pixel beyond the crop for interpolation; the rect covers it too.
    const small = squareCrop({ x: 50.5, y: 40.5, width: 10, height: 10 }, 200, 120)
    const rect = cropSourceRect(small, 200, 120)!
    expect(rect.x).toBeLessThanOrEqual(Math.floor(small.x) - 1)
    expect(rect.x + rect.width).toBeGreaterThanOrEqual(Math.ceil(small.x + small.side) + 1)
  })

  it('rejects bad sizes and short buffers', () => {
    expect(() => sampleCrop(gray(2, 2, () => 0), { x: 0, y: 0, side: 2 }, 0)).toThrow(RangeError)
    expect(() => sampleCrop({ width: 4, height: 4, channels: 4, data: new Uint8Array(10) }, { x: 0, y: 0, side: 2 }, 2)).toThrow(RangeError)
    expect(() => sampleCrop(gray(2, 2, () => 0), { x: 0, y: 0, side: 0 }, 2)).toThrow(RangeError)
  })
})

describe('card framings', () => {
  const gray = (width: number, height: number, f: (x: number, y: number) => number) => {
    const data = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y)
    return { width, height, channels: 1 as const, data }
  }

  it('moves the square right by shiftX × the longer side', () => {
    const c = squareCrop({ x: 300, y: 200, width: 100, height: 100 }, 1280, 720, { scale: 1, shiftY: 0, shiftX: 0.2 })
    expect(c.x + c.side / 2).toBeCloseTo(370, 10)
  })

  it('resizes without anti-aliasing when the card says bilinear: a fine checkerboard shrunk stays high-contrast', () => {
    // Threefold: area averaging mixes 4 or 5 of 9 dark pixels; bilinear lands on single source pixels.
    const img = gray(48, 48, (x, y) => ((x + y) % 2 === 0 ? 0 : 255))
    const area = sampleCrop(img, { x: 0, y: 0, side: 48 }, 16, 16, { resize: 'area' })
    const bilinear = sampleCrop(img, { x: 0, y: 0, side: 48 }, 16, 16, { resize: 'bilinear' })
    const spread = (a: Uint8Array) => Math.max(...a) - Math.min(...a)
    expect(spread(area)).toBeLessThan(40)
    expect(spread(bilinear)).toBe(255)
  })

  it("pads with the card's pad gray (face-api's black) and rejects one outside 0-255", () => {
    const white = gray(10, 10, () => 255)
    const out = sampleCrop(white, { x: -10, y: 0, side: 20 }, 2, 2, { pad: 0 })
    // Left half and the lower row lie outside the 10x10 frame.
    expect(Array.from(out)).toEqual([0, 255, 0, 0])
    expect(() => sampleCrop(white, { x: 0, y: 0, side: 10 }, 2, 2, { pad: 300 })).toThrow(RangeError)
  })

  it('cropFace cuts with the whole framing: its square, its resize and its pad', () => {
    const img = gray(100, 100, (x) => (x < 50 ? 40 : 200))
    const box = { x: 0, y: 30, width: 40, height: 40 }
    // face-api's framing: a 40 px square on the box itself, reaching past nothing; DEFAULT_FRAMING a 32 px one higher up.
    const faceApi = cropFace(img, box, 4, 4, FACE_API_FRAMING)
    expect(Array.from(faceApi)).toEqual(Array.from(sampleCrop(img, squareCrop(box, 100, 100, FACE_API_FRAMING), 4, 4, { resize: 'bilinear', pad: 0 })))
    // A face filling the frame: the square reaches past it and face-api's framing pads black, ours mid-grey.
    const full = { x: 0, y: 0, width: 100, height: 100 }
    expect(cropFace(gray(100, 100, () => 200), full, 4, 4, { ...FACE_API_FRAMING, scale: 2 })[0]).toBe(0)
    expect(cropFace(gray(100, 100, () => 200), full, 4, 4, { ...DEFAULT_FRAMING, scale: 2 })[0]).toBe(PAD_GRAY)
  })

  it("reads a card's snake_case framing, and DEFAULT_FRAMING for a card without one", () => {
    expect(framingFromCard({ box_scale: 1, box_shift_x: 0, box_shift_y: 0, resize: 'bilinear', pad: 0 })).toEqual(FACE_API_FRAMING)
    expect(framingFromCard(undefined)).toEqual(DEFAULT_FRAMING)
  })
})

describe('wholeImageCrop', () => {
  it('is the image itself when square and centred on the longer side otherwise', () => {
    expect(wholeImageCrop(96, 96)).toEqual({ x: 0, y: 0, side: 96 })
    expect(wholeImageCrop(80, 100)).toEqual({ x: -10, y: 0, side: 100 })
  })
})
