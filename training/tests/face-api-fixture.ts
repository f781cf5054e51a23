/**
 * Writes the fixture training/tests/test_faceapi_expression.py compares the PyTorch/ONNX port of face-api's
 * FaceExpressionNet against: faces cut from face-api's demo photos (found by its TinyFaceDetector), saved as
 * lossless PNGs so Python reads the very pixels Node fed, with face-api's own probabilities (EMOTIONS order) for
 *   - the RGB crop as it is (not square, larger or smaller than 112: face-api pads and resizes it itself), and
 *   - a 48x48 gray version, fed as the bench and scripts/face-api-teacher.ts feed a crop (gray to R, G, B,
 *     tf.image.resizeBilinear to 112x112).
 *
 *   npx tsx training/tests/face-api-fixture.ts training/tests/fixtures/face-api
 *
 * With --decode LISTING.json DATASET_ROOT OUT.u8 it instead writes the 48x48 gray pixels of a teacher listing's
 * images as the teacher script decoded them (jpeg-js, not PIL), N x 48 x 48 bytes, for
 * `faceapi_expression.py --teacher ... --pixels OUT.u8`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { faceApiAssets } from '../../src/bench/face-api-assets'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { readGray, readRgba, resizeGray, type RgbaBitmap } from '../../src/bench/images'
import { rgbaToGray } from '../../src/renderer/src/lib/face-crop'
import { EMOTIONS } from '../../src/shared/emotions'

// Photo, and how to stretch the detected box: taller, wider or smaller crops exercise face-api's
// pad-to-square on either axis and its resize both up and down.
const CASES = [
  { photo: 'sample1.jpg', grow: [0.7, 0.9] },
  { photo: 'sample2.jpg', grow: [0.8, 0.6] },
  { photo: 'sample3.jpg', grow: [0.35, 0.45] },
  { photo: 'sample4.jpg', grow: [0.3, 0.3] }
] as const

function crop(image: RgbaBitmap, x: number, y: number, w: number, h: number): RgbaBitmap {
  const data = new Uint8Array(w * h * 4)
  for (let r = 0; r < h; r++) data.set(image.data.subarray(((y + r) * image.width + x) * 4, ((y + r) * image.width + x + w) * 4), r * w * 4)
  return { width: w, height: h, data }
}

function writePng(path: string, width: number, height: number, rgba: Uint8Array): void {
  const png = new PNG({ width, height })
  png.data = Buffer.from(rgba)
  writeFileSync(path, PNG.sync.write(png))
}

function grayToRgba(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(pixels.length * 4)
  pixels.forEach((v, i) => out.set([v, v, v, 255], i * 4))
  return out
}

async function fixture(out: string): Promise<void> {
  const api = await FaceApiNode.create()
  const demoDir = faceApiAssets().demoDir
  mkdirSync(out, { recursive: true })
  const faces = []
  for (const [i, c] of CASES.entries()) {
    const photo = await readRgba(join(demoDir, c.photo))
    const image = api.imageTensor(photo)
    const found = (await api.detect(image, 'tiny')).sort((a, b) => b.score - a.score)[0]
    image.dispose()
    if (!found) throw new Error(`${c.photo}: no face found`)
    const { box } = found
    const w = Math.round(box.width * c.grow[0])
    const h = Math.round(box.height * c.grow[1])
    const x = Math.max(0, Math.min(photo.width - w, Math.round(box.x + box.width / 2 - w / 2)))
    const y = Math.max(0, Math.min(photo.height - h, Math.round(box.y + box.height / 2 - h / 2)))
    const face = crop(photo, x, y, w, h)
    const rgbName = `face-${i + 1}.png`
    writePng(join(out, rgbName), w, h, face.data)
    const gray48 = resizeGray({ width: w, height: h, pixels: rgbaToGray(face) }, 48, 48)
    const grayName = `face-${i + 1}-gray48.png`
    writePng(join(out, grayName), 48, 48, grayToRgba(gray48.pixels))

    const rgbTensor = api.imageTensor(face)
    const grayTensor = api.grayFaceTensor(gray48.pixels, 48, 48)
    const [rgbProbs, grayProbs] = await api.expressions([rgbTensor, grayTensor])
    rgbTensor.dispose()
    grayTensor.dispose()
    faces.push({ photo: c.photo, box: [x, y, w, h], rgb: rgbName, rgb_probabilities: rgbProbs, gray48: grayName, gray48_probabilities: grayProbs })
  }
  const versions = api.versions()
  writeFileSync(join(out, 'face-api-expressions.json'), JSON.stringify({ classes: EMOTIONS, ...versions, faces }, null, 2) + '\n')
  console.log(`wrote ${faces.length} faces to ${out} (face-api ${versions.faceApi}, TF.js ${versions.tfjs} ${versions.backend})`)
}

async function decode(listingPath: string, root: string, out: string): Promise<void> {
  const listing = JSON.parse(readFileSync(listingPath, 'utf8')) as { count: number; files: string[] }
  const pixels = new Uint8Array(listing.count * 48 * 48)
  for (const [i, f] of listing.files.entries()) {
    const g = await readGray(join(root, f))
    if (g.width !== 48 || g.height !== 48) throw new Error(`${f}: ${g.width}x${g.height}, expected 48x48`)
    pixels.set(g.pixels, i * 48 * 48)
  }
  writeFileSync(out, pixels)
  console.log(`wrote ${listing.count} images to ${out}`)
}

const args = process.argv.slice(2)
const job = args[0] === '--decode' && args.length === 4 ? decode(args[1] as string, args[2] as string, args[3] as string) : args.length === 1 ? fixture(args[0] as string) : null
if (!job) {
  console.error('usage: tsx training/tests/face-api-fixture.ts OUT_DIR | --decode LISTING.json DATASET_ROOT OUT.u8')
  process.exit(2)
}
job.catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
