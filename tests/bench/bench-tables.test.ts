import { describe, expect, it } from 'vitest'
import { recommendation, speedTable, studyTables } from '../../src/shared/bench-tables'
import { sampleReport } from './report-fixture'

describe('report tables for the Compare view', () => {
  it('builds Table 1 and Table 2 with a row per model and the study row for a missing architecture', () => {
    const [t1, t2] = studyTables(sampleReport())
    expect(t1.rows.map((r) => r[0])).toEqual(['ResNet50 (FER2013)', 'ResNet50 INT8', 'ViT', 'face-api FaceExpressionNet'])
    expect(t2.rows.map((r) => r[1])).toEqual(['136.33 ms (TensorFlow)', '136.33 ms (TensorFlow)', '11.48 ms (PyTorch, GPU)', '—'])
    for (const t of [t1, t2]) for (const r of t.rows) expect(r).toHaveLength(t.headers.length)
  })

  it("puts a variant of the study's architecture (vit-hybrid) beside the study's row", () => {
    const report = sampleReport()
    const resnet = report.models[0]!
    report.models.splice(2, 0, { ...resnet, id: 'vit-fer', name: 'ViT hybrid', arch: 'vit-hybrid', quantizedFrom: null })
    const [t1] = studyTables(report)
    expect(t1.rows.map((r) => [r[0], r[1]])).toEqual([
      ['ResNet50 (FER2013)', '57.7 %'],
      ['ResNet50 INT8', '57.7 %'],
      ['ViT hybrid', '~42.0 %'],
      ['face-api FaceExpressionNet', '—']
    ])
  })

  it('keeps a failed provider in the speed table with its error', () => {
    const t = speedTable(sampleReport())
    expect(t.rows.find((r) => r[1] === 'webgpu')?.[2]).toBe('failed: Failed to get a WebGPU adapter | no adapters')
  })

  it('recommends the most accurate model on test and the fastest per face on the CPU', () => {
    expect(recommendation(sampleReport())).toEqual({
      mostAccurate: 'ResNet50 (FER2013): 60.0 % on FER2013 test',
      fastest: 'ResNet50 INT8: 4.00 ms per face (batch 8, cpu)'
    })
  })
})
