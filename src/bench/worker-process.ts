import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { RESULT_MARKER, type SpeedJob, type SpeedResult } from '../shared/speed-job'
import { isWorkerExitMessage, RUN_WORKER, type RunWorkerMessage, type WorkerExit } from '../shared/bench-protocol'
import { utilityParentPort, type ParentPortLike } from './utility-port'

const require = createRequire(import.meta.url)

/** Starts one speed worker for a job and answers how it ended; never rejects. */
export type WorkerLauncher = (job: SpeedJob, timeoutMs: number) => Promise<WorkerExit>

/**
 * The worker script beside this module: speed-worker.ts with tsx's loader from the sources (tsx
 * CLI, Vitest), or the bundle's speed-worker.mjs with plain Node when this runs built (out/bench).
 */
export function workerCommand(moduleUrl: string = import.meta.url): { script: string; nodeArgs: string[] } {
  const source = fileURLToPath(moduleUrl).endsWith('.ts')
  return source
    ? { script: fileURLToPath(new URL('./speed-worker.ts', moduleUrl)), nodeArgs: ['--import', pathToFileURL(require.resolve('tsx')).href] }
    : { script: fileURLToPath(new URL('./speed-worker.mjs', moduleUrl)), nodeArgs: [] }
}

/** A worker as a child process of this Node; killed with SIGKILL at the time limit. */
export function spawnWorkerLauncher(command = workerCommand()): WorkerLauncher {
  return (job, timeoutMs) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...command.nodeArgs, command.script, JSON.stringify(job)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' }
      })
      let stdout = ''
      let stderr = ''
      let timedOut = false
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, timeoutMs)
      child.on('error', (error) => {
        clearTimeout(timer)
        resolve({ stdout, stderr, code: null, signal: null, timedOut: false, startError: error.message })
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ stdout, stderr, code, signal, timedOut })
      })
    })
}

/** How much longer than the worker's own limit the CLI waits for main's answer before giving up on it. */
const PARENT_SLACK_MS = 30_000

/**
 * A worker started by main on this utility process's behalf (see src/shared/bench-protocol.ts): main forks
 * it, enforces the time limit and answers with how it ended.
 */
export function parentPortWorkerLauncher(port: ParentPortLike): WorkerLauncher {
  let nextId = 1
  return (job, timeoutMs) =>
    new Promise((resolve) => {
      const id = nextId++
      const done = (exit: WorkerExit): void => {
        clearTimeout(timer)
        port.off('message', onMessage)
        resolve(exit)
      }
      const onMessage = ({ data }: { data: unknown }): void => {
        if (isWorkerExitMessage(data) && data.id === id) done(data.exit)
      }
      const timer = setTimeout(
        () => done({ stdout: '', stderr: 'the app did not answer for the worker', code: null, signal: null, timedOut: true }),
        timeoutMs + PARENT_SLACK_MS
      )
      port.on('message', onMessage)
      port.postMessage({ type: RUN_WORKER, id, job, timeoutMs } satisfies RunWorkerMessage)
    })
}

/** Through main in an Electron utility process (the app), else a child process of this Node. */
export function defaultWorkerLauncher(): WorkerLauncher {
  const port = utilityParentPort()
  return port ? parentPortWorkerLauncher(port) : spawnWorkerLauncher()
}

/** Last lines of a child's stderr, for the error a failed provider is reported with. */
function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 800)
}

/** The result line a worker printed on stdout, if any. */
function resultFromStdout(stdout: string): SpeedResult | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
  if (!line) return undefined
  try {
    return JSON.parse(line.slice(RESULT_MARKER.length)) as SpeedResult
  } catch {
    return undefined
  }
}

let launcher: WorkerLauncher | undefined

/**
 * Runs one speed job in a separate process and returns its result; a crash, a non-zero exit, a
 * missing result or the timeout becomes { ok: false, error } with what the worker said.
 */
export async function runSpeedJob(job: SpeedJob, timeoutMs: number, launch?: WorkerLauncher): Promise<SpeedResult> {
  const exit = await (launch ?? (launcher ??= defaultWorkerLauncher()))(job, timeoutMs)
  if (exit.startError !== undefined) return { ok: false, error: `could not start worker: ${exit.startError}` }
  const result = exit.result ?? resultFromStdout(exit.stdout)
  if (result) return result
  const how = exit.timedOut ? `timed out after ${timeoutMs} ms` : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`
  return { ok: false, error: `worker ${how}${exit.stderr ? `: ${tail(exit.stderr)}` : ''}` }
}
