/**
 * The bench's side of an Electron utility process's parent port (see src/shared/bench-protocol.ts):
 * finding the port, and ending the process only once main has what it must receive. Node-only,
 * hence here and not beside the messages in src/shared.
 */
import type { CliExitMessage, WorkerResultMessage } from '../shared/bench-protocol'

/** Electron's `process.parentPort` in a utility process, as far as the bench uses it. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown
  postMessage(message: unknown): void
}

/** The parent port when this process is an Electron utility process; undefined under Node. */
export function utilityParentPort(): ParentPortLike | undefined {
  const port = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort
  return port && typeof port.postMessage === 'function' ? port : undefined
}

/** How long a process that reported over the parent port waits for main to end it before it exits itself. */
export const EXIT_GRACE_MS = 10_000

/**
 * Ends this process with `code`. Under Node: process.exit. In a utility process: first tells main
 * over the parent port, then waits for main to end the process, so nothing is lost with the stdout
 * Electron drops at exit; exits by itself after EXIT_GRACE_MS should main not do so.
 */
export function exitProcess(code: number, message: CliExitMessage | WorkerResultMessage): void {
  const port = utilityParentPort()
  if (!port) process.exit(code)
  port.postMessage(message)
  setTimeout(() => process.exit(code), EXIT_GRACE_MS)
}
