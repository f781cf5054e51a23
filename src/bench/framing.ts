/**
 * Where faces sit in the squares our models see, measured with face-api's 68-point landmark net, and
 * the app's crop framing fitted to the training sets from it. No labels are read: a training image
 * and an app crop are compared only by where the eyes and the mouth are.
 *
 * - `landmarkGeometry` / `medianGeometry`: where the eyes and the mouth sit in a square face image, and
 *   the medians over many (ready-made face crops such as FER2013's, each image whole).
 * - `appCropGeometry` / `geometryInBox`: the same points for faces TinyFaceDetector finds in photos,
 *   in the app's crops at a given framing and in detector-box units (offsets from the box centre over
 *   its longer side).
 * - `fitFraming`: the square (side, vertical shift) that puts those points where the datasets have them.
 */
import type * as Tf from '@tensorflow/tfjs'
import type { Box } from '../shared/ipc'
import { squareCrop, type FaceFraming, type SquareCrop } from '../shared/face-crop'
import type { FaceApiNode } from './face-api-node'
import { grayCrops } from './gallery-frames'
import { median } from './stats'
import type { GrayBitmap } from './images'

/** Landmark positions in a square face image, as fractions of its side. */
export interface FaceGeometry {
  /** Distance between the eye centres. */
  eyeDistance: number
  /** Height of the eye centres' midpoint, from the top. */
  eyeY: number
  /** Height of the mouth's centre (the mean of its 20 points), from the top. */
  mouthY: number
}

/**
 * Where our models' training faces have their eyes and mouth: the medians `npm run calibrate:framing`
 * measured over every 8th image of FER2013 train and muxspace train (4795 faces), recorded here so
 * tests can check the app's framing without the datasets.
 */
export const TRAINING_FACE_GEOMETRY: Readonly<FaceGeometry> = { eyeDistance: 0.36, eyeY: 0.378, mouthY: 0.767 }

/** The side the landmark net is fed at (its own input size). */
const LANDMARK_INPUT = 112

interface Point {
  x: number
  y: number
}

function meanPoint(points: readonly Point[], from: number, to: number): Point {
  let x = 0
  let y = 0
  for (let i = from; i < to; i++) {
    x += (points[i] as Point).x
    y += (points[i] as Point).y
  }
  return { x: x / (to - from), y: y / (to - from) }
}

/** The landmark geometry of one square gray face image (any size; resampled to the net's input). */
export async function landmarkGeometry(api: FaceApiNode, face: GrayBitmap): Promise<FaceGeometry> {
  await api.load('faceLandmark68Net')
  const input = api.grayFaceTensor(face.pixels, face.width, face.height)
  try {
    const net = api.faceapi.nets.faceLandmark68Net
    const result = (await net.detectLandmarks(input as unknown as Parameters<typeof net.detectLandmarks>[0])) as { positions: Point[] }
    const p = result.positions.map((q) => ({ x: q.x / LANDMARK_INPUT, y: q.y / LANDMARK_INPUT }))
    // 68-point scheme: 36-41 one eye, 42-47 the other, 48-67 the mouth.
    const a = meanPoint(p, 36, 42)
    const b = meanPoint(p, 42, 48)
    return { eyeDistance: Math.hypot(b.x - a.x, b.y - a.y), eyeY: (a.y + b.y) / 2, mouthY: meanPoint(p, 48, 68).y }
  } finally {
    input.dispose()
  }
}

/** The per-field median of several faces' geometry. */
export function medianGeometry(faces: readonly FaceGeometry[]): FaceGeometry {
  if (faces.length === 0) throw new Error('no faces to measure')
  return { eyeDistance: median(faces.map((f) => f.eyeDistance)), eyeY: median(faces.map((f) => f.eyeY)), mouthY: median(faces.map((f) => f.mouthY)) }
}

/** Landmarks in detector-box units: offsets from the box's centre, and the eye distance, over its longer side. */
export interface BoxLandmarks {
  eyeY: number
  mouthY: number
  eyeDistance: number
}

/** Where a crop's geometry lies relative to the box it was cut from (the crop as squareCrop placed it). */
export function geometryInBox(g: FaceGeometry, crop: SquareCrop, box: Box): BoxLandmarks {
  const longer = Math.max(box.width, box.height)
  const cy = box.y + box.height / 2
  const toBox = (y: number): number => (crop.y + y * crop.side - cy) / longer
  return { eyeY: toBox(g.eyeY), mouthY: toBox(g.mouthY), eyeDistance: (g.eyeDistance * crop.side) / longer }
}

/**
 * The framing that puts the eyes and the mouth of boxes with landmarks `box` where `target` has
 * them: the eye-to-mouth distance fixes the side, the eyes' height the shift. (The eye distance is
 * left as a check: faces turn, eye-to-mouth barely changes with a turn.)
 */
export function fitFraming(target: FaceGeometry, box: BoxLandmarks): FaceFraming {
  const scale = (box.mouthY - box.eyeY) / (target.mouthY - target.eyeY)
  return { scale, shiftY: box.eyeY - scale * (target.eyeY - 0.5) }
}

/** A photo's faces as the app finds them. */
export interface PhotoFaces {
  frame: Tf.Tensor3D
  boxes: readonly Box[]
}

/** The geometry of every face of `photos` cut with `framing`, and its landmarks in box units; medians of both. */
export async function appCropGeometry(
  api: FaceApiNode,
  photos: readonly PhotoFaces[],
  framing: FaceFraming
): Promise<{ crop: FaceGeometry; box: BoxLandmarks; faces: number }> {
  const crops: FaceGeometry[] = []
  const boxes: BoxLandmarks[] = []
  for (const { frame, boxes: found } of photos) {
    const [h, w] = frame.shape
    for (const box of found) {
      const crop = squareCrop(box, w, h, framing)
      const pixels = grayCrops(api, frame, [crop], LANDMARK_INPUT, LANDMARK_INPUT, framing)[0] as Uint8Array
      const g = await landmarkGeometry(api, { width: LANDMARK_INPUT, height: LANDMARK_INPUT, pixels })
      crops.push(g)
      boxes.push(geometryInBox(g, crop, box))
    }
  }
  // Box landmarks have the same three fields, so the same per-field median serves both.
  return { crop: medianGeometry(crops), box: medianGeometry(boxes), faces: crops.length }
}

/**
 * face-api's own expression crop of a box, built as @vladmandic/face-api builds it (extractFaceTensors: the
 * box's whole pixels sliced out; imageToSquare: zero-padded to a square with the image centred;
 * resizeBilinear to the side), as 8-bit gray: what its FaceExpressionNet learnt to see.
 */
export function faceApiOwnCrop(api: FaceApiNode, frame: Tf.Tensor3D, box: Box, side: number): Uint8Array {
  const tf = api.tf
  const [fh, fw] = frame.shape
  const x0 = Math.max(0, Math.floor(box.x))
  const y0 = Math.max(0, Math.floor(box.y))
  const x1 = Math.min(fw, Math.ceil(box.x + box.width))
  const y1 = Math.min(fh, Math.ceil(box.y + box.height))
  const gray = tf.tidy(() => {
    const part = tf.cast(tf.slice(frame, [y0, x0, 0], [y1 - y0, x1 - x0, 3]), 'float32')
    const h = y1 - y0
    const w = x1 - x0
    const n = Math.max(h, w)
    const padY = n - h
    const padX = n - w
    const square = tf.pad(part, [[padY - Math.round(padY / 2), Math.round(padY / 2)], [padX - Math.round(padX / 2), Math.round(padX / 2)], [0, 0]])
    const resized = tf.image.resizeBilinear(square as Tf.Tensor3D, [side, side])
    return tf.round(tf.sum(tf.mul(resized, tf.tensor1d([0.299, 0.587, 0.114])), 2))
  })
  const data = Uint8Array.from(gray.dataSync())
  gray.dispose()
  return data
}

/** The landmark geometry of each model framing's app crops next to the geometry that model learnt from, per framing. */
export interface FramingCheckRow {
  /** The cards that share this framing. */
  models: string[]
  framing: FaceFraming
  /** What the model learnt: the training sets' geometry, or face-api's own crop measured on the same faces. */
  learnt: FaceGeometry
  learntFrom: string
  /** The app's crops of the same faces at the card's framing. */
  appCrop: FaceGeometry
  faces: number
}

/**
 * Checks each card framing by landmarks (no labels): the app's crops at that framing against the crops the model
 * learnt from. Cards framed like face-api's own crop (FACE_API_FRAMING's scale and shift) are compared with face-api's
 * own crop of the same boxes; the rest with the FER2013/muxspace training geometry `trainingGeometry`.
 */
export async function checkCardFramings(
  api: FaceApiNode,
  photos: readonly PhotoFaces[],
  cards: readonly { id: string; framing: FaceFraming }[],
  trainingGeometry: FaceGeometry,
  isFaceApiFraming: (f: FaceFraming) => boolean
): Promise<FramingCheckRow[]> {
  const groups = new Map<string, { framing: FaceFraming; models: string[] }>()
  for (const c of cards) {
    const key = JSON.stringify(c.framing)
    const g = groups.get(key) ?? { framing: c.framing, models: [] }
    g.models.push(c.id)
    groups.set(key, g)
  }
  const rows: FramingCheckRow[] = []
  for (const { framing, models } of groups.values()) {
    const { crop, faces } = await appCropGeometry(api, photos, framing)
    let learnt = trainingGeometry
    let learntFrom = 'FER2013 + muxspace training crops'
    if (isFaceApiFraming(framing)) {
      const own: FaceGeometry[] = []
      for (const { frame, boxes } of photos) {
        for (const box of boxes) own.push(await landmarkGeometry(api, { width: LANDMARK_INPUT, height: LANDMARK_INPUT, pixels: faceApiOwnCrop(api, frame, box, LANDMARK_INPUT) }))
      }
      learnt = medianGeometry(own)
      learntFrom = "face-api's own crop of the same boxes"
    }
    rows.push({ models, framing, learnt, learntFrom, appCrop: crop, faces })
  }
  return rows
}
