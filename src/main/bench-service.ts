/**
 * The in-app benchmark (issue 5) without Electron: one run at a time, progress forwarded as
 * 'bench:progress' events, failures mapped to IPC error codes. src/main/bench-ipc.ts resolves the
 * Electron paths and builds this; tests build it with a stand-in runner.
 */
import { join } from 'node:path'
import type { BenchCommand, runBenchProcess } from '../bench/app-runner'
import type { BenchProgressEvent, BenchRunRequest, BenchRunResult } from '../shared/bench-report'
import type { EventChannels } from '../shared/ipc'
import { AppError, describeError } from './app-error'

/** Runs the bench CLI in a child process; runBenchProcess in the app. */
export type BenchRunner = typeof runBenchProcess

/** What the bench service needs from its host. */
export interface BenchServiceOptions {
  /** Where the run writes benchmarks.md and bench/ (<userData>/bench in the app). */
  outDir: string
  command: BenchCommand
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

/** The inputs that decide how main starts the bench CLI. */
export interface BenchCommandInputs {
  /** process.execPath: the Electron binary, run as Node through ELECTRON_RUN_AS_NODE. */
  execPath: string
  /** file: URL of tsx's loader, so the TypeScript CLI runs without a build step. */
  tsxLoaderUrl: string
  /** app.getAppPath(): the project root in development. */
  appPath: string
}

/** The command that runs src/bench/cli.ts under Electron-as-Node with the tsx loader. */
export function benchCommand(inputs: BenchCommandInputs): BenchCommand {
  return {
    execPath: inputs.execPath,
    args: ['--import', inputs.tsxLoaderUrl, join(inputs.appPath, 'src', 'bench', 'cli.ts')],
    env: { ELECTRON_RUN_AS_NODE: '1' }
  }
}

/** Without the FER2013 folder the accuracy section cannot run, so it is skipped instead of failing the whole run. */
export function benchExtraArgs(fer2013Exists: boolean): string[] {
  return fer2013Exists ? [] : ['--skip', 'accuracy']
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
        return await options.run(request, options.outDir, forward, { command: options.command, extraArgs: options.extraArgs })
      } catch (error) {
        options.log?.(`[bench] run failed: ${describeError(error)}`)
        throw new AppError('bench-failed', describeError(error), { cause: error })
      } finally {
        running = false
      }
    }
  }
}
