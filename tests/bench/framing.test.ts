/**
 * The app's face framing against the faces our models learnt from, with face-api's landmark net on
 * face-api's demo photos (through the app's detector settings). The old framing (1.2 × the box,
 * centred) fails the same bar, so the bar means something.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_FRAMING, FACE_API_FRAMING, type FaceFraming } from '../../src/shared/face-crop'
import { discoverModels } from '../../src/bench/model-cards'
import { listLabelledImages } from '../../src/bench/dataset'
import { DEMO_PHOTO, faceApiAssets } from '../../src/bench/face-api-assets'
import { FaceApiNode } from '../../src/bench/face-api-node'
import {
  appCropGeometry,
  checkCardFramings,
  fitFraming,
  geometryInBox,
  landmarkGeometry,
  medianGeometry,
  TRAINING_FACE_GEOMETRY,
  type FaceGeometry,
  type PhotoFaces
} from '../../src/bench/framing'
import { readGray, readRgba } from '../../src/bench/images'
import { detectLikeApp } from '../../src/bench/pipelines'

const FER_VAL = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'fer2013', 'val')

/** Eye-to-mouth distance within 6 % of the training faces', eyes within 0.025 of the side. */
function framedLikeTraining(g: FaceGeometry): boolean {
  const span = g.mouthY - g.eyeY
  const trained = TRAINING_FACE_GEOMETRY.mouthY - TRAINING_FACE_GEOMETRY.eyeY
  return Math.abs(span / trained - 1) <= 0.06 && Math.abs(g.eyeY - TRAINING_FACE_GEOMETRY.eyeY) <= 0.025
}

describe('fitFraming and geometryInBox', () => {
  it('inverts each other: a crop fitted to a face puts its landmarks at the target', () => {
    const box = { x: 100, y: 50, width: 200, height: 180 }
    // Landmarks in box units as a 1.0 × centred crop (side 200, top 40) measured them.
    const measured = { eyeDistance: 0.3, eyeY: 0.3, mouthY: 0.62 }
    const inBox = geometryInBox(measured, { x: 100, y: 40, side: 200 }, box)
    expect(inBox.eyeY).toBeCloseTo(-0.2, 10)
    expect(inBox.mouthY).toBeCloseTo(0.12, 10)
    const f = fitFraming(TRAINING_FACE_GEOMETRY, inBox)
    // In the fitted crop the eyes and mouth land where the target has them.
    const top = 140 + f.shiftY * 200 - (f.scale * 200) / 2
    expect((140 + inBox.eyeY * 200 - top) / (f.scale * 200)).toBeCloseTo(TRAINING_FACE_GEOMETRY.eyeY, 10)
    expect((140 + inBox.mouthY * 200 - top) / (f.scale * 200)).toBeCloseTo(TRAINING_FACE_GEOMETRY.mouthY, 10)
  })
})

describe('the app frames faces as its models learnt them (landmarks on the demo photos)', () => {
  let api: FaceApiNode
  const photos: PhotoFaces[] = []

  beforeAll(async () => {
    api = await FaceApiNode.create()
    const demo = faceApiAssets().demoDir
    for (const file of readdirSync(demo)
      .filter((f) => DEMO_PHOTO.test(f))
      .sort()) {
      const frame = api.imageTensor(await readRgba(join(demo, file)))
      photos.push({ frame, boxes: await detectLikeApp(api, frame) })
    }
  }, 120_000)
  afterAll(() => {
    for (const p of photos) p.frame.dispose()
  })

  const geometry = async (framing: FaceFraming): Promise<FaceGeometry> => {
    const { crop, faces } = await appCropGeometry(api, photos, framing)
    expect(faces).toBeGreaterThanOrEqual(15)
    return crop
  }

  it('DEFAULT_FRAMING puts eyes and mouth where the training faces have them', async () => {
    expect(framedLikeTraining(await geometry(DEFAULT_FRAMING))).toBe(true)
  }, 120_000)

  it('the old framing (1.2 × the box, centred) does not', async () => {
    const old = await geometry({ scale: 1.2, shiftY: 0 })
    expect(framedLikeTraining(old)).toBe(false)
    // Faces at about 0.7 of their trained size.
    expect((old.mouthY - old.eyeY) / (TRAINING_FACE_GEOMETRY.mouthY - TRAINING_FACE_GEOMETRY.eyeY)).toBeLessThan(0.8)
  }, 120_000)

  it.skipIf(!existsSync(FER_VAL))(
    'FER2013 val faces match the recorded training geometry',
    async () => {
      const images = (await listLabelledImages(FER_VAL)).filter((_, i) => i % 16 === 0)
      const faces: FaceGeometry[] = []
      for (const image of images) faces.push(await landmarkGeometry(api, await readGray(image.path)))
      expect(framedLikeTraining(medianGeometry(faces))).toBe(true)
    },
    120_000
  )

  it("every shipped card's framing puts the landmarks where its model learnt them; face-api's net learnt another framing", async () => {
    const { models } = await discoverModels(join(__dirname, '..', '..', 'resources', 'models'))
    const isFaceApi = (f: FaceFraming): boolean => f.scale === FACE_API_FRAMING.scale && f.shiftY === FACE_API_FRAMING.shiftY
    const rows = await checkCardFramings(api, photos, models.map((m) => ({ id: m.card.id, framing: m.card.framing })), TRAINING_FACE_GEOMETRY, isFaceApi)
    for (const row of rows) {
      const span = (g: FaceGeometry): number => g.mouthY - g.eyeY
      expect(Math.abs(span(row.appCrop) / span(row.learnt) - 1), row.models.join()).toBeLessThanOrEqual(0.06)
      expect(Math.abs(row.appCrop.eyeY - row.learnt.eyeY), row.models.join()).toBeLessThanOrEqual(0.025)
    }
    const faceApiRow = rows.find((r) => r.models.includes('faceapi-expression'))
    // face-api's own crop is looser than FER2013's: the FER framing would show its net a face about 1.25 times too large.
    expect(faceApiRow && framedLikeTraining(faceApiRow.learnt)).toBe(false)
  }, 120_000)
})
