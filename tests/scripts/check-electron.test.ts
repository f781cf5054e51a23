import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'check-electron.mjs')
const FETCH = 'node node_modules/electron/install.js'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

/** Runs the check against a stand-in for node_modules/electron. */
function check(build: (electronDir: string) => void) {
  dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'))
  build(dir)
  const env = { ...process.env }
  delete env.ELECTRON_OVERRIDE_DIST_PATH
  return spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8', env })
}

describe('scripts/check-electron.mjs (run before npm start and npm run dev)', () => {
  it('says that the binary was never downloaded and the one command that fetches it', () => {
    const run = check(() => undefined)
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('Electron binary is not installed')
    expect(run.stderr).toContain(FETCH)
  })

  it('names the missing executable when path.txt points at nothing', () => {
    const run = check((d) => writeFileSync(join(d, 'path.txt'), 'electron'))
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(join(dir ?? '', 'dist', 'electron'))
    expect(run.stderr).toContain(FETCH)
  })

  it('passes quietly when the binary is there', () => {
    const run = check((d) => {
      writeFileSync(join(d, 'path.txt'), 'electron')
      mkdirSync(join(d, 'dist'))
      writeFileSync(join(d, 'dist', 'electron'), '')
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })
})
