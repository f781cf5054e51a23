import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderMarkdown } from './markdown'
import type { BenchReport, RenderedChart } from './report'

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

/**
 * Writes the Markdown report, the JSON report and the charts. Old charts are removed first so a
 * model that is gone leaves no stale figure; other files in bench/ (quantization.json) stay.
 */
export async function writeReport(outDir: string, report: BenchReport, charts: readonly RenderedChart[]): Promise<ReportPaths> {
  const paths = reportPaths(outDir)
  await mkdir(paths.chartsDir, { recursive: true })
  for (const f of await readdir(paths.chartsDir)) if (f.endsWith('.svg')) await rm(join(paths.chartsDir, f))
  for (const c of charts) await writeFile(join(paths.chartsDir, c.fileName), c.svg)
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(paths.markdown, renderMarkdown(report))
  return paths
}
