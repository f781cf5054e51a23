import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'

/** One row of a per-epoch training log (resources/models/<id>.log.csv, written by training/train.py). */
export interface EpochRow {
  epoch: number
  train_loss: number
  train_acc: number
  val_loss: number
  val_acc: number
  lr: number
  seconds: number
}

const COLUMNS = ['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'lr', 'seconds'] as const

/** Parses a training log; columns are found by header name, so their order may change. */
export function parseTrainingLog(text: string, source = 'training log'): EpochRow[] {
  let records: string[][]
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][]
  } catch (error) {
    throw new Error(`${source}: not a CSV file: ${error instanceof Error ? error.message : String(error)}`)
  }
  const header = records[0] ?? []
  const index = COLUMNS.map((c) => header.indexOf(c))
  const missing = COLUMNS.filter((_, i) => index[i] === -1)
  if (missing.length > 0) throw new Error(`${source}: missing column(s) ${missing.join(', ')}`)
  return records.slice(1).map((cells, n) => {
    const row = Object.fromEntries(
      COLUMNS.map((c, i) => {
        const cell = cells[index[i] as number]
        const value = cell === undefined || cell === '' ? Number.NaN : Number(cell)
        if (!Number.isFinite(value)) throw new Error(`${source}: line ${n + 2}: "${c}" is not a number`)
        return [c, value]
      })
    )
    return row as unknown as EpochRow
  })
}

/** Reads and parses a training log file. */
export async function readTrainingLog(path: string): Promise<EpochRow[]> {
  return parseTrainingLog(await readFile(path, 'utf8'), path)
}
