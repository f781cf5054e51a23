import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BenchProgressEvent } from '../../../src/shared/bench-report'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { runBenchProcess, spawnLauncher } from '../../../src/main/bench/bench-runner'
import { benchCommand } from '../../../src/main/bench/bench-service'

// The TypeScript CLI of this checkout through tsx, as `npm run dev` runs it.
const launch = spawnLauncher(
  benchCommand({
    execPath: process.execPath,
    tsxLoaderUrl: pathToFileURL(createRequire(__filename).resolve('tsx')).href,
    cli: join(__dirname, '..', '..', '..', 'src', 'bench', 'cli.ts')
  })
)

describe('runBenchProcess', () => {
  it('runs the real bench CLI in a child process, forwards its progress and returns the report with its charts', async () => {
    const out = await mkdtemp(join(os.tmpdir(), 'bench-app-'))
    const steps: BenchProgressEvent[] = []
    const result = await runBenchProcess({ quick: true }, out, (p) => steps.push(p), {
      launch,
      // A small slice keeps this test fast: 20 val images, accuracy only.
      extraArgs: ['--limit', '20', '--skip', 'speed,options,detection,gallery']
    })
    expect(result.report.quick).toBe(true)
    expect(result.report.dataset.splits).toEqual([{ name: 'val', n: 20, available: 3589 }])
    const faceApi = result.report.accuracy.find((a) => a.model === 'face-api-expression')
    expect(faceApi?.n).toBe(20)
    expect(steps.some((s) => s.phase === 'face-api on val' && s.done === 20 && s.total === 20)).toBe(true)
    expect(result.charts.map((c) => c.id)).toContain('confusion-face-api-expression-val')
    for (const c of result.charts) expect(c.svg.startsWith('<svg')).toBe(true)
  })

  it('rejects with the CLI error when the run fails', async () => {
    const out = await mkdtemp(join(os.tmpdir(), 'bench-app-'))
    await expect(runBenchProcess({ quick: true }, out, () => {}, { launch, extraArgs: ['--data', '/nonexistent/fer'] })).rejects.toThrow(/nonexistent\/fer/)
  })
})
