import type { Box } from '../ipc'

// The settings live in detector-settings.ts (no import of ../ipc, so the IPC contract can validate
// them); re-exported here, where the detection code has always found them.
export { DEFAULT_DETECTOR_SETTINGS, DETECTOR_INPUT_SIZES, settingsForSource, type DetectorSettings, type SourceKind, type TileSetting } from './detector-settings'

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
