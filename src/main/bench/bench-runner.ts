/**
 * Main's side of the bench: starts the bench CLI (src/bench/cli.ts, or the built out/bench/cli.mjs)
 * in a separate process, forwards its progress and reads the report it wrote. Imports nothing from
 * src/bench at run time (that folder is ES modules; this file also loads as CommonJS: Electron's
 * main bundle, the Playwright harness).
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import * as v from 'valibot'
import type { BenchProgressEvent, BenchReport, BenchRunRequest, BenchRunResult } from '../../shared/bench-report'
import { BenchReportSchema } from '../../shared/bench-report-schema'
import { PROGRESS_MARKER, reportPaths } from './bench-output'

/** How to spawn the bench CLI: a Node (or Electron run as Node), its arguments, extra environment. */
export interface BenchCommand {
  execPath: string
  args: string[]
  env?: NodeJS.ProcessEnv
}

/** How a bench CLI process ended. */
export interface BenchExit {
  code: number | null
  signal: string | null
  /** The last of its stderr, or the error line it reported (utility processes). */
  stderr: string
}

/** A started bench CLI: its stdout (progress lines) and how it ends. */
export interface BenchChild {
  stdout: NodeJS.ReadableStream
  /** Settles once the CLI has ended; rejects only when it could not be started. */
  exited: Promise<BenchExit>
}

/**
 * Starts the bench CLI with these CLI arguments: spawnLauncher(command) under Node, an Electron
 * utility process in the built app (src/main/bench/bench-utility.ts).
 */
export type BenchLauncher = (cliArgs: string[], signal?: AbortSignal) => BenchChild

/** The built CLI (out/bench/cli.mjs) under a plain Node: no tsx, no TypeScript. */
export function builtBenchCommand(cli: string, execPath: string = process.execPath): BenchCommand {
  return { execPath, args: [cli] }
}

/** Starts the CLI as a child process with `command`. */
export function spawnLauncher(command: BenchCommand): BenchLauncher {
  return (cliArgs, signal) => {
    const child = spawn(command.execPath, [...command.args, ...cliArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...command.env }, signal })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    const exited = new Promise<BenchExit>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, sig) => resolve({ code, signal: sig, stderr }))
    })
    return { stdout: child.stdout, exited }
  }
}

/** The line that says why a run failed: the CLI's last `bench:` line, else its last line. */
function failureLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  return lines.filter((l) => l.startsWith('bench:')).pop() ?? lines.pop() ?? ''
}

/**
 * Runs the benchmark in a separate process (it spawns workers and holds native sessions, which must
 * not share the app's main process): an Electron utility process in the app, a spawned Node under
 * tests and the e2e harness, whichever `options.launch` starts. Forwards its progress lines, and returns the report it wrote
 * to `outDir`. `extraArgs` are fixed by the caller (main), never taken from the renderer.
 */
export async function runBenchProcess(
  request: BenchRunRequest,
  outDir: string,
  onProgress: (p: BenchProgressEvent) => void,
  options: { launch: BenchLauncher; extraArgs?: string[]; signal?: AbortSignal }
): Promise<BenchRunResult> {
  const args = [...(request.quick ? ['--quick'] : []), '--progress', 'json', '--out', outDir, ...(options.extraArgs ?? [])]
  const child = options.launch(args, options.signal)
  let buffered = ''
  child.stdout.on('data', (d: Buffer | string) => {
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
  const { code, signal, stderr } = await child.exited
  if (code !== 0) {
    const last = failureLine(stderr)
    throw new Error(`benchmark ${signal ? `stopped by ${signal}` : `failed (exit code ${code})`}${last ? `: ${last}` : ''}`)
  }
  return readResult(outDir)
}

/**
 * Checks a report.json's text against the report's declaration. The file comes from another process
 * (killed mid-write, an older bench, a hand edit), so a bad one gets an error that names the file and
 * the field at fault rather than a TypeError further on.
 */
export function parseReport(text: string, path: string): BenchReport {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`bench report ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  const result = v.safeParse(BenchReportSchema, json, { abortEarly: true })
  if (!result.success) {
    const issue = result.issues[0]
    const field = v.getDotPath(issue)
    throw new Error(`bench report ${path} is malformed: ${field ? `${field}: ` : ''}${issue.message}`)
  }
  return result.output
}

/** Reads a finished run's report.json and chart SVGs. */
export async function readResult(outDir: string): Promise<BenchRunResult> {
  const paths = reportPaths(outDir)
  const report = parseReport(await readFile(paths.json, 'utf8'), paths.json)
  const charts = await Promise.all(
    report.charts.map(async (c) => ({ id: c.id, title: c.title, svg: await readFile(join(paths.chartsDir, basename(c.file)), 'utf8') }))
  )
  return { report, charts }
}
