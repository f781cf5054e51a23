import type * as Tf from '@tensorflow/tfjs'
import type { Detection } from '../shared/detection/detection-filter'
import type { RegionDetector } from '../shared/detection/frame-scan'
import type { Box } from '../shared/ipc'
import type { GrayImage } from '../shared/detection/box-follower'
import type { FaceApiNode } from './face-api-node'
import { FRAME_BYTES, type FrameBytes } from './frame-bytes'
import { grayOfFrame } from './moving-gallery'

/** The whole pixels a region covers, clipped to the frame; null when none. */
function pixelRect(region: Box, frameWidth: number, frameHeight: number): { x: number; y: number; w: number; h: number } | null {
  const x = Math.max(0, Math.floor(region.x))
  const y = Math.max(0, Math.floor(region.y))
  const w = Math.min(frameWidth, Math.ceil(region.x + region.width)) - x
  const h = Math.min(frameHeight, Math.ceil(region.y + region.height)) - y
  return w > 0 && h > 0 ? { x, y, w, h } : null
}

/** TinyFaceDetector on the part of a frame at `at`, its boxes moved back into frame pixels. */
async function detectIn(api: FaceApiNode, part: Tf.Tensor3D, at: { x: number; y: number }, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
  const found = await api.detect(part, 'tiny', inputSize, scoreThreshold)
  return found.map((d) => ({ score: d.score, box: { ...d.box, x: d.box.x + at.x, y: d.box.y + at.y } }))
}

/**
 * The app's RegionDetector on TF.js tensors: the region is cut out of the frame and handed to
 * TinyFaceDetector, which resizes it to the input size as it does the app's canvases.
 */
export function tensorRegionDetector(api: FaceApiNode): RegionDetector<Tf.Tensor3D> {
  return {
    async detectRegion(frame, region, inputSize, scoreThreshold) {
      const [fh, fw] = frame.shape
      const rect = pixelRect(region, fw, fh)
      if (!rect) return []
      const { x, y, w, h } = rect
      const whole = x === 0 && y === 0 && w === fw && h === fh
      const part = whole ? frame : (api.tf.slice(frame, [y, x, 0], [h, w, 3]) as Tf.Tensor3D)
      try {
        return await detectIn(api, part, rect, inputSize, scoreThreshold)
      } finally {
        if (!whole) part.dispose()
      }
    },
    grayFrame(frame, width, height): GrayImage {
      // A moving gallery's frame keeps its bytes beside it; any other tensor is read back once.
      return grayOfFrame(FRAME_BYTES.get(frame) ?? { rgb: Uint8Array.from(frame.dataSync()), width, height })
    }
  }
}

/**
 * The app's RegionDetector on a frame's bytes, as the app's detection worker works on its frame
 * bitmap: each region is copied out of the frame into a tensor of its own for TinyFaceDetector,
 * so a frame whose faces are only followed (no scan, no search) never becomes a tensor.
 */
export function bytesRegionDetector(api: FaceApiNode): RegionDetector<FrameBytes> {
  return {
    async detectRegion(frame, region, inputSize, scoreThreshold) {
      const rect = pixelRect(region, frame.width, frame.height)
      if (!rect) return []
      const { x, y, w, h } = rect
      const part = new Uint8Array(w * h * 3)
      for (let row = 0; row < h; row++) part.set(frame.rgb.subarray(((y + row) * frame.width + x) * 3, ((y + row) * frame.width + x + w) * 3), row * w * 3)
      const tensor = api.tf.tensor3d(part, [h, w, 3], 'int32')
      try {
        return await detectIn(api, tensor, rect, inputSize, scoreThreshold)
      } finally {
        tensor.dispose()
      }
    },
    grayFrame: (frame) => grayOfFrame(frame)
  }
}
