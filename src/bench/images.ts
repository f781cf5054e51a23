import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { rgbaToGray } from '../shared/face-crop'

/** A decoded image: RGBA bytes, row-major, as canvas ImageData holds them. */
export interface RgbaBitmap {
  width: number
  height: number
  data: Uint8Array
}

/** A single-channel 8-bit image, row-major. */
export interface GrayBitmap {
  width: number
  height: number
  pixels: Uint8Array
}

/** File extensions the bench reads as images. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png'])

// Pure-JS decoders keep the bench free of native image libraries; FER2013's 48x48 JPEGs decode in
// well under a millisecond. Limits guard against a stray huge file in a --detect folder.
const MAX_PIXELS = 50_000_000

/** Decodes a JPEG or PNG file (by extension) to RGBA. */
export async function readRgba(path: string): Promise<RgbaBitmap> {
  const bytes = await readFile(path)
  const ext = extname(path).toLowerCase()
  if (ext === '.png') {
    const png = PNG.sync.read(bytes)
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) }
  }
  if (ext === '.jpg' || ext === '.jpeg') {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 })
    return { width: img.width, height: img.height, data: img.data }
  }
  throw new Error(`${path}: not a .jpg, .jpeg or .png image`)
}

/** Decodes an image to 8-bit gray with the same BT.601 weights as the app's renderer (PIL's convert('L')). */
export async function readGray(path: string): Promise<GrayBitmap> {
  const rgba = await readRgba(path)
  return { width: rgba.width, height: rgba.height, pixels: rgbaToGray(rgba) }
}

/**
 * Bilinear resize of a gray image with half-pixel centres, as PIL's BILINEAR does when enlarging
 * (training/data resizes off-size images that way). Returns the input unchanged when sizes match.
 */
export function resizeGray(src: GrayBitmap, width: number, height: number): GrayBitmap {
  if (src.width === width && src.height === height) return src
  const out = new Uint8Array(width * height)
  const sx = src.width / width
  const sy = src.height / height
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1)
    const y0 = Math.floor(fy)
    const y1 = Math.min(y0 + 1, src.height - 1)
    const wy = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1)
      const x0 = Math.floor(fx)
      const x1 = Math.min(x0 + 1, src.width - 1)
      const wx = fx - x0
      const p = src.pixels
      const top = (p[y0 * src.width + x0] as number) * (1 - wx) + (p[y0 * src.width + x1] as number) * wx
      const bottom = (p[y1 * src.width + x0] as number) * (1 - wx) + (p[y1 * src.width + x1] as number) * wx
      out[y * width + x] = Math.round(top * (1 - wy) + bottom * wy)
    }
  }
  return { width, height, pixels: out }
}
