import type { GrayImage } from '../../../src/shared/detection/box-follower'
import type { Box } from '../../../src/shared/ipc'

/** A face's texture: smooth random gray values over the unit square (a 12x12 grid, bilinear between). */
export type Texture = (u: number, v: number) => number

/** A non-periodic texture from a seed, so a shifted copy matches itself in one place only. */
export function texturedFace(seed: number): Texture {
  let state = seed * 9301 + 49297
  const random = (): number => {
    state = (state * 233280 + 12345) % 2147483647
    return (state % 1000) / 1000
  }
  const n = 12
  const grid = Array.from({ length: (n + 1) * (n + 1) }, () => 60 + 150 * random())
  return (u, v) => {
    const x = Math.min(Math.max(u, 0), 1) * n
    const y = Math.min(Math.max(v, 0), 1) * n
    const xi = Math.min(Math.floor(x), n - 1)
    const yi = Math.min(Math.floor(y), n - 1)
    const fx = x - xi
    const fy = y - yi
    const at = (c: number, r: number): number => grid[r * (n + 1) + c] as number
    return (at(xi, yi) * (1 - fx) + at(xi + 1, yi) * fx) * (1 - fy) + (at(xi, yi + 1) * (1 - fx) + at(xi + 1, yi + 1) * fx) * fy
  }
}

/**
 * A gray frame of `width` x `height` frame pixels, stored at 1/`scale`: a flat dark background with
 * each face's texture painted over its box (sub-pixel positions area-sampled, as a camera would).
 */
export function paintScene(width: number, height: number, faces: readonly { box: Box; texture: Texture }[], scale = 1): GrayImage {
  const w = Math.round(width / scale)
  const h = Math.round(height / scale)
  const data = new Uint8Array(w * h).fill(40)
  for (const { box, texture } of faces) {
    for (let y = Math.max(0, Math.floor(box.y / scale)); y < Math.min(h, Math.ceil((box.y + box.height) / scale)); y++) {
      for (let x = Math.max(0, Math.floor(box.x / scale)); x < Math.min(w, Math.ceil((box.x + box.width) / scale)); x++) {
        // 2x2 samples inside the pixel, each inside or outside the face.
        let sum = 0
        for (const oy of [0.25, 0.75]) {
          for (const ox of [0.25, 0.75]) {
            const u = ((x + ox) * scale - box.x) / box.width
            const v = ((y + oy) * scale - box.y) / box.height
            sum += u >= 0 && u < 1 && v >= 0 && v < 1 ? texture(u, v) : 40
          }
        }
        data[y * w + x] = Math.round(sum / 4)
      }
    }
  }
  return { width: w, height: h, data, scale }
}
