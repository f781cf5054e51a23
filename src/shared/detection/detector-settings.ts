/**
 * Face detection settings, editable in the UI and remembered between runs (src/main/settings):
 * their type, defaults and the schema main checks a saved value against. Imports nothing from the
 * IPC contract, which uses the schema.
 */
import * as v from 'valibot'
import { finite, plainObject } from '../schema-rules'

/** TinyFaceDetector input sizes: the network needs a multiple of 32. */
export const DETECTOR_INPUT_SIZES = [128, 160, 224, 320, 416, 512, 608] as const

/**
 * Tile grid setting: 'auto' picks by frame size, input size and minimum face size; a number forces
 * n × n. Declared with the settings it belongs to.
 */
export type TileSetting = 'auto' | 1 | 2 | 3 | 4

/** Settings of face detection, editable in the UI. */
export interface DetectorSettings {
  /** Side the frame is resized to for detection; larger finds smaller faces, slower. */
  inputSize: (typeof DETECTOR_INPUT_SIZES)[number]
  /** Minimum detector confidence. */
  scoreThreshold: number
  /** Faces smaller than this many source pixels (shorter side) are ignored. */
  minFaceSize: number
  /** Detection on an n×n grid of overlapping tiles for galleries of small faces; 'auto' sizes it from minFaceSize. */
  tiles?: TileSetting
}

/**
 * 416 found all three faces of face-api's group demo photo at 640x480 where 320 missed one, for
 * about 70 ms per frame on WASM SIMD here (320: about 40 ms).
 */
export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { inputSize: 416, scoreThreshold: 0.5, minFaceSize: 24, tiles: 1 }

/** Where the frames come from: a camera (one person, maybe close up) or a captured screen or window (a call's gallery). */
export type SourceKind = 'camera' | 'screen'

/**
 * The settings the app scans a source with: a captured screen shows galleries of small faces, so it
 * is tiled ('auto') unless the user chose a grid; a camera keeps the settings (the whole frame at the
 * input size plus the close-up pass, frame-scan.ts planScan).
 */
export function settingsForSource(kind: SourceKind, settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS): DetectorSettings {
  return kind === 'screen' && (settings.tiles ?? 1) === 1 ? { ...settings, tiles: 'auto' } : { ...settings }
}

/** The detector settings as main accepts them from the renderer (settings:update) and from the settings file. */
export const DetectorSettingsSchema = plainObject({
  inputSize: v.picklist(DETECTOR_INPUT_SIZES, `must be one of ${DETECTOR_INPUT_SIZES.join(', ')}`),
  scoreThreshold: finite(0, 1),
  minFaceSize: finite(0, 4096),
  tiles: v.optional(v.picklist(['auto', 1, 2, 3, 4] as const, 'must be auto, 1, 2, 3 or 4'))
})
