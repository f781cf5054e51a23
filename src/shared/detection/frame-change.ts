import type { Box } from '../ipc'
import type { GrayImage } from './box-follower'

/**
 * Where the picture changed away from the faces already followed. A new face can only appear where
 * the picture changes, so while nothing does a full scan can wait, and where something does, the
 * detector can look there alone (a region a little larger than the change) instead of scanning the
 * whole frame: on a 5x5 gallery at 1920x1080 a full scan costs six 416 px tiles and the whole frame,
 * a look at one person's tile one pass at about 224 px.
 *
 * The picture is compared in cells of CHANGE_CELL gray pixels (the follower's gray copy, box-follower.ts):
 * a cell changed when its mean absolute difference exceeds CHANGE_THRESHOLD. Cells whose centre lies
 * within a followed face's box grown by FACE_MARGIN are not looked at: that face's own movement
 * (hair, shoulders, a turn) changes them.
 */

/** Side of the cells whose mean change decides whether a part of the frame changed, in gray pixels. */
export const CHANGE_CELL = 16
/** Mean absolute change of a cell, in grey levels, above which it counts as changed (noise and compression stay below). */
export const CHANGE_THRESHOLD = 8
/**
 * How far around a followed face its own movement reaches, as a share of its box's side. Half a
 * side: a gallery tile's neighbours sit a face or so apart, so a wider margin would hide the tile
 * where a newcomer sits down behind the faces next to it.
 */
export const FACE_MARGIN = 0.5

/** The cells that changed between `reference` and `current` away from `faces`: a cols x rows grid of flags. */
interface ChangeGrid {
  cols: number
  rows: number
  changed: Uint8Array
}

function changeGrid(reference: GrayImage, current: GrayImage, faces: readonly Box[], firstOnly: boolean): ChangeGrid {
  const { width, height, scale } = current
  const cols = Math.ceil(width / CHANGE_CELL)
  const rows = Math.ceil(height / CHANGE_CELL)
  const changed = new Uint8Array(cols * rows)
  const grown = faces.map((b) => {
    const m = FACE_MARGIN * Math.max(b.width, b.height)
    return { x0: (b.x - m) / scale, y0: (b.y - m) / scale, x1: (b.x + b.width + m) / scale, y1: (b.y + b.height + m) / scale }
  })
  const a = reference.data
  const b = current.data
  for (let row = 0; row < rows; row++) {
    const cy = row * CHANGE_CELL
    const y1 = Math.min(height, cy + CHANGE_CELL)
    const my = (cy + y1) / 2
    for (let col = 0; col < cols; col++) {
      const cx = col * CHANGE_CELL
      const x1 = Math.min(width, cx + CHANGE_CELL)
      const mx = (cx + x1) / 2
      if (grown.some((g) => mx >= g.x0 && mx <= g.x1 && my >= g.y0 && my <= g.y1)) continue
      let diff = 0
      for (let y = cy; y < y1; y++) {
        const line = y * width
        for (let x = cx; x < x1; x++) diff += Math.abs((a[line + x] as number) - (b[line + x] as number))
      }
      if (diff > CHANGE_THRESHOLD * (y1 - cy) * (x1 - cx)) {
        changed[row * cols + col] = 1
        if (firstOnly) return { cols, rows, changed }
      }
    }
  }
  return { cols, rows, changed }
}

/**
 * Whether anything changed between `reference` and `current` (gray copies of the same frame size)
 * away from the followed faces. A different size counts as a change.
 */
export function changedOutside(reference: GrayImage, current: GrayImage, faces: readonly Box[]): boolean {
  if (reference.width !== current.width || reference.height !== current.height) return true
  return changeGrid(reference, current, faces, true).changed.includes(1)
}

/**
 * The largest change away from the followed faces, as the bounding box in frame pixels of the
 * largest group of touching changed cells (8-connected); null when nothing changed or the sizes differ.
 */
export function changedRegion(reference: GrayImage, current: GrayImage, faces: readonly Box[]): Box | null {
  if (reference.width !== current.width || reference.height !== current.height) return null
  const { cols, rows, changed } = changeGrid(reference, current, faces, false)
  const seen = new Uint8Array(cols * rows)
  let best: { cells: number; c0: number; r0: number; c1: number; r1: number } | null = null
  const stack: number[] = []
  for (let start = 0; start < changed.length; start++) {
    if (!changed[start] || seen[start]) continue
    const group = { cells: 0, c0: cols, r0: rows, c1: -1, r1: -1 }
    seen[start] = 1
    stack.push(start)
    while (stack.length > 0) {
      const k = stack.pop() as number
      const r = Math.floor(k / cols)
      const c = k - r * cols
      group.cells++
      group.c0 = Math.min(group.c0, c)
      group.c1 = Math.max(group.c1, c)
      group.r0 = Math.min(group.r0, r)
      group.r1 = Math.max(group.r1, r)
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr
          const cc = c + dc
          if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue
          const j = rr * cols + cc
          if (changed[j] && !seen[j]) {
            seen[j] = 1
            stack.push(j)
          }
        }
      }
    }
    if (!best || group.cells > best.cells) best = group
  }
  if (!best) return null
  const { width, height, scale } = current
  const x0 = best.c0 * CHANGE_CELL
  const y0 = best.r0 * CHANGE_CELL
  const x1 = Math.min(width, (best.c1 + 1) * CHANGE_CELL)
  const y1 = Math.min(height, (best.r1 + 1) * CHANGE_CELL)
  return { x: x0 * scale, y: y0 * scale, width: (x1 - x0) * scale, height: (y1 - y0) * scale }
}

/**
 * `reference` with the part under `region` (frame pixels) taken from `current`: the picture as the
 * detector has now seen it, so a change it looked at is not looked at again. A new image; the
 * inputs are left as they were.
 */
export function refreshedReference(reference: GrayImage, current: GrayImage, region: Box): GrayImage {
  if (reference.width !== current.width || reference.height !== current.height) return current
  const { width, height, scale } = current
  const data = new Uint8Array(reference.data)
  const x0 = Math.max(0, Math.floor(region.x / scale))
  const y0 = Math.max(0, Math.floor(region.y / scale))
  const x1 = Math.min(width, Math.ceil((region.x + region.width) / scale))
  const y1 = Math.min(height, Math.ceil((region.y + region.height) / scale))
  for (let y = y0; y < y1; y++) data.set(current.data.subarray(y * width + x0, y * width + x1), y * width + x0)
  return { width, height, scale, data }
}
