import * as faceapi from '@vladmandic/face-api'
// Vite emits these as local assets of the renderer build; nothing is fetched from the network.
import tinyFaceManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?raw'
import tinyFaceWeightsUrl from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url'
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { chooseBackend, readWebglRenderer, wasmThreadCount, withWasmThreadCap, type BackendChoice, type DetectorBackendName } from './detector-backend'
import type { Box } from '../../../shared/ipc'
import type { Detection, DetectorSettings } from './detection-filter'
import { scanFrame, type RegionDetector } from './frame-scan'

/**
 * The TF.js functions face-api's browser bundle carries at run time but leaves out of its typed
 * `tf` namespace. The bundle includes the WebGL, WASM and CPU backends (no WebGPU).
 */
interface TfRuntime {
  setBackend(name: string): Promise<boolean>
  getBackend(): string
  ready(): Promise<void>
  setWasmPaths(paths: Record<string, string>, usePlatformFetch?: boolean): void
  getThreadsCount?(): number
  setThreadsCount?(count: number): void
  env(): { getAsync(flag: string): Promise<unknown> }
}

const tf = faceapi.tf as unknown as TfRuntime & typeof faceapi.tf

/** What the stats panel shows about detection. */
export interface DetectorInfo {
  backend: DetectorBackendName
  reason: string
  /** For WASM: whether the SIMD build loaded, and the thread count. */
  wasmSimd: boolean | null
  wasmThreads: number | null
}

/** face-api's TinyFaceDetector on the backend the machine really supports, with locally served weights. */
export class FaceDetector implements RegionDetector<HTMLCanvasElement> {
  private constructor(readonly info: DetectorInfo) {}

  /** Picks and initialises the TF.js backend, then loads TinyFaceDetector's weights. */
  static async create(override?: DetectorBackendName): Promise<FaceDetector> {
    const choice = chooseBackend(
      { webglRenderer: readWebglRenderer(document.createElement('canvas')), crossOriginIsolated: globalThis.crossOriginIsolated === true },
      override
    )
    const info = await initBackend(choice)
    await loadTinyFaceDetector()
    const detector = new FaceDetector(info)
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

  /**
   * Faces in one rectangle of `frame` (frame pixels), detected at `inputSize`. The rectangle is
   * drawn already scaled to the input size, which is cheaper than TF.js resizing the full-size copy.
   */
  async detectRegion(frame: HTMLCanvasElement, region: Box, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
    const scale = Math.min(1, inputSize / Math.max(region.width, region.height))
    const width = Math.max(1, Math.round(region.width * scale))
    const height = Math.max(1, Math.round(region.height * scale))
    this.regionCanvas ??= document.createElement('canvas')
    const canvas = this.regionCanvas
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width
      canvas.height = height
    }
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('canvas 2D context unavailable')
    ctx.drawImage(frame, region.x, region.y, region.width, region.height, 0, 0, width, height)
    const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold })
    const found = await faceapi.detectAllFaces(canvas, options)
    const sx = region.width / width
    const sy = region.height / height
    return found.map((d) => ({ box: { x: region.x + d.box.x * sx, y: region.y + d.box.y * sy, width: d.box.width * sx, height: d.box.height * sy }, score: d.score }))
  }
}

async function initBackend(choice: BackendChoice): Promise<DetectorInfo> {
  tf.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl
  })
  // Threads need a cross-origin isolated page (SharedArrayBuffer); TF.js's own default is half the
  // cores at most, and detection is the app's main load, so it gets all of them.
  const threads = wasmThreadCount(globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency)
  tf.setThreadsCount?.(threads)
  const setBackend = (name: DetectorBackendName): Promise<boolean> => (name === 'wasm' ? withWasmThreadCap(navigator, threads, () => tf.setBackend(name)) : tf.setBackend(name))
  let { backend, reason } = choice
  if (!(await setBackend(backend))) {
    // A GPU that WebGL reports but cannot use (lost context, blocklisted driver) still leaves WASM.
    const failed = backend
    backend = failed === 'wasm' ? 'cpu' : 'wasm'
    if (!(await setBackend(backend))) throw new Error(`face detection: neither ${failed} nor ${backend} TF.js backend initialised`)
    reason = `${failed} failed to initialise; fell back to ${backend}`
  }
  await tf.ready()
  const isWasm = tf.getBackend() === 'wasm'
  return {
    backend,
    reason,
    wasmSimd: isWasm ? (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true : null,
    // The single-threaded build has no pool and answers -1: that is one thread.
    wasmThreads: isWasm && tf.getThreadsCount ? Math.max(1, tf.getThreadsCount()) : null
  }
}

async function loadTinyFaceDetector(): Promise<void> {
  const manifest = JSON.parse(tinyFaceManifest) as { weights: Parameters<typeof faceapi.tf.io.decodeWeights>[1] }[]
  const response = await fetch(tinyFaceWeightsUrl)
  if (!response.ok) throw new Error(`face detection: weights not served (${response.status} ${tinyFaceWeightsUrl})`)
  const buffer = await response.arrayBuffer()
  // The manifest and the weights ship as one shard, so decoding it directly matches face-api's own loader.
  faceapi.nets.tinyFaceDetector.loadFromWeightMap(faceapi.tf.io.decodeWeights(buffer, manifest.flatMap((m) => m.weights)))
}
