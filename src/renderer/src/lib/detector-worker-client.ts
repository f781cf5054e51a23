import type { Box } from '../../../shared/ipc'
import { FaceDetector, type FaceDetection } from './detector'
import type { DetectorBackendName } from './detector-backend'
import type { DetectorReply, DetectorRequest } from './detector-protocol'
import { initTfBackend, drawScaledRegion, regionToFrame, type DetectorInfo } from './detector-tf'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import type { FrameFaces, FrameTracker, TrackSettings } from '../../../shared/detection/detect-track'
import { scanFrame } from '../../../shared/detection/frame-scan'

/** How long the worker may take to load TF.js, compile its WASM and load the weights on a busy machine. */
const START_TIMEOUT_MS = 90_000

/** Requests without their id, which the client assigns. */
type Request = DetectorRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/**
 * Face detection in its dedicated worker (detector-worker.ts), seen from the page: whole-frame
 * scans and single regions for code that runs its own scheduling (video analysis), and trackers
 * whose detect-then-track loop runs in the worker, one transferred frame per message.
 */
export class WorkerFaceDetector implements FaceDetection {
  private nextId = 1
  private nextTracker = 1
  private readonly pending = new Map<number, { resolve: (reply: DetectorReply) => void; reject: (error: Error) => void }>()
  private dead: Error | null = null
  private regionCanvas: HTMLCanvasElement | null = null

  private constructor(
    private readonly worker: Worker,
    public info: DetectorInfo
  ) {}

  /** Starts the worker and waits until its detector is loaded and warm; rejects if it cannot start. */
  static async start(override?: DetectorBackendName): Promise<WorkerFaceDetector> {
    // Vite bundles the worker as its own module chunk, served from the app's origin (CSP worker-src 'self').
    const worker = new Worker(new URL('./detector-worker.ts', import.meta.url), { type: 'module', name: 'face-detection' })
    const client = new WorkerFaceDetector(worker, { backend: 'wasm', reason: '', wasmSimd: null, wasmThreads: null, place: 'worker', fallback: null })
    worker.onmessage = (event: MessageEvent<DetectorReply>) => client.settle(event.data)
    // A script that fails to load or throws at the top level reaches only this handler.
    worker.onerror = (event) => {
      // Handled here (the run falls back or reports it), so not also an uncaught error in the console.
      event.preventDefault()
      client.fail(new Error(`face detection worker failed: ${event.message || 'its script did not load'}`))
    }
    worker.onmessageerror = () => client.fail(new Error('face detection worker: a message could not be read'))
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`face detection worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
      })
      const reply = await Promise.race([client.request({ kind: 'init', ...(override ? { override } : {}) }), timeout])
      if (reply.kind !== 'ready') throw new Error(`face detection worker answered ${reply.kind} to init`)
      client.info = reply.info
      return client
    } catch (error) {
      worker.terminate()
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** Faces in `frame` by a full scan; each pass is one region sent to the worker. */
  detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]> {
    return scanFrame(this, frame, frame.width, frame.height, settings)
  }

  /**
   * Faces in one rectangle of `frame`: drawn here at the detector's input size (the pixels the
   * in-page detector would use), moved to the worker as an ImageBitmap, boxes mapped back.
   */
  async detectRegion(frame: HTMLCanvasElement, region: Box, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
    this.regionCanvas ??= document.createElement('canvas')
    const canvas = this.regionCanvas
    const { width, height } = drawScaledRegion(canvas, frame, region, inputSize)
    const image = await createImageBitmap(canvas)
    const reply = await this.request({ kind: 'detect', image, inputSize, scoreThreshold }, [image])
    if (reply.kind !== 'detected') throw new Error(`face detection worker answered ${reply.kind} to detect`)
    return regionToFrame(reply.detections, region, width, height)
  }

  /** A detect-then-track loop that runs in the worker; each frame is copied once and moved there. */
  tracker(settings: TrackSettings): FrameTracker<HTMLCanvasElement> {
    const trackerId = this.nextTracker++
    let track = settings
    return {
      next: async (frame, width, height, nowMs, detector): Promise<FrameFaces> => {
        // The copy is taken now, so the page may draw the next video frame into `frame` meanwhile.
        const bitmap = await createImageBitmap(frame, 0, 0, width, height)
        const reply = await this.request({ kind: 'track', trackerId, frame: bitmap, nowMs, detector, track }, [bitmap])
        if (reply.kind !== 'tracked') throw new Error(`face detection worker answered ${reply.kind} to track`)
        return reply.faces
      },
      configure: (next) => {
        track = next
      },
      reset: () => {
        // Ordered after any frame in flight. It fails only once the worker is gone, and then the
        // next frame fails too and is reported; there are no faces left to forget.
        this.request({ kind: 'reset', trackerId }).catch(() => undefined)
      }
    }
  }

  /** Stops the worker; calls after this fail. */
  dispose(): void {
    this.fail(new Error('face detection worker stopped'))
  }

  private request(request: Request, transfer: Transferable[] = []): Promise<DetectorReply> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise<DetectorReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id } as DetectorRequest, transfer)
    })
  }

  private settle(reply: DetectorReply): void {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    if (reply.kind === 'failed') waiting.reject(new Error(`face detection: ${reply.message}`))
    else waiting.resolve(reply)
  }

  private fail(error: Error): void {
    this.dead ??= error
    this.worker.terminate()
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }
}

/**
 * Face detection for the app: in its worker, or, where the worker cannot start, in the page, with
 * the reason in `info.fallback` for the Performance panel. The page's own TF.js backend is set up
 * too, for face-api's re-identification nets, which still run here.
 */
export async function startFaceDetection(override?: DetectorBackendName): Promise<FaceDetection> {
  let detector: FaceDetection
  try {
    detector = await WorkerFaceDetector.start(override)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return FaceDetector.create(override, reason)
  }
  await initTfBackend(document.createElement('canvas'))
  return detector
}
