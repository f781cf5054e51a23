import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isCardFileName, parseModelCard, type ModelCard } from '../main/inference/model-card'

/** A model card as the app parses it, plus the fields only the bench reads. */
export interface BenchModel {
  card: ModelCard
  cardPath: string
  modelPath: string
  /** The per-epoch training log beside the card (card field `log`), when it names one. */
  logPath: string | null
  /** Card `exported` (ISO time the exporter wrote), when present. */
  exported: string | null
  /** Card `quantization`, written by training/quantize.py for INT8 variants. */
  quantizedFrom: string | null
  /** The val accuracies training/quantize.py decided on (float model, INT8 variant), when the card records them. */
  quantizedValAccuracy: { float: number; int8: number } | null
}

/**
 * Every valid card in `modelsDir`, in id order, parsed by the app's own parseModelCard so the bench
 * accepts exactly the models the app does. Bad cards are returned as errors, not thrown.
 */
export async function discoverModels(modelsDir: string): Promise<{ models: BenchModel[]; errors: string[] }> {
  const models: BenchModel[] = []
  const errors: string[] = []
  let names: string[]
  try {
    names = (await readdir(modelsDir)).filter(isCardFileName).sort()
  } catch (error) {
    return { models, errors: [`models folder ${modelsDir}: ${(error as Error).message}`] }
  }
  for (const name of names) {
    const cardPath = join(modelsDir, name)
    try {
      const raw = JSON.parse(await readFile(cardPath, 'utf8')) as Record<string, unknown>
      const card = parseModelCard(raw, name)
      const quantization = raw.quantization as Record<string, unknown> | undefined
      models.push({
        card,
        cardPath,
        modelPath: join(modelsDir, card.file),
        logPath: typeof raw.log === 'string' && /^[A-Za-z0-9._-]+\.csv$/.test(raw.log) ? join(modelsDir, raw.log) : null,
        exported: typeof raw.exported === 'string' ? raw.exported : null,
        quantizedFrom: typeof quantization?.from === 'string' ? quantization.from : null,
        quantizedValAccuracy:
          typeof quantization?.val_accuracy_float === 'number' && typeof quantization.val_accuracy_int8 === 'number'
            ? { float: quantization.val_accuracy_float, int8: quantization.val_accuracy_int8 }
            : null
      })
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message}`)
    }
  }
  return { models, errors }
}
