import { EMOTIONS } from '../shared/emotions'
import { IPC_LIMITS, MODEL_ID_PATTERN, type ModelInfo, type RealFaceMetrics, type SplitMetrics } from '../shared/ipc'

/** A model card (resources/models/<id>.json) as written by training/export_onnx.py. */
export interface ModelCard {
  id: string
  name: string
  arch?: string
  file: string
  labels: string[]
  input: { name: string; channels: 1 | 3; height: number; width: number; mean: number[]; std: number[] }
  output: { name: string; kind: 'logits' | 'probabilities' }
  metrics?: { fer2013?: { val?: SplitMetrics; test?: SplitMetrics } } & RealFaceMetrics
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

/** The labelled sets a card may report metrics on: FER2013 and the real faces beyond it. */
export const CARD_METRIC_SETS = ['fer2013', 'ckplus48', 'muxspace'] as const

/** Files in the models folder that are not cards (the card format's JSON schema). */
export const isCardFileName = (name: string): boolean => name.endsWith('.json') && !name.endsWith('.schema.json')

/** Model ids are also file names and CSV cells, so they stay plain; the pattern is part of the IPC contract. */
export { MODEL_ID_PATTERN }

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(where: string, message: string): never {
  throw new Error(`model card ${where}: ${message}`)
}

function text(card: Json, key: string, where: string): string {
  const value = card[key]
  if (typeof value !== 'string' || value.length === 0) fail(where, `"${key}" must be a non-empty string`)
  return value
}

function count(value: unknown, what: string, where: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max) {
    fail(where, `${what} must be an integer from 1 to ${max}`)
  }
  return value as number
}

function numbers(value: unknown, length: number, what: string, where: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => Number.isFinite(v))) {
    fail(where, `${what} must be ${length} finite number(s), one per input channel`)
  }
  return value as number[]
}

function splitMetrics(value: unknown): SplitMetrics | undefined {
  if (!isObject(value)) return undefined
  const { accuracy, macro_f1, per_class_recall, ece } = value
  if (typeof accuracy !== 'number' || typeof macro_f1 !== 'number') return undefined
  return {
    accuracy,
    macro_f1,
    per_class_recall: isObject(per_class_recall) ? (per_class_recall as Record<string, number>) : {},
    ...(typeof ece === 'number' && Number.isFinite(ece) ? { ece } : {})
  }
}

function setMetrics(metrics: unknown, set: string): { val?: SplitMetrics; test?: SplitMetrics } | undefined {
  const value = isObject(metrics) ? metrics[set] : undefined
  if (!isObject(value)) return undefined
  const val = splitMetrics(value.val)
  const test = splitMetrics(value.test)
  return { ...(val ? { val } : {}), ...(test ? { test } : {}) }
}

const fraction = (v: unknown): number | null => (typeof v === 'number' && v >= 0 && v <= 1 ? v : null)

/**
 * A calibration block, checked strictly: a wrong temperature would silently skew every confidence the
 * overlay shows, so a malformed one rejects the card rather than being ignored.
 */
function calibration(value: unknown, where: string): Calibration | undefined {
  if (value === undefined) return undefined
  if (!isObject(value)) fail(where, '"calibration" must be an object')
  if (value.method !== 'temperature') fail(where, 'calibration.method must be "temperature"')
  const t = value.temperature
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 100) fail(where, 'calibration.temperature must be a number above 0 and at most 100')
  const fittedOn = value.fitted_on
  if (fittedOn !== undefined && (!Array.isArray(fittedOn) || !fittedOn.every((f) => typeof f === 'string'))) fail(where, 'calibration.fitted_on must be a list of strings')
  return { method: 'temperature', temperature: t, fittedOn: (fittedOn as string[] | undefined) ?? [], eceBefore: fraction(value.ece_before), eceAfter: fraction(value.ece_after) }
}

/**
 * Checks a parsed card and returns it typed; throws an Error naming the card and the field.
 * `fileName` is the card's own file name; its id must match it so ids stay unique.
 */
export function parseModelCard(raw: unknown, fileName: string): ModelCard {
  const where = `"${fileName}"`
  if (!isObject(raw)) fail(where, 'is not a JSON object')
  const id = text(raw, 'id', where)
  if (!MODEL_ID_PATTERN.test(id) || id.length > IPC_LIMITS.maxModelIdLength) fail(where, `id "${id}" is not a plain id`)
  if (`${id}.json` !== fileName) fail(where, `id "${id}" does not match the file name`)
  const file = text(raw, 'file', where)
  // The card may only name a file beside it: no directories, no parent paths.
  if (!/^[A-Za-z0-9._-]+\.onnx$/.test(file) || file.startsWith('.')) fail(where, `"file" must be an .onnx file name beside the card`)
  const labels = raw.labels
  // Each of the seven names exactly once, as strings: the session log maps columns by name.
  const names: readonly unknown[] = Array.isArray(labels) ? Array.from(labels) : []
  const known = new Set<string>(EMOTIONS)
  if (names.length !== EMOTIONS.length || new Set(names).size !== names.length || !names.every((l) => typeof l === 'string' && known.has(l))) {
    fail(where, `"labels" must be the ${EMOTIONS.length} FER2013 classes (${EMOTIONS.join(', ')}), each once`)
  }
  if (!isObject(raw.input)) fail(where, '"input" must be an object')
  const channels = raw.input.channels
  if (channels !== 1 && channels !== 3) fail(where, 'input.channels must be 1 or 3')
  const std = numbers(raw.input.std, channels, 'input.std', where)
  if (std.some((s) => s <= 0)) fail(where, 'input.std must be positive')
  if (!isObject(raw.output)) fail(where, '"output" must be an object')
  const kind = raw.output.kind
  if (kind !== 'logits' && kind !== 'probabilities') fail(where, 'output.kind must be "logits" or "probabilities"')
  const summary = raw.summary
  if (summary !== undefined && (typeof summary !== 'string' || summary.length === 0 || summary.length > 200)) fail(where, '"summary" must be one line of 1 to 200 characters')
  if (typeof summary === 'string' && /[\r\n]/.test(summary)) fail(where, '"summary" must be one line')
  const cal = calibration(raw.calibration, where)
  const metrics = Object.fromEntries(CARD_METRIC_SETS.flatMap((set) => {
    const m = setMetrics(raw.metrics, set)
    return m ? [[set, m]] : []
  })) as NonNullable<ModelCard['metrics']>
  const sha256 = raw.sha256
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) {
    fail(where, '"sha256" must be 64 lowercase hex digits')
  }
  return {
    id,
    name: text(raw, 'name', where),
    arch: typeof raw.arch === 'string' ? raw.arch : undefined,
    file,
    labels: labels as string[],
    input: {
      name: text(raw.input, 'name', where),
      channels,
      height: count(raw.input.height, 'input.height', where, IPC_LIMITS.maxCropSide),
      width: count(raw.input.width, 'input.width', where, IPC_LIMITS.maxCropSide),
      mean: numbers(raw.input.mean, channels, 'input.mean', where),
      std
    },
    output: { name: text(raw.output, 'name', where), kind },
    metrics: { ...metrics, fer2013: metrics.fer2013 ?? {} },
    ...(summary === undefined ? {} : { summary: summary as string }),
    ...(cal ? { calibration: cal } : {}),
    params: typeof raw.params === 'number' ? raw.params : 0,
    flops: typeof raw.flops === 'number' ? raw.flops : 0,
    ...(sha256 === undefined ? {} : { sha256 })
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
    labels: [...card.labels],
    params: card.params,
    flops: card.flops,
    metrics: { ...(fer?.val ? { val: fer.val } : {}), ...(fer?.test ? { test: fer.test } : {}) },
    ...(card.summary ? { summary: card.summary } : {}),
    ...(card.metrics?.ckplus48 || card.metrics?.muxspace
      ? { realFaces: { ...(card.metrics.ckplus48 ? { ckplus48: card.metrics.ckplus48 } : {}), ...(card.metrics.muxspace ? { muxspace: card.metrics.muxspace } : {}) } }
      : {}),
    ...(card.calibration ? { temperature: card.calibration.temperature } : {})
  }
}
