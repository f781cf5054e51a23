/** Test helper: real FER2013 faces from ../shared/datasets/fer2013, as the crops the renderer sends. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decode } from 'jpeg-js'
import type { FaceCrop } from '../../src/shared/ipc'

/** Where CI and developers find the dataset: shared/ beside the repository. */
export const FER_DIR = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'fer2013')

/** Bilinear resize of a gray image, so a model with another input size still gets a fair face. */
function resize(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  if (sw === dw && sh === dh) return src
  const out = new Uint8Array(dw * dh)
  for (let y = 0; y < dh; y++) {
    const fy = Math.max(0, ((y + 0.5) * sh) / dh - 0.5)
    const y0 = Math.min(sh - 1, Math.floor(fy))
    const y1 = Math.min(sh - 1, y0 + 1)
    for (let x = 0; x < dw; x++) {
      const fx = Math.max(0, ((x + 0.5) * sw) / dw - 0.5)
      const x0 = Math.min(sw - 1, Math.floor(fx))
      const x1 = Math.min(sw - 1, x0 + 1)
      const at = (xx: number, yy: number): number => src[yy * sw + xx] as number
      const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * (fx - x0)
      const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * (fx - x0)
      out[y * dw + x] = Math.round(top + (bottom - top) * (fy - y0))
    }
  }
  return out
}

/** The first `count` images (by file name) of one class of one split, as crops of the given size. */
export function ferFaces(split: string, label: string, count: number, size: { width: number; height: number }): FaceCrop[] {
  const dir = join(FER_DIR, split, label)
  if (!existsSync(dir)) throw new Error(`FER2013 images not found at ${dir}`)
  const files = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().slice(0, count)
  return files.map((file, i) => {
    const image = decode(readFileSync(join(dir, file)), { useTArray: true })
    const gray = new Uint8Array(image.width * image.height)
    for (let p = 0; p < gray.length; p++) gray[p] = image.data[p * 4] as number
    return {
      faceId: i,
      box: { x: 0, y: 0, width: image.width, height: image.height },
      width: size.width,
      height: size.height,
      pixels: resize(gray, image.width, image.height, size.width, size.height)
    }
  })
}
