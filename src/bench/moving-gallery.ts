import type * as Tf from '@tensorflow/tfjs'
import type { Box } from '../shared/ipc'
import type { FaceApiNode } from './face-api-node'
import { graySize, luma, type GrayImage } from '../shared/detection/box-follower'
import { FRAME_BYTES } from './frame-bytes'
import { BACKGROUND, GAP, galleryTile, type GalleryLayout, type SourceFace } from './gallery-frames'

/** One frame of a moving gallery: RGB bytes (HxWx3) and where its faces really are. */
export interface MovingFrame {
  rgb: Uint8Array
  width: number
  height: number
  /** Face boxes in frame pixels, one per occupied tile (a tile whose person left has none). */
  faces: Box[]
}

/** The frames and the one person who leaves: their tile, and the frames when they are gone and when someone is back. */
export interface MovingGallery {
  frames: MovingFrame[]
  leaverTile: Box
  goneFrom: number
  backFrom: number
}

/** Frames per second of the synthetic source; a call's camera rate. */
export const MOVING_GALLERY_FPS = 30

/**
 * A call gallery that moves: each person sways and shifts in their tile, turns (the face narrows as
 * a head turning sideways does), and one person leaves for a third of the run and someone else
 * takes the tile. Frames are kept as bytes (a 1080p int32 tensor is 25 MB) and made into tensors
 * when processed. The face boxes come from the source photos' SSD boxes through the same geometry.
 */
export function movingGallery(api: FaceApiNode, faces: readonly SourceFace[], layout: GalleryLayout, count: number): MovingGallery {
  const tf = api.tf
  const tileW = Math.floor(layout.width / layout.cols)
  const tileH = Math.floor(layout.height / layout.rows)
  const tiles = layout.cols * layout.rows
  // The tile whose person leaves, and when they are gone: the middle third of the run.
  const leaver = Math.min(1, tiles - 1)
  const goneFrom = Math.floor(count / 3)
  const backFrom = Math.floor((2 * count) / 3)
  const frames: MovingFrame[] = []
  for (let f = 0; f < count; f++) {
    const truth: Box[] = []
    const pixels = tf.tidy(() => {
      const rows: Tf.Tensor3D[] = []
      for (let r = 0; r < layout.rows; r++) {
        const cells: Tf.Tensor3D[] = []
        for (let c = 0; c < layout.cols; c++) {
          const k = r * layout.cols + c
          if (k === leaver && f >= goneFrom && f < backFrom) {
            cells.push(tf.fill([tileH, tileW, 3], BACKGROUND, 'float32') as Tf.Tensor3D)
            continue
          }
          // After the break, someone else sits in the leaver's tile.
          const person = k === leaver && f >= backFrom ? k + tiles : k
          const face = faces[person % faces.length] as SourceFace
          const [ih, iw] = face.image.shape
          const phase = f / MOVING_GALLERY_FPS + k
          // Turning: up to 25 % narrower; the crop grows sideways and is squeezed into the same width.
          const turn = 1 + 0.25 * Math.abs(Math.sin(phase * 0.9))
          const ch = face.box.height * 1.7
          const cw = face.box.width * 1.35 * turn
          const innerH = tileH - 2 * GAP
          const innerW = Math.min(tileW - 2 * GAP, Math.round((face.box.width * 1.35 * innerH) / ch))
          // Swaying and shifting: up to 8 % of the crop sideways and 5 % up and down.
          const dx = Math.sin(phase * 1.3) * 0.08 * cw
          const dy = Math.cos(phase * 0.7) * 0.05 * ch
          const cx = face.box.x + face.box.width / 2 + dx
          const cy = face.box.y + face.box.height / 2 + 0.08 * ch + dy
          const x0 = cx - cw / 2
          const y0 = cy - ch / 2
          const norm = [[y0 / ih, x0 / iw, (y0 + ch) / ih, (x0 + cw) / iw]]
          cells.push(galleryTile(api, face.image, norm, innerW, innerH, tileW))
          const left = Math.floor((tileW - innerW) / 2)
          const sx = innerW / cw
          const sy = innerH / ch
          truth.push({
            x: c * tileW + left + (face.box.x - x0) * sx,
            y: r * tileH + GAP + (face.box.y - y0) * sy,
            width: face.box.width * sx,
            height: face.box.height * sy
          })
        }
        rows.push(tf.concat(cells, 1))
      }
      const grid = tf.concat(rows, 0)
      const padded = tf.pad(grid, [[0, layout.height - tileH * layout.rows], [0, layout.width - tileW * layout.cols], [0, 0]], BACKGROUND)
      return tf.cast(tf.clipByValue(tf.round(padded), 0, 255), 'int32')
    })
    const rgb = Uint8Array.from(pixels.dataSync())
    pixels.dispose()
    frames.push({ rgb, width: layout.width, height: layout.height, faces: truth })
  }
  const leaverTile = { x: (leaver % layout.cols) * tileW, y: Math.floor(leaver / layout.cols) * tileH, width: tileW, height: tileH }
  return { frames, leaverTile, goneFrom, backFrom }
}

/** The frame as an int32 HxWx3 tensor for face-api; the caller disposes it. */
export function frameTensor(api: FaceApiNode, frame: MovingFrame): Tf.Tensor3D {
  const tensor = api.tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], 'int32')
  FRAME_BYTES.set(tensor, frame)
  return tensor
}

/**
 * The gray copy of a frame the face follower reads (box-follower.ts graySize), sampled from its
 * bytes in one pass: about what the app's downscaled canvas draw and read-back cost.
 */
export function grayOfFrame(frame: Pick<MovingFrame, 'rgb' | 'width' | 'height'>): GrayImage {
  const size = graySize(frame.width, frame.height)
  const data = new Uint8Array(size.width * size.height)
  const { rgb, width } = frame
  for (let y = 0; y < size.height; y++) {
    const sy = Math.min(frame.height - 1, Math.floor((y + 0.5) * size.scale))
    for (let x = 0; x < size.width; x++) {
      const j = (sy * width + Math.min(width - 1, Math.floor((x + 0.5) * size.scale))) * 3
      data[y * size.width + x] = luma(rgb[j] as number, rgb[j + 1] as number, rgb[j + 2] as number)
    }
  }
  return { width: size.width, height: size.height, data, scale: size.scale }
}

/**
 * How many of the true faces some detected box covers: its centre inside the true box and its
 * height within half to twice the true one (TinyFaceDetector's boxes are wider than SSD's, and a
 * turned face narrower, so width says little).
 */
export function facesFound(truth: readonly Box[], detected: readonly Box[]): number {
  let found = 0
  const used = new Set<number>()
  for (const t of truth) {
    const i = detected.findIndex((d, j) => {
      if (used.has(j)) return false
      const cx = d.x + d.width / 2
      const cy = d.y + d.height / 2
      const ratio = d.height / t.height
      return cx >= t.x && cx <= t.x + t.width && cy >= t.y && cy <= t.y + t.height && ratio > 0.5 && ratio < 2
    })
    if (i >= 0) {
      used.add(i)
      found++
    }
  }
  return found
}
