import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import Ajv from 'ajv'
import { describe, expect, it } from 'vitest'
import { markdownTable, ms, pct, renderMarkdown } from '../../src/bench/markdown'
import schema from '../../src/bench/report.schema.json'
import { writeReport } from '../../src/bench/write-report'
import { sampleReport } from './report-fixture'

describe('markdownTable', () => {
  it('writes a header, a separator and one line per row', () => {
    expect(markdownTable(['a', 'b'], [[1, 'x'], [2, 'y']])).toBe('| a | b |\n|---|---|\n| 1 | x |\n| 2 | y |')
  })

  it('escapes pipes, backslashes and newlines so an error message cannot break the table', () => {
    const table = markdownTable(['error'], [['a | b\nc \\ d']])
    expect(table.split('\n')).toHaveLength(3)
    expect(table).toContain('| a \\| b c \\\\ d |')
  })

  it('rejects a row whose length differs from the header', () => {
    expect(() => markdownTable(['a', 'b'], [[1]])).toThrow(/1 cells, header has 2/)
  })
})

describe('number formats', () => {
  it('prints fractions as percentages and ms with size-dependent precision', () => {
    expect(pct(0.5771)).toBe('57.7 %')
    expect(pct(null)).toBe('—')
    expect(ms(0.1234)).toBe('0.12')
    expect(ms(12.345)).toBe('12.3')
    expect(ms(136.33)).toBe('136')
    expect(ms(Number.NaN)).toBe('—')
  })
})

describe('renderMarkdown', () => {
  const md = renderMarkdown(sampleReport())
  const lines = md.split('\n')

  it("puts the study's Table 1 next to ours, with the INT8 variant under the same study row", () => {
    const row = lines.find((l) => l.startsWith('| ResNet50 (FER2013) | 57.7 %'))
    expect(row).toBeDefined()
    // main split is test: ours 60.0 %, macro-F1 50.0 %, val 60.0 %, card test 65.5 %
    expect(row).toBe('| ResNet50 (FER2013) | 57.7 % | 60.0 % | 50.0 % | 60.0 % | 65.5 % |')
    expect(lines.find((l) => l.startsWith('| ResNet50 INT8 | 57.7 %'))).toBeDefined()
    // No ViT model in this report: the study row still appears, marked as missing.
    expect(lines.find((l) => l.startsWith('| ViT | ~42.0 % | no model'))).toBeDefined()
  })

  it("puts the study's Table 2 next to our CPU timings and face-api's WASM timings", () => {
    expect(lines).toContain('| ResNet50 (FER2013) | 136.33 ms (TensorFlow) | 8.50 / 12.8 | 6.25 / 9.38 | 160 | 150 | 170 |')
    expect(lines).toContain('| face-api FaceExpressionNet | — | 14.0 / 21.0 | 11.0 / 16.5 | 91 | 20.0 | 220 |')
  })

  it('reports a failed provider with its error instead of leaving it out', () => {
    expect(md).toContain('`webgpu`: **failed**: Failed to get a WebGPU adapter | no adapters')
    expect(lines.some((l) => l.startsWith('| ResNet50 (FER2013) | webgpu | failed: Failed to get a WebGPU adapter \\| no adapters'))).toBe(true)
  })

  it('writes each caveat as its own quote block, the options, quantisation and charts', () => {
    expect(md).toContain('> **Note:** first caveat\n\n> **Note:** second caveat')
    expect(lines).toContain('| ResNet50 (FER2013) | intra-op-threads | 1 | failed: boom | — | — | — | — | — |')
    expect(lines).toContain('| resnet50-fer | resnet50-fer.int8 | 66.0 % | 65.8 % | -0.20 | 40.0 | 10.5 | yes | within 0.5 point |')
    expect(md).toContain('![Figure 3 (right)](bench/ms-per-face.svg)')
    expect(md).toContain('Batching: ms per face at batch 1 divided by batch 8 (CPU default settings): ResNet50 (FER2013) 1.36x')
  })

  it('has no runs of blank lines', () => {
    expect(md).not.toMatch(/\n\n\n/)
  })
})

describe('report schema', () => {
  const validate = new Ajv({ allErrors: true }).compile(schema)

  it('accepts a complete report', () => {
    expect(validate(sampleReport()), JSON.stringify(validate.errors)).toBe(true)
  })

  it('rejects a missing field, an accuracy over 1, a failed row without its error, and an unknown field', () => {
    const missing = sampleReport() as unknown as Record<string, unknown>
    delete missing.providers
    expect(validate(missing)).toBe(false)

    const over = sampleReport()
    ;(over.accuracy[0] as { accuracy: number }).accuracy = 1.2
    expect(validate(over)).toBe(false)

    const silent = sampleReport()
    ;(silent.speed[1] as { error: string | null }).error = null
    expect(validate(silent)).toBe(false)

    const extra = { ...sampleReport(), surprise: true }
    expect(validate(extra)).toBe(false)

    const noRecall = sampleReport()
    delete (noRecall.accuracy[0]?.perClassRecall as Record<string, number>).disgust
    expect(validate(noRecall)).toBe(false)
  })
})

describe('writeReport', () => {
  it('writes benchmarks.md, bench/report.json and the charts; removes stale charts; keeps other files', async () => {
    const out = await mkdtemp(join(os.tmpdir(), 'bench-writer-'))
    await mkdir(join(out, 'bench'))
    await writeFile(join(out, 'bench', 'old-model.svg'), '<svg/>')
    await writeFile(join(out, 'bench', 'quantization.json'), '{"models":[]}')
    const report = sampleReport()
    const paths = await writeReport(out, report, [{ id: 'ms-per-face', title: 'Figure 3 (right)', fileName: 'ms-per-face.svg', svg: '<svg>chart</svg>' }])
    expect(JSON.parse(await readFile(paths.json, 'utf8'))).toEqual(report)
    expect(await readFile(paths.markdown, 'utf8')).toBe(renderMarkdown(report))
    expect((await readdir(join(out, 'bench'))).sort()).toEqual(['ms-per-face.svg', 'quantization.json', 'report.json'])
    expect(await readFile(join(out, 'bench', 'ms-per-face.svg'), 'utf8')).toBe('<svg>chart</svg>')
  })
})
