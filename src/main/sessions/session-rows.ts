import { EMOTIONS } from '../../shared/emotions'
import type { Box, ClassifyRequest, ClassifyResponse } from '../../shared/ipc'

/**
 * The session CSV's columns, in order; probabilities follow the FER2013 label order. New columns
 * only ever go at the end, so spreadsheets and scripts that read the older ones keep working.
 */
export const SESSION_COLUMNS = [
  'iso_time',
  'ms_since_start',
  'frame_index',
  'face_id',
  'box_x',
  'box_y',
  'box_w',
  'box_h',
  'model_id',
  'execution_provider',
  'label',
  'confidence',
  ...EMOTIONS.map((e) => `p_${e}`),
  'inference_ms',
  'face_name',
  'smoothed_label',
  'source'
] as const

/** One classified face, before the session adds its time stamps. */
export interface FaceRecord {
  frameIndex: number
  faceId: number
  box: Box
  modelId: string
  executionProvider: string
  label: string
  confidence: number
  /** In EMOTIONS order, whatever order the model's labels are in. */
  probabilities: number[]
  /** Wall time of the batch this face was classified in. */
  inferenceMs: number
  /** The name the user gave this face, if any. */
  faceName?: string
  /** Top label of the face's smoothed probabilities after this row. */
  smoothedLabel?: string
  /** For a recorded video: the frame's own time in ms, which the log uses instead of the wall clock. */
  mediaTimeMs?: number
}

/**
 * One record per face of a classified frame. Results arrive in the request's face order; each
 * model's probabilities are re-ordered by label name so a model switch mid-session keeps columns.
 */
export function toFaceRecords(request: ClassifyRequest, response: ClassifyResponse, labels: readonly string[]): FaceRecord[] {
  const order = EMOTIONS.map((emotion) => labels.indexOf(emotion))
  return response.results.map((result, n) => {
    const face = request.faces[n]
    if (!face || face.faceId !== result.faceId) throw new Error(`result ${n} does not belong to face ${face?.faceId}`)
    return {
      frameIndex: request.frameIndex,
      faceId: result.faceId,
      box: face.box,
      modelId: response.modelId,
      executionProvider: response.executionProvider,
      label: result.label,
      confidence: result.confidence,
      probabilities: order.map((j) => (j >= 0 ? (result.probabilities[j] ?? Number.NaN) : Number.NaN)),
      inferenceMs: response.inferenceMs
    }
  })
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** The CSV cells of one record, in SESSION_COLUMNS order. */
export function recordCells(record: FaceRecord, time: Date, msSinceStart: number, source = ''): (string | number)[] {
  const { box } = record
  return [
    time.toISOString(),
    round(msSinceStart, 1),
    record.frameIndex,
    record.faceId,
    round(box.x, 1),
    round(box.y, 1),
    round(box.width, 1),
    round(box.height, 1),
    record.modelId,
    record.executionProvider,
    record.label,
    round(record.confidence, 6),
    ...record.probabilities.map((p) => round(p, 6)),
    round(record.inferenceMs, 2),
    record.faceName ?? '',
    record.smoothedLabel ?? '',
    source
  ]
}
