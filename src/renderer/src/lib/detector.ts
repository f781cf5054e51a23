import type { Box } from '../../../shared/ipc'
import type { DetectorBackendName } from './detector-backend'
import { detectFaces, initFaceApi, drawScaledRegion, readGrayFrame, regionToFrame, type DetectorInfo } from './detector-tf'
import type { GrayImage } from '../../../shared/detection/box-follower'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import { DetectThenTrack, type FrameTracker, type TrackSettings } from '../../../shared/detection/detect-track'
import { scanFrame, type RegionDetector } from '../../../shared/detection/frame-scan'

export type { DetectorInfo } from './detector-tf'

/**
 * Face detection as the live loop and video analysis use it, whether it runs in its worker or in
 * the page: whole-frame scans, single regions (so DetectThenTrack can run over it), and a
 * detect-then-track loop of its own (in the worker, one message per frame).
 */
export interface FaceDetection extends RegionDetector<HTMLCanvasElement> {
  readonly info: DetectorInfo
  /** Faces in `frame` by a full scan (whole frame, close-up pass, tiles), filtered by the settings. */
  detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]>
  /** A detect-then-track loop with these settings, fed one frozen frame at a time. */
  tracker(settings: TrackSettings): FrameTracker<HTMLCanvasElement>
}

/**
 * face-api's TinyFaceDetector run on the page's own thread, with locally served weights: the
 * fallback where the detection worker cannot start.
 */
export class FaceDetector implements FaceDetection {
  private constructor(readonly info: DetectorInfo) {}

  /** Picks and initialises the TF.js backend, then loads TinyFaceDetector's weights. */
  static async create(override?: DetectorBackendName, fallback: string | null = null): Promise<FaceDetector> {
    const info = await initFaceApi(document.createElement('canvas'), 'page', override)
    const detector = new FaceDetector({ ...info, fallback })
    // The first run compiles kernels; do it now so it does not count as the first frame's detection time.
    const warm = document.createElement('canvas')
    warm.width = warm.height = 128
    await detector.detect(warm, { inputSize: 128, scoreThreshold: 0.5, minFaceSize: 0 })
    return detector
  }

  private regionCanvas: HTMLCanvasElement | null = null

  /**
   * Faces in `frame`, in its pixel coordinates, clipped to it and filtered by the settings. With
   * tiles (galleries of small faces) each overlapping tile is detected at the full input size and
   * the hits are merged; otherwise the whole frame is downscaled to the input size once.
   */
  async detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]> {
    return scanFrame(this, frame, frame.width, frame.height, settings)
  }

  /** Detect-then-track on this thread. */
  tracker(settings: TrackSettings): FrameTracker<HTMLCanvasElement> {
    return new DetectThenTrack(this, settings)
  }

  private grayCtx: CanvasRenderingContext2D | null = null

  /** The frame in gray, downscaled, for following faces between detector looks. */
  grayFrame(frame: HTMLCanvasElement, width: number, height: number): GrayImage {
    this.grayCtx ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true })
    if (!this.grayCtx) throw new Error('canvas 2D context unavailable')
    return readGrayFrame(this.grayCtx, frame, width, height)
  }

  /** Faces in one rectangle of `frame` (frame pixels), detected at `inputSize`. */
  async detectRegion(frame: HTMLCanvasElement, region: Box, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
    this.regionCanvas ??= document.createElement('canvas')
    const canvas = this.regionCanvas
    const { width, height } = drawScaledRegion(canvas, frame, region, inputSize)
    return regionToFrame(await detectFaces(canvas, inputSize, scoreThreshold), region, width, height)
  }
}
