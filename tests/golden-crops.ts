/**
 * The golden face-crop cases: one of face-api's demo photos and boxes in it, cut by the renderer
 * (e2e/face-crop.spec.ts, Chromium), the bench (tests/bench/face-crop-golden.test.ts) and training
 * (training/face_crop.py, called from that test). All must give the same bytes within 1 grey level.
 */
import { join } from 'node:path'

/** A demo photo of @vladmandic/face-api (1920x1280, three people). */
export const GOLDEN_PHOTO = join(__dirname, '..', 'node_modules', '@vladmandic', 'face-api', 'demo', 'sample1.jpg')

/** Boxes in GOLDEN_PHOTO and the model input side each is cut to. */
export const GOLDEN_CASES: readonly { name: string; box: { x: number; y: number; width: number; height: number }; size: number }[] = [
  // A face as TinyFaceDetector finds it (about 313 px wide): shrunk 7.8-fold to 48 px, where resampling without anti-aliasing aliases.
  { name: 'detected face', box: { x: 776.4, y: 445.2, width: 313.1, height: 256.3 }, size: 48 },
  // A box nearly as wide as the photo (a face filling the frame): its square is taller than the photo, padded above.
  { name: 'face filling the frame', box: { x: 60, y: 0, width: 1800, height: 1280 }, size: 48 },
  // A larger model input from the same face, at the right edge of the photo's second person.
  { name: 'second face, 96 px input', box: { x: 1422, y: 215, width: 307, height: 283 }, size: 96 }
]
