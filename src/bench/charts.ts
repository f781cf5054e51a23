import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { EMOTION_COLORS } from '../shared/emotions'
import type { AccuracyRow, SpeedRow, TrainingLogSummary } from './report'

/**
 * Renders a Vega-Lite spec to an SVG string headlessly (renderer "none": no canvas or DOM needed).
 * Text widths are estimated without a canvas, which is fine for charts of this size.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

const FONT = { config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } } } as const

/** Figure 3 left: train and val accuracy per epoch for each model, from the committed training logs. */
export function accuracyPerEpochSpec(logs: readonly TrainingLogSummary[]): TopLevelSpec {
  const values = logs.flatMap((log) =>
    log.rows.flatMap((r) => [
      { model: log.model, epoch: r.epoch, set: 'train', accuracy: r.trainAccuracy },
      { model: log.model, epoch: r.epoch, set: 'val', accuracy: r.valAccuracy }
    ])
  )
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Accuracy per epoch (FER2013 train / val)',
    width: 520,
    height: 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'model', type: 'nominal', title: 'model' },
      strokeDash: { field: 'set', type: 'nominal', title: 'split' }
    },
    ...FONT
  }
}

/** Figure 3 right: ms per face (median) for every model and execution provider that worked, batch 1 and 8. */
export function msPerFaceSpec(speed: readonly SpeedRow[]): TopLevelSpec {
  const values = speed
    .filter((s) => s.ok)
    .flatMap((s) =>
      [s.batch1, s.batch8]
        .filter((b) => b !== null)
        .map((b) => ({ model: s.model, provider: s.provider, batch: `batch ${b.batch}`, ms: b.medianMs, p95: b.p95Ms }))
    )
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Inference time per face (median; whisker to p95)',
    data: { values },
    facet: { column: { field: 'batch', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 260,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'model', type: 'nominal', title: null, axis: { labelAngle: -30 } },
            xOffset: { field: 'provider', type: 'nominal' },
            y: { field: 'ms', type: 'quantitative', title: 'ms per face' },
            color: { field: 'provider', type: 'nominal', title: 'execution provider' }
          }
        },
        {
          mark: { type: 'rule', color: '#333' },
          encoding: {
            x: { field: 'model', type: 'nominal' },
            xOffset: { field: 'provider', type: 'nominal' },
            y: { field: 'ms', type: 'quantitative' },
            y2: { field: 'p95' }
          }
        }
      ]
    },
    ...FONT
  }
}

/** A confusion matrix as a heatmap of row-normalised recall with the counts written in the cells. */
export function confusionSpec(row: Pick<AccuracyRow, 'model' | 'split' | 'labels' | 'confusion' | 'accuracy'>): TopLevelSpec {
  const values = row.confusion.flatMap((counts, t) => {
    const total = counts.reduce((a, b) => a + b, 0)
    return counts.map((count, p) => ({ truth: row.labels[t], predicted: row.labels[p], count, share: total > 0 ? count / total : 0 }))
  })
  const sort = [...row.labels]
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${row.model} on ${row.split}: accuracy ${(row.accuracy * 100).toFixed(1)} %`,
    width: 280,
    height: 280,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort, title: 'predicted', axis: { labelAngle: -45 } },
      y: { field: 'truth', type: 'nominal', sort, title: 'true' }
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues', domain: [0, 1] } } }
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' }
        }
      }
    ],
    ...FONT
  }
}

/** Per-class recall of every model on one split, coloured like the app's overlay labels. */
export function recallSpec(rows: readonly Pick<AccuracyRow, 'model' | 'split' | 'perClassRecall'>[]): TopLevelSpec {
  const values = rows.flatMap((r) => Object.entries(r.perClassRecall).map(([emotion, recall]) => ({ model: r.model, emotion, recall })))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Per-class recall (${rows[0]?.split ?? ''})`,
    width: 420,
    height: 240,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'model', type: 'nominal', title: null },
      xOffset: { field: 'emotion', type: 'nominal', sort: Object.keys(EMOTION_COLORS) },
      y: { field: 'recall', type: 'quantitative', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'emotion', type: 'nominal', scale: { domain: Object.keys(EMOTION_COLORS), range: Object.values(EMOTION_COLORS) } }
    },
    ...FONT
  }
}
