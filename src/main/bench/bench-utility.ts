/**
 * The built bench in Electron: the CLI (out/bench/cli.mjs) as a utility process, and each speed
 * worker it asks for (out/bench/speed-worker.mjs) as another one, forked here in main because a
 * utility process cannot start JavaScript processes itself and the packaged app's runAsNode fuse is
 * off (see src/shared/bench-protocol.ts). No Electron import: bench-ipc.ts passes
 * utilityProcess.fork, tests pass a stand-in.
 */
import type { BenchChild, BenchExit, BenchLauncher } from './bench-runner'
import {
  isCliExitMessage,
  isRunWorkerMessage,
  isWorkerResultMessage,
  WORKER_EXIT,
  type RunWorkerMessage,
  type WorkerExit,
  type WorkerExitMessage
} from '../../shared/bench-protocol'

/** What the bench needs of Electron's UtilityProcess. */
export interface UtilityChild {
  readonly pid: number | undefined
  readonly stdout: NodeJS.ReadableStream | null
  readonly stderr: NodeJS.ReadableStream | null
  on(event: 'spawn', listener: () => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  postMessage(message: unknown): void
  kill(): boolean
}

/** utilityProcess.fork, narrowed to what the bench passes. */
export type ForkUtility = (modulePath: string, args: string[], options: { stdio: 'pipe'; serviceName: string; env?: NodeJS.ProcessEnv }) => UtilityChild

/** The built bench's two entry scripts. */
export interface BuiltBench {
  cli: string
  worker: string
}

export interface UtilityLauncherOptions {
  fork: ForkUtility
  log?: (message: string) => void
  /** How long a process that was told to end may take before it is killed outright (ms). */
  killGraceMs?: number
}

const KEEP_STDERR = 4000

/** Collects a stream's text, keeping the last `keep` characters. */
function collect(stream: NodeJS.ReadableStream | null, keep = Infinity): { text: () => string } {
  let text = ''
  stream?.on('data', (d: Buffer | string) => {
    text += d.toString()
    if (text.length > keep) text = text.slice(-keep)
  })
  return { text: () => text }
}

/** Ends a utility process: kill() (SIGTERM on POSIX), then SIGKILL should it still run after `graceMs`. */
function terminate(child: UtilityChild, graceMs: number): void {
  const pid = child.pid
  // false: it has already exited, and its pid may belong to another process by now.
  if (!child.kill() || pid === undefined) return
  const force = setTimeout(() => {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }, graceMs)
  child.on('exit', () => clearTimeout(force))
}

/** Forks one speed worker for the CLI and answers how it ended; the worker's result arrives over its parent port. */
function runWorker(request: RunWorkerMessage, worker: string, options: Required<Pick<UtilityLauncherOptions, 'fork' | 'killGraceMs'>>): { done: Promise<WorkerExit>; stop: () => void } {
  let child: UtilityChild
  try {
    child = options.fork(worker, [JSON.stringify(request.job)], {
      stdio: 'pipe',
      serviceName: 'Emotion Overlay speed worker',
      env: { ...process.env, NODE_NO_WARNINGS: '1' }
    })
  } catch (error) {
    return { done: Promise.resolve({ stdout: '', stderr: '', code: null, signal: null, timedOut: false, startError: (error as Error).message }), stop: () => {} }
  }
  const stdout = collect(child.stdout)
  const stderr = collect(child.stderr, KEEP_STDERR)
  let timedOut = false
  let ended = false
  const done = new Promise<WorkerExit>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true
      terminate(child, options.killGraceMs)
    }, request.timeoutMs)
    child.on('message', (message) => {
      if (!isWorkerResultMessage(message) || ended) return
      // The result is all main needs: end the worker now rather than wait for its own exit.
      ended = true
      clearTimeout(timer)
      resolve({ result: message.result, stdout: stdout.text(), stderr: stderr.text(), code: null, signal: null, timedOut: false })
      terminate(child, options.killGraceMs)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (ended) return
      ended = true
      resolve({ stdout: stdout.text(), stderr: stderr.text(), code, signal: null, timedOut })
    })
  })
  return {
    done,
    stop: () => {
      if (!ended) terminate(child, options.killGraceMs)
    }
  }
}

/**
 * The launcher for the built bench in Electron: forks the CLI as a utility process, serves its
 * requests for speed workers, and settles when the CLI reports its outcome (or exits without one).
 */
export function utilityBenchLauncher(bench: BuiltBench, options: UtilityLauncherOptions): BenchLauncher {
  const settings = { fork: options.fork, killGraceMs: options.killGraceMs ?? 5_000 }
  const log = options.log ?? (() => {})
  return (cliArgs, signal): BenchChild => {
    const child = options.fork(bench.cli, cliArgs, { stdio: 'pipe', serviceName: 'Emotion Overlay benchmark' })
    if (!child.stdout) throw new Error('the benchmark process has no stdout pipe')
    const stderr = collect(child.stderr, KEEP_STDERR)
    const workers = new Set<() => void>()
    let reported: BenchExit | undefined
    const exited = new Promise<BenchExit>((resolve) => {
      const finish = (exit: BenchExit): void => {
        if (reported) return
        reported = exit
        for (const stop of workers) stop()
        workers.clear()
        resolve(exit)
      }
      child.on('message', (message) => {
        if (isRunWorkerMessage(message)) {
          const run = runWorker(message, bench.worker, settings)
          workers.add(run.stop)
          void run.done.then((exit) => {
            workers.delete(run.stop)
            if (!reported) child.postMessage({ type: WORKER_EXIT, id: message.id, exit } satisfies WorkerExitMessage)
          })
        } else if (isCliExitMessage(message)) {
          // The CLI waits to be ended once it has said how the run went (src/shared/bench-protocol.ts).
          finish({ code: message.code, signal: null, stderr: message.error ?? stderr.text() })
          terminate(child, settings.killGraceMs)
        } else {
          log(`[bench] ignored a message from the benchmark process: ${JSON.stringify(message)?.slice(0, 200)}`)
        }
      })
      child.on('exit', (code) => {
        // Exited without saying how the run went: it crashed or was killed. Its stdout and stderr
        // may be cut short (Electron drops them at exit), so a clean 0 does not count as success;
        // a `bench:` line it did print still wins over this one (runBenchProcess takes the last).
        const why = `the benchmark process ended (exit code ${code}) without reporting a result`
        finish({ code: code === 0 ? null : code, signal: null, stderr: `bench: ${why}\n${stderr.text()}` })
      })
      signal?.addEventListener(
        'abort',
        () => {
          finish({ code: null, signal: 'SIGTERM', stderr: 'bench: the run was cancelled' })
          terminate(child, settings.killGraceMs)
        },
        { once: true }
      )
    })
    return { stdout: child.stdout, exited }
  }
}
