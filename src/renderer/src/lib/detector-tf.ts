import * as faceapi from '@vladmandic/face-api'
// Vite emits these as local assets of the renderer build; nothing is fetched from the network.
import tinyFaceManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?raw'
import tinyFaceWeightsUrl from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url'
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import type { Box } from '../../../shared/ipc'
import { chooseBackend, readWebglRenderer, wasmThreadCount, withWasmThreadCap, type BackendChoice, type DetectorBackendName } from './detector-backend'
import type { Detection } from '../../../shared/detection/detection-filter'
import { graySize, rgbaToGray, type GrayImage } from '../../../shared/detection/box-follower'

/**
 * face-api and TF.js set-up shared by the in-page detector and the detection worker: the backend
 * the machine really supports, TinyFaceDetector's weights, and one detector call on pixels already
 * scaled to the detector's input.
 */

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

/** Where detection runs: a dedicated worker, or the page itself when the worker could not start. */
export type DetectorPlace = 'worker' | 'page'

/** What the stats panel shows about detection. */
export interface DetectorInfo {
  backend: DetectorBackendName
  reason: string
  /** For WASM: whether the SIMD build loaded, and the thread count. */
  wasmSimd: boolean | null
  wasmThreads: number | null
  place: DetectorPlace
  /** Why detection runs in the page rather than its worker; null when it runs where intended. */
  fallback: string | null
}

/**
 * Picks and initialises the TF.js backend (WebGL on a real GPU, otherwise threaded WASM SIMD) and
 * loads TinyFaceDetector's weights. `canvas` is a throwaway canvas to probe WebGL with.
 */
export async function initFaceApi(canvas: HTMLCanvasElement | OffscreenCanvas, place: DetectorPlace, override?: DetectorBackendName): Promise<DetectorInfo> {
  const choice = chooseBackend({ webglRenderer: readWebglRenderer(canvas), crossOriginIsolated: globalThis.crossOriginIsolated === true }, override)
  const info = await initBackend(choice)
  await loadTinyFaceDetector()
  return { ...info, place, fallback: null }
}

/** The TF.js backend only (for face-api nets other than the detector, such as re-identification). */
export async function initTfBackend(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<void> {
  await initBackend(chooseBackend({ webglRenderer: readWebglRenderer(canvas), crossOriginIsolated: globalThis.crossOriginIsolated === true }))
}

/**
 * The size `region` is drawn at before detection: its longer side at `inputSize`, never enlarged.
 * Drawing the rectangle already scaled is cheaper than TF.js resizing the full-size copy.
 */
export function scaledRegionSize(region: Box, inputSize: number): { width: number; height: number } {
  const scale = Math.min(1, inputSize / Math.max(region.width, region.height))
  return { width: Math.max(1, Math.round(region.width * scale)), height: Math.max(1, Math.round(region.height * scale)) }
}

/**
 * Draws `region` of `frame` into `canvas` at scaledRegionSize (the canvas is resized only when that
 * size changes, so one canvas serves every region search); returns the drawn size.
 */
export function drawScaledRegion(canvas: HTMLCanvasElement, frame: CanvasImageSource, region: Box, inputSize: number): { width: number; height: number } {
  const { width, height } = scaledRegionSize(region, inputSize)
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width
    canvas.height = height
  }
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('canvas 2D context unavailable')
  ctx.drawImage(frame, region.x, region.y, region.width, region.height, 0, 0, width, height)
  return { width, height }
}

/**
 * The gray copy of a frame the face follower reads (box-follower.ts): drawn downscaled on `ctx`'s
 * canvas (resized to fit) and read back. A few milliseconds for a 1920x1080 frame.
 */
export function readGrayFrame(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, frame: CanvasImageSource, width: number, height: number): GrayImage {
  const size = graySize(width, height)
  const canvas = ctx.canvas
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width
    canvas.height = size.height
  }
  ctx.drawImage(frame, 0, 0, width, height, 0, 0, size.width, size.height)
  return rgbaToGray(ctx.getImageData(0, 0, size.width, size.height).data, size.width, size.height, size.scale)
}

/** Maps detections on the scaled drawing of `region` (width × height) back to frame pixels. */
export function regionToFrame(found: readonly Detection[], region: Box, width: number, height: number): Detection[] {
  const sx = region.width / width
  const sy = region.height / height
  return found.map((d) => ({ box: { x: region.x + d.box.x * sx, y: region.y + d.box.y * sy, width: d.box.width * sx, height: d.box.height * sy }, score: d.score }))
}

/** TinyFaceDetector on `input` (pixels already scaled, or a tensor of them), boxes in its own pixels. */
export async function detectFaces(input: faceapi.TNetInput, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
  const found = await faceapi.detectAllFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }))
  return found.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }))
}

/** TinyFaceDetector on raw RGBA pixels (a worker has no canvas element for face-api to read). */
export async function detectFacesInPixels(pixels: ImageData, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
  const tensor = faceapi.tf.browser.fromPixels(pixels)
  try {
    return await detectFaces(tensor, inputSize, scoreThreshold)
  } finally {
    tensor.dispose()
  }
}

async function initBackend(choice: BackendChoice): Promise<Omit<DetectorInfo, 'place' | 'fallback'>> {
  tf.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl
  })
  // Threads need a cross-origin isolated page (SharedArrayBuffer); TF.js's own default is half the
  // cores at most; detection is the app's main load, so it gets every core but one (wasmThreadCount).
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
  if (faceapi.nets.tinyFaceDetector.isLoaded) return
  const manifest = JSON.parse(tinyFaceManifest) as { weights: Parameters<typeof faceapi.tf.io.decodeWeights>[1] }[]
  const response = await fetch(tinyFaceWeightsUrl)
  if (!response.ok) throw new Error(`face detection: weights not served (${response.status} ${tinyFaceWeightsUrl})`)
  const buffer = await response.arrayBuffer()
  // The manifest and the weights ship as one shard, so decoding it directly matches face-api's own loader.
  faceapi.nets.tinyFaceDetector.loadFromWeightMap(faceapi.tf.io.decodeWeights(buffer, manifest.flatMap((m) => m.weights)))
}
