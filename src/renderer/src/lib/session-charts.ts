import * as vega from 'vega'
import { expressionInterpreter } from 'vega-interpreter'
import { compile, type TopLevelSpec } from 'vega-lite'
import { EMOTION_COLORS, EMOTIONS } from '../../../shared/emotions'
import type { SessionSummaryReport, TimelinePoint } from '../../../shared/session-summary'

/** Most points one face's timeline draws; longer sessions are averaged into this many time buckets. */
export const MAX_TIMELINE_POINTS = 600

const COLOR_SCALE = { domain: [...EMOTIONS], range: EMOTIONS.map((e) => EMOTION_COLORS[e]) }
const FONT = { font: 'Helvetica, Arial, sans-serif' }

/** The one duration format of the app (list, detail, summary, hover): "m:ss.s", "h:mm:ss.s" from an hour. */
export function formatTime(ms: number): string {
  // Round once, to tenths, so 59.96 s reads 1:00.0 and never 0:60.0.
  const tenths = Math.round(Math.max(0, ms) / 100)
  const h = Math.floor(tenths / 36_000)
  const m = Math.floor((tenths % 36_000) / 600)
  const sec = ((tenths % 600) / 10).toFixed(1).padStart(4, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/** One row of the summary table: who, the time shown and what it means. */
export interface SummaryTableRow {
  key: string
  who: string
  /** The call's duration for the call, the face's seen time for a face. */
  time: string
  /** For the call: the faces' seen times added up, which can exceed the duration. */
  faceTime: string | null
  dominant: string | null
  changes: number
  shares: SessionSummaryReport['call']['shares']
}

/** The summary table's rows: the whole call by its duration (with face-time beside it), then each face by its seen time. */
export function summaryTableRows(summary: SessionSummaryReport, names: Readonly<Record<string, string>>): SummaryTableRow[] {
  const { call } = summary
  return [
    { key: 'call', who: 'Whole call', time: formatTime(call.durationMs), faceTime: formatTime(call.seenMs), dominant: call.dominant, changes: call.changes, shares: call.shares },
    ...summary.faces.map((f) => ({ key: `face-${f.faceId}`, who: faceTitle(f.faceId, names), time: formatTime(Math.min(f.seenMs, call.durationMs)), faceTime: null, dominant: f.dominant, changes: f.changes, shares: f.shares }))
  ]
}

/** One row of a face's timeline chart: time in seconds and the seven smoothed probabilities (null in a gap). */
export type TimelineRow = { t: number; time: string } & Record<string, number | null | string>

/**
 * A face's smoothed timeline as chart rows, averaged into at most `maxPoints` equal time buckets,
 * with an empty row inside every gap longer than `gapMs` (from a point's last row to the next
 * point) so the lines break where the face was away.
 */
export function timelineRows(points: readonly TimelinePoint[], gapMs: number, maxPoints = MAX_TIMELINE_POINTS): TimelineRow[] {
  if (points.length === 0) return []
  const first = points[0]!.t
  const last = points[points.length - 1]!.tEnd
  const bucketMs = Math.max((last - first) / maxPoints, 0)
  const rows: TimelineRow[] = []
  let bucket: TimelinePoint[] = []
  let previous = -Infinity
  const flush = (): void => {
    if (bucket.length === 0) return
    const t = bucket.reduce((sum, p) => sum + p.t, 0) / bucket.length
    const row: TimelineRow = { t: t / 1000, time: formatTime(t) }
    EMOTIONS.forEach((e, i) => (row[e] = bucket.reduce((sum, p) => sum + (p.probabilities[i] ?? 0), 0) / bucket.length))
    rows.push(row)
    bucket = []
  }
  for (const point of points) {
    if (point.t - previous > gapMs && previous > -Infinity) {
      flush()
      const mid = (point.t + previous) / 2
      const gap: TimelineRow = { t: mid / 1000, time: formatTime(mid) }
      for (const e of EMOTIONS) gap[e] = null
      rows.push(gap)
    } else if (bucket.length > 0 && point.t - bucket[0]!.t >= bucketMs) flush()
    bucket.push(point)
    previous = point.tEnd
  }
  flush()
  return rows
}

/** Display name of a face: its given name, or "Face N". */
export function faceTitle(faceId: number, names: Readonly<Record<string, string>>): string {
  const name = names[String(faceId)]
  return name ? `${name} (face ${faceId})` : `Face ${faceId}`
}

/**
 * One face's timeline: a line per emotion (the overlay's colours), a hover rule whose tooltip
 * shows the time and all seven values, and drag/wheel zoom on the time axis.
 */
export function timelineSpec(rows: readonly TimelineRow[], title: string, width = 640): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height: 150,
    data: { values: rows as unknown as Record<string, unknown>[] },
    encoding: { x: { field: 't', type: 'quantitative', title: 'time (s)' } },
    layer: [
      {
        transform: [{ fold: [...EMOTIONS], as: ['emotion', 'p'] }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'p', type: 'quantitative', title: 'smoothed probability', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'emotion', type: 'nominal', title: 'emotion', scale: COLOR_SCALE }
        },
        params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }]
      },
      {
        mark: { type: 'rule', color: '#888' },
        encoding: {
          opacity: { condition: { param: 'hover', empty: false, value: 0.8 }, value: 0 },
          tooltip: [{ field: 'time', type: 'nominal', title: 'time' }, ...EMOTIONS.map((e) => ({ field: e, type: 'quantitative' as const, format: '.0%' }))]
        },
        params: [{ name: 'hover', select: { type: 'point', fields: ['t'], nearest: true, on: 'pointerover', clear: 'pointerout' } }]
      }
    ],
    config: FONT
  }
}

/** The share of seen time in each emotion, one stacked bar per face and one for the whole call. */
export function summarySpec(summary: SessionSummaryReport, names: Readonly<Record<string, string>>, width = 640): TopLevelSpec {
  const values = [
    ...EMOTIONS.map((e) => ({ who: 'Whole call', emotion: e, share: summary.call.shares[e] })),
    ...summary.faces.flatMap((f) => EMOTIONS.map((e) => ({ who: faceTitle(f.faceId, names), emotion: e, share: f.shares[e] })))
  ]
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Share of time in each emotion (smoothed label)',
    width,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'who', type: 'nominal', title: null, sort: null },
      x: { field: 'share', type: 'quantitative', title: 'share of time seen', stack: 'normalize', axis: { format: '.0%' } },
      color: { field: 'emotion', type: 'nominal', title: 'emotion', scale: COLOR_SCALE },
      order: { field: 'emotion' },
      tooltip: [
        { field: 'who', type: 'nominal', title: 'face' },
        { field: 'emotion', type: 'nominal' },
        { field: 'share', type: 'quantitative', format: '.1%' }
      ]
    },
    config: FONT
  }
}

/** Every face's chart rows, keyed by face id, from main's timeline points (each face's in time order). */
export function timelinesByFace(points: readonly TimelinePoint[], gapMs: number): Map<number, TimelineRow[]> {
  const byFace = new Map<number, TimelinePoint[]>()
  for (const p of points) {
    const list = byFace.get(p.faceId)
    if (list) list.push(p)
    else byFace.set(p.faceId, [p])
  }
  const rows = new Map<number, TimelineRow[]>()
  for (const [faceId, list] of [...byFace].sort((a, b) => a[0] - b[0])) rows.set(faceId, timelineRows(list, gapMs))
  return rows
}

/**
 * A vega View of a Vega-Lite spec. Expressions go through vega's interpreter instead of generated
 * code, because the app's Content-Security-Policy forbids eval (and it should).
 */
export function createView(spec: TopLevelSpec, options: { renderer?: 'svg' | 'canvas' | 'none'; container?: HTMLElement } = {}): vega.View {
  const runtime = vega.parse(compile(spec).spec, undefined, { ast: true })
  const view = new vega.View(runtime, { expr: expressionInterpreter, renderer: options.renderer ?? 'none', hover: true })
  if (options.container) view.initialize(options.container)
  return view
}

/** Renders a spec to an SVG string without a DOM. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = createView(spec)
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** Renders a spec to PNG bytes through a canvas (browser only), at twice the size for sharp text. */
export async function renderPng(spec: TopLevelSpec): Promise<Uint8Array> {
  const view = createView(spec)
  try {
    const canvas = (await view.toCanvas(2)) as unknown as HTMLCanvasElement
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
    if (!blob) throw new Error('the chart could not be encoded as PNG')
    return new Uint8Array(await blob.arrayBuffer())
  } finally {
    view.finalize()
  }
}
