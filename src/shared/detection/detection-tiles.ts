import { iou } from '../box-math'
import type { Box } from '../ipc'
import type { Detection } from './detection-filter'

/**
 * Tiled detection for gallery views. TinyFaceDetector resizes its whole input to `inputSize`
 * (416 px by default), so on a 1920x1080 screen a 5x5 Zoom gallery's 60-100 px faces shrink to
 * 13-22 px, below what the network finds reliably. Detecting on overlapping tiles keeps each face
 * large enough; detections from neighbouring tiles are merged by non-maximum suppression.
 */

/**
 * Face side, in detector-input pixels, that TinyFaceDetector still finds and boxes reliably: in the
 * e2e gallery, 60 px faces at the input were boxed within a few per cent; at about 38 px it missed
 * faces and boxed others half again too large.
 */
export const MIN_FACE_AT_INPUT = 40

/** A tile grid: columns × rows. */
export interface TileGrid {
  cols: number
  rows: number
}

/**
 * The grid that keeps a face of `minFaceSize` frame pixels at least MIN_FACE_AT_INPUT detector
 * pixels tall. Columns and rows are chosen separately, so a wide screen gets wide-enough tiles
 * without cutting its height more than needed; at most 4 × 4.
 */
export function autoGrid(frameWidth: number, frameHeight: number, inputSize: number, minFaceSize: number): TileGrid {
  // Below 24 px a face is too small to classify, so tiling for smaller ones only costs time.
  const face = Math.max(minFaceSize, 24)
  const maxTileSide = (face * inputSize) / MIN_FACE_AT_INPUT
  // A little slack: a tile's overlap margins make it slightly larger than the frame's share anyway.
  const count = (side: number): number => Math.max(1, Math.min(4, Math.ceil(side / maxTileSide - 0.15)))
  return { cols: count(frameWidth), rows: count(frameHeight) }
}

/**
 * A grid of tiles covering the frame, each grown by `overlap` pixels on every inner side so a face
 * cut by one tile's edge is whole in its neighbour. Tiles are whole pixels inside the frame.
 */
export function planTiles(frameWidth: number, frameHeight: number, grid: TileGrid, overlap: number): Box[] {
  const cols = Math.max(1, Math.floor(grid.cols))
  const rows = Math.max(1, Math.floor(grid.rows))
  const tiles: Box[] = []
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const left = Math.max(0, Math.floor((col * frameWidth) / cols - overlap))
      const top = Math.max(0, Math.floor((row * frameHeight) / rows - overlap))
      const right = Math.min(frameWidth, Math.ceil(((col + 1) * frameWidth) / cols + overlap))
      const bottom = Math.min(frameHeight, Math.ceil(((row + 1) * frameHeight) / rows + overlap))
      tiles.push({ x: left, y: top, width: right - left, height: bottom - top })
    }
  }
  return tiles
}

/** Share of the smaller box that the larger covers: catches a face cut by a tile edge inside the whole one. */
function containment(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  return (w * h) / Math.min(a.width * a.height, b.width * b.height)
}

/** Greedy non-maximum suppression: the best-scoring box of each overlapping group survives. */
export function mergeDetections(detections: readonly Detection[], iouThreshold = 0.3, containThreshold = 0.7): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score)
  const kept: Detection[] = []
  for (const d of sorted) {
    if (kept.every((k) => iou(k.box, d.box) < iouThreshold && containment(k.box, d.box) < containThreshold)) kept.push(d)
  }
  return kept
}

/** Moves a tile's detections into frame coordinates. */
export function offsetDetections(detections: readonly Detection[], tile: Box): Detection[] {
  return detections.map((d) => ({ score: d.score, box: { ...d.box, x: d.box.x + tile.x, y: d.box.y + tile.y } }))
}

/**
 * Drops a tile's detections that touch one of its inner edges (edges shared with a neighbour, not
 * the frame's): such a box is a face cut by the tile, and the overlap shows that face whole in the
 * neighbouring tile. Boxes larger than the overlap are kept, since no tile can show those whole.
 */
export function dropCutFaces(detections: readonly Detection[], tile: Box, frameWidth: number, frameHeight: number, overlap: number, margin = 2): Detection[] {
  const innerLeft = tile.x > 0
  const innerTop = tile.y > 0
  const innerRight = tile.x + tile.width < frameWidth
  const innerBottom = tile.y + tile.height < frameHeight
  return detections.filter((d) => {
    if (d.box.width > 2 * overlap || d.box.height > 2 * overlap) return true
    const cut =
      (innerLeft && d.box.x <= margin) ||
      (innerTop && d.box.y <= margin) ||
      (innerRight && d.box.x + d.box.width >= tile.width - margin) ||
      (innerBottom && d.box.y + d.box.height >= tile.height - margin)
    return !cut
  })
}
