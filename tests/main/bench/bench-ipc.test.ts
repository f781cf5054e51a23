import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { app, utilityProcess } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runBenchProcess, type BenchLauncher } from '../../../src/main/bench/bench-runner'
import { AppError } from '../../../src/main/app/app-error'
import { setupBench } from '../../../src/main/bench/bench-ipc'
import { createApi, type Invoke, type Subscribe } from '../../../src/preload/api'
import {
  benchCommand,
  benchExtraArgs,
  builtBenchDir,
  chooseBenchSource,
  createBenchService,
  type BenchRunner,
  type BenchServiceOptions,
  type BenchSourceInputs
} from '../../../src/main/bench/bench-service'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { validators } from '../../../src/main/ipc/ipc-validate'
import type { BenchProgressEvent, BenchReport, BenchRunResult } from '../../../src/shared/bench-report'
import { INVOKE_CHANNELS, type EventChannels } from '../../../src/shared/ipc'

// setupBench's runner: recorded instead of spawning the real benchmark; the launchers stay real.
vi.mock('../../../src/main/bench/bench-runner', async (importOriginal) => ({ ...(await importOriginal<typeof import('../../../src/main/bench/bench-runner')>()), runBenchProcess: vi.fn() }))

afterEach(() => {
  vi.mocked(runBenchProcess).mockReset()
  vi.mocked(app.getAppPath).mockReset()
  vi.mocked(utilityProcess.fork).mockReset()
  vi.unstubAllEnvs()
  ;(app as { isPackaged: boolean }).isPackaged = false
})

/** A launcher stand-in for the service tests, which never start a process. */
const LAUNCH: BenchLauncher = () => {
  throw new Error('not started in these tests')
}

const noContext = { modelInput: () => undefined }
const validate = (...args: unknown[]): unknown => validators['bench:run'](args, noContext)

function errorOf(run: () => unknown): AppError {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw new Error(`expected an AppError, got ${String(error)}`)
  }
  throw new Error('expected the validator to reject')
}

/** A result the runner stand-in answers; its content is only compared by identity. */
function result(quick: boolean): BenchRunResult {
  return { report: { quick } as unknown as BenchReport, charts: [{ id: 'c', title: 'Chart', svg: '<svg/>' }] }
}

/** A runner whose runs finish when the test says so, recording each call's arguments. */
function controlledRunner() {
  const pending: { resolve: (r: BenchRunResult) => void; reject: (e: Error) => void; onProgress: (p: BenchProgressEvent) => void }[] = []
  const run = vi.fn<BenchRunner>(
    (_request, _outDir, onProgress) => new Promise<BenchRunResult>((resolve, reject) => pending.push({ resolve, reject, onProgress }))
  )
  return { run, pending }
}

function service(run: BenchRunner, extra: Partial<BenchServiceOptions> = {}) {
  const events: [keyof EventChannels, unknown][] = []
  const bench = createBenchService({
    outDir: '/data/bench',
    launch: LAUNCH,
    extraArgs: ['--skip', 'accuracy'],
    run,
    emit: (channel, payload) => void events.push([channel, payload]),
    ...extra
  })
  return { bench, events }
}

/** Only the bench matters to these handlers; the other services are never called. */
function handlersWith(bench: Services['bench']) {
  return createHandlers({ appInfo: () => ({}) as never, inference: {} as never, sessions: {} as never, library: {} as never, chooseExportPath: async () => undefined, bench })
}

describe('bench:run validation', () => {
  it('accepts exactly {quick: boolean}', () => {
    expect(validate({ quick: true })).toEqual([{ quick: true }])
    expect(validate({ quick: false })).toEqual([{ quick: false }])
    expect(validate(JSON.parse('{"quick":true}'))).toEqual([{ quick: true }])
    expect(validate(Object.assign(Object.create(null) as object, { quick: false }))).toEqual([{ quick: false }])
  })

  it.each([
    ['no argument', []],
    ['two arguments', [{ quick: true }, { quick: true }]],
    ['undefined', [undefined]],
    ['null', [null]],
    ['a boolean', [true]],
    ['a string', ['quick']],
    ['an array', [[true]]],
    ['an empty object', [{}]],
    ['quick as a string', [{ quick: 'true' }]],
    ['quick as a number', [{ quick: 1 }]],
    ['quick null', [{ quick: null }]],
    ['quick undefined', [{ quick: undefined }]],
    ['an extra CLI flag', [{ quick: true, extraArgs: ['--out', '/etc'] }]],
    ['an out folder', [{ quick: false, out: '/tmp/x' }]],
    ['a misspelt key', [{ Quick: true }]],
    ['a __proto__ key', [JSON.parse('{"quick":true,"__proto__":{"polluted":1}}')]],
    ['a symbol key', [{ quick: true, [Symbol('x')]: 1 }]],
    ['a class instance', [new (class { quick = true })()]],
    ['a Date', [new Date()]]
  ])('rejects %s with invalid-argument', (_name, args) => {
    expect(errorOf(() => validate(...(args as unknown[]))).code).toBe('invalid-argument')
  })

  it('answers invalid-argument through the handler and never starts a run', async () => {
    const run = vi.fn<BenchRunner>(async () => result(true))
    const { bench } = service(run)
    const handlers = handlersWith(bench)
    const answer = await handlers['bench:run']({ quick: true, out: '/etc' })
    expect(answer).toEqual({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('"out"') } })
    expect(run).not.toHaveBeenCalled()
  })
})

describe('bench service', () => {
  it('passes main\'s folder, launcher and extra arguments to the runner, never the renderer\'s', async () => {
    const { run, pending } = controlledRunner()
    const { bench } = service(run)
    const answer = handlersWith(bench)['bench:run']({ quick: true })
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    expect(run).toHaveBeenCalledWith({ quick: true }, '/data/bench', expect.any(Function), { launch: LAUNCH, extraArgs: ['--skip', 'accuracy'] })
    const done = result(true)
    pending[0]?.resolve(done)
    expect(await answer).toEqual({ ok: true, value: done })
  })

  it('runs one benchmark at a time: a second call answers bench-busy, and a new one may start after', async () => {
    const { run, pending } = controlledRunner()
    const { bench } = service(run)
    const handlers = handlersWith(bench)
    const first = handlers['bench:run']({ quick: false })
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    expect(bench.running).toBe(true)

    const second = await handlers['bench:run']({ quick: true })
    expect(second).toEqual({ ok: false, error: { code: 'bench-busy', message: expect.stringContaining('already running') } })
    expect(run).toHaveBeenCalledTimes(1)

    pending[0]?.resolve(result(false))
    expect((await first).ok).toBe(true)
    expect(bench.running).toBe(false)

    const third = handlers['bench:run']({ quick: true })
    await vi.waitFor(() => expect(pending).toHaveLength(2))
    pending[1]?.resolve(result(true))
    expect(await third).toEqual({ ok: true, value: result(true) })
  })

  it('answers bench-failed with the runner\'s message and frees the slot for the next run', async () => {
    const { run, pending } = controlledRunner()
    const log = vi.fn()
    const { bench } = service(run, { log })
    const handlers = handlersWith(bench)
    const failed = handlers['bench:run']({ quick: true })
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    pending[0]?.reject(new Error('benchmark failed (exit code 1): bench: --data /x is missing'))
    expect(await failed).toEqual({ ok: false, error: { code: 'bench-failed', message: 'benchmark failed (exit code 1): bench: --data /x is missing' } })
    expect(log).toHaveBeenCalledWith(expect.stringContaining('exit code 1'))
    expect(bench.running).toBe(false)

    const next = handlers['bench:run']({ quick: true })
    await vi.waitFor(() => expect(pending).toHaveLength(2))
    pending[1]?.resolve(result(true))
    expect((await next).ok).toBe(true)
  })

  it('forwards every progress step as a bench:progress event, in order', async () => {
    const { run, pending } = controlledRunner()
    const { bench, events } = service(run)
    const running = bench.run({ quick: true })
    await vi.waitFor(() => expect(pending).toHaveLength(1))
    const steps: BenchProgressEvent[] = [
      { phase: 'resnet50-fer on val', done: 0, total: 20 },
      { phase: 'resnet50-fer on val', done: 20, total: 20 },
      { phase: 'speed', done: 1, total: 3 }
    ]
    for (const step of steps) pending[0]?.onProgress(step)
    expect(events).toEqual(steps.map((s) => ['bench:progress', s]))
    pending[0]?.resolve(result(true))
    await running
  })

  it('answers bench-unavailable where the host attached no bench service', async () => {
    const answer = await handlersWith(undefined)['bench:run']({ quick: true })
    expect(answer).toEqual({ ok: false, error: { code: 'bench-unavailable', message: expect.any(String) } })
  })

  it('has a handler for bench:run in the registry', () => {
    expect(INVOKE_CHANNELS).toContain('bench:run')
    expect(Object.keys(handlersWith(undefined))).toContain('bench:run')
  })
})

describe('bench command', () => {
  it('runs src/bench/cli.ts with the tsx loader under Electron-as-Node (development)', () => {
    const cli = join('/r', 'src', 'bench', 'cli.ts')
    expect(benchCommand({ execPath: '/opt/app/electron', tsxLoaderUrl: 'file:///r/node_modules/tsx/dist/loader.mjs', cli })).toEqual({
      execPath: '/opt/app/electron',
      args: ['--import', 'file:///r/node_modules/tsx/dist/loader.mjs', cli],
      env: { ELECTRON_RUN_AS_NODE: '1' }
    })
  })

  it("passes the app's models folder, and FER2013 where it is or skips the accuracy section", () => {
    expect(benchExtraArgs('/m', '/d/fer2013')).toEqual(['--models', '/m', '--data', '/d/fer2013'])
    expect(benchExtraArgs('/m', null)).toEqual(['--models', '/m', '--skip', 'accuracy'])
  })
})

describe('chooseBenchSource', () => {
  const repo = '/repo'
  const built = { kind: 'built', cli: join(repo, 'out', 'bench', 'cli.mjs'), worker: join(repo, 'out', 'bench', 'speed-worker.mjs') }
  const sources = { kind: 'sources', cli: join(repo, 'src', 'bench', 'cli.ts'), tsxLoaderUrl: 'file:///repo/node_modules/tsx/dist/loader.mjs' }
  const inputs = (files: string[], extra: Partial<BenchSourceInputs> = {}): BenchSourceInputs => ({
    isPackaged: false,
    appPath: repo,
    resourcesPath: '/opt/app/resources',
    dev: false,
    tsxLoaderUrl: sources.tsxLoaderUrl,
    exists: (path) => files.includes(path),
    ...extra
  })
  const all = [built.cli, built.worker, sources.cli]

  it('runs the built bench where the app runs built (npm start), the sources under electron-vite dev', () => {
    expect(chooseBenchSource(inputs(all))).toEqual(built)
    expect(chooseBenchSource(inputs(all, { dev: true }))).toEqual(sources)
  })

  it('falls back to the other one when the preferred one is missing', () => {
    expect(chooseBenchSource(inputs([sources.cli]))).toEqual(sources)
    expect(chooseBenchSource(inputs([built.cli, built.worker], { dev: true }))).toEqual(built)
    expect(chooseBenchSource(inputs([built.cli, built.worker], { tsxLoaderUrl: undefined }))).toEqual(built)
    // Half a build is no build.
    expect(chooseBenchSource(inputs([built.cli, sources.cli]))).toEqual(sources)
  })

  it('packaged, runs only the built bench from app.asar.unpacked', () => {
    const unpacked = join('/opt/app/resources', 'app.asar.unpacked', 'out', 'bench')
    expect(builtBenchDir({ isPackaged: true, appPath: '/opt/app/resources/app.asar', resourcesPath: '/opt/app/resources' })).toBe(unpacked)
    const packaged = { isPackaged: true, appPath: '/opt/app/resources/app.asar', tsxLoaderUrl: undefined }
    expect(chooseBenchSource(inputs([join(unpacked, 'cli.mjs'), join(unpacked, 'speed-worker.mjs')], packaged))).toEqual({
      kind: 'built',
      cli: join(unpacked, 'cli.mjs'),
      worker: join(unpacked, 'speed-worker.mjs')
    })
    const missing = chooseBenchSource(inputs([], packaged))
    expect(missing).toEqual({ kind: 'unavailable', reason: expect.stringContaining(join(unpacked, 'cli.mjs')) })
  })

  it('says what is missing when there is neither', () => {
    expect(chooseBenchSource(inputs([], { tsxLoaderUrl: undefined }))).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/npm run build.*tsx/) })
  })
})

describe('setupBench', () => {
  /** An app folder holding a built bench (two empty entry scripts), as npm start or a package has it. */
  async function builtApp(): Promise<string> {
    const dir = await mkdtemp(join(os.tmpdir(), 'bench-app-root-'))
    await mkdir(join(dir, 'out', 'bench'), { recursive: true })
    await writeFile(join(dir, 'out', 'bench', 'cli.mjs'), '')
    await writeFile(join(dir, 'out', 'bench', 'speed-worker.mjs'), '')
    return dir
  }

  it("runs the built bench as a utility process with <userData>/bench, the app's models and the FER2013 rule", async () => {
    const appPath = await builtApp()
    vi.mocked(app.getAppPath).mockReturnValue(appPath)
    const done = result(true)
    vi.mocked(runBenchProcess).mockImplementation(async (_request, _out, onProgress) => {
      onProgress({ phase: 'speed', done: 1, total: 2 })
      return done
    })
    const emit = vi.fn()
    const bench = setupBench({ emit, log: () => {} })
    expect(bench).toBeDefined()
    expect(await bench?.run({ quick: true })).toBe(done)

    const [request, outDir, , options] = vi.mocked(runBenchProcess).mock.calls[0] ?? []
    expect(request).toEqual({ quick: true })
    expect(outDir).toBe(join(app.getPath('userData'), 'bench'))
    // No FER2013 beside this temporary app folder.
    expect(options?.extraArgs).toEqual(['--models', join(appPath, 'resources', 'models'), '--skip', 'accuracy'])
    expect(emit).toHaveBeenCalledWith('bench:progress', { phase: 'speed', done: 1, total: 2 })

    // The launcher forks out/bench/cli.mjs with Electron's utilityProcess, output piped.
    const stdout = new PassThrough()
    vi.mocked(utilityProcess.fork).mockReturnValue({ pid: undefined, stdout, stderr: new PassThrough(), on: vi.fn(), postMessage: vi.fn(), kill: vi.fn() } as never)
    const child = options?.launch?.(['--quick'])
    expect(child?.stdout).toBe(stdout)
    expect(utilityProcess.fork).toHaveBeenCalledWith(join(appPath, 'out', 'bench', 'cli.mjs'), ['--quick'], expect.objectContaining({ stdio: 'pipe' }))
  })

  it('packaged, finds the built bench in app.asar.unpacked and the models beside it', async () => {
    const resources = await builtApp()
    await mkdir(join(resources, 'app.asar.unpacked'))
    const { rename } = await import('node:fs/promises')
    await rename(join(resources, 'out'), join(resources, 'app.asar.unpacked', 'out'))
    ;(app as { isPackaged: boolean }).isPackaged = true
    vi.mocked(app.getAppPath).mockReturnValue(join(resources, 'app.asar'))
    const resourcesPath = Object.getOwnPropertyDescriptor(process, 'resourcesPath')
    Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true })
    try {
      vi.mocked(runBenchProcess).mockResolvedValue(result(true))
      await setupBench({ emit: vi.fn(), log: () => {} })?.run({ quick: true })
      const options = vi.mocked(runBenchProcess).mock.calls[0]?.[3]
      expect(options?.extraArgs).toEqual(['--models', join(resources, 'app.asar.unpacked', 'resources', 'models'), '--skip', 'accuracy'])
      vi.mocked(utilityProcess.fork).mockReturnValue({ pid: undefined, stdout: new PassThrough(), stderr: null, on: vi.fn(), postMessage: vi.fn(), kill: vi.fn() } as never)
      options?.launch?.([])
      expect(utilityProcess.fork).toHaveBeenCalledWith(join(resources, 'app.asar.unpacked', 'out', 'bench', 'cli.mjs'), [], expect.anything())
    } finally {
      if (resourcesPath) Object.defineProperty(process, 'resourcesPath', resourcesPath)
      else delete (process as { resourcesPath?: string }).resourcesPath
    }
  })

  it('under electron-vite dev, runs src/bench/cli.ts with the resolved tsx loader under Electron-as-Node', async () => {
    const repo = resolve(__dirname, '../../..')
    vi.mocked(app.getAppPath).mockReturnValue(repo)
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    vi.mocked(runBenchProcess).mockResolvedValue(result(true))
    const logs: string[] = []
    await setupBench({ emit: vi.fn(), log: (m) => logs.push(m) })?.run({ quick: true })
    const options = vi.mocked(runBenchProcess).mock.calls[0]?.[3]
    const fer2013 = resolve(repo, '../shared/datasets/fer2013')
    expect(options?.extraArgs).toEqual(['--models', join(repo, 'resources', 'models'), ...(existsSync(fer2013) ? ['--data', fer2013] : ['--skip', 'accuracy'])])
    expect(logs).toContain(`[bench] bench sources with tsx: ${join(repo, 'src', 'bench', 'cli.ts')}`)
    // The launcher really starts the TypeScript CLI through tsx (this Node standing in for Electron-as-Node).
    const child = options?.launch?.(['--help'])
    let help = ''
    child?.stdout.on('data', (d: Buffer) => (help += d.toString()))
    expect((await child?.exited)?.code).toBe(0)
    expect(help).toContain('npm run bench -- [options]')
    expect(utilityProcess.fork).not.toHaveBeenCalled()
  })

  it('gives no service where there is neither a built bench nor tsx (a broken package)', () => {
    vi.mocked(app.getAppPath).mockReturnValue('/nonexistent/app.asar')
    const logs: string[] = []
    expect(setupBench({ emit: vi.fn(), log: (m) => logs.push(m) })).toBeUndefined()
    expect(logs.join('\n')).toMatch(/\[bench\] unavailable: /)
    expect(runBenchProcess).not.toHaveBeenCalled()
  })
})

describe('preload bench API', () => {
  it('runBench invokes bench:run with the request and unwraps the result', async () => {
    const done = result(false)
    const invoke = vi.fn(async () => ({ ok: true, value: done })) as unknown as Invoke
    const api = createApi(invoke, vi.fn() as unknown as Subscribe)
    await expect(api.runBench({ quick: false })).resolves.toBe(done)
    expect(invoke).toHaveBeenCalledWith('bench:run', { quick: false })
  })

  it('runBench rethrows bench-busy with its code', async () => {
    const invoke = vi.fn(async () => ({ ok: false, error: { code: 'bench-busy', message: 'a benchmark is already running' } })) as unknown as Invoke
    await expect(createApi(invoke, vi.fn() as unknown as Subscribe).runBench({ quick: true })).rejects.toThrow('bench-busy: a benchmark is already running')
  })

  it('onBenchProgress subscribes to bench:progress and returns the unsubscribe function', () => {
    const unsubscribe = vi.fn()
    const subscribe = vi.fn(() => unsubscribe) as unknown as Subscribe
    const callback = vi.fn()
    expect(createApi(vi.fn() as unknown as Invoke, subscribe).onBenchProgress(callback)).toBe(unsubscribe)
    expect(subscribe).toHaveBeenCalledWith('bench:progress', callback)
  })
})
