#!/usr/bin/env node
// `npm test`: every suite, in order, each with its own exit status, then one closing line with the totals.
// build (typecheck + electron-vite) → lint (ESLint, dependency-cruiser's import-boundary and cycle rules, then actionlint and zizmor on .github/workflows) → Vitest (main, renderer, bench) → pytest (training/) → Playwright
// (Chromium harness; the Electron suite reports itself skipped where the binary is missing).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const results = join(root, 'test-results', 'summary')
mkdirSync(results, { recursive: true })
const python = [join(root, '.venv', 'bin', 'python'), 'python3'].find((p) => p === 'python3' || existsSync(p))
const wantXvfb = process.platform === 'linux' && !process.env.DISPLAY && spawnSync('which', ['xvfb-run']).status === 0

const suites = [
  { name: 'build', cmd: 'npm', args: ['run', 'build'] },
  { name: 'lint', cmd: 'npm', args: ['run', 'lint'] },
  {
    name: 'vitest',
    cmd: 'npx',
    args: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'vitest.json')}`],
    count: () => {
      const r = JSON.parse(readFileSync(join(results, 'vitest.json'), 'utf8'))
      return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests }
    }
  },
  {
    name: 'pytest',
    cmd: python,
    args: ['-m', 'pytest', 'training/tests', '-q', `--junitxml=${join(results, 'pytest.xml')}`],
    count: () => {
      const xml = readFileSync(join(results, 'pytest.xml'), 'utf8')
      const attr = (k) => Number(new RegExp(`<testsuite[^>]*\\s${k}="(\\d+)"`).exec(xml)?.[1] ?? 0)
      const failed = attr('failures') + attr('errors')
      return { passed: attr('tests') - failed - attr('skipped'), failed, skipped: attr('skipped') }
    }
  },
  {
    name: 'playwright',
    cmd: wantXvfb ? 'xvfb-run' : 'npx',
    args: [...(wantXvfb ? ['-a', 'npx'] : []), 'playwright', 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, 'playwright.json'), E2E_SKIP_BUILD: '1' },
    count: () => {
      const report = JSON.parse(readFileSync(join(results, 'playwright.json'), 'utf8'))
      printSkipReasons(report)
      const s = report.stats
      return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped }
    }
  }
]

/** A skipped test says why (e.g. no Electron binary here), so a skip never reads as a pass. */
function printSkipReasons(report) {
  const reasons = new Map()
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests)
        if (t.results.some((r) => r.status === 'skipped')) {
          const why = t.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given'
          reasons.set(why, [...(reasons.get(why) ?? []), `${t.projectName} › ${spec.title}`])
        }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites) walk(suite)
  for (const [why, tests] of reasons) console.log(`[test-all] skipped ${tests.length}: ${why}\n  ${tests.join('\n  ')}`)
}

const total = { passed: 0, failed: 0, skipped: 0 }
const failedSuites = []
for (const suite of suites) {
  console.log(`\n===== ${suite.name} =====`)
  const run = spawnSync(suite.cmd, suite.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...suite.env } })
  let counts = null
  try {
    counts = suite.count?.() ?? null
  } catch (error) {
    console.error(`[test-all] could not read ${suite.name}'s results: ${error.message}`)
  }
  if (counts) for (const k of Object.keys(total)) total[k] += counts[k]
  if (run.status !== 0 || (suite.count && !counts)) {
    failedSuites.push(suite.name)
    if (!counts || counts.failed === 0) total.failed += 1 // a suite that failed outside its tests counts once
  }
  console.log(`[test-all] ${suite.name}: exit ${run.status}${counts ? `, ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` : ''}`)
}
console.log(`\n[test-all] ${failedSuites.length ? `failed suites: ${failedSuites.join(', ')}` : 'all suites green'}`)
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
process.exit(failedSuites.length ? 1 : 0)
