import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MODELS_DIR } from './repo-paths'

/** The two models issue 2 ships; both must be in resources/models for the suites to pass. */
export const RESNET = 'resnet50-fer'
/** The ViT's model id. */
export const VIT = 'vit-fer'

/** The part of a model card the e2e suites read. */
export interface ShippedCard {
  id: string
  /** The display name the app and the Compare view's tables show. */
  name: string
  file: string
  metrics?: { fer2013?: { test?: { accuracy?: number } } }
}

/** The cards in resources/models whose ONNX file is there too. */
export function shippedCards(): ShippedCard[] {
  let names: string[]
  try {
    names = readdirSync(MODELS_DIR)
  } catch {
    return []
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'))
    .map((n) => JSON.parse(readFileSync(join(MODELS_DIR, n), 'utf8')) as ShippedCard)
    .filter((card) => names.includes(card.file))
}
