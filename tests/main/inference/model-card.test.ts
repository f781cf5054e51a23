import { describe, expect, it } from 'vitest'
import { isCardFileName, parseModelCard, toModelInfo } from '../../../src/main/inference/model-card'
import { EMOTIONS } from '../../../src/shared/emotions'

const card = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'resnet50-fer',
  name: 'ResNet50',
  arch: 'resnet50',
  file: 'resnet50-fer.onnx',
  labels: [...EMOTIONS],
  input: { name: 'input', channels: 1, height: 48, width: 48, mean: [0.5], std: [0.25] },
  output: { name: 'logits', kind: 'logits' },
  metrics: { fer2013: { val: { accuracy: 0.6, macro_f1: 0.55, per_class_recall: { angry: 0.5 } } } },
  params: 123,
  flops: 456,
  ...overrides
})

describe('parseModelCard', () => {
  it('accepts a card in the documented format', () => {
    const parsed = parseModelCard(card(), 'resnet50-fer.json')
    expect(parsed.input).toEqual({ name: 'input', channels: 1, height: 48, width: 48, mean: [0.5], std: [0.25] })
    expect(toModelInfo(parsed)).toMatchObject({ id: 'resnet50-fer', inputWidth: 48, inputHeight: 48, labels: [...EMOTIONS] })
    expect(toModelInfo(parsed).metrics.val?.accuracy).toBe(0.6)
  })

  it.each<[string, Record<string, unknown>]>([
    ['an id that differs from the file name', { id: 'other' }],
    ['a file outside the folder', { file: '../evil.onnx' }],
    ['a file that is not .onnx', { file: 'model.bin' }],
    ['missing labels', { labels: undefined }],
    ['six labels', { labels: EMOTIONS.slice(0, 6) }],
    ['an unknown label', { labels: [...EMOTIONS.slice(0, 6), 'bored'] }],
    ['channels 2', { input: { name: 'input', channels: 2, height: 48, width: 48, mean: [0.5, 0.5], std: [0.2, 0.2] } }],
    ['a mean per channel missing', { input: { name: 'input', channels: 3, height: 48, width: 48, mean: [0.5], std: [0.2, 0.2, 0.2] } }],
    ['a zero std', { input: { name: 'input', channels: 1, height: 48, width: 48, mean: [0.5], std: [0] } }],
    ['a fractional height', { input: { name: 'input', channels: 1, height: 47.5, width: 48, mean: [0.5], std: [0.2] } }],
    ['an unknown output kind', { output: { name: 'logits', kind: 'scores' } }],
    ['a bad sha256', { sha256: 'xyz' }],
    ['a summary of two lines', { summary: 'good at\nthings' }],
    ['an empty summary', { summary: '' }],
    ['a calibration without a temperature', { calibration: { method: 'temperature' } }],
    ['a zero temperature', { calibration: { method: 'temperature', temperature: 0 } }],
    ['a negative temperature', { calibration: { method: 'temperature', temperature: -1.3 } }],
    ['an unknown calibration method', { calibration: { method: 'platt', temperature: 1.3 } }],
    ['fitted_on that is not a list', { calibration: { method: 'temperature', temperature: 1.3, fitted_on: 'fer2013/val' } }],
    ['a label that is an array holding a name', { labels: [['angry'], ...EMOTIONS.slice(1)] }],
    ['a label twice and one missing', { labels: [...EMOTIONS.slice(0, 6), EMOTIONS[0]] }],
    ['a hole among the labels', { labels: Object.assign([...EMOTIONS], { 6: undefined }).map((l, i) => (i === 6 ? undefined : l)) }]
  ])('rejects %s', (_name, overrides) => {
    expect(() => parseModelCard(card(overrides), 'resnet50-fer.json')).toThrow(/resnet50-fer\.json/)
  })

  it('accepts the optional summary, calibration and real-face metrics and hands them to the renderer', () => {
    const split = (accuracy: number, macro_f1: number, ece?: number) => ({ accuracy, macro_f1, per_class_recall: { happy: 0.9 }, confusion_matrix: [[1]], ...(ece === undefined ? {} : { ece }) })
    const parsed = parseModelCard(
      card({
        summary: 'Best on faces in the wild; weak on disgust',
        calibration: { method: 'temperature', temperature: 1.3, fitted_on: ['fer2013/val', 'muxspace/val'], ece_before: 0.08, ece_after: 0.03 },
        metrics: {
          fer2013: { val: split(0.6, 0.55, 0.04), test: split(0.61, 0.56) },
          ckplus48: { val: split(0.9, 0.7), test: split(0.91, 0.72) },
          muxspace: { val: split(0.7, 0.4) }
        }
      }),
      'resnet50-fer.json'
    )
    expect(parsed.summary).toBe('Best on faces in the wild; weak on disgust')
    expect(parsed.calibration).toEqual({ method: 'temperature', temperature: 1.3, fittedOn: ['fer2013/val', 'muxspace/val'], eceBefore: 0.08, eceAfter: 0.03 })
    expect(parsed.metrics?.fer2013?.val?.ece).toBe(0.04)
    // The renderer gets the scores, not the confusion matrices.
    expect(parsed.metrics?.fer2013?.val).not.toHaveProperty('confusion_matrix')
    expect(parsed.metrics?.ckplus48?.test?.macro_f1).toBe(0.72)
    const info = toModelInfo(parsed)
    expect(info.summary).toBe('Best on faces in the wild; weak on disgust')
    expect(info.temperature).toBe(1.3)
    expect(info.realFaces?.ckplus48?.val?.accuracy).toBe(0.9)
    expect(info.realFaces?.muxspace?.val?.macro_f1).toBe(0.4)
    expect(info.metrics.test?.accuracy).toBe(0.61)
  })

  it('keeps a card without the optional fields working as before', () => {
    const info = toModelInfo(parseModelCard(card(), 'resnet50-fer.json'))
    expect(info.summary).toBeUndefined()
    expect(info.temperature).toBeUndefined()
    expect(info.realFaces).toBeUndefined()
  })

  it('tells cards from the schema file', () => {
    expect(isCardFileName('vit-fer.json')).toBe(true)
    expect(isCardFileName('model-card.schema.json')).toBe(false)
    expect(isCardFileName('vit-fer.onnx')).toBe(false)
  })
})
