/**
 * Where the bench finds face-api's weights, its demo photos and TF.js's .wasm files: in the npm
 * packages when it runs from the TypeScript sources (npm run bench, Vitest), in the folder beside
 * the bundle when it runs built (out/bench/face-api/, copied there by bench.vite.config.ts), since a
 * packaged app ships no devDependencies.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)

/** True when this code runs from the built bundle (out/bench/*.mjs), false from the TypeScript sources. */
export const BUNDLED = !here.endsWith('.ts')

/** The folder of the bundle's face-api files, relative to out/bench. */
export const BUNDLED_ASSETS_DIR = 'face-api'

/** face-api's nets the bench loads, with the file name stem of their weights (`<stem>-weights_manifest.json`). */
export const FACE_API_NETS = {
  tinyFaceDetector: 'tiny_face_detector_model',
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  faceExpressionNet: 'face_expression_model',
  // The framing calibration's landmarks (framing.ts).
  faceLandmark68Net: 'face_landmark_68_model'
} as const

/** A net the bench loads. */
export type FaceApiNet = keyof typeof FACE_API_NETS

/** face-api's demo photos (real people, several per photo) that the gallery and demo faces are built from. */
export const DEMO_PHOTO = /^sample\d+\.jpg$/

/** The three folders. */
export interface FaceApiAssets {
  /** face-api's weights: `<stem>-weights_manifest.json` and the .bin files it names. */
  modelDir: string
  /** face-api's demo photos (DEMO_PHOTO). */
  demoDir: string
  /** tfjs-backend-wasm*.wasm. */
  wasmDir: string
}

/** The folders in the npm packages (node_modules), resolved from `from` (a file or folder URL or path). */
export function packageAssets(from: string = import.meta.url): FaceApiAssets {
  const require = createRequire(from)
  const faceApi = dirname(require.resolve('@vladmandic/face-api/package.json'))
  return {
    modelDir: join(faceApi, 'model'),
    demoDir: join(faceApi, 'demo'),
    wasmDir: join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
  }
}

/** The folders under a built bundle's folder (out/bench). */
export function bundledAssets(bundleDir: string): FaceApiAssets {
  const root = join(bundleDir, BUNDLED_ASSETS_DIR)
  return { modelDir: join(root, 'model'), demoDir: join(root, 'demo'), wasmDir: join(root, 'wasm') }
}

/** The folders this run uses. */
export function faceApiAssets(): FaceApiAssets {
  return BUNDLED ? bundledAssets(dirname(here)) : packageAssets()
}
