/**
 * Validation and handlers of the desktop-capture channels (issue 4). ipc-validate.ts and
 * ipc-handlers.ts spread these into their registries, so these channels get the same sender check,
 * error answers and 'internal' fallback as the others.
 */
import { DESKTOP_LIMITS, IPC_LIMITS, NO_DESKTOP_MESSAGE, type AnalysisState, type Box, type CaptureSelection, type InvokeArgs, type InvokeValue, type OverlayFace, type OverlayFrame } from '../shared/ipc'
import { AppError } from './app-error'
import type { ConsentStore } from './consent'
import type { DesktopService } from './desktop-service'

/** The desktop services a host provides; absent where there is no desktop (plain Node). */
export interface DesktopServices {
  desktop: DesktopService
  consent: ConsentStore
}

/** The channels this module owns. */
export type DesktopChannel =
  | 'capture:list-sources'
  | 'capture:select'
  | 'capture:pick-region'
  | 'capture:release'
  | 'region:submit'
  | 'overlay:publish'
  | 'overlay:set-visible'
  | 'analysis:set-state'
  | 'consent:get'
  | 'consent:acknowledge'

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
// desktopCapturer ids: "screen:0:0", "window:12345:0"; nothing else reaches the display-media handler.
const SOURCE_ID_PATTERN = /^(screen|window):[0-9A-Za-z_-]+:[0-9]+$/

function invalid(message: string): never {
  throw new AppError('invalid-argument', message)
}

function count(args: readonly unknown[], expected: number): void {
  if (!Array.isArray(args) || args.length !== expected) invalid(`expected ${expected} argument(s), got ${Array.isArray(args) ? args.length : typeof args}`)
}

function record(value: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${what} must be an object`)
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) invalid(`${what} must be a plain object`)
  const allowed = new Set([...required, ...optional])
  for (const key of Reflect.ownKeys(value)) {
    const name = String(key)
    if (typeof key === 'symbol' || FORBIDDEN_KEYS.has(name) || !allowed.has(name)) invalid(`${what} has an unknown key "${name.slice(0, 40)}"`)
  }
  const raw = value as Record<string, unknown>
  for (const key of required) if (!(key in raw)) invalid(`${what}.${key} is missing`)
  return raw
}

function num(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${what} must be a finite number`)
  if (value < min || value > max) invalid(`${what} must be between ${min} and ${max}`)
  return value
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') invalid(`${what} must be true or false`)
  return value
}

function rect(value: unknown, what: string, allowEmpty = false): Box {
  const raw = record(value, what, ['x', 'y', 'width', 'height'])
  const limit = IPC_LIMITS.maxBoxCoordinate
  const box = {
    x: num(raw.x, `${what}.x`, -limit, limit),
    y: num(raw.y, `${what}.y`, -limit, limit),
    width: num(raw.width, `${what}.width`, 0, limit),
    height: num(raw.height, `${what}.height`, 0, limit)
  }
  if (!allowEmpty && (box.width === 0 || box.height === 0)) invalid(`${what} must have a positive width and height`)
  return box
}

function sourceId(value: unknown, what: string): string {
  if (typeof value !== 'string') invalid(`${what} must be a string`)
  if (value.length === 0 || value.length > DESKTOP_LIMITS.maxSourceIdLength) invalid(`${what} must be 1 to ${DESKTOP_LIMITS.maxSourceIdLength} characters long`)
  if (!SOURCE_ID_PATTERN.test(value)) invalid(`${what} is not a screen or window source id`)
  return value
}

function selection(value: unknown): CaptureSelection {
  const raw = record(value, 'selection', ['sourceId'], ['region'])
  const id = sourceId(raw.sourceId, 'selection.sourceId')
  return raw.region === undefined ? { sourceId: id } : { sourceId: id, region: rect(raw.region, 'selection.region') }
}

function overlayFace(value: unknown, what: string): OverlayFace {
  const raw = record(value, what, ['id', 'box', 'label', 'confidence'])
  if (!Number.isSafeInteger(raw.id) || (raw.id as number) < 0) invalid(`${what}.id must be a non-negative integer`)
  const label = raw.label
  if (label !== null && (typeof label !== 'string' || label.length === 0 || label.length > DESKTOP_LIMITS.maxLabelLength)) {
    invalid(`${what}.label must be null or 1 to ${DESKTOP_LIMITS.maxLabelLength} characters`)
  }
  return { id: raw.id as number, box: rect(raw.box, `${what}.box`), label: label as string | null, confidence: num(raw.confidence, `${what}.confidence`, 0, 1) }
}

function overlayFrame(value: unknown): OverlayFrame {
  const raw = record(value, 'frame', ['sourceWidth', 'sourceHeight', 'faces'])
  const sourceWidth = num(raw.sourceWidth, 'frame.sourceWidth', 1, IPC_LIMITS.maxBoxCoordinate)
  const sourceHeight = num(raw.sourceHeight, 'frame.sourceHeight', 1, IPC_LIMITS.maxBoxCoordinate)
  if (!Array.isArray(raw.faces)) invalid('frame.faces must be an array')
  if (raw.faces.length > DESKTOP_LIMITS.maxOverlayFaces) invalid(`frame.faces has ${raw.faces.length} faces, at most ${DESKTOP_LIMITS.maxOverlayFaces} are allowed`)
  return { sourceWidth, sourceHeight, faces: raw.faces.map((f: unknown, i: number) => overlayFace(f, `frame.faces[${i}]`)) }
}

function analysisState(value: unknown): AnalysisState {
  const raw = record(value, 'state', ['running', 'paused'])
  return { running: bool(raw.running, 'state.running'), paused: bool(raw.paused, 'state.paused') }
}

/** Argument checks of the desktop channels. */
export const desktopValidators: { [K in DesktopChannel]: (args: readonly unknown[]) => InvokeArgs<K> } = {
  'capture:list-sources': (args) => (count(args, 0), []),
  'capture:select': (args) => (count(args, 1), [selection(args[0])]),
  'capture:pick-region': (args) => (count(args, 0), []),
  'capture:release': (args) => (count(args, 0), []),
  'region:submit': (args) => (count(args, 1), [args[0] === null ? null : rect(args[0], 'rect')]),
  'overlay:publish': (args) => (count(args, 1), [overlayFrame(args[0])]),
  'overlay:set-visible': (args) => (count(args, 1), [bool(args[0], 'visible')]),
  'analysis:set-state': (args) => (count(args, 1), [analysisState(args[0])]),
  'consent:get': (args) => (count(args, 0), []),
  'consent:acknowledge': (args) => (count(args, 0), [])
}

function need(services: DesktopServices | undefined): DesktopServices {
  if (!services) throw new AppError('capture-unavailable', NO_DESKTOP_MESSAGE)
  return services
}

/** The desktop channels' implementations; `get` is read on every call so a host may attach them late. */
export function desktopImplementations(get: () => DesktopServices | undefined): {
  [K in DesktopChannel]: (...args: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K>
} {
  return {
    'capture:list-sources': () => need(get()).desktop.listSources(),
    'capture:select': (selection) => need(get()).desktop.select(selection),
    'capture:pick-region': () => need(get()).desktop.pickRegion(),
    'capture:release': () => need(get()).desktop.release(),
    'region:submit': (rect) => need(get()).desktop.submitRegion(rect),
    'overlay:publish': (frame) => need(get()).desktop.publish(frame),
    'overlay:set-visible': (visible) => need(get()).desktop.setOverlayVisible(visible),
    'analysis:set-state': (state) => need(get()).desktop.setAnalysisState(state),
    'consent:get': () => need(get()).consent.read(),
    'consent:acknowledge': () => need(get()).consent.acknowledge()
  }
}
