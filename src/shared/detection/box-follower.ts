import type { Box } from '../ipc'

/**
 * Following a face from one frame to the next without the detector: the face's pixels in the last
 * frame (a small gray template) are looked for around the same place in the new frame by normalised
 * cross-correlation, and the box moves by the best shift. A few hundred thousand multiply-adds a
 * face (well under a millisecond), against several milliseconds for a detector search, so every
 * frame gets fresh boxes while the detector confirms each face only now and then. The detector
 * stays the authority on where faces are and whether they are there; this only carries a box
 * between its looks, and says when it is unsure (a face turned, left or was covered), so the
 * detector looks there first.
 */

/** A frame in gray, downscaled: `scale` frame pixels per gray pixel (≥ 1). */
export interface GrayImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
  scale: number
}

/** Template side, in samples. */
export const FOLLOW_PATCH = 24
/** Farthest shift looked at, in samples each way: a quarter of the face per frame. */
export const FOLLOW_REACH = 6
/** Share of the box's side the template covers (its centre: less background at the edges). */
const TEMPLATE_SHARE = 0.8

/** A face's template: its samples (zero mean, unit norm) and the pitch they were taken at. */
export interface FaceTemplate {
  samples: Float32Array
  /** Frame pixels between two samples. */
  pitch: number
}

/** Longest side of the gray frame the follower needs (a 1920x1080 frame is read at half size). */
export const FOLLOW_MAX_SIDE = 960

/** Size of the gray copy of a `width` x `height` frame: no side above FOLLOW_MAX_SIDE, never enlarged. */
export function graySize(width: number, height: number): { width: number; height: number; scale: number } {
  const scale = Math.max(1, Math.max(width, height) / FOLLOW_MAX_SIDE)
  return { width: Math.max(1, Math.round(width / scale)), height: Math.max(1, Math.round(height / scale)), scale }
}

/** The gray level of an RGB pixel: BT.601 weights in integer maths, the channel the templates are cut from. */
export function luma(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b) >> 8
}

/** RGBA pixels to gray (luma). */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, scale: number): GrayImage {
  const data = new Uint8Array(width * height)
  for (let i = 0, j = 0; i < data.length; i++, j += 4) data[i] = luma(rgba[j] as number, rgba[j + 1] as number, rgba[j + 2] as number)
  return { width, height, data, scale }
}

/**
 * `side` x `side` samples centred at (cx, cy) in frame pixels, `pitch` frame pixels apart,
 * bilinear from the gray image (clamped at its edges).
 */
export function samplePatch(image: GrayImage, cx: number, cy: number, pitch: number, side: number): Float32Array {
  const out = new Float32Array(side * side)
  const { width, height, data, scale } = image
  const step = pitch / scale
  const x0 = cx / scale - ((side - 1) / 2) * step - 0.5
  const y0 = cy / scale - ((side - 1) / 2) * step - 0.5
  for (let r = 0; r < side; r++) {
    const y = Math.min(Math.max(y0 + r * step, 0), height - 1)
    const yi = Math.min(Math.floor(y), height - 2 < 0 ? 0 : height - 2)
    const fy = height > 1 ? y - yi : 0
    const row0 = yi * width
    const row1 = height > 1 ? row0 + width : row0
    for (let c = 0; c < side; c++) {
      const x = Math.min(Math.max(x0 + c * step, 0), width - 1)
      const xi = Math.min(Math.floor(x), width - 2 < 0 ? 0 : width - 2)
      const fx = width > 1 ? x - xi : 0
      const xj = width > 1 ? xi + 1 : xi
      const top = (data[row0 + xi] as number) * (1 - fx) + (data[row0 + xj] as number) * fx
      const bottom = (data[row1 + xi] as number) * (1 - fx) + (data[row1 + xj] as number) * fx
      out[r * side + c] = top * (1 - fy) + bottom * fy
    }
  }
  return out
}

/** Zero mean, unit norm; null for a flat patch (nothing to follow). */
function normalise(samples: Float32Array): Float32Array | null {
  let sum = 0
  for (const v of samples) sum += v
  const mean = sum / samples.length
  let energy = 0
  const out = new Float32Array(samples.length)
  for (let i = 0; i < samples.length; i++) {
    const d = (samples[i] as number) - mean
    out[i] = d
    energy += d * d
  }
  // Below about 2 grey levels of spread the patch is flat: any shift would match.
  if (energy < samples.length * 4) return null
  const norm = Math.sqrt(energy)
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm
  return out
}

/** The template of the face in `box` of `image`; null where the patch is flat. */
export function faceTemplate(image: GrayImage, box: Box): FaceTemplate | null {
  const pitch = (TEMPLATE_SHARE * Math.max(box.width, box.height)) / FOLLOW_PATCH
  const samples = normalise(samplePatch(image, box.x + box.width / 2, box.y + box.height / 2, pitch, FOLLOW_PATCH))
  return samples ? { samples, pitch } : null
}

/** Where a template was found: the box's shift in frame pixels and how well it matched (NCC, -1 to 1). */
export interface FollowResult {
  dx: number
  dy: number
  score: number
}

/**
 * Looks for `template` (cut around `box` in the previous frame) in `image`, within FOLLOW_REACH
 * samples each way of the box's centre. The best integer shift is refined to a fraction of a
 * sample by fitting a parabola through it and its neighbours.
 */
export function followBox(image: GrayImage, box: Box, template: FaceTemplate): FollowResult {
  const T = FOLLOW_PATCH
  const R = FOLLOW_REACH
  const S = T + 2 * R
  const search = samplePatch(image, box.x + box.width / 2, box.y + box.height / 2, template.pitch, S)
  // Integral images of the search patch and its square, for each window's mean and spread in O(1).
  const W = S + 1
  const sum = new Float64Array(W * W)
  const sq = new Float64Array(W * W)
  for (let r = 0; r < S; r++) {
    let rowSum = 0
    let rowSq = 0
    for (let c = 0; c < S; c++) {
      const v = search[r * S + c] as number
      rowSum += v
      rowSq += v * v
      sum[(r + 1) * W + c + 1] = (sum[r * W + c + 1] as number) + rowSum
      sq[(r + 1) * W + c + 1] = (sq[r * W + c + 1] as number) + rowSq
    }
  }
  const n = T * T
  const t = template.samples
  const side = 2 * R + 1
  // NaN: not scored yet; -1: a flat window, never a match.
  const scores = new Float32Array(side * side).fill(Number.NaN)
  const scoreAt = (oy: number, ox: number): number => {
    const cached = scores[oy * side + ox] as number
    if (!Number.isNaN(cached)) return cached
    const a = oy * W + ox
    const b = oy * W + ox + T
    const c = (oy + T) * W + ox
    const d = (oy + T) * W + ox + T
    const s = (sum[d] as number) - (sum[b] as number) - (sum[c] as number) + (sum[a] as number)
    const s2 = (sq[d] as number) - (sq[b] as number) - (sq[c] as number) + (sq[a] as number)
    const variance = s2 - (s * s) / n
    let score = -1
    if (variance >= n * 4) {
      // The template has zero mean, so the window's mean drops out of the dot product.
      let dot = 0
      for (let r = 0; r < T; r++) {
        const so = (oy + r) * S + ox
        const to = r * T
        for (let k = 0; k < T; k++) dot += (t[to + k] as number) * (search[so + k] as number)
      }
      score = dot / Math.sqrt(variance)
    }
    scores[oy * side + ox] = score
    return score
  }
  let best = -2
  let bestR = R
  let bestC = R
  const consider = (oy: number, ox: number): boolean => {
    if (oy < 0 || ox < 0 || oy >= side || ox >= side) return false
    const score = scoreAt(oy, ox)
    if (score <= -1) return false
    // Ties go to the smaller shift: a still face stays put.
    if (score > best + 1e-6 || (Math.abs(score - best) <= 1e-6 && Math.abs(oy - R) + Math.abs(ox - R) < Math.abs(bestR - R) + Math.abs(bestC - R))) {
      best = score
      bestR = oy
      bestC = ox
      return true
    }
    return false
  }
  // Coarse to fine: every other shift first (a face's match peak is wider than two samples), then
  // up the slope one sample at a time until no neighbour is better; about a third of the dot
  // products of trying every shift.
  for (let oy = 0; oy < side; oy += 2) for (let ox = 0; ox < side; ox += 2) consider(oy, ox)
  for (let moved = best > -2, steps = 0; moved && steps < side * side; steps++) {
    moved = false
    const r0 = bestR
    const c0 = bestC
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx !== 0 || dy !== 0) moved = consider(r0 + dy, c0 + dx) || moved
  }
  if (best < -1) return { dx: 0, dy: 0, score: -1 }
  const refine = (minus: number, centre: number, plus: number): number => {
    const curvature = minus - 2 * centre + plus
    return curvature < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (minus - plus)) / curvature)) : 0
  }
  const at = (r: number, c: number): number => (r < 0 || c < 0 || r >= side || c >= side ? best : scoreAt(r, c))
  const fy = refine(at(bestR - 1, bestC), best, at(bestR + 1, bestC))
  const fx = refine(at(bestR, bestC - 1), best, at(bestR, bestC + 1))
  return { dx: (bestC - R + fx) * template.pitch, dy: (bestR - R + fy) * template.pitch, score: best }
}
