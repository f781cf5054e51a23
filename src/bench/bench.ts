import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { basename, dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { PNG } from 'pngjs'
import { squareCrop } from '../shared/face-crop'
import { EMOTIONS } from '../shared/emotions'
import { InferenceService } from '../main/inference/inference'
import { loadSplit, predictFaceApi, predictOnnx, scoreSplit } from './accuracy'
import { accuracyPerEpochSpec, confusionSpec, msPerFaceSpec, recallSpec, renderSvg } from './charts'
import { FaceApiNode } from './face-api-node'
import { galleryFrames, GALLERY_3X3, grayCrops, loadSourceFaces } from './gallery-frames'
import type { ClassificationSummary } from './metrics'
import { discoverModels, type BenchModel } from './model-cards'
import { DEFAULT_VARIANT } from './onnx-timing'
import { faceApiProbabilityClassifier, onnxProbabilityClassifier, runBeyondFer } from './beyond-fer'
import { measureCloseUps } from './close-ups'
import { callBackgrounds, callConditionRows, type CallSet } from './call-conditions'
import { runLiveGallerySection } from './live-gallery-section'
import { runSessionLibrarySection } from './session-library-section'
import { evaluateDetected, faceApiFrameClassifier, measureDetection, onnxFrameClassifier, runGallery, type FrameClassifier } from './pipelines'
import type { Progress } from './progress'
import {
  FACE_API_MODEL_ID,
  REPORT_SCHEMA_VERSION,
  STUDY,
  type AccuracyRow,
  type BatchRow,
  type BenchReport,
  type ModelEntry,
  type OptionRow,
  type ProviderRow,
  type QuantizationRow,
  type RenderedChart,
  type SpeedRow,
  type TrainingLogSummary
} from './report'
import type { BatchTiming, SessionVariant, SpeedResult } from '../shared/speed-job'
import { readTrainingLog } from './training-log'
import { runSpeedJob } from './worker-process'

/** Sections of a run; --skip drops some. */
export const SECTIONS = ['accuracy', 'beyond', 'call', 'speed', 'options', 'sessions', 'detection', 'gallery', 'live'] as const
/** One section of a run. */
export type Section = (typeof SECTIONS)[number]

/** Everything a run needs; cli.ts fills it from the command line and --quick. */
export interface BenchOptions {
  modelsDir: string
  dataDir: string
  splits: string[]
  /** Images per split (a reproducible random subset); all when undefined. */
  limit?: number
  quick: boolean
  /** Only these model ids (ours; face-api is always included). */
  only?: string[]
  detectDir?: string
  detector: 'tiny' | 'ssd'
  detectLimit?: number
  /** Holds ckplus48/ and muxspace/ for the Beyond FER2013 section. */
  datasetsDir: string
  /** Labelled photo folders DIR/<class>/* that Beyond FER2013 scores through the detector. */
  photoDirs: string[]
  /** Images per CK+48 / muxspace split; all when undefined. */
  beyondLimit?: number
  /** Images per set and split in the call-conditions section; all when undefined. */
  callLimit?: number
  /** Splits of CK+48 and muxspace in the call-conditions section. */
  callSplits: string[]
  warmup: number
  iterations: number
  detectionIterations: number
  galleryFrames: number
  sections: ReadonlySet<Section>
  /** training/quantize.py's decision record. */
  quantizationRecord: string
  /** Per speed worker. */
  workerTimeoutMs: number
  command: string
}

/** Lives in src/shared so main's code (src/main/bench/bench-runner.ts, src/main/bench/bench-output.ts) need not import this file. */
export type { RenderedChart }

const clip = (s: string, n = 400): string => (s.length > n ? `${s.slice(0, n)}…` : s)

function byEmotion(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(EMOTIONS.map((e, i) => [e, values[i] ?? 0]))
}

function accuracyRow(model: string, split: { name: string; available: number }, s: ClassificationSummary, seconds: number): AccuracyRow {
  return {
    model,
    dataset: 'fer2013',
    split: split.name,
    n: s.n,
    available: split.available,
    accuracy: s.accuracy,
    macroF1: s.macroF1,
    perClassRecall: byEmotion(s.perClassRecall),
    perClassPrecision: byEmotion(s.perClassPrecision),
    support: byEmotion(s.support),
    confusion: s.confusion,
    labels: [...EMOTIONS],
    seconds
  }
}

function batchRow(timings: readonly BatchTiming[], batch: number): BatchRow | null {
  const t = timings.find((b) => b.batch === batch)
  return t ? { batch, medianMs: t.msPerFace.median, p95Ms: t.msPerFace.p95, facesPerSecond: t.facesPerSecond, iterations: t.msPerFace.samples } : null
}

function speedRow(model: string, provider: string, r: SpeedResult): SpeedRow {
  return r.ok
    ? { model, provider, ok: true, error: null, loadMs: r.loadMs, batch1: batchRow(r.batches, 1), batch8: batchRow(r.batches, 8), peakRssMb: r.peakRssMb }
    : { model, provider, ok: false, error: clip(r.error), loadMs: null, batch1: null, batch8: null, peakRssMb: null }
}

function modelEntry(m: BenchModel): ModelEntry {
  const fer = m.card.metrics?.fer2013
  return {
    id: m.card.id,
    name: m.card.name,
    kind: 'onnx',
    arch: m.card.arch ?? 'unknown',
    input: `${m.card.input.channels}x${m.card.input.height}x${m.card.input.width}`,
    params: m.card.params || null,
    flops: m.card.flops || null,
    quantizedFrom: m.quantizedFrom,
    exported: m.exported,
    cardAccuracy: { val: fer?.val?.accuracy ?? null, test: fer?.test?.accuracy ?? null }
  }
}

const FACE_API_ENTRY: ModelEntry = {
  id: FACE_API_MODEL_ID,
  name: "face-api FaceExpressionNet",
  kind: 'face-api',
  arch: 'face-api',
  input: '3x112x112',
  params: null,
  flops: null,
  quantizedFrom: null,
  exported: null,
  cardAccuracy: { val: null, test: null }
}

/** Reads training/quantize.py's record; absent or unreadable means no rows (the report says so). */
async function readQuantization(path: string, models: readonly BenchModel[]): Promise<QuantizationRow[]> {
  if (existsSync(path)) {
    const raw = JSON.parse(await readFile(path, 'utf8')) as { models?: QuantizationRow[] }
    return Array.isArray(raw.models) ? raw.models : []
  }
  return quantizationFromCards(models)
}

/**
 * Without training/quantize.py's record (a packaged app ships the models, not docs/), the shipped INT8
 * cards still say what was decided: their float model's and their own val accuracy.
 */
export function quantizationFromCards(models: readonly BenchModel[]): QuantizationRow[] {
  const mb = (path: string): number => (existsSync(path) ? Math.round((statSync(path).size / 2 ** 20) * 100) / 100 : 0)
  return models.flatMap((q) => {
    const from = models.find((m) => m.card.id === q.quantizedFrom)
    if (!from || !q.quantizedValAccuracy) return []
    const { float, int8 } = q.quantizedValAccuracy
    return [{
      model: from.card.id,
      int8Model: q.card.id,
      shipped: true,
      valAccuracyFloat: float,
      valAccuracyInt8: int8,
      deltaPoints: Math.round((int8 - float) * 100 * 1000) / 1000,
      sizeMbFloat: mb(from.modelPath),
      sizeMbInt8: mb(q.modelPath),
      note: 'from the INT8 model card (shipped variants only)'
    }]
  })
}

/** Eight real faces (one per class, then the first class again) for timing; timing on zeros would flatter nothing but is not a face. */
function timingFaces(images: readonly { path: string; label: number }[]): string[] {
  const picks: string[] = []
  for (let c = 0; c < EMOTIONS.length; c++) {
    const hit = images.find((i) => i.label === c)
    if (hit) picks.push(hit.path)
  }
  while (picks.length < 8 && images.length > 0) picks.push((images[picks.length % images.length] as { path: string }).path)
  return picks.slice(0, 8)
}

/**
 * Eight 48x48 gray faces cropped (FER-style, as the app crops) from face-api's demo photos and
 * written as PNG files for the speed workers, for runs without FER2013 (the app on a user's machine).
 */
async function demoFaceFiles(api: FaceApiNode): Promise<string[]> {
  const { faces, images } = await loadSourceFaces(api)
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-faces-'))
  try {
    const paths: string[] = []
    for (const [i, face] of faces.slice(0, 8).entries()) {
      const [h, w] = face.image.shape
      const [gray] = grayCrops(api, face.image, [squareCrop(face.box, w, h)], 48, 48)
      const png = new PNG({ width: 48, height: 48 })
      gray?.forEach((v, k) => png.data.set([v, v, v, 255], k * 4))
      const path = join(dir, `face-${i}.png`)
      await writeFile(path, PNG.sync.write(png))
      paths.push(path)
    }
    return paths
  } finally {
    for (const t of images) t.dispose()
  }
}

/** Runs every section and returns the report plus its charts; writes nothing. */
export async function runBench(options: BenchOptions, progress: Progress): Promise<{ report: BenchReport; charts: RenderedChart[] }> {
  const started = performance.now()
  const caveats: string[] = []
  const skipped: string[] = []
  const cores = os.availableParallelism()
  const load = os.loadavg()[0] ?? 0
  // Timings taken while something else keeps the cores busy (a training run) are not this machine's speed.
  if (process.platform !== 'win32' && load > 0.5 * cores) {
    caveats.push(`the machine was busy when the run started (1-minute load average ${load.toFixed(1)} on ${cores} cores): timing numbers are inflated and not valid as this machine's speed; accuracy numbers are unaffected.`)
  }
  if (options.quick) caveats.push('quick run: accuracy on a small random subset and few timing iterations; for CI and development, not for conclusions.')

  // Fail before the slow set-up (face-api, sessions) when the data is not there, unless only speed
  // was asked for (--skip accuracy): a user's machine has no FER2013, and timing needs no labels.
  const missing = options.splits.map((s) => join(options.dataDir, s)).filter((dir) => !existsSync(dir))
  if (missing.length > 0 && options.sections.has('accuracy')) {
    throw new Error(`FER2013 split folder ${missing.join(', ')} does not exist (use --data PATH with PATH/<split>/<class>/*.jpg, or --skip accuracy)`)
  }
  const splits = options.splits.filter((s) => existsSync(join(options.dataDir, s)))
  if (missing.length > 0) skipped.push(`FER2013 not found (${missing.join(', ')}): timing uses faces cropped from face-api's demo photos`)
  const discovered = await discoverModels(options.modelsDir)
  const models = discovered.models.filter((m) => !options.only || options.only.includes(m.card.id))
  if (models.length === 0) skipped.push(`no model cards in ${options.modelsDir}${options.only ? ` matching ${options.only.join(', ')}` : ''}`)

  const api = await FaceApiNode.create()
  const versions = api.versions()
  const service = await InferenceService.open({ modelsDir: options.modelsDir, providers: ['cpu'], log: () => {} })

  const report: BenchReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    command: options.command,
    quick: options.quick,
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores,
      memoryGb: os.totalmem() / 2 ** 30,
      node: process.versions.node,
      onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
      faceApi: versions.faceApi,
      tfjs: versions.tfjs,
      tfjsBackend: versions.backend
    },
    caveats,
    dataset: { name: 'fer2013', dir: options.dataDir, splits: [] },
    models: [...models.map(modelEntry), FACE_API_ENTRY],
    accuracy: [],
    detectAccuracy: [],
    providers: [],
    speed: [],
    detection: [],
    gallery: [],
    options: [],
    quantization: await readQuantization(options.quantizationRecord, models),
    trainingLogs: [],
    charts: [],
    study: STUDY,
    skipped,
    modelErrors: discovered.errors,
    seconds: 0
  }

  let facePaths: string[] = []
  // Accuracy on each split, every model on the same decoded images.
  for (const splitName of splits) {
    const split = await loadSplit(splitName, join(options.dataDir, splitName), options.limit, progress)
    report.dataset.splits.push({ name: splitName, n: split.images.length, available: split.available })
    if (facePaths.length === 0) facePaths = timingFaces(split.images)
    if (!options.sections.has('accuracy')) continue
    for (const m of models) {
      const t = performance.now()
      const predicted = await predictOnnx(service, m, split, 32, progress)
      report.accuracy.push(accuracyRow(m.card.id, split, scoreSplit(split, predicted), (performance.now() - t) / 1000))
    }
    const t = performance.now()
    const predicted = await predictFaceApi(api, split, 16, progress)
    report.accuracy.push(accuracyRow(FACE_API_MODEL_ID, split, scoreSplit(split, predicted), (performance.now() - t) / 1000))
  }
  if (!options.sections.has('accuracy')) skipped.push('accuracy (--skip accuracy)')

  if (options.sections.has('beyond')) {
    const classifiers = [...models.map((m) => onnxProbabilityClassifier(api, service, m)), faceApiProbabilityClassifier(api)]
    // A --detect folder is labelled photos too: it joins the real-face photo sets.
    const photoDirs = [...new Set([...options.photoDirs, ...(options.detectDir ? [options.detectDir] : [])])]
    const beyond = { datasetsDir: options.datasetsDir, limit: options.beyondLimit, photoDirs, photoLimit: options.detectLimit }
    report.beyondFer = await runBeyondFer(api, classifiers, models, beyond, progress)
    for (const s of report.beyondFer.skipped) skipped.push(`Beyond FER2013: ${s}`)
  } else skipped.push('Beyond FER2013: real faces (--skip beyond)')

  if (options.sections.has('call')) {
    const photoDirs = [...new Set([...options.photoDirs, ...(options.detectDir ? [options.detectDir] : [])])]
    const sets: CallSet[] = [
      ...['ckplus48', 'muxspace'].flatMap((set) => options.callSplits.map((split) => ({ set, split, dir: join(options.datasetsDir, set, split), kind: 'crop' as const }))),
      ...photoDirs.map((dir) => ({ set: basename(dir), split: 'photos', dir, kind: 'photo' as const }))
    ]
    const classifiers = models.map((m) => onnxFrameClassifier(api, service, m))
    const backgrounds = await callBackgrounds()
    report.callConditions = []
    for (const callSet of sets) {
      if (!existsSync(callSet.dir)) {
        skipped.push(`call conditions: ${callSet.set} ${callSet.split} (${callSet.dir} missing)`)
        continue
      }
      for (const row of await callConditionRows(api, callSet, classifiers, faceApiFrameClassifier(api), backgrounds, options.callLimit, progress)) report.callConditions.push(row)
    }
  } else skipped.push('call conditions (--skip call)')

  let tempFaces: string | null = null
  if (facePaths.length === 0) {
    facePaths = await demoFaceFiles(api)
    tempFaces = dirname(facePaths[0] as string)
  }
  const workerJob = { facePaths, warmup: options.warmup, iterations: options.iterations, batchSizes: [1, 8] }
  const onnxJob = (m: BenchModel, variant: SessionVariant) => ({ kind: 'onnx' as const, cardPath: m.cardPath, modelPath: m.modelPath, variant, ...workerJob })

  if (options.sections.has('speed')) {
    const backends = ort.listSupportedBackends()
    progress.start('speed per provider', models.length * backends.length + 1)
    for (const backend of backends) {
      let ok = false
      let error: string | null = null
      for (const m of models) {
        const row = speedRow(m.card.id, backend.name, await runSpeedJob(onnxJob(m, { provider: backend.name, ...DEFAULT_VARIANT }), options.workerTimeoutMs))
        report.speed.push(row)
        ok ||= row.ok
        error ??= row.error
        progress.tick()
      }
      const why = ok ? null : (error ?? 'not tried: no ONNX model to load')
      report.providers.push({ provider: backend.name, bundled: backend.bundled, ok, error: why } satisfies ProviderRow)
    }
    report.speed.push(speedRow(FACE_API_MODEL_ID, 'tfjs-wasm', await runSpeedJob({ kind: 'face-api', ...workerJob }, options.workerTimeoutMs)))
    progress.tick()
    progress.stop()
  } else skipped.push('speed per execution provider (--skip speed)')

  if (options.sections.has('options')) {
    const floats = models.filter((m) => m.quantizedFrom === null)
    const threads = [...new Set([1, 2, cores])]
    const variants: { option: OptionRow['option']; value: string; variant: SessionVariant }[] = [
      ...(['disabled', 'basic', 'all'] as const).map((level) => ({ option: 'graph-optimization' as const, value: level, variant: { provider: 'cpu', graphOptimizationLevel: level, intraOpNumThreads: 0 } })),
      ...threads.map((n) => ({ option: 'intra-op-threads' as const, value: n === cores ? `${n} (all cores)` : String(n), variant: { provider: 'cpu', graphOptimizationLevel: 'all' as const, intraOpNumThreads: n } })),
      { option: 'intra-op-threads' as const, value: `${DEFAULT_VARIANT.intraOpNumThreads}, no spin-wait (the app's)`, variant: { provider: 'cpu', ...DEFAULT_VARIANT } }
    ]
    progress.start('performance options', floats.length * variants.length)
    for (const m of floats) {
      for (const v of variants) {
        const row = speedRow(m.card.id, 'cpu', await runSpeedJob(onnxJob(m, v.variant), options.workerTimeoutMs))
        report.options.push({ ...row, option: v.option, value: v.value })
        progress.tick()
      }
      for (const q of models.filter((x) => x.quantizedFrom === m.card.id)) {
        const measured = report.speed.find((s) => s.model === q.card.id && s.provider === 'cpu')
        const row = measured ?? speedRow(q.card.id, 'cpu', await runSpeedJob(onnxJob(q, { provider: 'cpu', ...DEFAULT_VARIANT }), options.workerTimeoutMs))
        report.options.push({ ...row, model: m.card.id, option: 'quantization', value: `int8 (${q.card.id})` })
      }
    }
    progress.stop()
  } else skipped.push('performance options (--skip options)')
  if (tempFaces) await rm(tempFaces, { recursive: true, force: true })

  if (options.sections.has('sessions')) report.sessionLibrary = await runSessionLibrarySection(options.quick, progress)
  else skipped.push('session library (--skip sessions)')

  if (options.sections.has('detection') || options.sections.has('gallery') || options.sections.has('live') || options.detectDir) {
    const { faces, images } = await loadSourceFaces(api)
    const frames = galleryFrames(api, faces, GALLERY_3X3, Math.max(2, options.galleryFrames))
    try {
      if (options.sections.has('detection')) {
        const rows = await measureDetection(api, frames, [[640, 360], [1280, 720]], ['tiny', 'ssd'], 2, options.detectionIterations, progress)
        report.detection = rows.map((d) => ({ detector: d.detector, width: d.width, height: d.height, backend: d.backend, medianMs: d.ms.median, p95Ms: d.ms.p95, iterations: d.ms.samples, faces: d.faces }))
      } else skipped.push('face detection speed (--skip detection)')
      const classifiers: FrameClassifier[] = [...models.map((m) => onnxFrameClassifier(api, service, m)), faceApiFrameClassifier(api)]
      if (options.sections.has('gallery')) {
        for (const c of classifiers) {
          const g = await runGallery(api, frames, '3x3', c, 1, progress)
          report.gallery.push({
            model: g.classifier,
            grid: g.grid,
            width: g.width,
            height: g.height,
            frames: g.frames,
            facesPerFrame: g.facesPerFrame,
            fps: g.fps,
            labelsPerSecond: g.labelsPerSecond,
            detectMedianMs: g.detectMs.median,
            classifyMedianMs: g.classifyMs.median
          })
        }
      } else skipped.push('end-to-end gallery (--skip gallery)')
      if (options.sections.has('live')) {
        report.closeUps = await measureCloseUps(api, faces, progress)
        report.liveGallery = await runLiveGallerySection(api, faces, service, models, 120, progress)
      }
      else skipped.push('moving galleries with the app’s scheduling (--skip live, or a --quick run)')
      if (options.detectDir) {
        for (const d of await evaluateDetected(api, options.detectDir, classifiers, options.detector, options.detectLimit, progress)) {
          report.detectAccuracy.push({
            model: d.classifier,
            dir: d.dir,
            detector: d.detector,
            detected: d.detected,
            missedPerClass: byEmotion(d.missedPerClass),
            n: d.summary.n,
            accuracy: d.summary.accuracy,
            macroF1: d.summary.macroF1,
            perClassRecall: byEmotion(d.summary.perClassRecall),
            perClassPrecision: byEmotion(d.summary.perClassPrecision),
            support: byEmotion(d.summary.support),
            confusion: d.summary.confusion,
            labels: [...EMOTIONS],
            seconds: 0
          })
        }
      } else skipped.push('full-size photos through the detector (no --detect DIR)')
    } finally {
      for (const t of [...frames, ...images]) t.dispose()
    }
  } else skipped.push('face detection and end-to-end gallery (--skip)')

  for (const m of models) {
    if (m.quantizedFrom !== null || !m.logPath) continue
    if (!existsSync(m.logPath)) {
      skipped.push(`training log of ${m.card.id} (${m.logPath} missing)`)
      continue
    }
    const rows = await readTrainingLog(m.logPath)
    if (rows.length === 0) continue
    const best = rows.reduce((a, b) => (b.val_acc > a.val_acc ? b : a))
    report.trainingLogs.push({
      model: m.card.id,
      epochs: rows.length,
      bestValAccuracy: best.val_acc,
      bestEpoch: best.epoch,
      rows: rows.map((r) => ({ epoch: r.epoch, trainAccuracy: r.train_acc, valAccuracy: r.val_acc, trainLoss: r.train_loss, valLoss: r.val_loss }))
    } satisfies TrainingLogSummary)
  }

  await service.dispose()
  const charts = await renderCharts(report)
  report.charts = charts.map((c) => ({ id: c.id, title: c.title, file: `bench/${c.fileName}` }))
  report.seconds = (performance.now() - started) / 1000
  return { report, charts }
}

/** Sections --refresh can measure again on their own into an existing report, keeping every other one. */
export const REFRESHABLE = ['sessions'] as const satisfies readonly Section[]

/**
 * Measures `sections` again into a report written by an earlier run (docs/bench/report.json), and
 * says so in its caveats with the date and the machine, since the other sections stay as measured then.
 */
export async function refreshBench(previous: BenchReport, sections: readonly (typeof REFRESHABLE)[number][], progress: Progress): Promise<{ report: BenchReport; charts: RenderedChart[] }> {
  const report: BenchReport = { ...previous, caveats: [...previous.caveats], skipped: [...previous.skipped] }
  if (sections.includes('sessions')) {
    report.sessionLibrary = await runSessionLibrarySection(previous.quick, progress)
    report.skipped = report.skipped.filter((s) => !s.startsWith('session library'))
  }
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown'
  report.caveats.push(
    `${sections.join(', ')}: measured again on ${new Date().toISOString().slice(0, 10)} (${cpu}, ${os.cpus().length} cores, Node ${process.versions.node}) by \`npm run bench -- --refresh ${sections.join(',')}\`; every other section is from the run above (${previous.generatedAt.slice(0, 10)}, ${previous.machine.cpu}).`
  )
  const charts = await renderCharts(report)
  report.charts = charts.map((c) => ({ id: c.id, title: c.title, file: `bench/${c.fileName}` }))
  return { report, charts }
}

/** Renders every chart the report has data for. */
export async function renderCharts(report: BenchReport): Promise<RenderedChart[]> {
  const charts: RenderedChart[] = []
  if (report.trainingLogs.length > 0) {
    charts.push({ id: 'accuracy-per-epoch', title: 'Figure 3 (left): accuracy per epoch', fileName: 'accuracy-per-epoch.svg', svg: await renderSvg(accuracyPerEpochSpec(report.trainingLogs)) })
  }
  if (report.speed.some((s) => s.ok)) {
    charts.push({ id: 'ms-per-face', title: 'Figure 3 (right): ms per face per model and execution provider', fileName: 'ms-per-face.svg', svg: await renderSvg(msPerFaceSpec(report.speed)) })
  }
  for (const split of report.dataset.splits) {
    const rows = report.accuracy.filter((a) => a.split === split.name)
    if (rows.length === 0) continue
    charts.push({ id: `recall-${split.name}`, title: `Per-class recall, FER2013 ${split.name}`, fileName: `recall-${split.name}.svg`, svg: await renderSvg(recallSpec(rows)) })
    for (const row of rows) {
      charts.push({ id: `confusion-${row.model}-${split.name}`, title: `Confusion matrix: ${row.model}, FER2013 ${split.name}`, fileName: `confusion-${row.model}-${split.name}.svg`, svg: await renderSvg(confusionSpec(row)) })
    }
  }
  return charts
}
