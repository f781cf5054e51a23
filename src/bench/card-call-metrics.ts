/**
 * npx tsx src/bench/card-call-metrics.ts REPORT.json [MODELS_DIR] — writes each model's call-conditions rows
 * from a bench report (npm run bench's report.json) into its card as metrics.call_conditions, so the app can
 * choose its default model and name the best one for small faces (src/shared/default-model.ts) from the cards.
 * Cards without rows in the report are left as they are; each card is replaced atomically (temp file, rename).
 */
import { readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchReport, CallConditionRow } from '../shared/bench-report'
import type { CallConditionMetrics } from '../shared/default-model'
import { isCardFileName } from '../main/inference/model-card'

const round = (v: number): number => Math.round(v * 1e5) / 1e5

/** A model's card rows from the report's call-conditions rows (val and test splits of labelled sets; photo folders are left out). */
export function callMetricsFor(rows: readonly CallConditionRow[], id: string): CallConditionMetrics[] {
  return rows
    .filter((r): r is CallConditionRow & { split: 'val' | 'test' } => r.model === id && (r.split === 'val' || r.split === 'test'))
    .map((r) => ({
      set: r.set,
      split: r.split,
      face_px: r.facePx,
      accuracy: round(r.accuracy),
      macro_f1: round(r.macroF1),
      found: round(r.n > 0 ? r.found / r.n : 0)
    }))
}

/** Writes the rows into every card in `modelsDir` that has some; returns the ids written. */
export async function writeCallMetrics(report: Pick<BenchReport, 'callConditions'>, modelsDir: string): Promise<string[]> {
  const written: string[] = []
  for (const name of (await readdir(modelsDir)).filter(isCardFileName).sort()) {
    const path = join(modelsDir, name)
    const card = JSON.parse(await readFile(path, 'utf8')) as { id?: unknown; metrics?: Record<string, unknown> }
    if (typeof card.id !== 'string') continue
    const rows = callMetricsFor(report.callConditions ?? [], card.id)
    if (rows.length === 0) continue
    card.metrics = { ...(card.metrics ?? {}), call_conditions: rows }
    await writeFile(`${path}.tmp`, `${JSON.stringify(card, null, 2)}\n`)
    await rename(`${path}.tmp`, path)
    written.push(card.id)
  }
  return written
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [reportPath, modelsDir = resolve(fileURLToPath(import.meta.url), '../../../resources/models')] = process.argv.slice(2)
  if (!reportPath) {
    process.stderr.write('usage: npx tsx src/bench/card-call-metrics.ts REPORT.json [MODELS_DIR]\n')
    process.exit(2)
  }
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as BenchReport
  const ids = await writeCallMetrics(report, modelsDir)
  process.stdout.write(`wrote metrics.call_conditions into ${ids.length} card(s): ${ids.join(', ')}\n`)
}
