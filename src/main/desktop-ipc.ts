/**
 * Validation and handlers of the desktop-capture channels (issue 4). ipc-validate.ts and
 * ipc-handlers.ts spread these into their registries, so these channels get the same sender check,
 * error answers and 'internal' fallback as the others.
 */
import { DESKTOP_LIMITS, IPC_LIMITS, NO_DESKTOP_MESSAGE, type AnalysisState, type Box, type CaptureSelection, type InvokeArgs, type InvokeValue, type OverlayFace, type OverlayFrame } from '../shared/ipc'
import { AppError } from './app/app-error'
import type { ConsentStore } from './app/consent'
import type { DesktopService } from './capture/desktop-service'
import { argumentCount, denseArray, finite, invalid, plainObject, uniqueIds } from './validate-primitives'

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
  | 'analysis:set-state'
  | 'consent:get'
  | 'consent:acknowledge'

// desktopCapturer ids: "screen:0:0", "window:12345:0"; nothing else reaches the display-media handler.
const SOURCE_ID_PATTERN = /^(screen|window):[0-9A-Za-z_-]+:[0-9]+$/

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') invalid(`${what} must be true or false`)
  return value
}

function rect(value: unknown, what: string, allowEmpty = false): Box {
  const raw = plainObject(value, what, ['x', 'y', 'width', 'height'])
  const limit = IPC_LIMITS.maxBoxCoordinate
  const box = {
    x: finite(raw.x, `${what}.x`, -limit, limit),
    y: finite(raw.y, `${what}.y`, -limit, limit),
    width: finite(raw.width, `${what}.width`, 0, limit),
    height: finite(raw.height, `${what}.height`, 0, limit)
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
  const raw = plainObject(value, 'selection', ['sourceId'], ['region'])
  const id = sourceId(raw.sourceId, 'selection.sourceId')
  return raw.region === undefined ? { sourceId: id } : { sourceId: id, region: rect(raw.region, 'selection.region') }
}

function overlayFace(value: unknown, what: string): OverlayFace {
  const raw = plainObject(value, what, ['id', 'box', 'label', 'confidence'])
  if (!Number.isSafeInteger(raw.id) || (raw.id as number) < 0) invalid(`${what}.id must be a non-negative integer`)
  const label = raw.label
  if (label !== null && (typeof label !== 'string' || label.length === 0 || label.length > DESKTOP_LIMITS.maxLabelLength)) {
    invalid(`${what}.label must be null or 1 to ${DESKTOP_LIMITS.maxLabelLength} characters`)
  }
  return { id: raw.id as number, box: rect(raw.box, `${what}.box`), label: label as string | null, confidence: finite(raw.confidence, `${what}.confidence`, 0, 1) }
}

function overlayFrame(value: unknown): OverlayFrame {
  const raw = plainObject(value, 'frame', ['sourceWidth', 'sourceHeight', 'faces'])
  const sourceWidth = finite(raw.sourceWidth, 'frame.sourceWidth', 1, IPC_LIMITS.maxBoxCoordinate)
  const sourceHeight = finite(raw.sourceHeight, 'frame.sourceHeight', 1, IPC_LIMITS.maxBoxCoordinate)
  const faces = denseArray(raw.faces, 'frame.faces', DESKTOP_LIMITS.maxOverlayFaces).map((f, i) => overlayFace(f, `frame.faces[${i}]`))
  // The overlay page keys its labels by id; a repeated id would leave a stale label behind.
  uniqueIds(faces.map((f) => f.id), 'frame.faces')
  return { sourceWidth, sourceHeight, faces }
}

function analysisState(value: unknown): AnalysisState {
  const raw = plainObject(value, 'state', ['running', 'paused'])
  return { running: bool(raw.running, 'state.running'), paused: bool(raw.paused, 'state.paused') }
}

/** Argument checks of the desktop channels. */
export const desktopValidators: { [K in DesktopChannel]: (args: readonly unknown[]) => InvokeArgs<K> } = {
  'capture:list-sources': (args) => (argumentCount(args, 0), []),
  'capture:select': (args) => (argumentCount(args, 1), [selection(args[0])]),
  'capture:pick-region': (args) => (argumentCount(args, 0), []),
  'capture:release': (args) => (argumentCount(args, 0), []),
  'region:submit': (args) => (argumentCount(args, 1), [args[0] === null ? null : rect(args[0], 'rect')]),
  'overlay:publish': (args) => (argumentCount(args, 1), [overlayFrame(args[0])]),
  'analysis:set-state': (args) => (argumentCount(args, 1), [analysisState(args[0])]),
  'consent:get': (args) => (argumentCount(args, 0), []),
  'consent:acknowledge': (args) => (argumentCount(args, 0), [])
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
    'analysis:set-state': (state) => need(get()).desktop.setAnalysisState(state),
    'consent:get': () => need(get()).consent.read(),
    'consent:acknowledge': () => need(get()).consent.acknowledge()
  }
}
