import * as v from 'valibot'
import { MODEL_ID_PATTERN, type ModelInfo, type RealFaceMetrics, type SplitMetrics } from '../../shared/ipc'
import { MODEL_CARD_READ_SCHEMA } from '../../shared/model-card-schema'
import { framingFromCard, type FaceFraming } from '../../shared/face-crop'
import { smallFaceValScore, type CallConditionMetrics } from '../../shared/default-model'

/** A model card (resources/models/<id>.json) as written by training/export_onnx.py. */
export interface ModelCard {
  id: string
  name: string
  arch?: string
  file: string
  labels: string[]
  input: { name: string; channels: 1 | 3; height: number; width: number; mean: number[]; std: number[] }
  output: { name: string; kind: 'logits' | 'probabilities' }
  /** How the crop is cut around a detector box (the card's framing; DEFAULT_FRAMING for older cards). */
  framing: FaceFraming
  metrics?: { fer2013?: { val?: SplitMetrics; test?: SplitMetrics }; callConditions?: CallConditionMetrics[] } & RealFaceMetrics
  /** One line saying what the model is good at. */
  summary?: string
  /** Temperature scaling fitted on val sets: the app answers softmax(logits / temperature). */
  calibration?: Calibration
  params: number
  flops: number
  /** Hex SHA-256 of the ONNX file, when the exporter wrote one; checked before loading. */
  sha256?: string
}

/** A card's confidence calibration (training fits it on val sets and records the ECE it gave). */
export interface Calibration {
  method: 'temperature'
  temperature: number
  fittedOn: string[]
  eceBefore: number | null
  eceAfter: number | null
}

/** Files in the models folder that are not cards (the card format's JSON schema). */
export const isCardFileName = (name: string): boolean => name.endsWith('.json') && !name.endsWith('.schema.json')

/** Model ids are also file names and CSV cells, so they stay plain; the pattern is part of the IPC contract. */
export { MODEL_ID_PATTERN }

function fail(where: string, message: string): never {
  throw new Error(`model card ${where}: ${message}`)
}

// Names the field an issue is about: input.std[0], labels[6].
function fieldOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item, i) => (typeof item.key === 'number' ? `[${item.key}]` : `${i === 0 ? '' : '.'}${String(item.key).slice(0, 40)}`)).join('')
}

function describe(issue: v.BaseIssue<unknown>): string {
  const field = fieldOf(issue) || 'the card'
  if (issue.path?.at(-1)?.origin === 'key' || issue.input === undefined) return `"${field}" is missing`
  const glue = /^[.[]/.test(issue.message) ? '' : ' '
  return `${field}${glue}${issue.message}`
}

// What the app passes on of a split's metrics: the confusion matrix stays in the card.
function splitMetrics({ accuracy, macro_f1, per_class_recall, ece }: SplitMetrics): SplitMetrics {
  return { accuracy, macro_f1, per_class_recall: { ...per_class_recall }, ...(ece === undefined ? {} : { ece }) }
}

/**
 * Checks a parsed card against the card format (src/shared/model-card-schema.ts, the same rules as
 * model-card.schema.json) and returns it typed; throws an Error naming the card and the field.
 * `fileName` is the card's own file name; its id must match it so ids stay unique.
 */
export function parseModelCard(raw: unknown, fileName: string): ModelCard {
  const where = `"${fileName}"`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(where, 'is not a JSON object')
  const result = v.safeParse(MODEL_CARD_READ_SCHEMA, raw, { abortEarly: true })
  if (!result.success) fail(where, describe(result.issues[0]))
  const card = result.output
  if (`${card.id}.json` !== fileName) fail(where, `id "${card.id}" does not match the file name`)
  const cal = card.calibration
  return {
    id: card.id,
    name: card.name,
    arch: card.arch,
    file: card.file,
    labels: [...card.labels],
    input: { ...card.input, mean: [...card.input.mean], std: [...card.input.std] },
    output: card.output,
    framing: framingFromCard(card.framing),
    metrics: {
      fer2013: {},
      ...(Object.fromEntries(
        (['fer2013', 'ckplus48', 'muxspace'] as const).flatMap((set) => {
          const m = card.metrics?.[set]
          return m ? [[set, { ...(m.val ? { val: splitMetrics(m.val) } : {}), ...(m.test ? { test: splitMetrics(m.test) } : {}) }]] : []
        })
      ) as NonNullable<ModelCard['metrics']>),
      ...(card.metrics?.call_conditions ? { callConditions: card.metrics.call_conditions.map((r) => ({ ...r })) } : {})
    },
    ...(card.summary === undefined ? {} : { summary: card.summary }),
    ...(cal
      ? {
          calibration: {
            method: cal.method,
            temperature: cal.temperature,
            fittedOn: cal.fitted_on ?? [],
            eceBefore: cal.ece_before ?? null,
            eceAfter: cal.ece_after ?? null
          }
        }
      : {}),
    params: card.params ?? 0,
    flops: card.flops ?? 0,
    ...(card.sha256 === undefined ? {} : { sha256: card.sha256 })
  }
}

/** What the renderer sees of a card. */
export function toModelInfo(card: ModelCard): ModelInfo {
  const fer = card.metrics?.fer2013
  return {
    id: card.id,
    name: card.name,
    inputWidth: card.input.width,
    inputHeight: card.input.height,
    framing: { ...card.framing },
    labels: [...card.labels],
    params: card.params,
    flops: card.flops,
    metrics: { ...(fer?.val ? { val: fer.val } : {}), ...(fer?.test ? { test: fer.test } : {}) },
    ...(card.summary ? { summary: card.summary } : {}),
    ...(card.metrics?.ckplus48 || card.metrics?.muxspace
      ? { realFaces: { ...(card.metrics.ckplus48 ? { ckplus48: card.metrics.ckplus48 } : {}), ...(card.metrics.muxspace ? { muxspace: card.metrics.muxspace } : {}) } }
      : {}),
    ...(card.calibration ? { temperature: card.calibration.temperature } : {}),
    ...((score) => (score === null ? {} : { smallFaceScore: score }))(smallFaceValScore(card.metrics?.callConditions))
  }
}
