import type { Box } from '../../../shared/ipc'
import { cropDrawPlan, rgbaToGray, squareCrop, DEFAULT_CROP_SCALE } from './face-crop'

/**
 * Freezes the current video frame on a canvas, so detection and every face crop read the same
 * pixels (the video keeps playing while detection awaits), and cuts gray face crops from it.
 */
export class FrameGrabber {
  readonly frame = document.createElement('canvas')
  private readonly frameCtx: CanvasRenderingContext2D
  private readonly crop = document.createElement('canvas')
  private readonly cropCtx: CanvasRenderingContext2D

  constructor() {
    const frameCtx = this.frame.getContext('2d')
    // Crops are read back every frame; a CPU-backed canvas avoids a GPU readback each time.
    const cropCtx = this.crop.getContext('2d', { willReadFrequently: true })
    if (!frameCtx || !cropCtx) throw new Error('canvas 2D context unavailable')
    this.frameCtx = frameCtx
    this.cropCtx = cropCtx
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

  /** The FER2013-style square crop around `box`, resized to width × height, as BT.601 gray. */
  grayCrop(box: Box, width: number, height: number, scale = DEFAULT_CROP_SCALE): Uint8Array {
    if (this.crop.width !== width || this.crop.height !== height) {
      this.crop.width = width
      this.crop.height = height
    }
    const ctx = this.cropCtx
    // Mid-gray padding is 0 after the usual mean-0.5 normalisation, the least surprising value to a model.
    ctx.fillStyle = 'rgb(128,128,128)'
    ctx.fillRect(0, 0, width, height)
    const plan = cropDrawPlan(squareCrop(box, this.frame.width, this.frame.height, scale), this.frame.width, this.frame.height, width, height)
    if (plan) {
      ctx.imageSmoothingEnabled = true
      ctx.imageSmoothingQuality = 'high'
      ctx.drawImage(this.frame, plan.sx, plan.sy, plan.sw, plan.sh, plan.dx, plan.dy, plan.dw, plan.dh)
    }
    return rgbaToGray(ctx.getImageData(0, 0, width, height))
  }
}
