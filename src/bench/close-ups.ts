import type * as Tf from '@tensorflow/tfjs'
import { DEFAULT_DETECTOR_SETTINGS } from '../shared/detection/detection-filter'
import { scanFrame } from '../shared/detection/frame-scan'
import type { CloseUpReportRow } from '../shared/bench-report'
import type { Box } from '../shared/ipc'
import type { FaceApiNode } from './face-api-node'
import type { SourceFace } from './gallery-frames'
import type { Progress } from './progress'
import { tensorRegionDetector } from './tensor-region-detector'

/** A webcam frame's size for the close-ups. */
const FRAME = { width: 640, height: 480 }

/** Face heights as shares of the frame's height: a person at a normal distance, leaning in, very close. */
export const CLOSE_UP_SHARES = [0.5, 0.7, 0.85] as const

/**
 * Each demo-photo face cut so it fills `share` of a 640x480 frame's height (padded with grey where
 * the photo ends), with its SSD box in frame pixels; the caller disposes the tensors.
 */
export function closeUpFrames(api: FaceApiNode, faces: readonly SourceFace[], share: number): { frame: Tf.Tensor3D; face: Box }[] {
  const tf = api.tf
  return faces.map((f) => {
    const [ih, iw] = f.image.shape
    const h = f.box.height / share
    const w = (h * FRAME.width) / FRAME.height
    const y0 = f.box.y + f.box.height / 2 - h / 2
    const x0 = f.box.x + f.box.width / 2 - w / 2
    const frame = tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(f.image, 'float32'), 0) as Tf.Tensor4D
      const boxes = tf.tensor2d([[y0 / ih, x0 / iw, (y0 + h) / ih, (x0 + w) / iw]])
      const cut = tf.image.cropAndResize(batch, boxes, tf.tensor1d([0], 'int32'), [FRAME.height, FRAME.width], 'bilinear', 110)
      return tf.cast(tf.squeeze(cut, [0]), 'int32') as Tf.Tensor3D
    })
    const s = FRAME.width / w
    return { frame, face: { x: (f.box.x - x0) * s, y: (f.box.y - y0) * s, width: f.box.width * s, height: f.box.height * s } }
  })
}

const covers = (b: Box, t: Box): boolean => {
  const cx = b.x + b.width / 2
  const cy = b.y + b.height / 2
  return cx > t.x && cx < t.x + t.width && cy > t.y && cy < t.y + t.height
}

/**
 * Recall on close-ups beside its cost: TinyFaceDetector at the app's input size alone and at the
 * scan's small input alone, the app's full webcam scan (scanFrame with the default settings: both
 * passes), and SSD MobileNetV1. A face counts as found when a box is centred on it.
 */
export async function measureCloseUps(api: FaceApiNode, faces: readonly SourceFace[], progress: Progress): Promise<CloseUpReportRow[]> {
  const detector = tensorRegionDetector(api)
  const settings = DEFAULT_DETECTOR_SETTINGS
  const ways: { name: string; find: (frame: Tf.Tensor3D) => Promise<Box[]> }[] = [
    { name: `TinyFaceDetector ${settings.inputSize}`, find: async (f) => (await api.detect(f, 'tiny', settings.inputSize)).map((d) => d.box) },
    { name: 'TinyFaceDetector 160', find: async (f) => (await api.detect(f, 'tiny', 160)).map((d) => d.box) },
    { name: 'the app’s webcam scan', find: async (f) => (await scanFrame(detector, f, FRAME.width, FRAME.height, settings)).map((d) => d.box) },
    { name: 'SSD MobileNetV1', find: async (f) => (await api.detect(f, 'ssd')).map((d) => d.box) }
  ]
  const rows: CloseUpReportRow[] = []
  progress.start('close-ups', CLOSE_UP_SHARES.length * ways.length * faces.length)
  for (const share of CLOSE_UP_SHARES) {
    const frames = closeUpFrames(api, faces, share)
    try {
      for (const way of ways) {
        await way.find((frames[0] as { frame: Tf.Tensor3D }).frame)
        let found = 0
        const cpu0 = process.cpuUsage()
        for (const { frame, face } of frames) {
          if ((await way.find(frame)).some((b) => covers(b, face))) found++
          progress.tick()
        }
        const cpu = process.cpuUsage(cpu0)
        rows.push({ faceShare: share, detector: way.name, found, total: frames.length, cpuMsPerFrame: (cpu.user + cpu.system) / 1000 / frames.length })
      }
    } finally {
      for (const f of frames) f.frame.dispose()
    }
  }
  progress.stop()
  return rows
}
