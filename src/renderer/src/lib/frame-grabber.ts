import type { Box } from '../../../shared/ipc'
import { cropSourceRect, sampleCrop, squareCrop, DEFAULT_FRAMING, type FaceFraming } from '../../../shared/face-crop'

/**
 * Freezes the current video frame on a canvas, so detection and every face crop read the same
 * pixels (the video keeps playing while detection awaits), and cuts gray face crops from it.
 */
export class FrameGrabber {
  readonly frame = document.createElement('canvas')
  private readonly frameCtx: CanvasRenderingContext2D

  constructor() {
    // Face crops read pixels back every frame; a CPU-backed canvas avoids a GPU readback each time.
    const frameCtx = this.frame.getContext('2d', { willReadFrequently: true })
    if (!frameCtx) throw new Error('canvas 2D context unavailable')
    this.frameCtx = frameCtx
  }

  /**
   * Copies the video's current frame at its native size, or only `crop` of it (region mode, in
   * video pixels), with `masks` (frame pixels) painted grey; false when the video has no frame yet
   * or the crop is empty.
   */
  grab(video: HTMLVideoElement, crop?: Box | null, masks: readonly Box[] = []): boolean {
    const { videoWidth, videoHeight } = video
    if (videoWidth === 0 || videoHeight === 0) return false
    const src = crop ?? { x: 0, y: 0, width: videoWidth, height: videoHeight }
    const w = Math.round(src.width)
    const h = Math.round(src.height)
    if (w <= 0 || h <= 0) return false
    if (this.frame.width !== w || this.frame.height !== h) {
      this.frame.width = w
      this.frame.height = h
    }
    this.frameCtx.drawImage(video, src.x, src.y, w, h, 0, 0, w, h)
    if (masks.length > 0) {
      // Our own overlay labels, captured where the OS cannot hide the overlay (see overlay-mask.ts).
      this.frameCtx.fillStyle = 'rgb(128,128,128)'
      for (const m of masks) this.frameCtx.fillRect(m.x, m.y, m.width, m.height)
    }
    return true
  }

  /**
   * The square crop `framing` (the model card's) puts around `box`, resampled to width × height gray by
   * the shared crop code (the bench and training run the same maths). Only the pixels the crop covers are read back.
   */
  grayCrop(box: Box, width: number, height: number, framing: Readonly<FaceFraming> = DEFAULT_FRAMING): Uint8Array {
    const { width: fw, height: fh } = this.frame
    const crop = squareCrop(box, fw, fh, framing)
    const rect = cropSourceRect(crop, fw, fh)
    if (!rect) return sampleCrop({ width: 0, height: 0, channels: 1, data: [] }, crop, width, height, framing)
    const pixels = this.frameCtx.getImageData(rect.x, rect.y, rect.width, rect.height)
    return sampleCrop({ width: rect.width, height: rect.height, channels: 4, data: pixels.data, left: rect.x, top: rect.y }, crop, width, height, framing)
  }
}
