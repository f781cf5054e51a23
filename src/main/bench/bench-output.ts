/**
 * What the bench CLI (src/bench) writes and main reads back: its progress lines on stdout and the
 * layout of its output folder. Here rather than in src/bench so that main's side of the bench
 * (bench-runner.ts) imports nothing from that ES-module folder at run time.
 */
import { join } from 'node:path'

/** Prefix of a machine-readable progress line (--progress json), so a parent process can pick them out of other output. */
export const PROGRESS_MARKER = 'BENCH_PROGRESS '

/** Where a run's files go inside its output folder. */
export interface ReportPaths {
  markdown: string
  json: string
  chartsDir: string
}

/** The layout under an output folder: benchmarks.md, bench/report.json, bench/*.svg (docs/ for the committed report). */
export function reportPaths(outDir: string): ReportPaths {
  return { markdown: join(outDir, 'benchmarks.md'), json: join(outDir, 'bench', 'report.json'), chartsDir: join(outDir, 'bench') }
}
