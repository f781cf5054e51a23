import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { MODEL_CARD_SCHEMA_PATH, modelCardJsonSchema } from '../../scripts/write-json-schemas'
import { parseModelCard } from '../../src/main/inference/model-card'
import { ModelCardSchema } from '../../src/shared/model-card-schema'

const MODELS = join(__dirname, '..', '..', 'resources', 'models')
const fileSchema = JSON.parse(readFileSync(MODEL_CARD_SCHEMA_PATH, 'utf8')) as Record<string, unknown>
const cardFiles = readdirSync(MODELS).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
const shipped = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(MODELS, name), 'utf8')) as Record<string, unknown>
const validateFile = new Ajv2020({ allErrors: true }).compile(fileSchema)

describe('the model card format, declared once', () => {
  it('has model-card.schema.json exactly as generated from the declaration (npx tsx scripts/write-json-schemas.ts)', () => {
    expect(fileSchema).toEqual(modelCardJsonSchema())
  })

  it.each(cardFiles)('accepts the shipped card %s in the declaration, the JSON Schema file and the app', (name) => {
    const card = shipped(name)
    expect(v.safeParse(ModelCardSchema, card).issues).toBeUndefined()
    expect(validateFile(card), JSON.stringify(validateFile.errors)).toBe(true)
    expect(parseModelCard(card, name).id).toBe(card.id)
  })

  // Each mutation breaks one rule that JSON Schema can say; the file and the declaration must both refuse it.
  const mutations: [string, (card: Record<string, unknown>) => void][] = [
    ['an uppercase id', (c) => (c.id = 'ResNet')],
    ['a file in another folder', (c) => (c.file = '../x.onnx')],
    ['a hidden file', (c) => (c.file = '.x.onnx')],
    ['six labels', (c) => (c.labels = (c.labels as string[]).slice(0, 6))],
    ['a label twice', (c) => (c.labels = [...(c.labels as string[]).slice(0, 6), 'angry'])],
    ['an unknown label', (c) => (c.labels = [...(c.labels as string[]).slice(0, 6), 'bored'])],
    ['channels 2', (c) => ((c.input as Record<string, unknown>).channels = 2)],
    ['a crop side over the IPC limit', (c) => ((c.input as Record<string, unknown>).height = 512)],
    ['a zero std', (c) => ((c.input as Record<string, unknown>).std = [0])],
    ['an unknown output kind', (c) => ((c.output as Record<string, unknown>).kind = 'scores')],
    ['no training block', (c) => delete c.training],
    ['a two-line summary', (c) => (c.summary = 'a\nb')],
    ['a zero temperature', (c) => (c.calibration = { method: 'temperature', temperature: 0 })],
    ['an accuracy above 1', (c) => (((c.metrics as Record<string, Record<string, Record<string, unknown>>>).fer2013!.val!).accuracy = 1.5)],
    ['a bad sha256', (c) => (c.sha256 = 'xyz')]
  ]

  it.each(mutations)('refuses %s in both the declaration and the JSON Schema file', (_name, mutate) => {
    const card = structuredClone(shipped('resnet50-fer.json'))
    mutate(card)
    expect(validateFile(card)).toBe(false)
    expect(v.safeParse(ModelCardSchema, card).success).toBe(false)
  })

  it('refuses a mean or std that does not have one value per channel (a rule only the declaration can say)', () => {
    const card = structuredClone(shipped('resnet50-fer.json'))
    ;(card.input as Record<string, unknown>).mean = [0.5, 0.5, 0.5]
    expect(() => parseModelCard(card, 'resnet50-fer.json')).toThrow('model card "resnet50-fer.json": input.mean and .std must have one value per channel')
  })
})
