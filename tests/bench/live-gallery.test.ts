import Ajv from 'ajv'
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/bench/markdown'
import schema from '../../src/bench/report.schema.json'
import { sampleReport } from './report-fixture'
import { facesFound } from '../../src/bench/moving-gallery'
import type { LiveGalleryReportRow } from '../../src/shared/bench-report'
import { closeUpTable, liveGalleryTable } from '../../src/shared/live-gallery-report'

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

describe('the report with moving galleries and close-ups', () => {
  const validate = new Ajv({ allErrors: true }).compile(schema)
  const row: LiveGalleryReportRow = {
    grid: '5x5',
    width: 1920,
    height: 1080,
    mode: 'every-frame',
    pipeline: 'app: detect then track',
    classifier: 'resnet50-fer.int8',
    offered: 105,
    labelled: 105,
    fps: 4.2,
    labelsPerSecond: 100,
    truthPerFrame: 24.4,
    foundPerFrame: 23.9,
    allFoundShare: 0.6,
    latencyP50Ms: null,
    latencyP95Ms: null,
    cpuMsPerFrame: 240,
    newFaceMs: 100,
    dropMs: null
  }

  it('validates against the schema and renders both sections; a report without them still does and shows neither', () => {
    const report = { ...sampleReport(), liveGallery: [row], closeUps: [{ faceShare: 0.85, detector: 'SSD MobileNetV1', found: 18, total: 22, cpuMsPerFrame: 300 }] }
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    const md = renderMarkdown(report)
    expect(md).toContain('## Moving galleries')
    expect(md).toContain('| 5x5 1920x1080 | every frame | app: detect then track |')
    expect(md).toContain('## Close-ups')
    expect(validate(sampleReport()), JSON.stringify(validate.errors)).toBe(true)
    expect(renderMarkdown(sampleReport())).not.toContain('Moving galleries')
    // A row with a field out of range or unknown is refused.
    expect(validate({ ...sampleReport(), liveGallery: [{ ...row, allFoundShare: 1.5 }] })).toBe(false)
    expect(validate({ ...sampleReport(), liveGallery: [{ ...row, extra: 1 }] })).toBe(false)
  })
})
