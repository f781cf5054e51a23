import type { IpcErrorCode } from '../../shared/ipc'

/** An error that carries the IPC error code the renderer should see; services throw it, handlers answer it. */
export class AppError extends Error {
  readonly code: IpcErrorCode

  constructor(code: IpcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
  }
}

/** A short, single-line description of anything thrown, for logs and error messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}
