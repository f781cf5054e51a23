import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeCallMetrics } from '../../src/bench/card-call-metrics'
import { parseModelCard, toModelInfo } from '../../src/main/inference/model-card'
import type { CallConditionRow } from '../../src/shared/bench-report'

const MODELS = join(__dirname, '..', '..', 'resources', 'models')
const row = (model: string, split: string, facePx: number, accuracy: number, found = 8): CallConditionRow => ({
  set: 'ckplus48',
  split,
  facePx,
  model,
  n: 10,
  found,
  accuracy,
  macroF1: accuracy / 2,
  perClassRecall: { angry: 0, disgust: 0, fear: 0, happy: 1, neutral: 1, sad: 0, surprise: 0 }
})

describe('writeCallMetrics', () => {
  it("writes a model's call-conditions rows into its card, which the app then reads as its small-face score", async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'call-metrics-'))
    // The shipped cards without their own call-conditions rows.
    for (const f of ['faceapi-faces.json', 'vit-fer.json']) {
      const card = JSON.parse(await readFile(join(MODELS, f), 'utf8')) as { metrics: Record<string, unknown> }
      delete card.metrics.call_conditions
      await writeFile(join(dir, f), `${JSON.stringify(card, null, 2)}\n`)
    }
    const vitBefore = await readFile(join(dir, 'vit-fer.json'), 'utf8')
    const rows = [
      row('faceapi-faces', 'val', 70, 0.8),
      row('faceapi-faces', 'val', 100, 0.6),
      row('faceapi-faces', 'photos', 70, 0.1),
      row('face-api-expression', 'val', 70, 0.9)
    ]
    expect(await writeCallMetrics({ callConditions: rows }, dir)).toEqual(['faceapi-faces'])
    const raw = JSON.parse(await readFile(join(dir, 'faceapi-faces.json'), 'utf8')) as { metrics: { call_conditions: unknown[] } }
    // Photo folders are not val or test splits: left out of the card.
    expect(raw.metrics.call_conditions).toEqual([
      { set: 'ckplus48', split: 'val', face_px: 70, accuracy: 0.8, macro_f1: 0.4, found: 0.8 },
      { set: 'ckplus48', split: 'val', face_px: 100, accuracy: 0.6, macro_f1: 0.3, found: 0.8 }
    ])
    const info = toModelInfo(parseModelCard(raw, 'faceapi-faces.json'))
    expect(info.smallFaceScore).toBeCloseTo((0.6 + 0.45) / 2, 9)
    // A card without rows is untouched (and has no score), and nothing else is left in the folder.
    expect(await readFile(join(dir, 'vit-fer.json'), 'utf8')).toBe(vitBefore)
    expect(toModelInfo(parseModelCard(JSON.parse(await readFile(join(dir, 'vit-fer.json'), 'utf8')), 'vit-fer.json')).smallFaceScore).toBeUndefined()
    expect((await readdir(dir)).sort()).toEqual(['faceapi-faces.json', 'vit-fer.json'])
  })
})
