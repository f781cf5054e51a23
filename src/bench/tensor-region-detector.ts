import type * as Tf from '@tensorflow/tfjs'
import type { RegionDetector } from '../shared/detection/frame-scan'
import type { GrayImage } from '../shared/detection/box-follower'
import type { FaceApiNode } from './face-api-node'
import { FRAME_BYTES, type FrameBytes } from './frame-bytes'
import { grayOfFrame } from './moving-gallery'

/**
 * The app's RegionDetector on TF.js tensors: the region is cut out of the frame and handed to
 * TinyFaceDetector, which resizes it to the input size as it does the app's canvases.
 */
export function tensorRegionDetector(api: FaceApiNode): RegionDetector<Tf.Tensor3D> {
  return {
    async detectRegion(frame, region, inputSize, scoreThreshold) {
      const [fh, fw] = frame.shape
      const x = Math.max(0, Math.floor(region.x))
      const y = Math.max(0, Math.floor(region.y))
      const w = Math.min(fw, Math.ceil(region.x + region.width)) - x
      const h = Math.min(fh, Math.ceil(region.y + region.height)) - y
      if (w <= 0 || h <= 0) return []
      const whole = x === 0 && y === 0 && w === fw && h === fh
      const part = whole ? frame : (api.tf.slice(frame, [y, x, 0], [h, w, 3]) as Tf.Tensor3D)
      try {
        const found = await api.detect(part, 'tiny', inputSize, scoreThreshold)
        return found.map((d) => ({ score: d.score, box: { ...d.box, x: d.box.x + x, y: d.box.y + y } }))
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
      const x = Math.max(0, Math.floor(region.x))
      const y = Math.max(0, Math.floor(region.y))
      const w = Math.min(frame.width, Math.ceil(region.x + region.width)) - x
      const h = Math.min(frame.height, Math.ceil(region.y + region.height)) - y
      if (w <= 0 || h <= 0) return []
      const part = new Uint8Array(w * h * 3)
      for (let row = 0; row < h; row++)
        part.set(frame.rgb.subarray(((y + row) * frame.width + x) * 3, ((y + row) * frame.width + x + w) * 3), row * w * 3)
      const tensor = api.tf.tensor3d(part, [h, w, 3], 'int32')
      try {
        const found = await api.detect(tensor, 'tiny', inputSize, scoreThreshold)
        return found.map((d) => ({ score: d.score, box: { ...d.box, x: d.box.x + x, y: d.box.y + y } }))
      } finally {
        tensor.dispose()
      }
    },
    grayFrame: (frame) => grayOfFrame(frame)
  }
}
