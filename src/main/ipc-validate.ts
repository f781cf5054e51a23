import {
  IPC_LIMITS,
  type Box,
  type ClassifyRequest,
  type FaceCrop,
  type FaceMergeRequest,
  type FaceNameRequest,
  type FolderExportRequest,
  type InvokeArgs,
  type InvokeChannel,
  type SessionStartOptions
} from '../shared/ipc'
import type { BenchRunRequest } from '../shared/bench-report'
import { SESSION_LIBRARY_LIMITS, type ChartFile } from '../shared/session-data'
import { AppError } from './app/app-error'
import { desktopValidators } from './desktop-ipc'
import { MODEL_ID_PATTERN } from './model-card'
import { SESSION_ID_PATTERN } from './sessions/session-log'
import { argumentCount, denseArray, finite, invalid, plainObject, uniqueIds } from './validate-primitives'

/** What validation needs to know about the models that exist. */
export interface ValidationContext {
  /** The input size of a known model, or undefined when no model has that id. */
  modelInput(modelId: string): { width: number; height: number } | undefined
}

/** One validator per invoke channel: takes the raw arguments, returns them typed or throws AppError. */
export type Validators = { [K in InvokeChannel]: (args: readonly unknown[], context: ValidationContext) => InvokeArgs<K> }

function boundedString(value: unknown, what: string, maxLength: number, pattern?: RegExp): string {
  if (typeof value !== 'string') invalid(`${what} must be a string`)
  // Length first: never run a pattern over a huge string.
  if (value.length === 0 || value.length > maxLength) invalid(`${what} must be 1 to ${maxLength} characters long`)
  if (pattern && !pattern.test(value)) invalid(`${what} has characters that are not allowed`)
  return value
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value)) invalid(`${what} must be an integer`)
  return finite(value, what, min, max)
}

function modelId(value: unknown, what: string, context: ValidationContext): { id: string; width: number; height: number } {
  const id = boundedString(value, what, IPC_LIMITS.maxModelIdLength, MODEL_ID_PATTERN)
  const input = context.modelInput(id)
  if (!input) throw new AppError('unknown-model', `unknown model "${id}"`)
  return { id, ...input }
}

function sessionId(value: unknown, what: string): string {
  return boundedString(value, what, IPC_LIMITS.maxSessionIdLength, SESSION_ID_PATTERN)
}

function box(value: unknown, what: string): Box {
  const raw = plainObject(value, what, ['x', 'y', 'width', 'height'])
  const limit = IPC_LIMITS.maxBoxCoordinate
  const width = finite(raw.width, `${what}.width`, 0, limit)
  const height = finite(raw.height, `${what}.height`, 0, limit)
  if (width === 0 || height === 0) invalid(`${what} must have a positive width and height`)
  return { x: finite(raw.x, `${what}.x`, -limit, limit), y: finite(raw.y, `${what}.y`, -limit, limit), width, height }
}

function isUint8Array(value: unknown): value is Uint8Array {
  // The tag check works across realms (structured clone, Playwright bindings); Buffer passes too.
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]'
}

function face(value: unknown, what: string, size: { width: number; height: number }): FaceCrop {
  const raw = plainObject(value, what, ['faceId', 'box', 'width', 'height', 'pixels'])
  const width = integer(raw.width, `${what}.width`, 1, IPC_LIMITS.maxCropSide)
  const height = integer(raw.height, `${what}.height`, 1, IPC_LIMITS.maxCropSide)
  if (width !== size.width || height !== size.height) {
    invalid(`${what} is ${width}x${height}, the model takes ${size.width}x${size.height}`)
  }
  const pixels = raw.pixels
  if (!isUint8Array(pixels)) invalid(`${what}.pixels must be a Uint8Array`)
  if (pixels.length !== width * height) invalid(`${what}.pixels has ${pixels.length} values, expected ${width * height}`)
  return { faceId: integer(raw.faceId, `${what}.faceId`, 0, Number.MAX_SAFE_INTEGER), box: box(raw.box, `${what}.box`), width, height, pixels }
}

function classifyRequest(value: unknown, context: ValidationContext): ClassifyRequest {
  const raw = plainObject(value, 'request', ['modelId', 'frameIndex', 'faces'], ['sessionId', 'mediaTimeMs'])
  const model = modelId(raw.modelId, 'request.modelId', context)
  const frameIndex = integer(raw.frameIndex, 'request.frameIndex', 0, Number.MAX_SAFE_INTEGER)
  const session = raw.sessionId === undefined ? undefined : sessionId(raw.sessionId, 'request.sessionId')
  const faces = denseArray(raw.faces, 'request.faces', IPC_LIMITS.maxFacesPerRequest).map((f, i) => face(f, `request.faces[${i}]`, model))
  uniqueIds(faces.map((f) => f.faceId), 'request.faces')
  const mediaTimeMs = raw.mediaTimeMs === undefined ? undefined : finite(raw.mediaTimeMs, 'request.mediaTimeMs', 0, SESSION_LIBRARY_LIMITS.maxMediaTimeMs)
  return {
    modelId: model.id,
    frameIndex,
    faces,
    ...(session === undefined ? {} : { sessionId: session }),
    ...(mediaTimeMs === undefined ? {} : { mediaTimeMs })
  }
}

function faceId(value: unknown, what: string): number {
  return integer(value, what, 0, Number.MAX_SAFE_INTEGER)
}

function faceNameRequest(value: unknown): FaceNameRequest {
  const raw = plainObject(value, 'request', ['sessionId', 'faceId', 'name'])
  if (typeof raw.name !== 'string') invalid('request.name must be a string')
  if (raw.name.length > SESSION_LIBRARY_LIMITS.maxFaceNameLength) invalid(`request.name must be at most ${SESSION_LIBRARY_LIMITS.maxFaceNameLength} characters long`)
  // Control characters would break a CSV row or the UI; an empty name removes the name.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(raw.name)) invalid('request.name has control characters')
  return { sessionId: sessionId(raw.sessionId, 'request.sessionId'), faceId: faceId(raw.faceId, 'request.faceId'), name: raw.name }
}

function faceMergeRequest(value: unknown): FaceMergeRequest {
  const raw = plainObject(value, 'request', ['sessionId', 'from', 'into'])
  const from = faceId(raw.from, 'request.from')
  const into = faceId(raw.into, 'request.into')
  if (from === into) invalid('request.from and request.into must be two different faces')
  return { sessionId: sessionId(raw.sessionId, 'request.sessionId'), from, into }
}

function chartFile(value: unknown, what: string): ChartFile {
  const raw = plainObject(value, what, ['name', 'svg', 'png'])
  const name = boundedString(raw.name, `${what}.name`, SESSION_LIBRARY_LIMITS.maxChartNameLength, /^[A-Za-z0-9_-]+$/)
  // The two names the export writes itself must not be overwritten by a chart.
  if (name === 'session' || name === 'summary') invalid(`${what}.name "${name}" is reserved`)
  const svg = boundedString(raw.svg, `${what}.svg`, SESSION_LIBRARY_LIMITS.maxSvgLength)
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) invalid(`${what}.svg is not an SVG document`)
  const png = raw.png
  if (!isUint8Array(png)) invalid(`${what}.png must be a Uint8Array`)
  if (png.length > SESSION_LIBRARY_LIMITS.maxPngBytes) invalid(`${what}.png is larger than ${SESSION_LIBRARY_LIMITS.maxPngBytes} bytes`)
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (!signature.every((b, i) => png[i] === b)) invalid(`${what}.png is not a PNG image`)
  return { name, svg, png }
}

function folderExportRequest(value: unknown): FolderExportRequest {
  const raw = plainObject(value, 'request', ['sessionId', 'charts'])
  const charts = denseArray(raw.charts, 'request.charts', SESSION_LIBRARY_LIMITS.maxCharts).map((c, i) => chartFile(c, `request.charts[${i}]`))
  if (new Set(charts.map((c) => c.name)).size !== charts.length) invalid('request.charts has duplicate names')
  return { sessionId: sessionId(raw.sessionId, 'request.sessionId'), charts }
}

function sessionStartOptions(value: unknown, context: ValidationContext): SessionStartOptions {
  const raw = plainObject(value, 'options', ['source', 'modelId'])
  const source = boundedString(raw.source, 'options.source', IPC_LIMITS.maxSourceLength)
  return { source, modelId: modelId(raw.modelId, 'options.modelId', context).id }
}

function benchRunRequest(value: unknown): BenchRunRequest {
  // Exactly {quick}: nothing else may reach the bench CLI's command line.
  const raw = plainObject(value, 'request', ['quick'])
  if (typeof raw.quick !== 'boolean') invalid('request.quick must be true or false')
  return { quick: raw.quick }
}

/** Hand-written schema checks for every invoke channel's arguments. */
export const validators: Validators = {
  'app:info': (args) => (argumentCount(args, 0), []),
  'models:list': (args) => (argumentCount(args, 0), []),
  'inference:status': (args) => (argumentCount(args, 0), []),
  'inference:classify': (args, context) => (argumentCount(args, 1), [classifyRequest(args[0], context)]),
  'session:start': (args, context) => (argumentCount(args, 1), [sessionStartOptions(args[0], context)]),
  'session:stop': (args) => (argumentCount(args, 1), [sessionId(args[0], 'sessionId')]),
  'session:export': (args) => (argumentCount(args, 1), [sessionId(args[0], 'sessionId')]),
  ...desktopValidators,
  'bench:run': (args) => (argumentCount(args, 1), [benchRunRequest(args[0])]),
  'session:list': (args) => (argumentCount(args, 0), []),
  'session:open': (args) => (argumentCount(args, 1), [sessionId(args[0], 'sessionId')]),
  'session:delete': (args) => (argumentCount(args, 1), [sessionId(args[0], 'sessionId')]),
  'session:name-face': (args) => (argumentCount(args, 1), [faceNameRequest(args[0])]),
  'session:merge-faces': (args) => (argumentCount(args, 1), [faceMergeRequest(args[0])]),
  'session:export-folder': (args) => (argumentCount(args, 1), [folderExportRequest(args[0])])
}
