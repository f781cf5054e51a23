/**
 * "Beyond FER2013": every model on real faces that are not FER2013's, because FER2013 accuracy does
 * not carry to the people in a call. Two kinds of sets:
 * - ready-made face crops (CK+48, muxspace; DIR/<split>/<class>/*.jpg), each image classified whole
 *   through the shared crop code, as the app would resample a face of that size;
 * - full photos through the app's detector (the demo photos whose faces the e2e suites show, and any
 *   --photos folder DIR/<class>/*), the labelled face classified, a missed face counted wrong.
 * Each row has accuracy, macro-F1, per-class recall and the expected calibration error of what the
 * app answers (the card's temperature included), with and without that temperature.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type * as Tf from '@tensorflow/tfjs'
import { FACE_CUTS } from '../shared/demo-faces'
import { EMOTIONS } from '../shared/emotions'
import { sampleCrop, wholeImageCrop } from '../shared/face-crop'
import type { Box, FaceCrop } from '../shared/ipc'
import type { BeyondFerRow, BeyondFerSection, BeyondFerSet, CardCalibrationRow } from '../shared/bench-report'
import { FACE_API_MODEL_ID } from '../shared/bench-report'
import type { InferenceService } from '../main/inference/inference'
import { expectedCalibrationError, withoutTemperature } from './calibration'
import { listLabelledImages, sampleSubset, type LabelledImage } from './dataset'
import { faceApiAssets } from './face-api-assets'
import { FACE_EXPRESSION_INPUT, type FaceApiNode } from './face-api-node'
import { modelCrops, rgbCrops } from './gallery-frames'
import { readGray, readRgba, type GrayBitmap } from './images'
import { argmax } from '../shared/box-math'
import { summarize, type ClassificationSummary } from './metrics'
import type { BenchModel } from './model-cards'
import { detectLikeApp, summarizeWithMisses } from './pipelines'
import type { Progress } from './progress'

/** The real-face datasets read as crops, under the datasets folder. */
export const CROP_SETS = ['ckplus48', 'muxspace'] as const
/** Their splits: val (what models are chosen on) and test (reported once). */
export const CROP_SPLITS = ['val', 'test'] as const

/** The e2e faces' set id. */
export const E2E_PHOTO_SET = 'photos:e2e'

/**
 * A labelled photo. In a group photo `region` (a square, photo pixels) says whose face the label is
 * about: the largest face centred in it (the e2e faces are square cuts of face-api's demo photos).
 */
export interface LabelledPhoto extends LabelledImage {
  region?: { sx: number; sy: number; side: number }
}

/** A set of labelled photos for the detector path. */
export interface PhotoSet {
  /** 'photos:<name>' */
  set: string
  dir: string
  photos: LabelledPhoto[]
}

/** What a run of the section needs. */
export interface BeyondFerOptions {
  /** Holds ckplus48/ and muxspace/ (../shared/datasets). */
  datasetsDir: string
  /** Images per crop split (a reproducible subset); all when undefined. */
  limit?: number
  /** Photo folders DIR/<class>/* to score through the detector, besides the e2e faces. */
  photoDirs: readonly string[]
  /** Photos per photo set; all when undefined. */
  photoLimit?: number
}

/** A model as this section runs it: probabilities in EMOTIONS order for whole face images and for faces in a frame. */
export interface ProbabilityClassifier {
  id: string
  /** The card's calibration temperature, which the app applies; null for none. */
  temperature: number | null
  crops(faces: readonly GrayBitmap[]): Promise<number[][]>
  face(frame: Tf.Tensor3D, box: Box): Promise<number[]>
}

const BATCH = 32

/** Reorders a row from the card's label order into EMOTIONS order (labels are the same seven, maybe ordered differently). */
function toEmotionOrder(row: readonly number[], labels: readonly string[]): number[] {
  return EMOTIONS.map((e) => row[labels.indexOf(e)] as number)
}

/** One of our ONNX models through the app's InferenceService (card preprocessing and temperature included). */
export function onnxProbabilityClassifier(api: FaceApiNode, service: InferenceService, model: BenchModel): ProbabilityClassifier {
  const { card } = model
  const { width, height } = card.input
  const run = async (pixels: readonly Uint8Array[]): Promise<number[][]> => {
    const faces: FaceCrop[] = pixels.map((p, i) => ({ faceId: i, box: { x: 0, y: 0, width, height }, width, height, pixels: p }))
    const response = await service.classify({ modelId: card.id, frameIndex: 0, faces })
    return response.results.map((r) => toEmotionOrder(r.probabilities, card.labels))
  }
  return {
    id: card.id,
    temperature: card.calibration?.temperature ?? null,
    async crops(faces) {
      const out: number[][] = []
      for (let i = 0; i < faces.length; i += BATCH) {
        const batch = faces.slice(i, i + BATCH).map((f) => sampleCrop({ width: f.width, height: f.height, channels: 1, data: f.pixels }, wholeImageCrop(f.width, f.height), width, height))
        for (const p of await run(batch)) out.push(p)
      }
      return out
    },
    async face(frame, box) {
      return (await run(modelCrops(api, frame, [box], card)))[0] as number[]
    }
  }
}

/** face-api's FaceExpressionNet, fed as it feeds itself: gray crops enlarged to 112x112, photo faces from the detector box. */
export function faceApiProbabilityClassifier(api: FaceApiNode): ProbabilityClassifier {
  const run = async (tensors: Tf.Tensor3D[]): Promise<number[][]> => {
    try {
      return await api.expressions(tensors)
    } finally {
      for (const t of tensors) t.dispose()
    }
  }
  return {
    id: FACE_API_MODEL_ID,
    temperature: null,
    async crops(faces) {
      const out: number[][] = []
      for (let i = 0; i < faces.length; i += 16) for (const p of await run(faces.slice(i, i + 16).map((f) => api.grayFaceTensor(f.pixels, f.width, f.height)))) out.push(p)
      return out
    },
    async face(frame, box) {
      return (await run(rgbCrops(api, frame, [box], FACE_EXPRESSION_INPUT)))[0] as number[]
    }
  }
}

function byEmotion(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(EMOTIONS.map((e, i) => [e, values[i] ?? 0]))
}

/** A report row from a classifier's probabilities; null probabilities are missed faces (photos). */
export function beyondFerRow(
  classifier: Pick<ProbabilityClassifier, 'id' | 'temperature'>,
  where: Omit<BeyondFerSet, 'dir' | 'n'>,
  truth: readonly number[],
  probabilities: readonly (number[] | null)[],
  seconds: number
): BeyondFerRow {
  const predicted = probabilities.map((p) => (p ? argmax(p) : -1))
  const summary: ClassificationSummary = where.kind === 'photos' ? summarizeWithMisses(truth, predicted, EMOTIONS.length) : summarize(truth, predicted, EMOTIONS.length)
  const found = probabilities.flatMap((p, i) => (p ? [{ p, t: truth[i] as number }] : []))
  const t = classifier.temperature
  return {
    model: classifier.id,
    set: where.set,
    split: where.split,
    kind: where.kind,
    n: summary.n,
    available: where.available,
    detected: where.kind === 'photos' ? found.length : null,
    accuracy: summary.accuracy,
    macroF1: summary.macroF1,
    perClassRecall: byEmotion(summary.perClassRecall),
    support: byEmotion(summary.support),
    confusion: summary.confusion,
    labels: [...EMOTIONS],
    ece: expectedCalibrationError(
      found.map((f) => f.p),
      found.map((f) => f.t)
    ),
    eceWithoutTemperature:
      t === null
        ? null
        : expectedCalibrationError(
            found.map((f) => withoutTemperature(f.p, t)),
            found.map((f) => f.t)
          ),
    seconds
  }
}

/** The e2e faces: the demo photo cuts the webcam and gallery suites show, with their labels. */
export function e2ePhotoSet(): PhotoSet {
  const dir = faceApiAssets().demoDir
  return {
    set: E2E_PHOTO_SET,
    dir,
    photos: FACE_CUTS.map((c) => ({ path: join(dir, c.photo), label: EMOTIONS.indexOf(c.label), region: { sx: c.sx, sy: c.sy, side: c.side } }))
  }
}

/** The face a label is about: the largest face, or the largest centred in the photo's region. */
export function labelledFace(boxes: readonly Box[], region?: LabelledPhoto['region']): Box | undefined {
  const inRegion = (b: Box): boolean => {
    if (!region) return true
    const cx = b.x + b.width / 2
    const cy = b.y + b.height / 2
    return cx >= region.sx && cx < region.sx + region.side && cy >= region.sy && cy < region.sy + region.side
  }
  return boxes.filter(inRegion).sort((a, b) => b.width * b.height - a.width * a.height)[0]
}

/** Scores every classifier on one crop split; all classifiers see the same decoded images. */
async function cropRows(classifiers: readonly ProbabilityClassifier[], set: string, split: string, dir: string, limit: number | undefined, progress: Progress): Promise<{ info: BeyondFerSet; rows: BeyondFerRow[] }> {
  const all = await listLabelledImages(dir)
  const images = limit === undefined ? all : sampleSubset(all, limit)
  progress.start(`decode ${set} ${split}`, images.length)
  const faces: GrayBitmap[] = []
  for (const image of images) {
    faces.push(await readGray(image.path))
    progress.tick()
  }
  progress.stop()
  const truth = images.map((i) => i.label)
  const info: BeyondFerSet = { set, split, kind: 'crops', dir, n: images.length, available: all.length }
  const rows: BeyondFerRow[] = []
  for (const c of classifiers) {
    progress.start(`${c.id} on ${set} ${split}`, 1)
    const started = performance.now()
    const probabilities = await c.crops(faces)
    rows.push(beyondFerRow(c, info, truth, probabilities, (performance.now() - started) / 1000))
    progress.tick()
    progress.stop()
  }
  return { info, rows }
}

/** Scores every classifier on a photo set through the detector; each photo is decoded and searched once. */
async function photoRows(api: FaceApiNode, classifiers: readonly ProbabilityClassifier[], photoSet: PhotoSet, limit: number | undefined, progress: Progress): Promise<{ info: BeyondFerSet; rows: BeyondFerRow[] }> {
  const photos = limit === undefined ? photoSet.photos : sampleSubset(photoSet.photos, limit)
  const probabilities = classifiers.map(() => [] as (number[] | null)[])
  const seconds = classifiers.map(() => 0)
  progress.start(`${photoSet.set} through the detector`, photos.length)
  for (const photo of photos) {
    const frame = api.imageTensor(await readRgba(photo.path))
    try {
      const face = labelledFace(await detectLikeApp(api, frame), photo.region)
      for (const [i, c] of classifiers.entries()) {
        const started = performance.now()
        ;(probabilities[i] as (number[] | null)[]).push(face ? await c.face(frame, face) : null)
        seconds[i] = (seconds[i] as number) + (performance.now() - started) / 1000
      }
    } finally {
      frame.dispose()
    }
    progress.tick()
  }
  progress.stop()
  const truth = photos.map((p) => p.label)
  const info: BeyondFerSet = { set: photoSet.set, split: 'photos', kind: 'photos', dir: photoSet.dir, n: photos.length, available: photoSet.photos.length }
  return { info, rows: classifiers.map((c, i) => beyondFerRow(c, info, truth, probabilities[i] as (number[] | null)[], seconds[i] as number)) }
}

/** The card calibration records of the models in the run. */
export function cardCalibrations(models: readonly BenchModel[]): CardCalibrationRow[] {
  return models.flatMap((m) => {
    const c = m.card.calibration
    return c ? [{ model: m.card.id, temperature: c.temperature, fittedOn: c.fittedOn, eceBefore: c.eceBefore, eceAfter: c.eceAfter }] : []
  })
}

/** A photo folder's set id: its last path component. */
export function photoSetId(dir: string): string {
  const name = dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || dir
  return `photos:${name}`
}

/**
 * Runs the whole section. A missing dataset folder or an unreadable photo folder is skipped with its
 * reason in `skipped`; nothing here throws for missing data.
 */
export async function runBeyondFer(api: FaceApiNode, classifiers: readonly ProbabilityClassifier[], models: readonly BenchModel[], options: BeyondFerOptions, progress: Progress): Promise<BeyondFerSection> {
  const section: BeyondFerSection = { sets: [], rows: [], calibration: cardCalibrations(models), skipped: [] }
  for (const set of CROP_SETS) {
    for (const split of CROP_SPLITS) {
      const dir = join(options.datasetsDir, set, split)
      if (!existsSync(dir)) {
        section.skipped.push(`${set} ${split}: folder ${dir} not found (put the set there as <split>/<class>/*.jpg)`)
        continue
      }
      try {
        const { info, rows } = await cropRows(classifiers, set, split, dir, options.limit, progress)
        section.sets.push(info)
        for (const row of rows) section.rows.push(row)
      } catch (error) {
        section.skipped.push(`${set} ${split}: ${(error as Error).message}`)
      }
    }
  }
  const photoSets: PhotoSet[] = [e2ePhotoSet()]
  for (const dir of options.photoDirs) {
    try {
      photoSets.push({ set: photoSetId(dir), dir, photos: await listLabelledImages(dir) })
    } catch (error) {
      section.skipped.push(`photos ${dir}: ${(error as Error).message}`)
    }
  }
  for (const photoSet of photoSets) {
    try {
      const { info, rows } = await photoRows(api, classifiers, photoSet, options.photoLimit, progress)
      section.sets.push(info)
      for (const row of rows) section.rows.push(row)
    } catch (error) {
      section.skipped.push(`${photoSet.set} (${photoSet.dir}): ${(error as Error).message}`)
    }
  }
  return section
}
