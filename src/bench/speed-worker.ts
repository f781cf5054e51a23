/**
 * One speed measurement in a fresh process, so each row's peak RSS belongs to that model and
 * provider alone and a provider that crashes natively (a GPU driver, a missing library) takes
 * down only this process. Run by worker-process.ts as `node --import tsx speed-worker.ts '<job JSON>'`
 * (or the bundle's speed-worker.mjs with plain Node), or forked by the app's main process as a
 * utility process (src/shared/bench-protocol.ts). Prints one line `BENCH_RESULT <json>` on stdout, and in a
 * utility process also sends the result over the parent port.
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseModelCard } from '../main/inference/model-card'
import { FaceApiNode } from './face-api-node'
import { readGray, resizeGray } from './images'
import { classifyBatch, createSession, toFaceCrops } from './onnx-timing'
import { RESULT_MARKER, type BatchTiming, type SpeedJob, type SpeedResult } from '../shared/speed-job'
import { summarizeTimings } from './stats'
import { WORKER_RESULT } from '../shared/bench-protocol'
import { exitProcess } from './utility-port'

async function time(run: () => Promise<unknown>, batch: number, warmup: number, iterations: number): Promise<BatchTiming> {
  for (let i = 0; i < warmup; i++) await run()
  const samples: number[] = []
  for (let i = 0; i < iterations; i++) {
    const started = performance.now()
    await run()
    samples.push((performance.now() - started) / batch)
    sampleRss()
  }
  const msPerFace = summarizeTimings(samples)
  return { batch, msPerFace, facesPerSecond: 1000 / msPerFace.median }
}

/** Cycles through the sample faces to fill a batch of any size. */
function fill<T>(items: readonly T[], n: number): T[] {
  return Array.from({ length: n }, (_, i) => items[i % items.length] as T)
}

async function measure(job: SpeedJob): Promise<SpeedResult> {
  if (job.facePaths.length === 0) throw new Error('no sample faces to time')
  const gray = await Promise.all(job.facePaths.map(readGray))
  if (job.kind === 'onnx') {
    const card = parseModelCard(JSON.parse(await readFile(job.cardPath, 'utf8')), basename(job.cardPath))
    const { session, loadMs } = await createSession(job.modelPath, job.variant)
    const crops = toFaceCrops(gray.map((g) => resizeGray(g, card.input.width, card.input.height)))
    const batches: BatchTiming[] = []
    for (const b of job.batchSizes) {
      const faces = fill(crops, b)
      batches.push(await time(() => classifyBatch(session, card, faces), b, job.warmup, job.iterations))
    }
    await session.release()
    return { ok: true, loadMs, batches, peakRssMb: peakRssMb() }
  }
  const api = await FaceApiNode.create()
  const loadMs = await api.load('faceExpressionNet')
  const batches: BatchTiming[] = []
  for (const b of job.batchSizes) {
    const faces = fill(gray, b)
    // Building the 112x112 input counts, as the card's preprocessing counts for our models.
    const run = async (): Promise<void> => {
      const tensors = faces.map((f) => api.grayFaceTensor(f.pixels, f.width, f.height))
      try {
        await api.expressions(tensors)
      } finally {
        for (const t of tensors) t.dispose()
      }
    }
    batches.push(await time(run, b, job.warmup, job.iterations))
  }
  return { ok: true, loadMs, batches, peakRssMb: peakRssMb() }
}

let sampledPeak = 0

/** Samples the resident set size; called after loading and after every timed run. */
function sampleRss(): void {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())
}

/**
 * Peak resident memory of this process in MB. Not process.resourceUsage().maxRSS: on Linux a child
 * inherits its parent's high-water mark through fork and exec, so every worker would report at
 * least the bench's own size. /proc's VmHWM belongs to this process image alone; elsewhere the
 * largest sampled RSS stands in.
 */
function peakRssMb(): number {
  sampleRss()
  try {
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {
    // not Linux
  }
  return sampledPeak / 2 ** 20
}

async function main(): Promise<void> {
  let result: SpeedResult
  try {
    result = await measure(JSON.parse(process.argv[2] ?? '') as SpeedJob)
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`)
  // onnxruntime's and TF.js's thread pools can keep the process alive; the result is written.
  exitProcess(0, { type: WORKER_RESULT, result })
}

void main()
