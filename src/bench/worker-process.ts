import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { RESULT_MARKER, type SpeedJob, type SpeedResult } from './speed-job'

const require = createRequire(import.meta.url)

/** The tsx loader as a file URL, so the worker runs TypeScript however the parent was started (tsx CLI, Vitest). */
function tsxLoader(): string {
  return pathToFileURL(require.resolve('tsx')).href
}

/** Last lines of a child's stderr, for the error a failed provider is reported with. */
function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 800)
}

/**
 * Runs one speed job in a child process and returns its result; a crash, a non-zero exit, a
 * missing result or the timeout becomes { ok: false, error } with what the child said.
 */
export function runSpeedJob(job: SpeedJob, timeoutMs: number): Promise<SpeedResult> {
  const worker = fileURLToPath(new URL('./speed-worker.ts', import.meta.url))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader(), worker, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ ok: false, error: `could not start worker: ${error.message}` })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
      if (line) {
        try {
          resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as SpeedResult)
          return
        } catch {
          // fall through to the generic failure below
        }
      }
      const how = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : signal ? `killed by ${signal}` : `exit code ${code}`
      resolve({ ok: false, error: `worker ${how}${stderr ? `: ${tail(stderr)}` : ''}` })
    })
  })
}
