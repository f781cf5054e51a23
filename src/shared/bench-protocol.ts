/**
 * The bench inside the packaged app. Packaged builds turn Electron's runAsNode fuse off
 * (electron-builder.yml), so main cannot start `electron` as Node with ELECTRON_RUN_AS_NODE; it
 * starts the built CLI (out/bench/cli.mjs) as an Electron utility process instead
 * (src/main/bench/bench-utility.ts). A utility process cannot start processes of its own that run
 * JavaScript, so the CLI asks main for each speed worker over `process.parentPort`, and main forks
 * it as a utility process too. Electron drops a utility process's stdout and stderr once it has
 * exited, so whatever must arrive (a worker's result, the CLI's outcome) goes over the parent port,
 * and the process waits for main to end it.
 *
 * The messages of that protocol live here, process-neutral, shared by the CLI, the worker and main;
 * the bench's own side of the parent port (which needs Node's `process`) is src/bench/utility-port.ts.
 */
import type { SpeedJob, SpeedResult } from './speed-job'

/** How a speed worker ended, as the CLI's runSpeedJob reads it (from a child process or from main). */
export interface WorkerExit {
  /** The result the worker sent over the parent port (utility processes); else it is read from stdout. */
  result?: SpeedResult
  stdout: string
  stderr: string
  code: number | null
  signal: string | null
  timedOut: boolean
  /** The worker could not be started at all. */
  startError?: string
}

/** CLI → main: start a speed worker for this job; main answers with WORKER_EXIT and the same id. */
export const RUN_WORKER = 'bench:run-worker'
/** main → CLI: a worker asked for with RUN_WORKER has ended. */
export const WORKER_EXIT = 'bench:worker-exit'
/** worker → main: the worker's result; main ends the worker once it has it. */
export const WORKER_RESULT = 'bench:worker-result'
/** CLI → main: the run is over (exit code 0) or failed (its message); main ends the CLI once it has it. */
export const CLI_EXIT = 'bench:cli-exit'

export interface RunWorkerMessage {
  type: typeof RUN_WORKER
  id: number
  job: SpeedJob
  timeoutMs: number
}

export interface WorkerExitMessage {
  type: typeof WORKER_EXIT
  id: number
  exit: WorkerExit
}

export interface WorkerResultMessage {
  type: typeof WORKER_RESULT
  result: SpeedResult
}

export interface CliExitMessage {
  type: typeof CLI_EXIT
  code: number
  /** The line the CLI printed on stderr for a failure (`bench: …`). */
  error?: string
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The longest a worker may be given: the full run's per-worker limit is ten minutes. */
export const MAX_WORKER_TIMEOUT_MS = 60 * 60_000

export function isRunWorkerMessage(value: unknown): value is RunWorkerMessage {
  return (
    isRecord(value) &&
    value.type === RUN_WORKER &&
    Number.isSafeInteger(value.id) &&
    isRecord(value.job) &&
    (value.job.kind === 'onnx' || value.job.kind === 'face-api') &&
    typeof value.timeoutMs === 'number' &&
    value.timeoutMs > 0 &&
    value.timeoutMs <= MAX_WORKER_TIMEOUT_MS
  )
}

export function isWorkerExitMessage(value: unknown): value is WorkerExitMessage {
  return isRecord(value) && value.type === WORKER_EXIT && Number.isSafeInteger(value.id) && isRecord(value.exit)
}

export function isWorkerResultMessage(value: unknown): value is WorkerResultMessage {
  return isRecord(value) && value.type === WORKER_RESULT && isRecord(value.result) && typeof value.result.ok === 'boolean'
}

export function isCliExitMessage(value: unknown): value is CliExitMessage {
  return isRecord(value) && value.type === CLI_EXIT && Number.isSafeInteger(value.code) && (value.error === undefined || typeof value.error === 'string')
}
