import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { refreshBench } from '../../src/bench/bench'
import { parseCli } from '../../src/bench/cli'
import { silentProgress } from '../../src/bench/progress'
import { renderMarkdown } from '../../src/bench/markdown'
import { BenchReportSchema } from '../../src/shared/bench-report-schema'
import { sampleReport } from './report-fixture'

describe('npm run bench -- --refresh', () => {
  it('takes the sections that can be measured on their own, and refuses the others', () => {
    const parsed = parseCli(['--refresh', 'sessions'])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.refresh).toEqual(['sessions'])
    expect(() => parseCli(['--refresh', 'accuracy'])).toThrow(/cannot measure accuracy on its own/)
  })

  it("measures the session library again into an earlier report, keeps every other section, and says which and when", async () => {
    const previous = sampleReport()
    const { report } = await refreshBench(previous, ['sessions'], silentProgress)
    expect(v.safeParse(BenchReportSchema, report).success).toBe(true)
    // The sample is a quick report: a minute of a 3x3 gallery among 20 sessions.
    expect(report.sessionLibrary?.[0]).toMatchObject({ sessions: 21, rows: 5400 + 20 * 120 })
    expect(report.accuracy).toEqual(previous.accuracy)
    expect(report.speed).toEqual(previous.speed)
    expect(report.caveats.slice(0, 2)).toEqual(previous.caveats)
    expect(report.caveats.at(-1)).toMatch(/^sessions: measured again on \d{4}-\d\d-\d\d .* every other section is from the run above \(2026-11-27, Test CPU\)\.$/)
    expect(renderMarkdown(report)).toContain('## Session library: an hour-long call')
  })
})
