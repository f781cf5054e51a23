import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchProgressEvent, BenchReport, BenchRunRequest, BenchRunResult } from '../shared/bench-report'
import { PROGRESS_MARKER } from './progress'
import { reportPaths } from './write-report'

const require = createRequire(import.meta.url)

/** How to start the bench CLI; defaults to Node with the tsx loader on src/bench/cli.ts (development). */
export interface BenchCommand {
  execPath: string
  args: string[]
  env?: NodeJS.ProcessEnv
}

/** The development command: this Node (or Electron run as Node) with tsx, running the TypeScript CLI. */
export function devBenchCommand(): BenchCommand {
  return {
    execPath: process.execPath,
    args: ['--import', pathToFileURL(require.resolve('tsx')).href, fileURLToPath(new URL('./cli.ts', import.meta.url))],
    // Inside Electron, process.execPath is the app binary; this makes it behave as plain Node.
    env: { ELECTRON_RUN_AS_NODE: '1' }
  }
}

/**
 * Runs the benchmark in a child process (it spawns workers and holds native sessions, which must
 * not share the app's main process), forwards its progress lines, and returns the report it wrote
 * to `outDir`. `extraArgs` are fixed by the caller (main), never taken from the renderer.
 */
export function runBenchProcess(
  request: BenchRunRequest,
  outDir: string,
  onProgress: (p: BenchProgressEvent) => void,
  options: { command?: BenchCommand; extraArgs?: string[]; signal?: AbortSignal } = {}
): Promise<BenchRunResult> {
  const command = options.command ?? devBenchCommand()
  const args = [...command.args, ...(request.quick ? ['--quick'] : []), '--progress', 'json', '--out', outDir, ...(options.extraArgs ?? [])]
  return new Promise((resolve, reject) => {
    const child = spawn(command.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...command.env }, signal: options.signal })
    let buffered = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.startsWith(PROGRESS_MARKER)) continue
        try {
          onProgress(JSON.parse(line.slice(PROGRESS_MARKER.length)) as BenchProgressEvent)
        } catch {
          // a torn line is not worth failing a benchmark for
        }
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const last = stderr.trim().split('\n').filter((l) => l.startsWith('bench:')).pop() ?? stderr.trim().split('\n').pop() ?? ''
        reject(new Error(`benchmark ${signal ? `stopped by ${signal}` : `failed (exit code ${code})`}${last ? `: ${last}` : ''}`))
        return
      }
      readResult(outDir).then(resolve, reject)
    })
  })
}

/** Reads a finished run's report.json and chart SVGs. */
export async function readResult(outDir: string): Promise<BenchRunResult> {
  const paths = reportPaths(outDir)
  const report = JSON.parse(await readFile(paths.json, 'utf8')) as BenchReport
  const charts = await Promise.all(
    report.charts.map(async (c) => ({ id: c.id, title: c.title, svg: await readFile(join(paths.chartsDir, basename(c.file)), 'utf8') }))
  )
  return { report, charts }
}
