import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type * as Tf from '@tensorflow/tfjs'
import type { Box } from '../shared/ipc'
import { cropSourceRect, sampleCrop, squareCrop, type FaceFraming, type SampleOptions, type SquareCrop } from '../shared/face-crop'
import { DEMO_PHOTO, faceApiAssets } from './face-api-assets'
import { FRAME_BYTES } from './frame-bytes'
import type { FaceApiNode } from './face-api-node'
import { readRgba } from './images'

type Tensor3D = Tf.Tensor3D

/** A face in one of face-api's demo photos, found once with SSD MobileNetV1 (its most accurate detector). */
export interface SourceFace {
  image: Tensor3D
  box: Box
}

/** face-api's demo photos (demo/sample*.jpg in its npm package): real people, several per photo. */
export async function demoPhotoPaths(): Promise<string[]> {
  const dir = faceApiAssets().demoDir
  return (await readdir(dir))
    .filter((f) => DEMO_PHOTO.test(f))
    .sort()
    .map((f) => join(dir, f))
}

/** Decodes the demo photos and finds their faces; the caller disposes the returned images. */
export async function loadSourceFaces(api: FaceApiNode): Promise<{ faces: SourceFace[]; images: Tensor3D[] }> {
  const images: Tensor3D[] = []
  const faces: SourceFace[] = []
  for (const path of await demoPhotoPaths()) {
    const image = api.imageTensor(await readRgba(path))
    images.push(image)
    for (const d of await api.detect(image, 'ssd')) faces.push({ image, box: d.box })
  }
  if (faces.length === 0) throw new Error('no faces found in face-api demo photos')
  return { faces, images }
}

/** Layout of a synthetic call gallery. */
export interface GalleryLayout {
  cols: number
  rows: number
  width: number
  height: number
}

/** The 3x3 gallery of a 1280x720 call window. */
export const GALLERY_3X3: GalleryLayout = { cols: 3, rows: 3, width: 1280, height: 720 }

// A dark call-app background between tiles, so tiles do not touch as in Zoom's gallery.
export const GAP = 4
export const BACKGROUND = 24

/**
 * One gallery tile: the part of a face photo at `norm` ([y0, x0, y1, x1] as shares of the photo)
 * resized to innerW x innerH, centred across a tile `tileW` wide on the call's background, GAP above
 * and below. Float; inside the caller's tidy.
 */
export function galleryTile(api: FaceApiNode, image: Tensor3D, norm: number[][], innerW: number, innerH: number, tileW: number): Tf.Tensor3D {
  const tf = api.tf
  const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as Tf.Tensor4D
  const tile = tf.image.cropAndResize(batch, tf.tensor2d(norm), tf.tensor1d([0], 'int32'), [innerH, innerW], 'bilinear', BACKGROUND)
  const left = Math.floor((tileW - innerW) / 2)
  return tf.pad(tf.squeeze(tile, [0]) as Tf.Tensor3D, [[GAP, GAP], [left, tileW - innerW - left], [0, 0]], BACKGROUND)
}

/**
 * Frames of a synthetic video call gallery: tile k shows source face k (cycling), framed as a
 * webcam portrait, and drifts a few pixels from frame to frame like a live picture.
 * Returns int32 HxWx3 tensors; the caller disposes them.
 */
export function galleryFrames(api: FaceApiNode, faces: readonly SourceFace[], layout: GalleryLayout, count: number): Tensor3D[] {
  const tf = api.tf
  const tileW = Math.floor(layout.width / layout.cols)
  const tileH = Math.floor(layout.height / layout.rows)
  const frames: Tensor3D[] = []
  for (let f = 0; f < count; f++) {
    frames.push(
      tf.tidy(() => {
        const rows: Tf.Tensor3D[] = []
        for (let r = 0; r < layout.rows; r++) {
          const tiles: Tf.Tensor3D[] = []
          for (let c = 0; c < layout.cols; c++) {
            const k = r * layout.cols + c
            const face = faces[k % faces.length] as SourceFace
            const [ih, iw] = face.image.shape
            // A webcam-like portrait: head and a little shoulder, no neighbour from the group photo;
            // centred in its tile on the call's background, as a gallery shows a portrait camera.
            const ch = face.box.height * 1.7
            const cw = face.box.width * 1.35
            const innerH = tileH - 2 * GAP
            const innerW = Math.min(tileW - 2 * GAP, Math.round((cw * innerH) / ch))
            const drift = Math.sin(f / 3 + k) * 0.03 * ch
            const cx = face.box.x + face.box.width / 2 + drift
            const cy = face.box.y + face.box.height / 2 + 0.08 * ch - drift / 2
            const norm = [[(cy - ch / 2) / ih, (cx - cw / 2) / iw, (cy + ch / 2) / ih, (cx + cw / 2) / iw]]
            tiles.push(galleryTile(api, face.image, norm, innerW, innerH, tileW))
          }
          rows.push(tf.concat(tiles, 1))
        }
        const grid = tf.concat(rows, 0)
        const padded = tf.pad(grid, [[0, layout.height - tileH * layout.rows], [0, layout.width - tileW * layout.cols], [0, 0]], BACKGROUND)
        return tf.cast(tf.round(padded), 'int32') as Tensor3D
      })
    )
  }
  return frames
}

/** A frame scaled to another size (for detection timing at 640x360 from a 1280x720 gallery). */
export function resizeFrame(api: FaceApiNode, frame: Tensor3D, width: number, height: number): Tensor3D {
  const tf = api.tf
  return tf.tidy(() => tf.cast(tf.round(tf.image.resizeBilinear(frame, [height, width])), 'int32') as Tensor3D)
}

/**
 * Square crops of a frame resized to width x height gray by the shared crop code (src/shared/face-crop.ts),
 * the same maths the app's renderer runs: area-averaged shrinking, mid-grey outside the frame. A frame
 * made from bytes (FRAME_BYTES) is cropped from them, as the app crops its canvas; any other has only
 * the pixels each crop covers read back from the tensor (far slower through TF.js: the same bytes).
 */
export function grayCrops(
  api: FaceApiNode,
  frame: Tensor3D,
  crops: readonly SquareCrop[],
  width: number,
  height: number,
  options: SampleOptions = {}
): Uint8Array[] {
  const [fh, fw] = frame.shape
  const bytes = FRAME_BYTES.get(frame)
  if (bytes) return crops.map((crop) => sampleCrop({ width: bytes.width, height: bytes.height, channels: 3, data: bytes.rgb }, crop, width, height, options))
  return crops.map((crop) => {
    const rect = cropSourceRect(crop, fw, fh)
    if (!rect) return sampleCrop({ width: 0, height: 0, channels: 1, data: [] }, crop, width, height, options)
    const part = api.tf.tidy(() => api.tf.slice(frame, [rect.y, rect.x, 0], [rect.height, rect.width, 3]))
    const data = part.dataSync()
    part.dispose()
    return sampleCrop({ width: rect.width, height: rect.height, channels: 3, data, left: rect.x, top: rect.y }, crop, width, height, options)
  })
}

/** A model's input crops of detector boxes, cut as its card says (framing, resize, pad, input size), as the renderer cuts them. */
export function modelCrops(
  api: FaceApiNode,
  frame: Tensor3D,
  boxes: readonly Box[],
  model: { framing: Readonly<FaceFraming>; input: { width: number; height: number } }
): Uint8Array[] {
  const [fh, fw] = frame.shape
  const crops = boxes.map((b) => squareCrop(b, fw, fh, model.framing))
  return grayCrops(api, frame, crops, model.input.width, model.input.height, model.framing)
}

/** RGB crops of detector boxes resized to a square side (face-api's own expression input). */
export function rgbCrops(api: FaceApiNode, frame: Tensor3D, boxes: readonly Box[], side: number): Tensor3D[] {
  const tf = api.tf
  const [fh, fw] = frame.shape
  return boxes.map((b) =>
    tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(frame, 'float32'), 0) as Tf.Tensor4D
      const norm = tf.tensor2d([[b.y / fh, b.x / fw, (b.y + b.height) / fh, (b.x + b.width) / fw]])
      return tf.squeeze(tf.image.cropAndResize(batch, norm, tf.tensor1d([0], 'int32'), [side, side], 'bilinear', 0), [0]) as Tensor3D
    })
  )
}
