/**
 * `npm run bench`: compares our ONNX models and face-api's FaceExpressionNet on accuracy and speed
 * on this machine, and writes docs/benchmarks.md, docs/bench/report.json and docs/bench/*.svg.
 *
 *     npm run bench                       # full run (minutes to an hour on 2 cores)
 *     npm run bench -- --quick            # CI subset, under two minutes; writes to a temp folder
 *     npm run bench -- --detect photos/   # also full-size labelled photos through the face detector
 *     npm run bench -- --photos photos/   # Beyond FER2013: also score these labelled photos through the detector
 */
import os from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { readFile } from 'node:fs/promises'
import * as v from 'valibot'
import { BenchReportSchema } from '../shared/bench-report-schema'
import { refreshBench, REFRESHABLE, runBench, SECTIONS, type BenchOptions, type Section } from './bench'
import type { BenchReport } from './report'
import { jsonLinesProgress, silentProgress, terminalProgress, type Progress } from './progress'
import { CLI_EXIT } from '../shared/bench-protocol'
import { exitProcess } from './utility-port'
import { reportPaths, writeReport } from './write-report'

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')

const HELP = `npm run bench -- [options]

  --quick            small subset (300 val images, few iterations) for CI; output to a temp folder
  --data DIR         FER2013 folder layout DIR/<split>/<class>/*.jpg (default ../shared/datasets/fer2013)
  --splits a,b       splits to evaluate (default val,test; --quick: val)
  --limit N          at most N images per split (a reproducible random subset)
  --models DIR       model cards folder (default resources/models)
  --only id,id       only these of our models (face-api is always included)
  --detect DIR       also evaluate full-size photos DIR/<class>/*.jpg through face-api's detector
  --detector NAME    tiny (the app's, default) or ssd, for --detect
  --detect-limit N   at most N photos for --detect and for each Beyond FER2013 photo set
  --datasets DIR     Beyond FER2013: DIR/{ckplus48,muxspace}/{val,test}/<class>/*.jpg (default ../shared/datasets)
  --photos DIR       Beyond FER2013: labelled photos DIR/<class>/* through the detector (repeatable);
                     the e2e suites' faces and a --detect DIR are always scored there too
  --beyond-limit N   at most N images per CK+48 / muxspace split (--quick: 150)
  --call-limit N     call conditions: at most N images per set and split (default 300; --quick: 8)
  --call-splits a,b  call conditions: CK+48 / muxspace splits (default val,test; --quick: val)
  --iterations N     timed runs per batch size (default 50; --quick: 8)
  --skip a,b         leave out sections: ${SECTIONS.join(', ')}
  --refresh a,b      measure only these sections again (${REFRESHABLE.join(', ')}) into the report already in --out
                     (docs/bench/report.json), keeping the others; its caveats say which and when
  --out DIR          where benchmarks.md and bench/ go (default docs; --quick: a temp folder)
  --progress MODE    auto (a bar on a terminal, plain lines in CI), json (BENCH_PROGRESS lines on stdout), none
  -h, --help         this text
`

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`)
  return n
}

/** Turns command-line arguments into run options and the output folder. */
export function parseCli(argv: readonly string[]): { options: BenchOptions; outDir: string; progress: 'auto' | 'json' | 'none'; refresh: (typeof REFRESHABLE)[number][] } | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      data: { type: 'string' },
      splits: { type: 'string' },
      limit: { type: 'string' },
      models: { type: 'string' },
      only: { type: 'string' },
      detect: { type: 'string' },
      detector: { type: 'string', default: 'tiny' },
      'detect-limit': { type: 'string' },
      datasets: { type: 'string' },
      photos: { type: 'string', multiple: true },
      'beyond-limit': { type: 'string' },
      'call-limit': { type: 'string' },
      'call-splits': { type: 'string' },
      iterations: { type: 'string' },
      skip: { type: 'string' },
      refresh: { type: 'string' },
      out: { type: 'string' },
      progress: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) return { help: true }
  const quick = values.quick === true
  const skip = (values.skip ?? '').split(',').filter(Boolean)
  const unknown = skip.filter((s) => !(SECTIONS as readonly string[]).includes(s))
  if (unknown.length > 0) throw new Error(`--skip: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`)
  const refresh = (values.refresh ?? '').split(',').filter(Boolean)
  const notRefreshable = refresh.filter((s) => !(REFRESHABLE as readonly string[]).includes(s))
  if (notRefreshable.length > 0) throw new Error(`--refresh: cannot measure ${notRefreshable.join(', ')} on its own; these can: ${REFRESHABLE.join(', ')}`)
  const progress = values.progress
  if (progress !== 'auto' && progress !== 'json' && progress !== 'none') throw new Error(`--progress must be auto, json or none, got "${progress}"`)
  if (values.detector !== 'tiny' && values.detector !== 'ssd') throw new Error(`--detector must be tiny or ssd, got "${values.detector}"`)
  const iterations = positiveInt(values.iterations, '--iterations') ?? (quick ? 8 : 50)
  const splits = (values.splits ?? (quick ? 'val' : 'val,test')).split(',').filter(Boolean)
  if (splits.length === 0) throw new Error('--splits needs at least one split')
  const options: BenchOptions = {
    modelsDir: resolve(values.models ?? resolve(REPO, 'resources/models')),
    dataDir: resolve(values.data ?? resolve(REPO, '../shared/datasets/fer2013')),
    splits,
    limit: positiveInt(values.limit, '--limit') ?? (quick ? 300 : undefined),
    quick,
    only: values.only ? values.only.split(',').filter(Boolean) : undefined,
    detectDir: values.detect ? resolve(values.detect) : undefined,
    detector: values.detector,
    detectLimit: positiveInt(values['detect-limit'], '--detect-limit') ?? (quick ? 50 : undefined),
    datasetsDir: resolve(values.datasets ?? resolve(REPO, '../shared/datasets')),
    photoDirs: (values.photos ?? []).map((d) => resolve(d)),
    beyondLimit: positiveInt(values['beyond-limit'], '--beyond-limit') ?? (quick ? 150 : undefined),
    callLimit: positiveInt(values['call-limit'], '--call-limit') ?? (quick ? 8 : 300),
    callSplits: (values['call-splits'] ?? (quick ? 'val' : 'val,test')).split(',').filter(Boolean),
    warmup: quick ? 2 : 10,
    iterations,
    detectionIterations: quick ? 3 : 20,
    galleryFrames: quick ? 3 : 20,
    // The moving galleries play several seconds of video per pipeline: left out of quick runs.
    sections: new Set(SECTIONS.filter((s) => !skip.includes(s) && !(quick && s === 'live'))) as ReadonlySet<Section>,
    quantizationRecord: resolve(REPO, 'docs/bench/quantization.json'),
    workerTimeoutMs: quick ? 120_000 : 600_000,
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ')
  }
  // --quick must not dirty docs/ in CI; an explicit --out always wins.
  const outDir = resolve(values.out ?? (quick ? resolve(os.tmpdir(), 'emotion-overlay-bench') : resolve(REPO, 'docs')))
  return { options, outDir, progress, refresh: refresh as (typeof REFRESHABLE)[number][] }
}

/** The report an earlier run wrote, checked against the report's schema. */
async function readReport(path: string): Promise<BenchReport> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'))
  const parsed = v.safeParse(BenchReportSchema, raw)
  if (!parsed.success) throw new Error(`--refresh: ${path} is not a bench report: ${v.summarize(parsed.issues).slice(0, 400)}`)
  // The file as it was (its key order), so a refresh changes only the sections it measured.
  return raw as BenchReport
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>
  try {
    parsed = parseCli(process.argv.slice(2))
  } catch (error) {
    const line = `bench: ${(error as Error).message}`
    process.stderr.write(`${line}\n\n${HELP}`)
    exitProcess(2, { type: CLI_EXIT, code: 2, error: line })
    return
  }
  if ('help' in parsed) {
    process.stdout.write(HELP)
    return
  }
  const progress: Progress = parsed.progress === 'json' ? jsonLinesProgress() : parsed.progress === 'none' ? silentProgress : terminalProgress()
  const { report, charts } = parsed.refresh.length > 0 ? await refreshBench(await readReport(reportPaths(parsed.outDir).json), parsed.refresh, progress) : await runBench(parsed.options, progress)
  const paths = await writeReport(parsed.outDir, report, charts)
  process.stderr.write(`bench: wrote ${paths.markdown}, ${paths.json} and ${charts.length} chart(s)${parsed.refresh.length > 0 ? '' : ` in ${report.seconds.toFixed(0)} s`}\n`)
  for (const c of report.caveats) process.stderr.write(`bench: note: ${c}\n`)
  // onnxruntime's and TF.js's thread pools may keep the event loop alive after the work is done.
  exitProcess(0, { type: CLI_EXIT, code: 0 })
}

// Run as a script: by Node or tsx (argv[1] is this file), or by the app as a utility process, whose argv[1] is its entry script too.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    exitProcess(1, { type: CLI_EXIT, code: 1, error: `bench: ${error instanceof Error ? error.message : String(error)}` })
  })
}
