import { describe, expect, it } from 'vitest'
import { DEFAULT_DETECTOR_SETTINGS, settingsForSource } from '../../../src/shared/detection/detection-filter'
import { LARGE_FACE_INPUT_SIZE, planScan } from '../../../src/shared/detection/frame-scan'

describe('settingsForSource', () => {
  it('scans a camera frame whole at the input size and again for close-ups', () => {
    const passes = planScan(640, 480, settingsForSource('camera'))
    expect(passes.map((p) => p.inputSize)).toEqual([DEFAULT_DETECTOR_SETTINGS.inputSize, LARGE_FACE_INPUT_SIZE])
    expect(passes.every((p) => p.overlap === null)).toBe(true)
  })

  it('tiles a captured call gallery, but keeps a grid the user chose', () => {
    expect(planScan(1280, 720, settingsForSource('screen')).some((p) => p.overlap !== null)).toBe(true)
    expect(settingsForSource('screen', { ...DEFAULT_DETECTOR_SETTINGS, tiles: 3 }).tiles).toBe(3)
    expect(settingsForSource('camera', { ...DEFAULT_DETECTOR_SETTINGS, tiles: 1 }).tiles).toBe(1)
  })
})
