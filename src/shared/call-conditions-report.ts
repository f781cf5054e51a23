/**
 * The bench report's call-conditions table (labelled faces at call sizes through a JPEG round trip, the
 * detector, each model's crop and the model) and the choice it supports: the best model on small faces.
 */
import type { CallConditionRow } from './bench-report'
import type { ReportTable } from './bench-tables'
import { pct } from './bench-tables'

/** One cell's text: accuracy / macro-F1, with the share of faces found. */
function cell(r: CallConditionRow): string {
  return `${pct(r.accuracy)} / ${pct(r.macroF1)} (${r.found}/${r.n})`
}

/** Per set, split and face size: every model's accuracy / macro-F1 and faces found; null when there are no rows. */
export function callConditionsTable(rows: readonly CallConditionRow[] | undefined): ReportTable | null {
  if (!rows || rows.length === 0) return null
  const columns = [...new Set(rows.map((r) => `${r.set} ${r.split} @${r.facePx}px`))]
  const models = [...new Set(rows.map((r) => r.model))]
  return {
    id: 'call-conditions',
    title: 'Call conditions: faces 40-100 px on a call tile, JPEG q55, through the detector',
    headers: ['model', ...columns],
    rows: models.map((m) => [
      m,
      ...columns.map((c) => {
        const r = rows.find((x) => x.model === m && `${x.set} ${x.split} @${x.facePx}px` === c)
        return r ? cell(r) : '-'
      })
    ])
  }
}

/**
 * The model with the best mean of accuracy and macro-F1 over the val rows at the given face sizes (every
 * val set counts once per size); null without such rows. Models missing a row are not ranked.
 */
export function bestOnSmallFaces(
  rows: readonly CallConditionRow[],
  sizes: readonly number[] = [70, 100],
  exclude: readonly string[] = []
): { model: string; score: number } | null {
  const val = rows.filter((r) => r.split === 'val' && sizes.includes(r.facePx) && !exclude.includes(r.model))
  const cells = new Set(val.map((r) => `${r.set}@${r.facePx}`))
  let best: { model: string; score: number } | null = null
  for (const model of new Set(val.map((r) => r.model))) {
    const mine = val.filter((r) => r.model === model)
    if (mine.length !== cells.size || cells.size === 0) continue
    const score = mine.reduce((s, r) => s + (r.accuracy + r.macroF1) / 2, 0) / mine.length
    if (!best || score > best.score) best = { model, score }
  }
  return best
}
