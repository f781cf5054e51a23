/**
 * npm run calibrate:framing [-- --datasets DIR] — fits the app's face framing (DEFAULT_FRAMING in
 * src/shared/face-crop.ts) to the faces our models learnt from, with face-api's landmarks and no labels:
 *
 * 1. where the eyes and the mouth sit in FER2013 and muxspace training images (CK+48 val for reference);
 * 2. where they sit relative to TinyFaceDetector's boxes on face-api's demo photos (the app's detector
 *    settings), measured through crops at a starting framing and refitted twice, so that the landmark
 *    net finally sees faces framed as in its own training;
 * 3. the geometry of the app's crops at the old framing, at DEFAULT_FRAMING and at the fitted one.
 *
 * 4. each model card's framing (`--cards` alone skips 1-3 and uses TRAINING_FACE_GEOMETRY): the app's
 *    crops at that framing against what the model learnt from (the training sets' geometry, or face-api's
 *    own crop of the same boxes for face-api's FaceExpressionNet).
 *
 * Prints the table; DEFAULT_FRAMING is then set by hand to the fitted numbers, rounded.
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DEFAULT_FRAMING, FACE_API_FRAMING, type FaceFraming } from '../shared/face-crop'
import { discoverModels } from './model-cards'
import { listLabelledImages } from './dataset'
import { faceApiAssets, DEMO_PHOTO } from './face-api-assets'
import { FaceApiNode } from './face-api-node'
import { appCropGeometry, checkCardFramings, fitFraming, landmarkGeometry, medianGeometry, TRAINING_FACE_GEOMETRY, type FaceGeometry, type PhotoFaces } from './framing'
import { readGray, readRgba } from './images'
import { detectLikeApp } from './pipelines'

const fmt = (g: FaceGeometry): string => `eye distance ${g.eyeDistance.toFixed(3)}  eyes at ${g.eyeY.toFixed(3)}  mouth at ${g.mouthY.toFixed(3)}`
const framingText = (f: FaceFraming): string => `side ${f.scale.toFixed(3)} L, centre ${f.shiftY >= 0 ? '+' : ''}${f.shiftY.toFixed(3)} L`

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const at = args.indexOf('--datasets')
  const datasets = resolve(at >= 0 ? (args[at + 1] ?? '') : join(process.cwd(), '..', 'shared', 'datasets'))
  // Every 8th training image (several thousand faces) pins a median to well under 0.005.
  const every = 8
  const api = await FaceApiNode.create()
  const cardsOnly = args.includes('--cards')
  const measured: Record<string, FaceGeometry[]> = {}
  for (const [set, split] of cardsOnly
    ? []
    : ([
        ['fer2013', 'train'],
        ['muxspace', 'train'],
        ['ckplus48', 'val']
      ] as const)) {
    const images = (await listLabelledImages(join(datasets, set, split))).filter((_, i) => i % every === 0)
    const faces: FaceGeometry[] = []
    for (const image of images) faces.push(await landmarkGeometry(api, await readGray(image.path)))
    measured[`${set} ${split}`] = faces
    console.log(`${`${set} ${split} (${faces.length})`.padEnd(28)} ${fmt(medianGeometry(faces))}`)
  }
  const target = cardsOnly ? TRAINING_FACE_GEOMETRY : medianGeometry([...(measured['fer2013 train'] ?? []), ...(measured['muxspace train'] ?? [])])
  console.log(`${'target (both training sets)'.padEnd(28)} ${fmt(target)}`)

  const demo = faceApiAssets().demoDir
  const photos: PhotoFaces[] = []
  for (const file of readdirSync(demo)
    .filter((f) => DEMO_PHOTO.test(f))
    .sort()) {
    const frame = api.imageTensor(await readRgba(join(demo, file)))
    photos.push({ frame, boxes: await detectLikeApp(api, frame) })
  }
  let framing: FaceFraming = { scale: 1, shiftY: 0 }
  for (let step = 0; step < (cardsOnly ? 0 : 3); step++) {
    const { box, faces } = await appCropGeometry(api, photos, framing)
    framing = fitFraming(target, box)
    console.log(`fit ${step + 1} (${faces} faces in the demo photos): ${framingText(framing)}`)
  }
  for (const [name, f] of cardsOnly
    ? []
    : ([
        ['old (1.2 L, centred)', { scale: 1.2, shiftY: 0 }],
        ['DEFAULT_FRAMING', DEFAULT_FRAMING],
        ['fitted', framing]
      ] as const)) {
    const { crop } = await appCropGeometry(api, photos, f)
    console.log(`${`app crops, ${name}`.padEnd(36)} ${framingText(f)}: ${fmt(crop)}`)
  }
  const { models } = await discoverModels(join(process.cwd(), 'resources', 'models'))
  const isFaceApi = (f: FaceFraming): boolean => f.scale === FACE_API_FRAMING.scale && f.shiftY === FACE_API_FRAMING.shiftY && (f.shiftX ?? 0) === 0
  for (const row of await checkCardFramings(api, photos, models.map((m) => ({ id: m.card.id, framing: m.card.framing })), target, isFaceApi)) {
    console.log(`cards ${row.models.join(', ')} (${framingText(row.framing)}, ${row.framing.resize ?? 'area'}, pad ${row.framing.pad ?? 128}):`)
    console.log(`  ${'learnt from: '.padEnd(14)}${fmt(row.learnt)}   (${row.learntFrom})`)
    console.log(`  ${'app crops: '.padEnd(14)}${fmt(row.appCrop)}   (${row.faces} faces in the demo photos)`)
  }
  for (const p of photos) p.frame.dispose()
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
