import type { Box } from './ipc'

/** Intersection over union of two boxes; 0 when they do not overlap or either is empty. */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
  const inter = ix * iy
  const union = a.width * a.height + b.width * b.height - inter
  return union > 0 ? inter / union : 0
}

/** Index of the largest value (the first one on ties); -1 for an empty vector. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1
  for (let i = 0; i < values.length; i++) if (best < 0 || (values[i] as number) > (values[best] as number)) best = i
  return best
}

/**
 * A square of `side` pixels centred at (cx, cy), no larger than the frame's shorter side and shifted
 * inward so it stays inside a `width` x `height` frame at its size; whole pixels.
 */
export function squareWithin(cx: number, cy: number, side: number, width: number, height: number): Box {
  const s = Math.min(side, width, height)
  const x = Math.round(Math.min(Math.max(0, cx - s / 2), width - s))
  const y = Math.round(Math.min(Math.max(0, cy - s / 2), height - s))
  return { x, y, width: Math.round(s), height: Math.round(s) }
}
