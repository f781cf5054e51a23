import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { reportPaths, type ReportPaths } from '../main/bench/bench-output'
import { renderMarkdown } from './markdown'
import type { BenchReport, RenderedChart } from './report'

export { reportPaths, type ReportPaths }

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
