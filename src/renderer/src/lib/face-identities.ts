import * as faceapi from '@vladmandic/face-api'
// Bundled with the renderer like the detector's weights: loaded from the app, never fetched.
import landmarkManifest from '@vladmandic/face-api/model/face_landmark_68_tiny_model-weights_manifest.json?raw'
import landmarkWeightsUrl from '@vladmandic/face-api/model/face_landmark_68_tiny_model.bin?url'
import recognitionManifest from '@vladmandic/face-api/model/face_recognition_model-weights_manifest.json?raw'
import recognitionWeightsUrl from '@vladmandic/face-api/model/face_recognition_model.bin?url'
import type { Box } from '../../../shared/ipc'
import { descriptorCrop, extraViewsDue, IdentityGallery, uniqueIds, type ViewCandidate } from './identity-gallery'

/** Side of the square the landmark net looks at. */
const CROP_SIDE = 160

async function loadNet(net: { loadFromWeightMap(map: faceapi.tf.NamedTensorMap): void }, manifestText: string, url: string): Promise<void> {
  const manifest = JSON.parse(manifestText) as { weights: Parameters<typeof faceapi.tf.io.decodeWeights>[1] }[]
  const response = await fetch(url)
  if (!response.ok) throw new Error(`face recognition: weights not served (${response.status} ${url})`)
  net.loadFromWeightMap(faceapi.tf.io.decodeWeights(await response.arrayBuffer(), manifest.flatMap((m) => m.weights)))
}

/**
 * Gives faces that leave and come back their old id, with face-api's face-recognition
 * descriptors (landmark-aligned, as face-api computes them), compared in this window only.
 */
export class FaceIdentities {
  private readonly gallery = new IdentityGallery()
  private readonly crop = document.createElement('canvas')
  private readonly seen = new Map<number, number>()
  // Track id → its frame count when it was last described.
  private readonly describedAt = new Map<number, number>()

  private constructor() {
    this.crop.width = this.crop.height = CROP_SIDE
  }

  /** Loads the landmark and recognition nets (TF.js must already be initialised by the detector). */
  static async create(): Promise<FaceIdentities> {
    if (!faceapi.nets.faceLandmark68TinyNet.isLoaded) await loadNet(faceapi.nets.faceLandmark68TinyNet, landmarkManifest, landmarkWeightsUrl)
    if (!faceapi.nets.faceRecognitionNet.isLoaded) await loadNet(faceapi.nets.faceRecognitionNet, recognitionManifest, recognitionWeightsUrl)
    return new FaceIdentities()
  }

  private async describe(frame: HTMLCanvasElement, box: Box): Promise<Float32Array | null> {
    const square = descriptorCrop(box, frame.width, frame.height)
    const ctx = this.crop.getContext('2d')
    if (!ctx) return null
    ctx.drawImage(frame, square.x, square.y, square.width, square.height, 0, 0, CROP_SIDE, CROP_SIDE)
    const landmarks = (await faceapi.nets.faceLandmark68TinyNet.detectLandmarks(this.crop)) as faceapi.FaceLandmarks68
    const [aligned] = await faceapi.extractFaces(this.crop, [landmarks.align()])
    if (!aligned) return null
    return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(aligned)) as Float32Array
  }

  /** Lasting ids for this frame's tracks (track id → lasting id). */
  async identify(frame: HTMLCanvasElement, faces: readonly { id: number; box: Box }[], _expired: readonly number[]): Promise<Map<number, number>> {
    // Faces still on screen cannot be the one that just came back.
    const inView = new Set(faces.filter((f) => !this.gallery.isNew(f.id)).map((f) => this.gallery.idOf(f.id)))
    const describe = async (face: { id: number; box: Box }): Promise<void> => {
      this.describedAt.set(face.id, this.seen.get(face.id) ?? 0)
      const descriptor = await this.describe(frame, face.box).catch(() => null)
      if (descriptor) {
        const id = this.gallery.add(face.id, descriptor, inView)
        inView.add(id)
      } else this.gallery.settle(face.id)
    }
    const candidates: ViewCandidate[] = []
    for (const face of faces) {
      const count = (this.seen.get(face.id) ?? 0) + 1
      this.seen.set(face.id, count)
      // A new face is described at once: its id depends on it.
      if (this.gallery.isNew(face.id)) await describe(face)
      else if (this.gallery.wantsMore(face.id)) candidates.push({ trackId: face.id, seen: count, describedAt: this.describedAt.get(face.id) ?? 0 })
    }
    for (const id of extraViewsDue(candidates)) await describe(faces.find((f) => f.id === id) as { id: number; box: Box })
    return uniqueIds(faces.map((f) => ({ track: f.id, wanted: this.gallery.idOf(f.id) })))
  }
}

