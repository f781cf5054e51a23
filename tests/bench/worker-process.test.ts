import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSpeedJob } from '../../src/bench/worker-process'

const job = {
  kind: 'onnx' as const,
  cardPath: '/nonexistent/model.json',
  modelPath: '/nonexistent/model.onnx',
  variant: { provider: 'cpu', graphOptimizationLevel: 'all' as const, intraOpNumThreads: 0 },
  facePaths: ['/nonexistent/face.jpg'],
  batchSizes: [1],
  warmup: 0,
  iterations: 1
}

describe('runSpeedJob', () => {
  it('answers a failure with the error the worker hit, instead of throwing or hanging', async () => {
    const result = await runSpeedJob(job, 60_000)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/ENOENT.*nonexistent/)
  })

  it('reports a worker that runs past its time limit as timed out', async () => {
    const result = await runSpeedJob(job, 1)
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^worker timed out after 1 ms/) })
  })
})

describe('peak memory of a speed worker', () => {
  it("is the worker's own, not its parent's high-water mark inherited through fork", async () => {
    // Make this (parent) process much larger than a face-api worker ever gets.
    const ballast = Buffer.alloc(800 * 2 ** 20, 1)
    const parentMb = process.memoryUsage.rss() / 2 ** 20
    const face = join(__dirname, '../../../shared/datasets/fer2013/val/happy')
    const { readdirSync } = await import('node:fs')
    const result = await runSpeedJob(
      { kind: 'face-api', facePaths: [join(face, readdirSync(face)[0] as string)], batchSizes: [1], warmup: 0, iterations: 1 },
      120_000
    )
    expect(ballast.length).toBeGreaterThan(0)
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.peakRssMb).toBeGreaterThan(20)
      expect(result.peakRssMb).toBeLessThan(parentMb - 400)
    }
  })
})
