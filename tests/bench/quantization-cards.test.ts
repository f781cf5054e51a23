import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { quantizationFromCards } from '../../src/bench/bench'
import type { BenchModel } from '../../src/bench/model-cards'

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

function model(id: string, file: string, from: string | null, val: { float: number; int8: number } | null): BenchModel {
  return {
    card: { id, file } as BenchModel['card'],
    cardPath: join(dir, `${id}.json`),
    modelPath: join(dir, file),
    logPath: null,
    exported: null,
    quantizedFrom: from,
    quantizedValAccuracy: val
  }
}

describe('quantizationFromCards (a packaged app has no docs/bench/quantization.json)', () => {
  it('makes one row per shipped INT8 card from its recorded val accuracies and the file sizes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'quant-cards-'))
    await writeFile(join(dir, 'a.onnx'), Buffer.alloc(2 * 2 ** 20))
    await writeFile(join(dir, 'a.int8.onnx'), Buffer.alloc(2 ** 19))
    const rows = quantizationFromCards([
      model('a', 'a.onnx', null, null),
      model('a.int8', 'a.int8.onnx', 'a', { float: 0.6681, int8: 0.6676 }),
      model('orphan.int8', 'orphan.int8.onnx', 'missing', { float: 0.5, int8: 0.5 }),
      model('b.int8', 'b.int8.onnx', 'a', null)
    ])
    expect(rows).toEqual([
      expect.objectContaining({ model: 'a', int8Model: 'a.int8', shipped: true, valAccuracyFloat: 0.6681, valAccuracyInt8: 0.6676, sizeMbFloat: 2, sizeMbInt8: 0.5 })
    ])
    expect(rows[0]?.deltaPoints).toBeCloseTo(-0.05, 6)
  })
})
