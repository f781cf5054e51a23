import type { Box } from '../../../shared/ipc'

/**
 * FER2013 faces are tightly framed: roughly the detector's face box grown by 10-20 % and squared,
 * with the face centred. 1.2 × the longer side reproduces that framing for TinyFaceDetector boxes,
 * which run from the brows to the chin.
 */
export const DEFAULT_CROP_SCALE = 1.2

/** A square crop region in source pixels; it may extend past the frame where the face is at an edge. */
export interface SquareCrop {
  x: number
  y: number
  side: number
}

/**
 * The square crop FER2013 framing calls for: centred on the box, side = scale × longer side.
 * Where the square is no larger than the frame it is shifted inside it, so no padding is needed;
 * where it is larger (a face filling the frame) it stays centred and the outside is padded.
 */
export function squareCrop(box: Box, frameWidth: number, frameHeight: number, scale = DEFAULT_CROP_SCALE): SquareCrop {
  const side = Math.max(1, Math.max(box.width, box.height) * scale)
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  return { x: fitAxis(cx - side / 2, side, frameWidth), y: fitAxis(cy - side / 2, side, frameHeight), side }
}

function fitAxis(start: number, side: number, limit: number): number {
  if (side > limit) return start
  return Math.min(Math.max(start, 0), limit - side)
}

/**
 * Arguments for ctx.drawImage(src, sx, sy, sw, sh, dx, dy, dw, dh) that scale `crop` onto an
 * outWidth × outHeight canvas, drawing only the part inside the frame; the rest of the canvas
 * keeps its fill (padding). Null when the crop does not touch the frame at all.
 */
export interface DrawPlan {
  sx: number
  sy: number
  sw: number
  sh: number
  dx: number
  dy: number
  dw: number
  dh: number
}

/** Source and destination rectangles for drawing `crop` of a frame onto an output canvas. */
export function cropDrawPlan(crop: SquareCrop, frameWidth: number, frameHeight: number, outWidth: number, outHeight: number): DrawPlan | null {
  const sx = Math.max(0, crop.x)
  const sy = Math.max(0, crop.y)
  const ex = Math.min(frameWidth, crop.x + crop.side)
  const ey = Math.min(frameHeight, crop.y + crop.side)
  if (ex <= sx || ey <= sy) return null
  const kx = outWidth / crop.side
  const ky = outHeight / crop.side
  return {
    sx,
    sy,
    sw: ex - sx,
    sh: ey - sy,
    dx: (sx - crop.x) * kx,
    dy: (sy - crop.y) * ky,
    dw: (ex - sx) * kx,
    dh: (ey - sy) * ky
  }
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
    const r = d[j]
    const g = d[j + 1]
    const b = d[j + 2]
    // Never true after the length check above; it keeps this file typed under noUncheckedIndexedAccess
    // (main's tsconfig), which applies whenever main's imports reach src/bench code that uses it.
    if (r === undefined || g === undefined || b === undefined) throw new RangeError(`RGBA data ends before byte ${j + 2}`)
    out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
  }
  return out
}
