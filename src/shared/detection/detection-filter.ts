import type { Box } from '../ipc'

/** A detector hit in source pixels. */
export interface Detection {
  box: Box
  score: number
}

/**
 * Clips detections to the frame and drops those whose clipped box is smaller than `minFaceSize`
 * on its shorter side: too small to classify, and the usual source of false positives.
 * The detector may return boxes that poke past the frame edge; the session log wants real pixels.
 */
export function filterDetections(detections: readonly Detection[], frameWidth: number, frameHeight: number, minFaceSize: number): Detection[] {
  const out: Detection[] = []
  for (const d of detections) {
    const x = Math.max(0, d.box.x)
    const y = Math.max(0, d.box.y)
    const width = Math.min(frameWidth, d.box.x + d.box.width) - x
    const height = Math.min(frameHeight, d.box.y + d.box.height) - y
    if (!(width > 0 && height > 0) || Math.min(width, height) < minFaceSize) continue
    out.push({ box: { x, y, width, height }, score: d.score })
  }
  return out
}

/** TinyFaceDetector input sizes: the network needs a multiple of 32. */
export const DETECTOR_INPUT_SIZES = [128, 160, 224, 320, 416, 512, 608] as const

/**
 * Tile grid setting: 'auto' picks by frame size, input size and minimum face size; a number forces
 * n × n. Declared with the settings it belongs to, so that detection-tiles.ts builds on this file
 * and this file needs nothing back from it.
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
