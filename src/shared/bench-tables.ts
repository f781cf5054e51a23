import { EMOTIONS } from './emotions'
import type { BatchRow, BenchReport, BeyondFerRow, BeyondFerSet, ModelEntry, SpeedRow } from './bench-report'

/** A table of the benchmark report, as plain strings: rendered as Markdown by src/bench and as HTML by the Compare view. */
export interface ReportTable {
  id: string
  title: string
  headers: string[]
  rows: string[][]
}

/** A fraction as a percentage with one decimal: 0.5771 → "57.7 %". */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)} %`
}

/** Milliseconds with precision that suits the size: 0.123 → "0.12", 12.34 → "12.3", 136.3 → "136". */
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)
}

/** A number with fixed decimals, or a dash. */
export function num(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits)
}

function batchCells(b: BatchRow | null): [string, string] {
  return b ? [ms(b.medianMs), ms(b.p95Ms)] : ['—', '—']
}

/** A model's display name in the report. */
export function modelName(report: BenchReport, id: string): string {
  return report.models.find((m) => m.id === id)?.name ?? id
}

function speedOn(report: BenchReport, model: ModelEntry): SpeedRow | undefined {
  const provider = model.kind === 'face-api' ? 'tfjs-wasm' : 'cpu'
  return report.speed.find((s) => s.model === model.id && s.provider === provider)
}

function accuracyOf(report: BenchReport, model: string, split: string): number | null {
  return report.accuracy.find((a) => a.model === model && a.split === split)?.accuracy ?? null
}

/** The split Table 1 is about: test where it was measured. */
export function mainSplit(report: BenchReport): string {
  const splits = report.dataset.splits.map((s) => s.name)
  return splits.includes('test') ? 'test' : (splits[0] ?? 'test')
}

/**
 * The rows that sit next to one study row: our float models of that architecture or a variant of it
 * (`vit-hybrid` sits with the study's ViT), then their INT8 variants.
 */
function modelsForArch(report: BenchReport, arch: string): ModelEntry[] {
  return report.models.filter((m) => m.kind === 'onnx' && (m.arch === arch || m.arch.startsWith(`${arch}-`))).sort((a, b) => Number(a.quantizedFrom !== null) - Number(b.quantizedFrom !== null))
}

/** The study's Table 1 (accuracy) and Table 2 (inference time) with our measured numbers beside them. */
export function studyTables(report: BenchReport): [ReportTable, ReportTable] {
  const splits = report.dataset.splits.map((s) => s.name)
  const main = mainSplit(report)
  const others = splits.filter((x) => x !== main)
  const t1: string[][] = []
  const t2: string[][] = []
  const listed = new Set<string>()
  const add = (study: string, studyMs: string, m: ModelEntry): void => {
    listed.add(m.id)
    const s = speedOn(report, m)
    const macro = report.accuracy.find((a) => a.model === m.id && a.split === main)?.macroF1 ?? null
    t1.push([m.name, study, pct(accuracyOf(report, m.id, main)), pct(macro), ...others.map((x) => pct(accuracyOf(report, m.id, x))), pct(m.cardAccuracy.test)])
    t2.push([
      m.name,
      studyMs,
      s?.ok ? `${ms(s.batch1?.medianMs)} / ${ms(s.batch1?.p95Ms)}` : `failed: ${s?.error ?? 'not measured'}`,
      s?.ok ? `${ms(s.batch8?.medianMs)} / ${ms(s.batch8?.p95Ms)}` : '—',
      num(s?.batch8?.facesPerSecond, 0),
      ms(s?.loadMs),
      num(s?.peakRssMb, 0)
    ])
  }
  for (const study of report.study) {
    const ours = modelsForArch(report, study.arch)
    const acc = `${study.accuracyApprox ? '~' : ''}${pct(study.accuracy)}`
    const time = `${study.msPerImage} ms (${study.msSetting})`
    if (ours.length === 0) {
      t1.push([study.model, acc, 'no model', '—', ...others.map(() => '—'), '—'])
      t2.push([study.model, time, 'no model', '—', '—', '—', '—'])
    }
    for (const m of ours) add(acc, time, m)
  }
  for (const m of report.models) if (!listed.has(m.id)) add('—', '—', m)
  return [
    {
      id: 'table-1',
      title: `Table 1: accuracy on FER2013 ${main}`,
      headers: ['model', 'study (Table 1)', `ours, ${main}`, `macro-F1, ${main}`, ...others.map((x) => `ours, ${x}`), 'card (training/evaluate.py), test'],
      rows: t1
    },
    {
      id: 'table-2',
      title: 'Table 2: inference time per face (CPU; face-api on TF.js WASM)',
      headers: ['model', 'study (Table 2)', 'ms/face batch 1 (median / p95)', 'ms/face batch 8 (median / p95)', 'faces/s (batch 8)', 'load ms', 'peak RSS MB'],
      rows: t2
    }
  ]
}

/** Accuracy, macro-F1 and per-class recall of every model, one table per split. */
export function accuracyTables(report: BenchReport): ReportTable[] {
  return report.dataset.splits
    .map((split) => ({
      id: `accuracy-${split.name}`,
      title: `FER2013 ${split.name}: ${split.n} of ${split.available} images`,
      headers: ['model', 'accuracy', 'macro-F1', ...EMOTIONS.map((e) => `recall ${e}`), 's'],
      rows: report.accuracy
        .filter((a) => a.split === split.name)
        .map((r) => [modelName(report, r.model), pct(r.accuracy), num(r.macroF1, 3), ...EMOTIONS.map((e) => pct(r.perClassRecall[e])), num(r.seconds, 1)])
    }))
    .filter((t) => t.rows.length > 0)
}

/** Accuracy on full-size photos through the detector (--detect); null when not measured. */
export function detectTable(report: BenchReport): ReportTable | null {
  if (report.detectAccuracy.length === 0) return null
  return {
    id: 'detect',
    title: `Full-size photos through the detector (${report.detectAccuracy[0]?.dir ?? ''})`,
    headers: ['model', 'photos', 'faces found', 'accuracy', 'macro-F1', ...EMOTIONS.map((e) => `recall ${e}`)],
    rows: report.detectAccuracy.map((r) => [modelName(report, r.model), String(r.n), String(r.detected), pct(r.accuracy), num(r.macroF1, 3), ...EMOTIONS.map((e) => pct(r.perClassRecall[e]))])
  }
}

const SET_NAMES: Record<string, string> = { ckplus48: 'CK+48', muxspace: 'muxspace' }

/** A Beyond FER2013 set's display name: "CK+48 test", "muxspace val", "photos: e2e". */
export function beyondSetName(set: Pick<BeyondFerSet, 'set' | 'split' | 'kind'>): string {
  return set.kind === 'photos' ? set.set.replace(/^photos:/, 'photos: ') : `${SET_NAMES[set.set] ?? set.set} ${set.split}`
}

function beyondRow(report: BenchReport, model: string, set: BeyondFerSet): BeyondFerRow | undefined {
  return report.beyondFer?.rows.find((r) => r.model === model && r.set === set.set && r.split === set.split)
}

/** Models in report order that have Beyond FER2013 rows. */
function beyondModels(report: BenchReport): string[] {
  const ids = new Set(report.beyondFer?.rows.map((r) => r.model) ?? [])
  return report.models.map((m) => m.id).filter((id) => ids.has(id))
}

/**
 * The Beyond FER2013 tables: an overview (accuracy / macro-F1 of every model on every real-face
 * set), one table per set with per-class recall and calibration error, and the cards' own
 * calibration records next to the measured ECE. Empty when the section did not run.
 */
export function beyondFerTables(report: BenchReport): ReportTable[] {
  const section = report.beyondFer
  if (!section || section.rows.length === 0) return []
  const models = beyondModels(report)
  const tables: ReportTable[] = [
    {
      id: 'beyond-fer',
      title: 'Beyond FER2013: accuracy / macro-F1 on real faces',
      headers: ['model', ...section.sets.map((s) => `${beyondSetName(s)} (${s.n})`)],
      rows: models.map((id) => [
        modelName(report, id),
        ...section.sets.map((s) => {
          const r = beyondRow(report, id, s)
          return r ? `${pct(r.accuracy)} / ${pct(r.macroF1)}` : '—'
        })
      ])
    }
  ]
  for (const s of section.sets) {
    const photos = s.kind === 'photos'
    tables.push({
      id: `beyond-${s.set.replace(/[^a-z0-9]+/gi, '-')}-${s.split}`,
      title: `${beyondSetName(s)}: ${s.n} of ${s.available} ${photos ? 'photos through the detector' : 'face crops'}`,
      headers: ['model', ...(photos ? ['faces found'] : []), 'accuracy', 'macro-F1', 'ECE', 'ECE without temperature', ...EMOTIONS.map((e) => `recall ${e}`)],
      rows: models.flatMap((id) => {
        const r = beyondRow(report, id, s)
        if (!r) return []
        return [[modelName(report, id), ...(photos ? [`${r.detected ?? 0} of ${r.n}`] : []), pct(r.accuracy), pct(r.macroF1), num(r.ece, 3), r.eceWithoutTemperature === null ? '—' : num(r.eceWithoutTemperature, 3), ...EMOTIONS.map((e) => ((r.support[e] ?? 0) > 0 ? pct(r.perClassRecall[e]) : '—'))]]
      })
    })
  }
  if (section.calibration.length > 0) {
    const valSets = section.sets.filter((s) => s.kind === 'crops' && s.split === 'val')
    tables.push({
      id: 'beyond-calibration',
      title: 'Calibration: the cards\' temperature scaling and the ECE measured here',
      headers: ['model', 'temperature', 'fitted on', 'card ECE before', 'card ECE after', ...valSets.flatMap((s) => [`${beyondSetName(s)} ECE`, `${beyondSetName(s)} ECE without temperature`])],
      rows: section.calibration.map((c) => [
        modelName(report, c.model),
        num(c.temperature, 3),
        c.fittedOn.join(', ') || '—',
        num(c.eceBefore, 3),
        num(c.eceAfter, 3),
        ...valSets.flatMap((s) => {
          const r = beyondRow(report, c.model, s)
          return [num(r?.ece, 3), num(r?.eceWithoutTemperature, 3)]
        })
      ])
    })
  }
  return tables
}

/** Speed of every model on every execution provider; failures carry their error. */
export function speedTable(report: BenchReport): ReportTable {
  return {
    id: 'speed',
    title: 'Speed per execution provider',
    headers: ['model', 'provider', 'load ms', 'batch 1 median', 'batch 1 p95', 'batch 8 median', 'batch 8 p95', 'faces/s (batch 8)', 'peak RSS MB'],
    rows: report.speed.map((s) =>
      s.ok
        ? [modelName(report, s.model), s.provider, ms(s.loadMs), ...batchCells(s.batch1), ...batchCells(s.batch8), num(s.batch8?.facesPerSecond, 0), num(s.peakRssMb, 0)]
        : [modelName(report, s.model), s.provider, `failed: ${s.error ?? ''}`.slice(0, 160), '—', '—', '—', '—', '—', '—']
    )
  }
}

/** Face detection ms per frame; null when not measured. */
export function detectionTable(report: BenchReport): ReportTable | null {
  if (report.detection.length === 0) return null
  return {
    id: 'detection',
    title: 'Face detection per frame (face-api, TF.js WASM backend)',
    headers: ['detector', 'frame', 'median ms', 'p95 ms', 'frames', 'faces found (of 9)'],
    rows: report.detection.map((d) => [d.detector === 'tiny' ? 'TinyFaceDetector' : 'SSD MobileNetV1', `${d.width}x${d.height}`, ms(d.medianMs), ms(d.p95Ms), String(d.iterations), String(d.faces)])
  }
}

/** End-to-end gallery throughput; null when not measured. */
export function galleryTable(report: BenchReport): ReportTable | null {
  if (report.gallery.length === 0) return null
  return {
    id: 'gallery',
    title: 'End to end: a 3x3 call gallery',
    headers: ['model', 'frames', 'faces per frame', 'frames/s', 'labels/s', 'detect ms (median)', 'crop + classify ms (median)'],
    rows: report.gallery.map((r) => [modelName(report, r.model), String(r.frames), num(r.facesPerFrame, 1), num(r.fps, 2), num(r.labelsPerSecond, 1), ms(r.detectMedianMs), ms(r.classifyMedianMs)])
  }
}

/** Each performance option's effect; null when not measured. */
export function optionsTable(report: BenchReport): ReportTable | null {
  if (report.options.length === 0) return null
  return {
    id: 'options',
    title: 'Performance options (CPU provider)',
    headers: ['model', 'option', 'value', 'load ms', 'batch 1 median', 'batch 8 median', 'batch 8 p95', 'faces/s (batch 8)', 'peak RSS MB'],
    rows: report.options.map((o) =>
      o.ok
        ? [modelName(report, o.model), o.option, o.value, ms(o.loadMs), ms(o.batch1?.medianMs), ms(o.batch8?.medianMs), ms(o.batch8?.p95Ms), num(o.batch8?.facesPerSecond, 0), num(o.peakRssMb, 0)]
        : [modelName(report, o.model), o.option, o.value, `failed: ${o.error ?? ''}`.slice(0, 160), '—', '—', '—', '—', '—']
    )
  }
}

/** The session library's speed and memory at the size of an hour-long call; null when not measured. */
export function sessionLibraryTable(report: BenchReport): ReportTable | null {
  const rows = report.sessionLibrary ?? []
  if (rows.length === 0) return null
  return {
    id: 'session-library',
    title: 'Session library: an hour-long call',
    headers: ['operation', 'sessions', 'rows', 'ms', 'MB/s', 'peak RSS MB'],
    rows: rows.map((r) => [r.operation, String(r.sessions), String(r.rows), ms(r.ms), r.mbPerSecond === null ? '—' : num(r.mbPerSecond, 0), num(r.peakRssMb, 0)])
  }
}

/** The INT8 decisions; null when training/quantize.py has not run. */
export function quantizationTable(report: BenchReport): ReportTable | null {
  if (report.quantization.length === 0) return null
  return {
    id: 'quantization',
    title: 'INT8 static quantisation (CPU)',
    headers: ['model', 'INT8 model', 'val float', 'val INT8', 'Δ points', 'MB float', 'MB INT8', 'shipped', 'note'],
    rows: report.quantization.map((q) => [q.model, q.int8Model, pct(q.valAccuracyFloat), pct(q.valAccuracyInt8), num(q.deltaPoints, 2), num(q.sizeMbFloat, 1), num(q.sizeMbInt8, 1), q.shipped ? 'yes' : 'no', q.note])
  }
}

/** How much faster per face batch 8 is than batch 1, per model (CPU, default settings). */
export function batchingSpeedups(report: BenchReport): string[] {
  return report.speed
    .filter((s) => s.ok && s.provider === 'cpu' && s.batch1 && s.batch8)
    .map((s) => `${modelName(report, s.model)} ${num((s.batch1 as BatchRow).medianMs / (s.batch8 as BatchRow).medianMs, 2)}x`)
}

/** What the Compare view tells a user to pick: the most accurate model and the fastest one on this machine's CPU. */
export function recommendation(report: BenchReport): { mostAccurate: string | null; fastest: string | null } {
  const split = mainSplit(report)
  const accurate = report.accuracy.filter((a) => a.split === split).sort((a, b) => b.accuracy - a.accuracy)[0]
  const fast = report.speed
    .filter((s) => s.ok && (s.provider === 'cpu' || s.provider === 'tfjs-wasm') && s.batch8)
    .sort((a, b) => (a.batch8 as BatchRow).medianMs - (b.batch8 as BatchRow).medianMs)[0]
  return {
    mostAccurate: accurate ? `${modelName(report, accurate.model)}: ${pct(accurate.accuracy)} on FER2013 ${split}` : null,
    fastest: fast ? `${modelName(report, fast.model)}: ${ms(fast.batch8?.medianMs)} ms per face (batch 8, ${fast.provider})` : null
  }
}
