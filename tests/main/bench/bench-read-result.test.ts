import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readResult } from '../../../src/main/bench/bench-runner'
import { sampleReport } from '../../bench/report-fixture'

/** An output folder holding this report.json text and an SVG for each chart of the sample report. */
async function outDirWith(reportText: string): Promise<string> {
  const out = await mkdtemp(join(os.tmpdir(), 'bench-read-'))
  await mkdir(join(out, 'bench'))
  await writeFile(join(out, 'bench', 'report.json'), reportText)
  for (const c of sampleReport().charts) await writeFile(join(out, 'bench', c.file.replace(/^bench\//, '')), '<svg/>')
  return out
}

describe('readResult (main reads back the report a run wrote)', () => {
  it('returns a valid report with its charts', async () => {
    const out = await outDirWith(JSON.stringify(sampleReport()))
    const result = await readResult(out)
    expect(result.report).toEqual(sampleReport())
    expect(result.charts.map((c) => c.svg)).toEqual(sampleReport().charts.map(() => '<svg/>'))
  })

  it('names the file when report.json is not JSON (a run killed mid-write)', async () => {
    const out = await outDirWith('{"schemaVersion": 1, "generat')
    await expect(readResult(out)).rejects.toThrow(/^bench report .*report\.json is not valid JSON/)
  })

  it('names the field at fault when report.json is JSON of the wrong shape', async () => {
    const noCharts = sampleReport() as unknown as Record<string, unknown>
    delete noCharts.charts
    await expect(readResult(await outDirWith(JSON.stringify(noCharts)))).rejects.toThrow(
      /^bench report .*report\.json is malformed: charts: Invalid key: Expected "charts" but received undefined/
    )

    const badAccuracy = sampleReport()
    ;(badAccuracy.accuracy[0] as { accuracy: number }).accuracy = 7
    await expect(readResult(await outDirWith(JSON.stringify(badAccuracy)))).rejects.toThrow(
      /is malformed: accuracy\.0\.accuracy: Invalid value: Expected <=1 but received 7/
    )

    await expect(readResult(await outDirWith('[]'))).rejects.toThrow(/is malformed: /)
    await expect(readResult(await outDirWith('null'))).rejects.toThrow(/is malformed: /)
  })
})
