import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { BENCH_REPORT_SCHEMA_PATH, benchReportJsonSchema } from '../../scripts/write-json-schemas'
import { BenchReportSchema } from '../../src/shared/bench-report-schema'
import { sampleReport } from '../bench/report-fixture'

const fileSchema = JSON.parse(readFileSync(BENCH_REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>
// The committed report, as npm run bench last wrote it.
const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'bench', 'report.json'), 'utf8')) as Record<string, unknown>
// Draft-07 and a plain Ajv, as the bench tests validate reports.
const validateFile = new Ajv({ allErrors: true }).compile(fileSchema)

type Report = Record<string, unknown> & { [key: string]: unknown }
const row = (report: Report, section: string, index = 0): Record<string, unknown> => (report[section] as Record<string, unknown>[])[index]!

describe('the bench report format, declared once', () => {
  it('has report.schema.json exactly as generated from the declaration (npx tsx scripts/write-json-schemas.ts)', () => {
    expect(fileSchema).toEqual(benchReportJsonSchema())
  })

  it.each([
    ['the committed docs/bench/report.json', () => structuredClone(committed)],
    ['the test fixture report', () => sampleReport() as unknown as Report]
  ])('accepts %s in both the declaration and the JSON Schema file', (_name, make) => {
    const report = make()
    expect(v.safeParse(BenchReportSchema, report).issues).toBeUndefined()
    expect(validateFile(report), JSON.stringify(validateFile.errors)).toBe(true)
  })

  // Each mutation breaks one rule; the file and the declaration must both refuse it. The fixture has
  // a working and a failed speed row, an option row, a provider row and an accuracy row to break.
  const mutations: [string, (r: Report) => void][] = [
    ['a missing section', (r) => delete r.providers],
    ['an unknown top-level field', (r) => (r.surprise = true)],
    ['schema version 2', (r) => (r.schemaVersion = 2)],
    ['a local time without Z', (r) => (r.generatedAt = '2026-01-01T10:00:00')],
    ['no models', (r) => (r.models = [])],
    ['one study row', (r) => (r.study = (r.study as unknown[]).slice(0, 1))],
    ['a model input that is not CxHxW', (r) => (row(r, 'models').input = '48x48')],
    ['an accuracy over 1', (r) => (row(r, 'accuracy').accuracy = 1.2)],
    ['a dataset other than fer2013', (r) => (row(r, 'accuracy').dataset = 'ckplus48')],
    ['a per-class recall without disgust', (r) => delete (row(r, 'accuracy').perClassRecall as Record<string, number>).disgust],
    ['a per-class recall for an unknown class', (r) => ((row(r, 'accuracy').perClassRecall as Record<string, number>).bored = 0.5)],
    ['a negative support', (r) => ((row(r, 'accuracy').support as Record<string, number>).angry = -1)],
    ['labels in another order', (r) => (row(r, 'accuracy').labels = [...(row(r, 'accuracy').labels as string[])].reverse())],
    ['six labels', (r) => (row(r, 'accuracy').labels = (row(r, 'accuracy').labels as string[]).slice(0, 6))],
    ['a confusion matrix with six rows', (r) => (row(r, 'accuracy').confusion = (row(r, 'accuracy').confusion as unknown[]).slice(0, 6))],
    ['a fractional confusion count', (r) => ((row(r, 'accuracy').confusion as number[][])[0]![0] = 0.5)],
    ['a failed provider without its error', (r) => Object.assign(row(r, 'providers'), { ok: false, error: null })],
    ['a failed provider with an empty error', (r) => Object.assign(row(r, 'providers'), { ok: false, error: '' })],
    ['a failed speed row without its error', (r) => (r.speed as Record<string, unknown>[]).filter((s) => !s.ok).forEach((s) => (s.error = null))],
    [
      'a failed speed row with timings',
      (r) => (r.speed as Record<string, unknown>[]).filter((s) => !s.ok).forEach((s) => (s.batch1 = row(r, 'speed').batch1))
    ],
    ['a working speed row with an error', (r) => (r.speed as Record<string, unknown>[]).filter((s) => s.ok).forEach((s) => (s.error = 'boom'))],
    ['a working speed row without batch 8', (r) => (r.speed as Record<string, unknown>[]).filter((s) => s.ok).forEach((s) => (s.batch8 = null))],
    [
      'a working speed row without its memory',
      (r) => (r.speed as Record<string, unknown>[]).filter((s) => s.ok).forEach((s) => (s.peakRssMb = null))
    ],
    ['a batch size of 4', (r) => ((row(r, 'speed').batch1 as Record<string, unknown>).batch = 4)],
    [
      'a working option row without its timings',
      (r) => (r.options as Record<string, unknown>[]).filter((s) => s.ok).forEach((s) => (s.batch1 = null))
    ],
    ['an unknown option', (r) => (r.options as Record<string, unknown>[]).forEach((s) => (s.option = 'turbo'))],
    ['an unknown field on an option row', (r) => (r.options as Record<string, unknown>[]).forEach((s) => (s.extra = 1))],
    ['a chart outside bench/', (r) => (r.charts = [{ id: 'x', title: 'x', file: '../x.svg' }])]
  ]

  it.each(mutations)('refuses %s in both the declaration and the JSON Schema file', (_name, mutate) => {
    const report = sampleReport() as unknown as Report
    mutate(report)
    expect(validateFile(report)).toBe(false)
    expect(v.safeParse(BenchReportSchema, report).success).toBe(false)
  })
})
