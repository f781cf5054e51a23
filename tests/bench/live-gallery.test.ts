import { describe, expect, it } from 'vitest'
import { facesFound } from '../../src/bench/moving-gallery'
import { closeUpTable, liveGalleryTable, type LiveGalleryReportRow } from '../../src/shared/live-gallery-report'

const box = (x: number, y: number, width = 100, height = 130) => ({ x, y, width, height })

describe('facesFound', () => {
  it('counts a true face found when a box centred on it has a similar height, each box used once', () => {
    const truth = [box(0, 0), box(300, 0)]
    // A wider TinyFaceDetector-style box still counts; one box cannot find two faces.
    expect(facesFound(truth, [box(-20, 5, 150, 125)])).toBe(1)
    expect(facesFound(truth, [box(-20, 5, 150, 125), box(290, 0, 140, 140)])).toBe(2)
    // Centred elsewhere, or three times too tall: not the face.
    expect(facesFound(truth, [box(150, 0), box(0, 0, 100, 400)])).toBe(0)
    expect(facesFound(truth, [])).toBe(0)
  })
})

describe('liveGalleryTable', () => {
  const row: LiveGalleryReportRow = {
    grid: '3x3',
    width: 1280,
    height: 720,
    mode: 'realtime',
    pipeline: 'app: detect then track',
    classifier: 'resnet50-fer.int8',
    offered: 105,
    labelled: 90,
    fps: 25.71,
    labelsPerSecond: 231.4,
    truthPerFrame: 8.6,
    foundPerFrame: 8.55,
    allFoundShare: 0.95,
    latencyP50Ms: 38.2,
    latencyP95Ms: 71.9,
    cpuMsPerFrame: 30.4,
    newFaceMs: 233.3,
    dropMs: null
  }

  it('is null without rows and shows each row with its play mode, faces found and latency', () => {
    expect(liveGalleryTable(undefined)).toBeNull()
    expect(liveGalleryTable([])).toBeNull()
    const table = liveGalleryTable([row])
    expect(table?.rows).toEqual([
      ['3x3 1280x720', '30 fps, real time', 'app: detect then track', 'resnet50-fer.int8', '25.7', '231', '8.6 / 8.6', '95.0 %', '38.2 / 71.9', '30.4', '233', '—']
    ])
    expect(table?.headers).toHaveLength(table?.rows[0]?.length ?? 0)
  })
})

describe('closeUpTable', () => {
  it('is null without rows and shows the face share, the detector, found of total and the cost', () => {
    expect(closeUpTable([])).toBeNull()
    expect(closeUpTable([{ faceShare: 0.7, detector: 'TinyFaceDetector 416', found: 14, total: 22, cpuMsPerFrame: 104.7 }])?.rows).toEqual([['70.0 %', 'TinyFaceDetector 416', '14 / 22', '105']])
  })
})
