/**
 * Call conditions: each labelled face shown as a video call shows it, then through the app's whole
 * path (its scan of a frame this size, each model's card crop, the model) and through face-api's own
 * pipeline (its detector pass, its crop, its net) on the same frames.
 *
 * A labelled image becomes one call tile (CALL_TILE, 384x216, a 3x3 gallery's tile at 1152x648): the
 * face, shrunk with area averaging so its detector box is `facePx` pixels, at a known spot on a real
 * background (one of face-api's demo photos, blurred as a call's background blur does, so its own
 * faces are not found), then a real lossy round trip (jpeg-js at CALL_JPEG_QUALITY). A ready-made
 * crop (CK+48, muxspace) is placed by the app's FER2013 framing inverted: a crop of side s is
 * 0.8 L of a box L whose centre is 0.1 L below the crop's. A photo's face is the largest one the
 * app's camera scan finds in it. The face answered for is the detection nearest the known spot
 * (within half a face); none there counts as a wrong answer.
 */
import jpeg from 'jpeg-js'
import type * as Tf from '@tensorflow/tfjs'
import { EMOTIONS } from '../shared/emotions'
import { DEFAULT_FRAMING, sampleCrop, wholeImageCrop, type PixelImage } from '../shared/face-crop'
import type { Box } from '../shared/ipc'
import type { CallConditionRow } from '../shared/bench-report'
import { listLabelledImages, sampleSubset, type LabelledImage } from './dataset'
import type { FaceApiNode } from './face-api-node'
import { FRAME_BYTES } from './frame-bytes'
import { demoPhotoPaths } from './gallery-frames'
import { readRgba, type RgbaBitmap } from './images'
import { detectLikeApp, summarizeWithMisses, type FrameClassifier } from './pipelines'
import type { Progress } from './progress'

/** A call gallery's tile: 1152x648 split 3x3. */
export const CALL_TILE = { width: 384, height: 216 } as const

/** Detector-box sizes of the faces, in tile pixels: a small tile, a typical one, a large one. */
export const CALL_FACE_SIZES = [40, 70, 100] as const

/** JPEG quality of the round trip (a call's codec at a modest bit rate looks about like this). */
export const CALL_JPEG_QUALITY = 55

/** Where the face's box centre sits in the tile, as shares of its width and height. */
const FACE_SPOT = { x: 0.5, y: 0.45 }

/** One labelled set to put through call conditions. */
export interface CallSet {
  set: string
  split: string
  dir: string
  /** 'crop': each image is a ready-made face crop; 'photo': a photo whose face the detector finds. */
  kind: 'crop' | 'photo'
}

/** A background tile: RGB bytes of CALL_TILE's size. */
type Background = Uint8Array

/** Separable box blur of RGB bytes, `passes` times (about a Gaussian), radius in pixels. */
function boxBlur(rgb: Uint8Array, width: number, height: number, radius: number, passes = 3): Uint8Array {
  let src = Float32Array.from(rgb)
  for (let p = 0; p < passes; p++) {
    for (const horizontal of [true, false]) {
      const dst = new Float32Array(src.length)
      const [n, lines] = horizontal ? [width, height] : [height, width]
      for (let line = 0; line < lines; line++) {
        for (let c = 0; c < 3; c++) {
          const at = (i: number): number => (horizontal ? (line * width + i) * 3 + c : (i * width + line) * 3 + c)
          for (let i = 0; i < n; i++) {
            let sum = 0
            for (let k = -radius; k <= radius; k++) sum += src[at(Math.min(n - 1, Math.max(0, i + k)))] as number
            dst[at(i)] = sum / (2 * radius + 1)
          }
        }
      }
      src = dst
    }
  }
  return Uint8Array.from(src, (v) => Math.round(v))
}

/** One channel of `image`, multiplied by a coverage `mask` (0-255) where given (premultiplied alpha). */
function channelOf(image: RgbaBitmap, c: number, mask?: Uint8Array): PixelImage {
  const n = image.width * image.height
  const data = new Float64Array(n)
  for (let i = 0; i < n; i++) data[i] = ((image.data[i * 4 + c] as number) * (mask ? (mask[i] as number) : 255)) / 255
  return { width: image.width, height: image.height, channels: 1, data }
}

/** Blurred backgrounds made from face-api's demo photos, one per photo. */
export async function callBackgrounds(): Promise<Background[]> {
  const out: Background[] = []
  for (const path of await demoPhotoPaths()) {
    const photo = await readRgba(path)
    const { width: W, height: H } = CALL_TILE
    // The photo's centre, cover-fitted to the tile.
    const side = Math.min(photo.width, (photo.height * W) / H)
    const crop = { x: (photo.width - side) / 2, y: (photo.height - (side * H) / W) / 2, side }
    const planes = [0, 1, 2].map((c) => sampleCrop(channelOf(photo, c), crop, W, W))
    const rgb = new Uint8Array(W * H * 3)
    for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = (planes[c] as Uint8Array)[i] as number
    out.push(boxBlur(rgb, W, H, 6))
  }
  if (out.length === 0) throw new Error('no demo photos for call backgrounds')
  return out
}

/**
 * The call tile of a face: `source` placed so that its face box `box` (source pixels) becomes
 * `facePx` pixels at FACE_SPOT, over `background` with a soft edge where the source ends, then JPEG
 * round-tripped. Returns RGB bytes of CALL_TILE's size.
 */
export function callTile(source: RgbaBitmap, box: Box, facePx: number, background: Background, quality = CALL_JPEG_QUALITY): Uint8Array {
  const { width: W, height: H } = CALL_TILE
  const k = facePx / Math.max(box.width, box.height)
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const crop = { x: cx - (FACE_SPOT.x * W) / k, y: cy - (FACE_SPOT.y * H) / k, side: W / k }
  // A coverage mask that fades over the source's outer 8 %, so a ready-made crop has no hard square edge.
  const ramp = 0.08 * Math.min(source.width, source.height)
  const mask = new Uint8Array(source.width * source.height)
  for (let y = 0; y < source.height; y++) {
    for (let x = 0; x < source.width; x++) {
      const d = Math.min(x + 0.5, y + 0.5, source.width - x - 0.5, source.height - y - 0.5)
      mask[y * source.width + x] = Math.round(255 * Math.min(1, d / Math.max(ramp, 1)))
    }
  }
  // Premultiplied: the planes are face x coverage (0 outside the source), the mask is the coverage itself.
  const alpha = sampleCrop({ width: source.width, height: source.height, channels: 1, data: mask }, crop, W, W, { pad: 0 })
  const planes = [0, 1, 2].map((c) => sampleCrop(channelOf(source, c, mask), crop, W, W, { pad: 0 }))
  const rgba = new Uint8Array(W * H * 4)
  for (let i = 0; i < W * H; i++) {
    const a = (alpha[i] as number) / 255
    for (let c = 0; c < 3; c++)
      rgba[i * 4 + c] = Math.round(Math.min(255, ((planes[c] as Uint8Array)[i] as number) + (1 - a) * (background[i * 3 + c] as number)))
    rgba[i * 4 + 3] = 255
  }
  const decoded = jpeg.decode(jpeg.encode({ width: W, height: H, data: rgba }, quality).data, { useTArray: true, formatAsRGBA: false })
  return decoded.data
}

/** The face box a ready-made crop of `width` x `height` stands for under the app's FER2013 framing. */
export function boxOfCrop(width: number, height: number): Box {
  const crop = wholeImageCrop(width, height)
  const longer = crop.side / DEFAULT_FRAMING.scale
  const cx = crop.x + crop.side / 2
  const cy = crop.y + crop.side / 2 - DEFAULT_FRAMING.shiftY * longer
  return { x: cx - longer / 2, y: cy - longer / 2, width: longer, height: longer }
}

/** The detection nearest the known spot, within half a face of it; undefined when none is. */
export function faceAtSpot(boxes: readonly Box[], facePx: number): Box | undefined {
  const sx = FACE_SPOT.x * CALL_TILE.width
  const sy = FACE_SPOT.y * CALL_TILE.height
  const dist = (b: Box): number => Math.hypot(b.x + b.width / 2 - sx, b.y + b.height / 2 - sy)
  return boxes.filter((b) => dist(b) <= facePx / 2).sort((a, b) => dist(a) - dist(b))[0]
}

/** Runs one set through call conditions at every size: rows for each classifier and for face-api's own pipeline. */
export async function callConditionRows(
  api: FaceApiNode,
  callSet: CallSet,
  classifiers: readonly FrameClassifier[],
  faceApi: FrameClassifier,
  backgrounds: readonly Background[],
  limit: number | undefined,
  progress: Progress
): Promise<CallConditionRow[]> {
  const all = await listLabelledImages(callSet.dir)
  const images: LabelledImage[] = limit === undefined ? all : sampleSubset(all, limit)
  const ids = [...classifiers.map((c) => c.id), faceApi.id]
  const predicted = new Map<string, number[]>()
  const found = new Map<string, number>()
  const key = (id: string, px: number): string => `${id}@${px}`
  for (const id of ids) {
    for (const px of CALL_FACE_SIZES) {
      predicted.set(key(id, px), [])
      found.set(key(id, px), 0)
    }
  }
  progress.start(`call conditions ${callSet.set} ${callSet.split}`, images.length)
  for (const [n, image] of images.entries()) {
    const source = await readRgba(image.path)
    let box: Box | undefined
    if (callSet.kind === 'crop') box = boxOfCrop(source.width, source.height)
    else {
      const frame = api.imageTensor(source)
      try {
        box = (await detectLikeApp(api, frame)).sort((a, b) => b.width * b.height - a.width * a.height)[0]
      } finally {
        frame.dispose()
      }
    }
    for (const px of CALL_FACE_SIZES) {
      if (!box) {
        for (const id of ids) predicted.get(key(id, px))?.push(-1)
        continue
      }
      const rgb = callTile(source, box, px, backgrounds[n % backgrounds.length] as Background)
      const frame = api.tf.tensor3d(rgb, [CALL_TILE.height, CALL_TILE.width, 3], 'int32') as Tf.Tensor3D
      FRAME_BYTES.set(frame, { rgb, width: CALL_TILE.width, height: CALL_TILE.height })
      try {
        // One tile alone is a small frame, which the app scans whole (at its input size plus the close-up pass), as it
        // does a video or camera frame; its screen scan would tile it, and a face centred between two tiles (the
        // known spot) is cut by both tiles' inner edges and dropped. face-api: its own one pass.
        const ours = faceAtSpot(await detectLikeApp(api, frame, 'tiny', 'camera'), px)
        const theirs = faceAtSpot(
          (await api.detect(frame, 'tiny')).map((d) => d.box),
          px
        )
        for (const c of [...classifiers, faceApi]) {
          const face = c === faceApi ? theirs : ours
          const label = face ? ((await c.classify(frame, [face]))[0] ?? -1) : -1
          predicted.get(key(c.id, px))?.push(label)
          if (face) found.set(key(c.id, px), (found.get(key(c.id, px)) ?? 0) + 1)
        }
      } finally {
        frame.dispose()
      }
    }
    progress.tick()
  }
  progress.stop()
  const truth = images.map((i) => i.label)
  const rows: CallConditionRow[] = []
  for (const px of CALL_FACE_SIZES) {
    for (const id of ids) {
      const s = summarizeWithMisses(truth, predicted.get(key(id, px)) ?? [], EMOTIONS.length)
      rows.push({
        set: callSet.set,
        split: callSet.split,
        facePx: px,
        model: id,
        n: s.n,
        found: found.get(key(id, px)) ?? 0,
        accuracy: s.accuracy,
        macroF1: s.macroF1,
        perClassRecall: Object.fromEntries(EMOTIONS.map((e, i) => [e, s.perClassRecall[i] ?? 0]))
      })
    }
  }
  return rows
}
