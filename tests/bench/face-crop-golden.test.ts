/**
 * The golden crop test, bench and training side: face-api's demo photo and fixed boxes through the
 * bench's crop path (jpeg-js decode, TF.js tensor, src/shared/face-crop.ts) and through training's
 * (PIL decode, training/face_crop.py) give the same bytes within 1 grey level. The renderer's side in
 * Chromium is e2e/face-crop.spec.ts. The last test shows the tolerance is tight enough to fail: the
 * bench's old crop (bilinear without anti-aliasing, black padding) is many levels off.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type * as Tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAD_GRAY, squareCrop } from '../../src/shared/face-crop'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { grayCrops } from '../../src/bench/gallery-frames'
import { readRgba } from '../../src/bench/images'
import { GOLDEN_CASES, GOLDEN_PHOTO } from '../golden-crops'

const REPO = join(__dirname, '..', '..')
const PYTHON = join(REPO, '.venv', 'bin', 'python')

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)))
  return m
}

/** training/face_crop.py on the same photo (decoded by PIL, as training decodes) and boxes. */
function trainingCrops(): number[][] {
  const script = [
    'import json, sys',
    "sys.path.insert(0, 'training')",
    'import numpy as np',
    'from PIL import Image',
    'from face_crop import crop_face',
    'cases = json.loads(sys.argv[2])',
    "rgb = np.asarray(Image.open(sys.argv[1]).convert('RGB'))",
    "print(json.dumps([crop_face(rgb, (c['box']['x'], c['box']['y'], c['box']['width'], c['box']['height']), c['size']).ravel().tolist() for c in cases]))"
  ].join('\n')
  return JSON.parse(execFileSync(PYTHON, ['-c', script, GOLDEN_PHOTO, JSON.stringify(GOLDEN_CASES)], { cwd: REPO, encoding: 'utf8' })) as number[][]
}

describe('golden face crop: bench and training', () => {
  let api: FaceApiNode
  let frame: Tf.Tensor3D
  let bench: Uint8Array[]

  beforeAll(async () => {
    api = await FaceApiNode.create()
    frame = api.imageTensor(await readRgba(GOLDEN_PHOTO))
    const [h, w] = frame.shape
    bench = GOLDEN_CASES.map((c) => grayCrops(api, frame, [squareCrop(c.box, w, h)], c.size, c.size)[0] as Uint8Array)
  })
  afterAll(() => frame?.dispose())

  it.skipIf(!existsSync(PYTHON))('training/face_crop.py gives the bench crop within 1 grey level', () => {
    const training = trainingCrops()
    for (const [i, c] of GOLDEN_CASES.entries()) {
      expect(maxDiff(bench[i] as Uint8Array, training[i] as number[]), c.name).toBeLessThanOrEqual(1)
    }
  })

  it('pads the face filling the frame with mid-grey where its square leaves the photo', () => {
    const i = GOLDEN_CASES.findIndex((c) => c.name === 'face filling the frame')
    const out = bench[i] as Uint8Array
    const { side, y } = squareCrop(GOLDEN_CASES[i]!.box, 1920, 1280)
    // Whole output rows above the photo's top edge; the framing's shift up leaves none below.
    const padRows = Math.floor((-y / side) * 48)
    expect(padRows).toBeGreaterThanOrEqual(2)
    expect(y + side).toBeLessThanOrEqual(1280)
    expect(new Set(out.slice(0, padRows * 48))).toEqual(new Set([PAD_GRAY]))
    expect(new Set(out.slice((padRows + 1) * 48, (padRows + 2) * 48)).has(PAD_GRAY)).toBe(false)
  })

  it('is far from the old bench crop (bilinear without anti-aliasing, black padding), so 1 grey level is a real bar', () => {
    const [h, w] = frame.shape
    const old = (c: (typeof GOLDEN_CASES)[number], extrapolation: number): Float32Array => {
      const crop = squareCrop(c.box, w, h)
      return api.tf.tidy(() => {
        const boxes = api.tf.tensor2d([[crop.y / h, crop.x / w, (crop.y + crop.side) / h, (crop.x + crop.side) / w]])
        const resized = api.tf.image.cropAndResize(api.tf.expandDims(api.tf.cast(frame, 'float32'), 0) as Tf.Tensor4D, boxes, api.tf.tensor1d([0], 'int32'), [c.size, c.size], 'bilinear', extrapolation)
        return api.tf.round(api.tf.sum(api.tf.mul(resized, api.tf.tensor1d([0.299, 0.587, 0.114])), 3)).dataSync() as Float32Array
      })
    }
    // Aliasing alone (grey padding kept): the detected face differs by far more than a level.
    expect(maxDiff(bench[0] as Uint8Array, old(GOLDEN_CASES[0]!, PAD_GRAY))).toBeGreaterThan(8)
    // Black padding: the padded rows are about 128 levels off.
    expect(maxDiff(bench[1] as Uint8Array, old(GOLDEN_CASES[1]!, 0))).toBeGreaterThanOrEqual(100)
  })
})
