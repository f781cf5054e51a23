/**
 * The built bench (scripts/build-bench.ts, out/bench in `npm run build`) as a packaged app runs it:
 * with plain Node (no tsx, no TypeScript, no devDependencies from node_modules), and as Electron
 * utility processes whose speed workers main forks on the CLI's request (src/main/bench/bench-utility.ts),
 * stood in for by child_process.fork with a `process.parentPort` shim. Built into a temporary
 * folder under node_modules/.cache, so that it resolves onnxruntime-node from node_modules as
 * out/bench does, without touching out/.
 */
import { fork as forkNode, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtBenchCommand, runBenchProcess, spawnLauncher } from '../../src/main/bench/bench-runner'
import { discoverModels } from '../../src/bench/model-cards'
import { FACE_API_MODEL_ID, type BenchReport } from '../../src/bench/report'
import { utilityBenchLauncher, type ForkUtility, type UtilityChild } from '../../src/main/bench/bench-utility'
import type { BenchProgressEvent } from '../../src/shared/bench-report'
import { ROOT, toPosix } from '../electron-builder'

const require = createRequire(import.meta.url)
const MODELS = join(ROOT, 'resources', 'models')
const TRACER = join(ROOT, 'tests', 'bench', 'fixtures', 'trace-loads.cjs')
const PARENT_PORT_SHIM = join(ROOT, 'tests', 'bench', 'fixtures', 'parent-port-shim.cjs')

let bundleDir: string
let scratch: string
let cardIds: string[]

beforeAll(async () => {
  cardIds = (await discoverModels(MODELS)).models.map((m) => m.card.id)
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true })
  bundleDir = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'bench-build-'))
  scratch = await mkdtemp(join(os.tmpdir(), 'bench-built-'))
  // A child process, so that Vite's build runs as `npm run build:bench` runs it, not inside Vitest's own Vite.
  const build = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'scripts', 'build-bench.ts'), bundleDir], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0)
}, 300_000)

afterAll(async () => {
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true })
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

/**
 * A small run: the speed section only (every model on every provider onnxruntime-node lists, and
 * face-api, each in its own worker), one timed iteration, and no FER2013, so the timing faces are
 * cut from face-api's demo photos, which the bundle must carry.
 */
async function smallRunArgs(): Promise<string[]> {
  const noData = await mkdtemp(join(scratch, 'no-fer2013-'))
  return ['--skip', 'accuracy,options,detection,gallery,live', '--iterations', '1', '--data', noData, '--models', MODELS]
}

/** What every small run must show: each model timed on the CPU, face-api on TF.js WASM, a chart. */
function expectEveryModelTimed(report: BenchReport, steps: BenchProgressEvent[]): void {
  expect(cardIds.length, `no model cards in ${MODELS}`).toBeGreaterThan(0)
  expect(report.models.map((m) => m.id).sort()).toEqual([...cardIds, FACE_API_MODEL_ID].sort())
  for (const id of cardIds) {
    const cpu = report.speed.find((s) => s.model === id && s.provider === 'cpu')
    expect(cpu?.ok, `${id} on cpu: ${cpu?.error}`).toBe(true)
    expect(cpu?.batch1?.medianMs).toBeGreaterThan(0)
  }
  const faceApi = report.speed.find((s) => s.model === FACE_API_MODEL_ID)
  expect(faceApi?.ok, `face-api: ${faceApi?.error}`).toBe(true)
  expect(report.machine.tfjsBackend).toBe('wasm')
  expect(report.skipped.join('\n')).toMatch(/timing uses faces cropped from face-api's demo photos/)
  expect(report.charts.map((c) => c.id)).toContain('ms-per-face')
  // Beyond FER2013 runs from the bundle too: the e2e faces come from the demo photos bundled beside it.
  expect(report.beyondFer?.rows.filter((r) => r.set === 'photos:e2e').map((r) => r.model).sort()).toEqual([...cardIds, FACE_API_MODEL_ID].sort())
  const speed = steps.filter((s) => s.phase === 'speed per provider')
  expect(speed.at(-1)).toEqual({ phase: 'speed per provider', done: report.speed.length, total: report.speed.length })
}

describe('the built bench', () => {
  it('answers --help with plain Node', () => {
    const help = spawnSync(process.execPath, [join(bundleDir, 'cli.mjs'), '--help'], { encoding: 'utf8' })
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toContain('npm run bench -- [options]')
  })

  it('runs with plain Node, workers included, loading nothing but onnxruntime-node from node_modules', async () => {
    const trace = join(scratch, 'loads.jsonl')
    const steps: BenchProgressEvent[] = []
    const command = builtBenchCommand(join(bundleDir, 'cli.mjs'))
    // NODE_OPTIONS carries the tracer into the speed workers the CLI starts.
    command.env = { NODE_OPTIONS: `--require ${TRACER}`, TRACE_LOADS: trace }
    const { report, charts } = await runBenchProcess({ quick: true }, join(scratch, 'plain'), (p) => steps.push(p), {
      launch: spawnLauncher(command),
      extraArgs: await smallRunArgs()
    })
    expectEveryModelTimed(report, steps)
    for (const chart of charts) expect(chart.svg.startsWith('<svg')).toBe(true)

    const processes = (await readFile(trace, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { files: string[] })
    // The CLI and one worker per speed row: the workers ran as the bundle's speed-worker.mjs.
    expect(processes).toHaveLength(1 + report.speed.length)
    const packages = new Set(processes.flatMap((p) => p.files).map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(toPosix(f))?.[1] ?? toPosix(f)))
    // face-api, TF.js, pngjs, vega and the rest are inside the bundle; tests/main/packaging.test.ts checks these two are shipped unpacked.
    expect([...packages].sort()).toEqual(['onnxruntime-common', 'onnxruntime-node'])
  })

  it('runs as the app runs it: a utility process whose speed workers main forks on its request', async () => {
    const started: { modulePath: string; child: ChildProcess }[] = []
    const fork: ForkUtility = (modulePath, args, options) => {
      const child = forkNode(modulePath, args, { execArgv: ['--require', PARENT_PORT_SHIM], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env ?? process.env })
      started.push({ modulePath, child })
      return utilityStandIn(child)
    }
    const steps: BenchProgressEvent[] = []
    const launch = utilityBenchLauncher({ cli: join(bundleDir, 'cli.mjs'), worker: join(bundleDir, 'speed-worker.mjs') }, { fork, killGraceMs: 2000 })
    const { report } = await runBenchProcess({ quick: true }, join(scratch, 'utility'), (p) => steps.push(p), { launch, extraArgs: await smallRunArgs() })
    expectEveryModelTimed(report, steps)
    // Every worker came from main's fork, none from the CLI itself (it has no Node to start them with).
    expect(started.map((s) => s.modulePath)).toEqual([join(bundleDir, 'cli.mjs'), ...report.speed.map(() => join(bundleDir, 'speed-worker.mjs'))])
    // Main ended each process once it had what it needed; none is left behind.
    await expect.poll(() => started.filter((s) => s.child.exitCode === null && s.child.signalCode === null).length).toBe(0)
  })
})

/** Node's ChildProcess (forked with an IPC channel) as the UtilityProcess surface bench-utility.ts uses. */
function utilityStandIn(child: ChildProcess): UtilityChild {
  return {
    get pid() {
      return child.pid
    },
    stdout: child.stdout,
    stderr: child.stderr,
    on(event: 'spawn' | 'exit' | 'message', listener: (...args: never[]) => void) {
      const call = listener as (...args: unknown[]) => void
      if (event === 'exit') child.on('exit', (code, signal) => call(code ?? (signal ? 1 : 0)))
      else if (event === 'message') child.on('message', (message) => call(message))
      else child.on('spawn', () => call())
      return this
    },
    postMessage(message: unknown) {
      if (child.connected) child.send(message as object)
    },
    kill() {
      return child.kill()
    }
  } as UtilityChild
}
