import { describe, expect, it } from 'vitest'
import { isCardFileName, parseModelCard, toModelInfo } from '../../src/main/model-card'
import { EMOTIONS } from '../../src/shared/emotions'

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
    ['a label that is an array holding a name', { labels: [['angry'], ...EMOTIONS.slice(1)] }],
    ['a label twice and one missing', { labels: [...EMOTIONS.slice(0, 6), EMOTIONS[0]] }],
    ['a hole among the labels', { labels: Object.assign([...EMOTIONS], { 6: undefined }).map((l, i) => (i === 6 ? undefined : l)) }]
  ])('rejects %s', (_name, overrides) => {
    expect(() => parseModelCard(card(overrides), 'resnet50-fer.json')).toThrow(/resnet50-fer\.json/)
  })

  it('tells cards from the schema file', () => {
    expect(isCardFileName('vit-fer.json')).toBe(true)
    expect(isCardFileName('model-card.schema.json')).toBe(false)
    expect(isCardFileName('vit-fer.onnx')).toBe(false)
  })
})
