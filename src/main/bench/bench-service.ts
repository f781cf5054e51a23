/**
 * The in-app benchmark (issue 5) without Electron: one run at a time, progress forwarded as
 * 'bench:progress' events, failures mapped to IPC error codes. src/main/bench/bench-ipc.ts resolves the
 * Electron paths and builds this; tests build it with a stand-in runner.
 */
import { join, resolve } from 'node:path'
import type { BenchCommand, BenchLauncher, runBenchProcess } from './bench-runner'
import type { BenchProgressEvent, BenchRunRequest, BenchRunResult } from '../../shared/bench-report'
import type { EventChannels } from '../../shared/ipc'
import { AppError, describeError } from '../app/app-error'

/** Runs the bench CLI in a separate process and reads its report; runBenchProcess in the app. */
export type BenchRunner = typeof runBenchProcess

/** What the bench service needs from its host. */
export interface BenchServiceOptions {
  /** Where the run writes benchmarks.md and bench/ (<userData>/bench in the app). */
  outDir: string
  /** Starts the bench CLI: a utility process for the built bench in the app, a child process otherwise. */
  launch: BenchLauncher
  /** Fixed by main, never by the renderer (e.g. skipping accuracy when FER2013 is absent). */
  extraArgs: string[]
  run: BenchRunner
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  log?: (message: string) => void
}

/** The 'bench:run' channel's service. */
export interface BenchService {
  /** Runs one benchmark; rejects with 'bench-busy' while another runs. */
  run(request: BenchRunRequest): Promise<BenchRunResult>
  /** True while a run is in flight. */
  readonly running: boolean
}

/** Which bench main runs: the built bundle, the TypeScript sources through tsx, or none. */
export type BenchSource =
  | { kind: 'built'; cli: string; worker: string }
  | { kind: 'sources'; cli: string; tsxLoaderUrl: string }
  | { kind: 'unavailable'; reason: string }

/** The facts that decide which bench main runs. */
export interface BenchSourceInputs {
  isPackaged: boolean
  /** app.getAppPath(): the project root in development, <resources>/app.asar when packaged. */
  appPath: string
  /** process.resourcesPath. */
  resourcesPath: string
  /** Under `electron-vite dev`, whose sources are newer than any build. */
  dev: boolean
  /** file: URL of tsx's loader; undefined where tsx is not installed (a packaged app). */
  tsxLoaderUrl: string | undefined
  exists(path: string): boolean
}

/**
 * Where `npm run build` puts the bench (out/bench). Packaged, electron-builder.yml unpacks it beside
 * the asar, with onnxruntime-node, so that it runs from plain files like any Node program.
 */
export function builtBenchDir(inputs: Pick<BenchSourceInputs, 'isPackaged' | 'appPath' | 'resourcesPath'>): string {
  return inputs.isPackaged ? join(inputs.resourcesPath, 'app.asar.unpacked', 'out', 'bench') : join(inputs.appPath, 'out', 'bench')
}

/**
 * The built bench wherever the app runs built (packaged, or `npm start`); the sources with tsx under
 * `electron-vite dev`, or where out/bench was never built.
 */
export function chooseBenchSource(inputs: BenchSourceInputs): BenchSource {
  const dir = builtBenchDir(inputs)
  const built = { kind: 'built' as const, cli: join(dir, 'cli.mjs'), worker: join(dir, 'speed-worker.mjs') }
  const hasBuilt = inputs.exists(built.cli) && inputs.exists(built.worker)
  const sourceCli = join(inputs.appPath, 'src', 'bench', 'cli.ts')
  const sources =
    !inputs.isPackaged && inputs.tsxLoaderUrl !== undefined && inputs.exists(sourceCli) ? { kind: 'sources' as const, cli: sourceCli, tsxLoaderUrl: inputs.tsxLoaderUrl } : undefined
  if (sources && (inputs.dev || !hasBuilt)) return sources
  if (hasBuilt) return built
  const reason = inputs.isPackaged
    ? `${built.cli} is not in the package (npm run build writes out/bench)`
    : `neither the built bench ${built.cli} (npm run build) nor ${sourceCli} with tsx is there`
  return { kind: 'unavailable', reason }
}

/** The command that runs src/bench/cli.ts under Electron-as-Node with the tsx loader (development only: packaged builds turn the runAsNode fuse off). */
export function benchCommand(inputs: { execPath: string; tsxLoaderUrl: string; cli: string }): BenchCommand {
  return {
    execPath: inputs.execPath,
    args: ['--import', inputs.tsxLoaderUrl, inputs.cli],
    env: { ELECTRON_RUN_AS_NODE: '1' }
  }
}

/** FER2013 beside the repository (../shared/datasets/fer2013), the bench CLI's own default; a user's machine has none. */
export function defaultFer2013Dir(appPath: string): string {
  return resolve(appPath, '..', 'shared', 'datasets', 'fer2013')
}

/**
 * The arguments main fixes for every run: the app's models folder, and FER2013 where it is (the
 * accuracy section is skipped without it instead of failing the whole run).
 */
export function benchExtraArgs(modelsDir: string, fer2013Dir: string | null): string[] {
  return ['--models', modelsDir, ...(fer2013Dir ? ['--data', fer2013Dir] : ['--skip', 'accuracy'])]
}

/** Builds the bench service; the `running` flag is the one-at-a-time rule. */
export function createBenchService(options: BenchServiceOptions): BenchService {
  let running = false
  return {
    get running() {
      return running
    },
    async run(request) {
      if (running) throw new AppError('bench-busy', 'a benchmark is already running; wait for it to finish')
      running = true
      try {
        const forward = (progress: BenchProgressEvent): void => options.emit('bench:progress', progress)
        return await options.run(request, options.outDir, forward, { launch: options.launch, extraArgs: options.extraArgs })
      } catch (error) {
        options.log?.(`[bench] run failed: ${describeError(error)}`)
        throw new AppError('bench-failed', describeError(error), { cause: error })
      } finally {
        running = false
      }
    }
  }
}
