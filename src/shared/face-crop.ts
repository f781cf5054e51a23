/**
 * The one definition of how a face becomes a model input, used by the renderer (live frames), the
 * bench (datasets and photos) and, through its Python port training/face_crop.py, by training:
 * a square around the detector box framed as the model's card says (`framing`: FER2013-style for the
 * models trained on FER2013-like crops, face-api's own box for its FaceExpressionNet), a pad value
 * outside the frame, 8-bit gray, and the card's resampling to its input size. Pure TypeScript over
 * pixel arrays, so Node and the browser compute the same bytes.
 */
/** A detector box in frame pixels (ipc.ts's Box has this shape; declared here so ipc.ts can use the framing types). */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Where the face sits in the square a model is given, in units of the detector box's longer side L:
 * the square's side is `scale` × L and its centre `shiftY` × L below the box's centre (negative: above).
 */
export interface FaceFraming {
  scale: number
  shiftY: number
  /** Centre offset to the right, in units of L (0 when absent). */
  shiftX?: number
  /**
   * 'area' (absent): area averaging when shrinking, bilinear when enlarging (anti-aliased, what our
   * FER2013-style models get); 'bilinear': bilinear between pixel centres at any scale, no
   * anti-aliasing (TF.js resizeBilinear, what face-api feeds FaceExpressionNet).
   */
  resize?: CropResize
  /** The gray outside the frame (PAD_GRAY when absent; face-api pads with black). */
  pad?: number
}

/** How a crop is resampled to the model's input size. */
export type CropResize = 'area' | 'bilinear'

/**
 * The framing of the faces our models learnt from, for TinyFaceDetector boxes. FER2013, muxspace and
 * CK+48 frame a face alike (face-api's 68-point landmarks, medians: eye distance 0.36 of the side,
 * eyes at 0.37-0.38 and mouth at 0.76-0.77 from the top): tight from the brows to the chin. A
 * TinyFaceDetector box reaches below the chin, so that framing is a square of 0.8 L centred 0.1 L
 * above the box's centre (`npm run calibrate:framing` measures both on face-api's demo photos and
 * fits these two numbers: 0.802 L, -0.105 L; no labels are involved). The earlier 1.2 L, centred,
 * showed faces at about 0.7 of their trained size (eye distance 0.26 of the side) with the mouth at
 * 0.61 instead of 0.77.
 */
export const DEFAULT_FRAMING: Readonly<FaceFraming> = { scale: 0.8, shiftY: -0.1, shiftX: 0, resize: 'area', pad: 128 }

/**
 * face-api's own expression crop (@vladmandic/face-api: withFaceExpressions() without landmarks
 * extracts each detection's box as it is, pads it to a square with zeros and resizes it bilinearly to
 * FaceExpressionNet's 112 px): the box's longer side, centred on the box, black outside the frame.
 */
export const FACE_API_FRAMING: Readonly<FaceFraming> = { scale: 1, shiftY: 0, shiftX: 0, resize: 'bilinear', pad: 0 }

/** A model card's `framing` (snake_case, as training writes it). */
export interface CardFraming {
  box_scale: number
  box_shift_x: number
  box_shift_y: number
  resize: CropResize
  pad: number
}

/** The framing a card asks for; DEFAULT_FRAMING for a card that predates the field. */
export function framingFromCard(framing: Readonly<CardFraming> | undefined): FaceFraming {
  if (!framing) return { ...DEFAULT_FRAMING }
  return { scale: framing.box_scale, shiftX: framing.box_shift_x, shiftY: framing.box_shift_y, resize: framing.resize, pad: framing.pad }
}

/** The grey outside the frame: 0 after the usual mean-0.5 normalisation, the least surprising value to a model. */
export const PAD_GRAY = 128

/** A square crop region in source pixels; it may extend past the frame where the face is at an edge. */
export interface SquareCrop {
  x: number
  y: number
  side: number
}

/**
 * The square crop a framing calls for around a detector box. Where the square is no larger than
 * the frame it is shifted inside it, so no padding is needed; where it is larger (a face filling the
 * frame) it stays where the framing puts it and the outside is padded.
 */
export function squareCrop(box: Box, frameWidth: number, frameHeight: number, framing: Readonly<FaceFraming> = DEFAULT_FRAMING): SquareCrop {
  const longer = Math.max(box.width, box.height)
  const side = Math.max(1, longer * framing.scale)
  const cx = box.x + box.width / 2 + (framing.shiftX ?? 0) * longer
  const cy = box.y + box.height / 2 + framing.shiftY * longer
  return { x: fitAxis(cx - side / 2, side, frameWidth), y: fitAxis(cy - side / 2, side, frameHeight), side }
}

function fitAxis(start: number, side: number, limit: number): number {
  if (side > limit) return start
  return Math.min(Math.max(start, 0), limit - side)
}

/** The square a whole image is classified through (a dataset's ready-made face crop): centred, its longer side. */
export function wholeImageCrop(width: number, height: number): SquareCrop {
  const side = Math.max(width, height)
  return { x: (width - side) / 2, y: (height - side) / 2, side }
}

/** The subset of ImageData the conversion reads, so tests need no DOM. */
export interface RgbaImage {
  width: number
  height: number
  data: ArrayLike<number>
}

/**
 * RGBA to 8-bit gray with ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B), the weights PIL's
 * convert('L') uses, so crops match how the training images were made gray. Alpha is ignored.
 */
export function rgbaToGray(image: RgbaImage): Uint8Array {
  const n = image.width * image.height
  if (image.data.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA bytes, got ${image.data.length}`)
  const out = new Uint8Array(n)
  const d = image.data
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = Math.round(0.299 * (d[j] as number) + 0.587 * (d[j + 1] as number) + 0.114 * (d[j + 2] as number))
  }
  return out
}

/**
 * Pixels of (part of) a frame: 1 (gray), 3 (RGB) or 4 (RGBA) interleaved channels, row-major.
 * `left`/`top` place them in a larger frame when only the part a crop needs was read (the renderer
 * reads just that part back from its canvas); pixels of the frame outside them count as outside.
 */
export interface PixelImage {
  width: number
  height: number
  channels: 1 | 3 | 4
  data: ArrayLike<number>
  left?: number
  top?: number
}

/** One output pixel's source weights along one axis: pixels `first`… with `weights`, plus the weight of everything outside the frame. */
interface AxisTaps {
  first: number
  weights: number[]
  outside: number
}

/**
 * Source weights of each of `size` output pixels spanning [start, start + side) of an axis whose
 * pixels [lo, hi) exist. Shrinking (side >= size): each output pixel is the mean of the source over
 * its own cell (area averaging), so a 200 px face shrunk to 48 px does not alias. Enlarging: linear
 * interpolation between pixel centres. Either way weights sum to 1 and whatever falls outside
 * [lo, hi) is mid-grey. training/face_crop.py computes the same weights.
 */
function axisTaps(start: number, side: number, size: number, lo: number, hi: number, resize: CropResize = 'area'): AxisTaps[] {
  const scale = side / size
  const taps: AxisTaps[] = []
  for (let j = 0; j < size; j++) {
    const pairs: [number, number][] = []
    if (scale >= 1 && resize === 'area') {
      const a = start + j * scale
      const b = a + scale
      for (let c = Math.floor(a); c < b; c++) {
        const overlap = Math.min(b, c + 1) - Math.max(a, c)
        if (overlap > 0) pairs.push([c, overlap / scale])
      }
    } else {
      const centre = start + (j + 0.5) * scale - 0.5
      const c0 = Math.floor(centre)
      const t = centre - c0
      pairs.push([c0, 1 - t], [c0 + 1, t])
    }
    let outside = 0
    const inside = pairs.filter(([c, w]) => {
      if (c >= lo && c < hi) return true
      outside += w
      return false
    })
    taps.push({ first: inside[0]?.[0] ?? lo, weights: inside.map(([, w]) => w), outside })
  }
  return taps
}

/** How sampleCrop resamples and pads (a card's framing carries both). */
export interface SampleOptions {
  resize?: CropResize
  pad?: number
}

/**
 * The square `crop` (frame pixels) of `image` resampled to outWidth × outHeight 8-bit gray (row-major):
 * BT.601 gray, area averaging when shrinking (bilinear when enlarging) or plain bilinear, the pad gray
 * (PAD_GRAY unless told) outside the frame, rounded once at the end. The frame is the image itself,
 * placed at (left, top).
 */
export function sampleCrop(image: PixelImage, crop: SquareCrop, outWidth: number, outHeight = outWidth, options: SampleOptions = {}): Uint8Array {
  const pad = options.pad ?? PAD_GRAY
  if (!(pad >= 0 && pad <= 255)) throw new RangeError(`pad must be a gray level 0-255, got ${pad}`)
  const { width, height, channels, data } = image
  for (const n of [outWidth, outHeight]) if (!Number.isInteger(n) || n < 1) throw new RangeError(`crop size must be a positive integer, got ${n}`)
  if (data.length < width * height * channels) throw new RangeError(`expected ${width * height * channels} bytes for ${width}x${height}x${channels}, got ${data.length}`)
  if (!(crop.side > 0) || !Number.isFinite(crop.x) || !Number.isFinite(crop.y)) throw new RangeError('crop must have a finite position and a positive side')
  const left = image.left ?? 0
  const top = image.top ?? 0
  const xs = axisTaps(crop.x, crop.side, outWidth, left, left + width, options.resize)
  const ys = axisTaps(crop.y, crop.side, outHeight, top, top + height, options.resize)
  const gray = (k: number): number =>
    channels === 1 ? (data[k] as number) : 0.299 * (data[k * channels] as number) + 0.587 * (data[k * channels + 1] as number) + 0.114 * (data[k * channels + 2] as number)
  // Horizontal pass over only the rows some output row reads, then the vertical pass.
  const rows = new Map<number, Float64Array>()
  for (const ty of ys) {
    for (let k = 0; k < ty.weights.length; k++) {
      const r = ty.first + k
      if (rows.has(r)) continue
      const line = new Float64Array(outWidth)
      const base = (r - top) * width - left
      for (let j = 0; j < outWidth; j++) {
        const tx = xs[j] as AxisTaps
        let v = pad * tx.outside
        for (let m = 0; m < tx.weights.length; m++) v += (tx.weights[m] as number) * gray(base + tx.first + m)
        line[j] = v
      }
      rows.set(r, line)
    }
  }
  const out = new Uint8Array(outWidth * outHeight)
  for (let i = 0; i < outHeight; i++) {
    const ty = ys[i] as AxisTaps
    for (let j = 0; j < outWidth; j++) {
      let v = pad * ty.outside
      for (let k = 0; k < ty.weights.length; k++) v += (ty.weights[k] as number) * ((rows.get(ty.first + k) as Float64Array)[j] as number)
      out[i * outWidth + j] = Math.min(255, Math.max(0, Math.floor(v + 0.5)))
    }
  }
  return out
}

/** The frame pixels a crop reads ([x0, x1) × [y0, y1), inside the frame), so a caller can read back only those; null when none. */
export function cropSourceRect(crop: SquareCrop, frameWidth: number, frameHeight: number): { x: number; y: number; width: number; height: number } | null {
  // Enlarging interpolates with the next pixel, so one pixel of margin on each side covers both modes.
  const x0 = Math.max(0, Math.floor(crop.x) - 1)
  const y0 = Math.max(0, Math.floor(crop.y) - 1)
  const x1 = Math.min(frameWidth, Math.ceil(crop.x + crop.side) + 1)
  const y1 = Math.min(frameHeight, Math.ceil(crop.y + crop.side) + 1)
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null
}

/** A face as a model input: the square `framing` puts around the detector `box` in a whole frame `image`, resampled to outWidth × outHeight gray. */
export function cropFace(image: PixelImage, box: Box, outWidth: number, outHeight = outWidth, framing: Readonly<FaceFraming> = DEFAULT_FRAMING): Uint8Array {
  return sampleCrop(image, squareCrop(box, image.width, image.height, framing), outWidth, outHeight, framing)
}
