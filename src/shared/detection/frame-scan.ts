import type { Box } from '../ipc'
import { squareWithin } from '../box-math'
import type { GrayImage } from './box-follower'
import { filterDetections, type Detection, type DetectorSettings } from './detection-filter'
import { autoGrid, dropCutFaces, mergeDetections, MIN_FACE_AT_INPUT, offsetDetections, planTiles } from './detection-tiles'

/**
 * A face detector that looks at one rectangle of a frame, resized so its longer side is
 * `inputSize`, and answers boxes in frame pixels. The app implements it on canvases, the bench on
 * TF.js tensors, so both run the same scan and tracking logic.
 */
export interface RegionDetector<F> {
  detectRegion(frame: F, region: Box, inputSize: number, scoreThreshold: number): Promise<Detection[]>
  /**
   * A gray copy of the frame at graySize(width, height) (box-follower.ts), for following faces
   * between detector looks; absent, faces are only moved by the detector.
   */
  grayFrame?(frame: F, width: number, height: number): GrayImage | Promise<GrayImage>
}

/**
 * One detector call of a full scan: a region at an input size. `overlap` is set for tiles: the
 * pixels shared with each neighbour, so faces cut by the tile's inner edges can be dropped.
 */
export interface ScanPass {
  region: Box
  inputSize: number
  overlap: number | null
}

/**
 * Input size of the extra whole-frame pass for faces that fill most of the frame (a person close to
 * the camera). TinyFaceDetector's anchors stop at about a third of its input, so at 416 it missed a
 * third of such close-ups (face 50-85 % of a 640x480 frame's height, cut from face-api's demo
 * photos: 14-16 of 22 found); at 160 it found 20-22, and 416 and 160 together 21-22 (SSD
 * MobileNetV1: 18-21), for about a sixth of the 416 pass's time.
 */
export const LARGE_FACE_INPUT_SIZE = 160

/** The smallest input size TinyFaceDetector takes that shows `side` frame pixels at `scale` or more, at most `cap`. */
function inputFor(side: number, scale: number, cap: number): number {
  return Math.min(cap, Math.max(INPUT_STEP, Math.ceil((side * scale) / INPUT_STEP) * INPUT_STEP))
}

/** TinyFaceDetector's input sizes are multiples of this. */
const INPUT_STEP = 32

/**
 * The passes of a full scan. Without tiles: the downscaled whole frame at the settings' input size,
 * and again at LARGE_FACE_INPUT_SIZE for close-ups. With tiles (galleries of small faces): each
 * tile at the input size that shows a face of `minFaceSize` at MIN_FACE_AT_INPUT detector pixels
 * (the settings' input size at most), and the whole frame at the size that does the same for the
 * faces too large for a tile's overlap to show whole (at least LARGE_FACE_INPUT_SIZE, which also
 * finds close-ups), plus the close-up pass where that whole pass is large. A detector pass costs
 * about the square of its input size, so a tile drawn no larger than its faces need is the
 * cheaper pass: on the 3x3 gallery at 1280x720 (faces of 100 px and more) the scan is two tiles at
 * 288 and the whole frame at 192, against three passes at 416 and one at 160.
 */
export function planScan(width: number, height: number, settings: DetectorSettings): ScanPass[] {
  const whole = { x: 0, y: 0, width, height }
  const tiles = settings.tiles ?? 1
  const grid = tiles === 'auto' ? autoGrid(width, height, settings.inputSize, settings.minFaceSize) : { cols: tiles, rows: tiles }
  if (grid.cols * grid.rows <= 1) {
    const passes: ScanPass[] = [{ region: whole, inputSize: settings.inputSize, overlap: null }]
    if (settings.inputSize > LARGE_FACE_INPUT_SIZE) passes.push({ region: whole, inputSize: LARGE_FACE_INPUT_SIZE, overlap: null })
    return passes
  }
  // Neighbours share 2 × overlap pixels, so any face up to that size is whole in one of them;
  // 1.5 × the minimum face covers a gallery's faces without growing tiles (and shrinking faces) more.
  const face = Math.max(settings.minFaceSize, 24)
  const overlap = Math.round(Math.min(1.5 * face, width / grid.cols / 3, height / grid.rows / 3))
  const wholeInput = Math.max(LARGE_FACE_INPUT_SIZE, inputFor(Math.max(width, height), MIN_FACE_AT_INPUT / (2 * overlap), settings.inputSize))
  const passes: ScanPass[] = [{ region: whole, inputSize: wholeInput, overlap: null }]
  if (wholeInput > LARGE_FACE_INPUT_SIZE + 2 * INPUT_STEP) passes.push({ region: whole, inputSize: LARGE_FACE_INPUT_SIZE, overlap: null })
  for (const region of planTiles(width, height, grid, overlap)) {
    passes.push({ region, inputSize: inputFor(Math.max(region.width, region.height), MIN_FACE_AT_INPUT / face, settings.inputSize), overlap })
  }
  return passes
}

/**
 * The detector pass that looks at a change (frame-change.ts changedRegion) instead of the whole
 * frame: the change grown on every side by a face of `minFaceSize` (the parts of a newcomer that
 * changed little or lie beside a followed face, and the context the detector needs), squared (at
 * most the frame's shorter side), at the input size that shows such a face at MIN_FACE_AT_INPUT. Faces cut by its
 * inner edges are dropped, as a tile's are. Null where the grown change covers more than half the
 * frame: that is a full scan's work.
 */
export function lookPass(change: Box, width: number, height: number, settings: DetectorSettings): ScanPass | null {
  const face = Math.max(settings.minFaceSize, 24)
  const region = squareWithin(change.x + change.width / 2, change.y + change.height / 2, Math.max(change.width, change.height) + 2 * face, width, height)
  if (region.width * region.height > (width * height) / 2) return null
  return { region, inputSize: inputFor(Math.max(region.width, region.height), MIN_FACE_AT_INPUT / face, settings.inputSize), overlap: face }
}

/** Runs one pass; a tile's faces cut by its inner edges are dropped (its neighbour shows them whole). */
export async function runScanPass<F>(detector: RegionDetector<F>, frame: F, width: number, height: number, pass: ScanPass, scoreThreshold: number): Promise<Detection[]> {
  const found = await detector.detectRegion(frame, pass.region, pass.inputSize, scoreThreshold)
  if (pass.overlap === null) return found
  const tile = pass.region
  // The detector answers in frame pixels; dropCutFaces reasons in the tile's own.
  const local = offsetDetections(found, { x: -tile.x, y: -tile.y, width: 0, height: 0 })
  return offsetDetections(dropCutFaces(local, tile, width, height, pass.overlap), tile)
}

/** A whole scan in one go: every pass, merged by non-maximum suppression and size-filtered. */
export async function scanFrame<F>(detector: RegionDetector<F>, frame: F, width: number, height: number, settings: DetectorSettings): Promise<Detection[]> {
  const all: Detection[] = []
  for (const pass of planScan(width, height, settings)) for (const d of await runScanPass(detector, frame, width, height, pass, settings.scoreThreshold)) all.push(d)
  return filterDetections(mergeDetections(all), width, height, settings.minFaceSize)
}
