/**
 * Re-identification with face-api's own recognition net in Node (its WASM build, weights read
 * from the npm package): the same steps the renderer's FaceIdentities takes (square crop around
 * the face, 160 px, tiny landmarks, aligned face, descriptor), and the IdentityGallery it feeds.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type * as Tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { readRgba, type RgbaBitmap } from '../../src/bench/images'
import type { Box } from '../../src/shared/ipc'
import { descriptorCrop, descriptorDistance, IdentityGallery, SAME_PERSON_DISTANCE } from '../../src/renderer/src/lib/identity-gallery'

const MUXSPACE_TEST = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'muxspace', 'test')
let api: FaceApiNode

beforeAll(async () => {
  api = await FaceApiNode.create()
  await api.faceapi.nets.faceRecognitionNet.loadFromDisk(api.modelDir)
  await api.faceapi.nets.faceLandmark68TinyNet.loadFromDisk(api.modelDir)
})

/** The renderer's descriptor steps on an image tensor: square around `box` → 160 px → landmarks → aligned → descriptor. */
async function describeFace(image: RgbaBitmap, box: Box | null): Promise<Float32Array> {
  const { tf, faceapi } = api
  const square = box ? descriptorCrop(box, image.width, image.height) : { x: 0, y: 0, width: image.width, height: image.height }
  const crop = tf.tidy(() => {
    const t = api.imageTensor(image).toFloat().expandDims(0) as Tf.Tensor4D
    const b = [square.y / image.height, square.x / image.width, (square.y + square.height) / image.height, (square.x + square.width) / image.width]
    return tf.image.cropAndResize(t, [b], [0], [160, 160]).squeeze([0]) as Tf.Tensor3D
  })
  try {
    const landmarks = (await faceapi.nets.faceLandmark68TinyNet.detectLandmarks(crop as never)) as InstanceType<typeof faceapi.FaceLandmarks68>
    const [aligned] = await faceapi.extractFaceTensors(crop as never, [landmarks.align()])
    try {
      return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(aligned as never)) as Float32Array
    } finally {
      aligned?.dispose()
    }
  } finally {
    crop.dispose()
  }
}

const demo = (name: string): string => join(api.modelDir, '..', 'demo', name)

describe('re-identification with face-api descriptors', () => {
  it('tells apart the different people of a demo photo (no two of them match)', async () => {
    const image = await readRgba(demo('sample4.jpg'))
    const t = api.imageTensor(image)
    const faces = await api.detect(t, 'ssd')
    t.dispose()
    expect(faces.length).toBeGreaterThanOrEqual(3)
    const descriptors = await Promise.all(faces.map((f) => describeFace(image, f.box)))
    for (let a = 0; a < descriptors.length; a++)
      for (let b = a + 1; b < descriptors.length; b++) expect(descriptorDistance(descriptors[a]!, descriptors[b]!), `faces ${a} and ${b}`).toBeGreaterThan(SAME_PERSON_DISTANCE)
    // The gallery gives each of them its own id, even when they leave and come back one by one.
    const gallery = new IdentityGallery()
    descriptors.forEach((d, i) => gallery.add(i + 1, d, new Set()))
    expect(descriptors.map((_, i) => gallery.idOf(i + 1))).toEqual(descriptors.map((_, i) => i + 1))
  })

  it('recognises a face that comes back at another size and place in the frame', async () => {
    const image = await readRgba(demo('sample3.jpg'))
    const t = api.imageTensor(image)
    const faces = await api.detect(t, 'ssd')
    t.dispose()
    const face = faces[0]!
    const first = await describeFace(image, face.box)
    // The same face seen again through a looser box, as a new track would see it.
    const again = await describeFace(image, { x: face.box.x - face.box.width * 0.08, y: face.box.y - face.box.height * 0.05, width: face.box.width * 1.15, height: face.box.height * 1.1 })
    const others = await Promise.all(faces.slice(1).map((f) => describeFace(image, f.box)))
    const gallery = new IdentityGallery()
    gallery.add(1, first, new Set())
    others.forEach((d, i) => gallery.add(2 + i, d, new Set([1])))
    // Track 10 is the first face returning while the others are in view.
    expect(gallery.add(10, again, new Set(others.map((_, i) => 2 + i)))).toBe(1)
  })

  describe.skipIf(!existsSync(MUXSPACE_TEST))('the same person in two photos (LFW pairs in ../shared/datasets/muxspace)', () => {
    it('matches same-person photo pairs far more often than different people, and gives a returning person their id', async () => {
      const byPerson = new Map<string, string[]>()
      for (const label of readdirSync(MUXSPACE_TEST).sort())
        for (const file of readdirSync(join(MUXSPACE_TEST, label)).sort()) {
          const person = file.replace(/_\d+\.jpg$/, '')
          byPerson.set(person, [...(byPerson.get(person) ?? []), join(MUXSPACE_TEST, label, file)])
        }
      const people = [...byPerson].filter(([, files]) => files.length >= 2).sort((a, b) => a[0].localeCompare(b[0])).slice(0, 16)
      const descriptors: { person: string; d: Float32Array }[] = []
      for (const [person, files] of people) for (const file of files.slice(0, 2)) descriptors.push({ person, d: await describeFace(await readRgba(file), null) })
      const same: number[] = []
      const different: number[] = []
      for (let a = 0; a < descriptors.length; a++)
        for (let b = a + 1; b < descriptors.length; b++) (descriptors[a]!.person === descriptors[b]!.person ? same : different).push(descriptorDistance(descriptors[a]!.d, descriptors[b]!.d))
      const matched = (list: number[]): number => list.filter((d) => d < SAME_PERSON_DISTANCE).length / list.length
      const median = (list: number[]): number => [...list].sort((a, b) => a - b)[list.length >> 1]!
      expect(same).toHaveLength(16)
      // Photos of one person years apart are far apart too, but clearly closer than two people.
      expect(median(same) + 0.1, `median distances: same person ${median(same).toFixed(3)}, different ${median(different).toFixed(3)}`).toBeLessThan(median(different))
      expect(matched(same), `same-person distances ${same.map((d) => d.toFixed(2)).join(' ')}`).toBeGreaterThanOrEqual(0.2)
      expect(matched(different), 'different-person pairs taken for one person').toBeLessThanOrEqual(0.01)
      // And the gallery hands a returning person their old id: the first person's second photo.
      const gallery = new IdentityGallery()
      const first = same.findIndex((d) => d < SAME_PERSON_DISTANCE)
      const pair = descriptors.slice(first * 2, first * 2 + 2)
      gallery.add(1, pair[0]!.d, new Set())
      descriptors.filter((x) => x.person !== pair[0]!.person).forEach((x, i) => i % 2 === 0 && gallery.add(100 + i, x.d, new Set([1])))
      expect(gallery.add(500, pair[1]!.d, new Set())).toBe(1)
    })
  })
})
