import * as faceapi from '@vladmandic/face-api'
import type { Box } from '../../../shared/ipc'
import { initFaceApi, detectFacesInPixels, readGrayFrame, regionToFrame, scaledRegionSize } from './detector-tf'
import type { GrayImage } from '../../../shared/detection/box-follower'
import type { DetectorReply, DetectorRequest } from './detector-protocol'
import type { Detection } from '../../../shared/detection/detection-filter'
import { DetectThenTrack } from '../../../shared/detection/detect-track'
import type { RegionDetector } from '../../../shared/detection/frame-scan'

/**
 * The face-detection worker: face-api's TinyFaceDetector on TF.js (threaded WASM SIMD, or WebGL on
 * a GPU) off the page's thread, so the page only grabs frames, cuts crops and draws while a frame
 * is being detected. It runs the app's detect-then-track loop itself, one message per frame.
 */

interface WorkerScope {
  onmessage: ((event: MessageEvent<DetectorRequest>) => void) | null
  postMessage(message: DetectorReply, transfer?: Transferable[]): void
}
const scope = self as unknown as WorkerScope

/**
 * face-api decides at import whether it runs in a browser page or in Node, and a worker is
 * neither; it only needs to know which classes are canvases and how to make one, and a worker
 * has OffscreenCanvas. Nothing here loads images or videos, so those stay unusable.
 */
function patchFaceApiEnvironment(): void {
  const unavailable = (what: string) => (): never => {
    throw new Error(`${what} is not available in the face-detection worker`)
  }
  const environment = {
    Canvas: OffscreenCanvas,
    CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
    Image: class {},
    ImageData,
    Video: class {},
    createCanvasElement: () => new OffscreenCanvas(1, 1),
    createImageElement: unavailable('an image element'),
    createVideoElement: unavailable('a video element'),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
    readFile: unavailable('the file system')
  }
  faceapi.env.setEnv(environment as unknown as Parameters<typeof faceapi.env.setEnv>[0])
}

/** Regions of a frozen frame (an ImageBitmap), drawn scaled on an OffscreenCanvas and detected from their pixels. */
class BitmapRegionDetector implements RegionDetector<ImageBitmap> {
  private readonly canvas = new OffscreenCanvas(1, 1)
  private readonly ctx: OffscreenCanvasRenderingContext2D

  constructor() {
    // Every region's pixels are read back for TF.js, so keep the canvas in CPU memory.
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) throw new Error('OffscreenCanvas 2D context unavailable in the face-detection worker')
    this.ctx = ctx
  }

  async detectRegion(frame: ImageBitmap, region: Box, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
    const { width, height } = scaledRegionSize(region, inputSize)
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width
      this.canvas.height = height
    }
    this.ctx.drawImage(frame, region.x, region.y, region.width, region.height, 0, 0, width, height)
    const pixels = this.ctx.getImageData(0, 0, width, height)
    return regionToFrame(await detectFacesInPixels(pixels, inputSize, scoreThreshold), region, width, height)
  }

  private grayCtx: OffscreenCanvasRenderingContext2D | null = null

  grayFrame(frame: ImageBitmap, width: number, height: number): GrayImage {
    this.grayCtx ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })
    if (!this.grayCtx) throw new Error('OffscreenCanvas 2D context unavailable in the face-detection worker')
    return readGrayFrame(this.grayCtx, frame, width, height)
  }
}

let regions: BitmapRegionDetector | null = null
const trackers = new Map<number, DetectThenTrack<ImageBitmap>>()

async function handle(request: DetectorRequest): Promise<DetectorReply> {
  switch (request.kind) {
    case 'init': {
      patchFaceApiEnvironment()
      const info = await initFaceApi(new OffscreenCanvas(1, 1), 'worker', request.override)
      regions = new BitmapRegionDetector()
      // The first run compiles kernels; do it now so it does not count as the first frame's detection time.
      const warm = await createImageBitmap(new ImageData(128, 128))
      await regions.detectRegion(warm, { x: 0, y: 0, width: 128, height: 128 }, 128, 0.5)
      warm.close()
      return { kind: 'ready', id: request.id, info }
    }
    case 'detect': {
      const detector = ready()
      try {
        const { width, height } = request.image
        return { kind: 'detected', id: request.id, detections: await detector.detectRegion(request.image, { x: 0, y: 0, width, height }, request.inputSize, request.scoreThreshold) }
      } finally {
        request.image.close()
      }
    }
    case 'track': {
      const detector = ready()
      const started = performance.now()
      let tracker = trackers.get(request.trackerId)
      if (!tracker) trackers.set(request.trackerId, (tracker = new DetectThenTrack(detector, request.track)))
      else tracker.configure(request.track)
      try {
        const faces = await tracker.next(request.frame, request.frame.width, request.frame.height, request.nowMs, request.detector)
        return { kind: 'tracked', id: request.id, faces, workMs: performance.now() - started }
      } finally {
        request.frame.close()
      }
    }
    case 'reset':
      trackers.get(request.trackerId)?.reset()
      return { kind: 'done', id: request.id }
  }
}

function ready(): BitmapRegionDetector {
  if (!regions) throw new Error('face detection worker: not initialised')
  return regions
}

// One request at a time, in arrival order: TF.js runs one graph at a time anyway, and the
// trackers' state must see frames in order.
let queue = Promise.resolve()
scope.onmessage = (event) => {
  const request = event.data
  queue = queue.then(async () => {
    try {
      scope.postMessage(await handle(request))
    } catch (error) {
      scope.postMessage({ kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) })
    }
  })
}
