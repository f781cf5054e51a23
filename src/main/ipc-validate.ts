import {
  IPC_LIMITS,
  type Box,
  type ClassifyRequest,
  type FaceCrop,
  type InvokeArgs,
  type InvokeChannel,
  type SessionStartOptions
} from '../shared/ipc'
import type { BenchRunRequest } from '../shared/bench-report'
import { AppError } from './app-error'
import { desktopValidators } from './desktop-ipc'
import { MODEL_ID_PATTERN } from './model-card'
import { SESSION_ID_PATTERN } from './session-log'
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
  const raw = plainObject(value, 'request', ['modelId', 'frameIndex', 'faces'], ['sessionId'])
  const model = modelId(raw.modelId, 'request.modelId', context)
  const frameIndex = integer(raw.frameIndex, 'request.frameIndex', 0, Number.MAX_SAFE_INTEGER)
  const session = raw.sessionId === undefined ? undefined : sessionId(raw.sessionId, 'request.sessionId')
  const faces = denseArray(raw.faces, 'request.faces', IPC_LIMITS.maxFacesPerRequest).map((f, i) => face(f, `request.faces[${i}]`, model))
  uniqueIds(faces.map((f) => f.faceId), 'request.faces')
  return { modelId: model.id, frameIndex, faces, ...(session === undefined ? {} : { sessionId: session }) }
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
  'bench:run': (args) => (argumentCount(args, 1), [benchRunRequest(args[0])])
}
