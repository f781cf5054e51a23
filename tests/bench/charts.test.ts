import { describe, expect, it } from 'vitest'
import { EMOTIONS } from '../../src/shared/emotions'
import { accuracyPerEpochSpec, confusionSpec, msPerFaceSpec, renderSvg } from '../../src/bench/charts'
import { sampleReport } from './report-fixture'

describe('charts', () => {
  it('renders a confusion matrix to SVG with every count and class name in it', async () => {
    const confusion = EMOTIONS.map((_, i) => EMOTIONS.map((_, j) => (i === j ? 100 + i : j + 1)))
    const svg = await renderSvg(confusionSpec({ model: 'm', split: 'test', labels: [...EMOTIONS], confusion, accuracy: 0.5 }))
    expect(svg.startsWith('<svg')).toBe(true)
    for (const e of EMOTIONS) expect(svg).toContain(`>${e}</text>`)
    for (let i = 0; i < EMOTIONS.length; i++) expect(svg).toContain(`>${100 + i}</text>`)
    expect(svg).toContain('m on test: accuracy 50.0 %')
  })

  it('plots only providers that worked in the ms-per-face chart', () => {
    const spec = msPerFaceSpec(sampleReport().speed) as { data: { values: { provider: string; model: string }[] } }
    const providers = new Set(spec.data.values.map((v) => v.provider))
    expect(providers).toEqual(new Set(['cpu', 'tfjs-wasm']))
    // batch 1 and batch 8 for each of the three rows that worked
    expect(spec.data.values).toHaveLength(6)
  })

  it('draws train and val accuracy per epoch from the training logs', async () => {
    const logs = sampleReport().trainingLogs
    const spec = accuracyPerEpochSpec(logs) as { data: { values: { set: string; accuracy: number }[] } }
    expect(spec.data.values.filter((v) => v.set === 'val').map((v) => v.accuracy)).toEqual([0.5, 0.62])
    expect((await renderSvg(accuracyPerEpochSpec(logs))).startsWith('<svg')).toBe(true)
  })
})
