import type * as FaceApi from '@vladmandic/face-api'
import type * as Tf from '@tensorflow/tfjs'
import { EMOTIONS, type Emotion } from '../shared/emotions'
import type { Box } from '../shared/ipc'
import { faceApiAssets, type FaceApiNet } from './face-api-assets'
import type { RgbaBitmap } from './images'

/** face-api's Node build on TF.js's WASM backend, the backend the app's renderer uses on machines without a GPU. */
type FaceApiModule = typeof FaceApi

/** TF.js as the Node WASM build re-exports it (@tensorflow/tfjs plus the WASM backend's setWasmPaths). */
type TfRuntime = typeof Tf & { setWasmPaths(prefix: string): void }

/** face-api's expression class names, mapped to ours (FER2013's folder names). */
export const FACE_API_EXPRESSION_TO_EMOTION: Readonly<Record<string, Emotion>> = {
  angry: 'angry',
  disgusted: 'disgust',
  fearful: 'fear',
  happy: 'happy',
  neutral: 'neutral',
  sad: 'sad',
  surprised: 'surprise'
}

/** FaceExpressionNet's input side; face-api resizes any face crop to this square. */
export const FACE_EXPRESSION_INPUT = 112

/** The two face detectors face-api offers that the app can use. */
export type DetectorName = 'tiny' | 'ssd'

/** A detected face in image pixels. */
export interface DetectedFace {
  box: Box
  score: number
}

/** Reorders a face-api expression result into probabilities in EMOTIONS order. */
export function expressionsToProbabilities(expressions: Readonly<Record<string, unknown>>): number[] {
  const probabilities = new Array<number>(EMOTIONS.length).fill(0)
  for (const [name, emotion] of Object.entries(FACE_API_EXPRESSION_TO_EMOTION)) {
    const value = expressions[name]
    if (typeof value !== 'number') throw new Error(`face-api expression result lacks "${name}"`)
    probabilities[EMOTIONS.indexOf(emotion)] = value
  }
  return probabilities
}

/** face-api loaded in Node with its weights read from the npm package's model folder (never the network). */
export class FaceApiNode {
  private loaded = new Set<string>()

  private constructor(
    readonly faceapi: FaceApiModule,
    readonly modelDir: string
  ) {}

  /** TF.js as face-api's Node build re-exports it. */
  get tf(): TfRuntime {
    return this.faceapi.tf as unknown as TfRuntime
  }

  /**
   * Loads face-api's Node WASM build and initialises TF.js's WASM backend from local .wasm files.
   * A dynamic import (not require) so that the bench's bundle carries face-api and TF.js inside it.
   */
  static async create(): Promise<FaceApiNode> {
    const loaded = (await import('@vladmandic/face-api/dist/face-api.node-wasm.js')) as unknown as FaceApiModule & { default?: FaceApiModule }
    // Node (and the bundle) give a CommonJS module's exports as the default export.
    const faceapi = loaded.default ?? loaded
    const tf = faceapi.tf as unknown as TfRuntime
    const assets = faceApiAssets()
    // A directory prefix makes the backend read tfjs-backend-wasm*.wasm from disk, not from a CDN.
    tf.setWasmPaths(assets.wasmDir + '/')
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js WASM backend did not initialise')
    await tf.ready()
    return new FaceApiNode(faceapi, assets.modelDir)
  }

  /** Versions for the report. */
  versions(): { faceApi: string; tfjs: string; backend: string } {
    return { faceApi: String(this.faceapi.version), tfjs: this.tf.version_core, backend: this.tf.getBackend() }
  }

  /** Loads one of face-api's nets from disk once; returns the ms it took (0 when already loaded). */
  async load(net: FaceApiNet): Promise<number> {
    if (this.loaded.has(net)) return 0
    const started = performance.now()
    await this.faceapi.nets[net].loadFromDisk(this.modelDir)
    this.loaded.add(net)
    return performance.now() - started
  }

  /** An int32 HxWx3 image tensor of an RGBA bitmap; the caller disposes it. */
  imageTensor(image: RgbaBitmap): Tf.Tensor3D {
    const tf = this.tf
    return tf.tidy(() => {
      const rgba = tf.tensor3d(image.data, [image.height, image.width, 4], 'int32')
      return tf.slice(rgba, [0, 0, 0], [image.height, image.width, 3]) as Tf.Tensor3D
    })
  }

  /**
   * Faces in an image tensor. TinyFaceDetector uses the app's default settings (inputSize 416,
   * score 0.5) unless told otherwise; SSD MobileNetV1 face-api's defaults (min confidence 0.5).
   */
  async detect(image: Tf.Tensor3D, detector: DetectorName, inputSize = 416, scoreThreshold = 0.5): Promise<DetectedFace[]> {
    await this.load(detector === 'tiny' ? 'tinyFaceDetector' : 'ssdMobilenetv1')
    const options =
      detector === 'tiny'
        ? new this.faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold })
        : new this.faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })
    const found = await this.faceapi.detectAllFaces(image as unknown as FaceApi.TNetInput, options)
    return found.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }))
  }

  /**
   * FaceExpressionNet's probabilities (EMOTIONS order) for a batch of face tensors (HxWx3, any
   * size: face-api pads each to a square and resizes it to 112x112 itself).
   */
  async expressions(faces: readonly Tf.Tensor3D[]): Promise<number[][]> {
    if (faces.length === 0) return []
    await this.load('faceExpressionNet')
    const result = await this.faceapi.nets.faceExpressionNet.predictExpressions((faces.length === 1 ? faces[0] : [...faces]) as unknown as FaceApi.TNetInput)
    const list = Array.isArray(result) ? result : [result]
    return list.map((e) => expressionsToProbabilities(e as unknown as Record<string, unknown>))
  }

  /**
   * A 48x48 FER2013 gray face as FaceExpressionNet input: gray copied to R, G and B and enlarged
   * bilinearly to 112x112 (the net's input), as face-api itself would resize any crop.
   */
  grayFaceTensor(pixels: Uint8Array, width: number, height: number): Tf.Tensor3D {
    const tf = this.tf
    return tf.tidy(() => {
      const gray = tf.tensor3d(pixels, [height, width, 1], 'int32')
      const rgb = tf.concat([gray, gray, gray], 2) as Tf.Tensor3D
      return tf.image.resizeBilinear(rgb, [FACE_EXPRESSION_INPUT, FACE_EXPRESSION_INPUT]) as Tf.Tensor3D
    })
  }
}
