import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import * as ort from 'onnxruntime-node'
import type { FaceCrop } from '../shared/ipc'
import type { ModelCard } from '../main/inference/model-card'
import { liveIntraOpThreads, sessionConfigEntries } from '../main/inference/inference'
import { toFaceResults } from '../main/inference/postprocess'
import { facesToTensorData } from '../main/inference/preprocess'
import type { GrayBitmap } from './images'
import type { SessionVariant } from '../shared/speed-job'

/** The app's settings (src/main/inference/inference.ts classifySessionOptions): graph optimisation "all", its intra-op threads without spin-wait, exact INT8 products. */
export const DEFAULT_VARIANT: Omit<SessionVariant, 'provider'> = {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: liveIntraOpThreads(availableParallelism()),
  allowSpinning: false
}

/** Creates a session with exactly one provider and the given options; returns it with its load time. */
export async function createSession(modelPath: string, variant: SessionVariant): Promise<{ session: ort.InferenceSession; loadMs: number }> {
  const started = performance.now()
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: [variant.provider],
    graphOptimizationLevel: variant.graphOptimizationLevel,
    extra: sessionConfigEntries(variant.allowSpinning !== false),
    ...(variant.intraOpNumThreads > 0 ? { intraOpNumThreads: variant.intraOpNumThreads } : {})
  })
  return { session, loadMs: performance.now() - started }
}

/** Gray faces (already the model's input size) as the app's FaceCrop records. */
export function toFaceCrops(faces: readonly GrayBitmap[]): FaceCrop[] {
  return faces.map((f, i) => ({ faceId: i, box: { x: 0, y: 0, width: f.width, height: f.height }, width: f.width, height: f.height, pixels: f.pixels }))
}

/**
 * One classify call as the app's main process does it (src/main/inference/inference.ts run()): the card's
 * preprocessing, session.run, softmax. Returns the per-face probabilities.
 */
export async function classifyBatch(session: ort.InferenceSession, card: ModelCard, faces: readonly FaceCrop[]): Promise<number[][]> {
  const data = facesToTensorData(card.input, faces)
  const { channels, height, width } = card.input
  const outputs = await session.run({ [card.input.name]: new ort.Tensor('float32', data, [faces.length, channels, height, width]) })
  const output = outputs[card.output.name]
  if (!output) throw new Error(`model "${card.id}" has no output named "${card.output.name}"`)
  return toFaceResults(
    output.data as Float32Array,
    faces.map((f) => f.faceId),
    card.labels,
    card.output.kind,
    card.calibration?.temperature
  ).map((r) => r.probabilities)
}
