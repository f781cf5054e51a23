import * as faceapi from '@vladmandic/face-api'
// Vite emits these as local assets of the renderer build; nothing is fetched from the network.
import tinyFaceManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?raw'
import tinyFaceWeightsUrl from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url'
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { chooseBackend, readWebglRenderer, type BackendChoice, type DetectorBackendName } from './detector-backend'
import { filterDetections, type Detection, type DetectorSettings } from './detection-filter'
import { autoGrid, dropCutFaces, mergeDetections, offsetDetections, planTiles } from './detection-tiles'

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
export class FaceDetector {
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

  private tileCanvas: HTMLCanvasElement | null = null

  /**
   * Faces in `frame`, in its pixel coordinates, clipped to it and filtered by the settings. With
   * tiles (galleries of small faces) each overlapping tile is detected at the full input size and
   * the hits are merged; otherwise the whole frame is downscaled to the input size once.
   */
  async detect(frame: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]> {
    const tiles = settings.tiles ?? 1
    const grid = tiles === 'auto' ? autoGrid(frame.width, frame.height, settings.inputSize, settings.minFaceSize) : { cols: tiles, rows: tiles }
    if (grid.cols * grid.rows <= 1) return filterDetections(await this.detectCanvas(frame, settings), frame.width, frame.height, settings.minFaceSize)
    // Neighbours share 2 × overlap pixels, so any face up to that size is whole in one of them;
    // 1.5 × the minimum face covers a gallery's faces without growing tiles (and shrinking faces) more.
    const overlap = Math.round(Math.min(1.5 * Math.max(settings.minFaceSize, 24), frame.width / grid.cols / 3, frame.height / grid.rows / 3))
    this.tileCanvas ??= document.createElement('canvas')
    const canvas = this.tileCanvas
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('canvas 2D context unavailable')
    // The whole, downscaled frame finds the large faces that no tile shows whole.
    const all: Detection[] = await this.detectCanvas(frame, settings)
    for (const tile of planTiles(frame.width, frame.height, grid, overlap)) {
      canvas.width = tile.width
      canvas.height = tile.height
      ctx.drawImage(frame, tile.x, tile.y, tile.width, tile.height, 0, 0, tile.width, tile.height)
      const found = dropCutFaces(await this.detectCanvas(canvas, settings), tile, frame.width, frame.height, overlap)
      all.push(...offsetDetections(found, tile))
    }
    return filterDetections(mergeDetections(all), frame.width, frame.height, settings.minFaceSize)
  }

  private async detectCanvas(canvas: HTMLCanvasElement, settings: DetectorSettings): Promise<Detection[]> {
    const options = new faceapi.TinyFaceDetectorOptions({ inputSize: settings.inputSize, scoreThreshold: settings.scoreThreshold })
    const found = await faceapi.detectAllFaces(canvas, options)
    return found.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }))
  }
}

async function initBackend(choice: BackendChoice): Promise<DetectorInfo> {
  tf.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl
  })
  let { backend, reason } = choice
  if (!(await tf.setBackend(backend))) {
    // A GPU that WebGL reports but cannot use (lost context, blocklisted driver) still leaves WASM.
    const failed = backend
    backend = failed === 'wasm' ? 'cpu' : 'wasm'
    if (!(await tf.setBackend(backend))) throw new Error(`face detection: neither ${failed} nor ${backend} TF.js backend initialised`)
    reason = `${failed} failed to initialise; fell back to ${backend}`
  }
  await tf.ready()
  const isWasm = tf.getBackend() === 'wasm'
  return {
    backend,
    reason,
    wasmSimd: isWasm ? (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true : null,
    wasmThreads: isWasm && tf.getThreadsCount ? tf.getThreadsCount() : null
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
