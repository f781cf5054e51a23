import { EMOTIONS } from '../shared/emotions'
import type { InferenceService } from '../main/inference/inference'
import type { BenchModel } from './model-cards'
import type { FaceApiNode } from './face-api-node'
import { listLabelledImages, sampleSubset, type LabelledImage } from './dataset'
import { sampleCrop, wholeImageCrop } from '../shared/face-crop'
import { readGray, type GrayBitmap } from './images'
import { argmax } from '../shared/box-math'
import { summarize, type ClassificationSummary } from './metrics'
import { toFaceCrops } from './onnx-timing'
import type { Progress } from './progress'

/** A labelled split decoded once and shared by every model. */
export interface LoadedSplit {
  name: string
  dir: string
  /** Images in the split folder before any --limit. */
  available: number
  images: LabelledImage[]
  faces: GrayBitmap[]
}

/** Lists a split folder, takes a reproducible subset of `limit` images (all when undefined), and decodes them. */
export async function loadSplit(name: string, dir: string, limit: number | undefined, progress: Progress): Promise<LoadedSplit> {
  const all = await listLabelledImages(dir)
  const images = limit === undefined ? all : sampleSubset(all, limit)
  progress.start(`decode ${name}`, images.length)
  const faces: GrayBitmap[] = []
  for (const image of images) {
    faces.push(await readGray(image.path))
    progress.tick()
  }
  progress.stop()
  return { name, dir, available: all.length, images, faces }
}

/** Class indices (EMOTIONS order) predicted for every face of a split by one of our ONNX models, via the app's InferenceService. */
export async function predictOnnx(service: InferenceService, model: BenchModel, split: LoadedSplit, batch: number, progress: Progress): Promise<number[]> {
  const { card } = model
  const predicted: number[] = []
  progress.start(`${card.id} on ${split.name}`, split.faces.length)
  for (let i = 0; i < split.faces.length; i += batch) {
    // Resampled to the card's input by the app's own crop code (an identity for 48x48 faces and a 48x48 card).
    const { width, height } = card.input
    const faces = toFaceCrops(
      split.faces.slice(i, i + batch).map((f) => ({ width, height, pixels: sampleCrop({ width: f.width, height: f.height, channels: 1, data: f.pixels }, wholeImageCrop(f.width, f.height), width, height) }))
    )
    const response = await service.classify({ modelId: card.id, frameIndex: i, faces })
    // The card's label order may differ from EMOTIONS; the label name is what counts.
    for (const r of response.results) predicted.push(EMOTIONS.indexOf(r.label as (typeof EMOTIONS)[number]))
    progress.tick(faces.length)
  }
  progress.stop()
  return predicted
}

/** Class indices predicted by face-api's FaceExpressionNet (48x48 gray faces enlarged to its 112x112 input). */
export async function predictFaceApi(api: FaceApiNode, split: LoadedSplit, batch: number, progress: Progress): Promise<number[]> {
  const predicted: number[] = []
  progress.start(`face-api on ${split.name}`, split.faces.length)
  for (let i = 0; i < split.faces.length; i += batch) {
    const tensors = split.faces.slice(i, i + batch).map((f) => api.grayFaceTensor(f.pixels, f.width, f.height))
    try {
      for (const p of await api.expressions(tensors)) predicted.push(argmax(p))
    } finally {
      for (const t of tensors) t.dispose()
    }
    progress.tick(tensors.length)
  }
  progress.stop()
  return predicted
}

/** Metrics of predictions on a split. */
export function scoreSplit(split: LoadedSplit, predicted: readonly number[]): ClassificationSummary {
  return summarize(
    split.images.map((i) => i.label),
    predicted,
    EMOTIONS.length
  )
}
