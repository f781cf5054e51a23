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
function check(build: (electronDir: string) => void, flags: string[] = [], extraEnv: Record<string, string> = {}) {
  dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'))
  build(dir)
  const env = { ...process.env, ...extraEnv }
  delete env.ELECTRON_OVERRIDE_DIST_PATH
  return spawnSync(process.execPath, [SCRIPT, ...flags, dir], { encoding: 'utf8', env, timeout: 20_000 })
}

/** A stand-in electron package whose binary is there. */
function withBinary(d: string): void {
  writeFileSync(join(d, 'path.txt'), 'electron')
  mkdirSync(join(d, 'dist'))
  writeFileSync(join(d, 'dist', 'electron'), '')
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
    const run = check(withBinary)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })
})

describe('scripts/check-electron.mjs --dist (run before npm run dist, ahead of the long build)', () => {
  it('says in one line, within seconds, that the binary is missing and how to fetch it', () => {
    const started = Date.now()
    const run = check(() => undefined, ['--dist'])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('Cannot build installers')
    expect(run.stderr).toContain(FETCH)
  })

  it('names the download host that does not resolve when the binary is there', () => {
    // .invalid never resolves (RFC 2606), so this fails the same way without any network.
    const run = check(withBinary, ['--dist'], {
      ELECTRON_MIRROR: 'https://electron.example.invalid/',
      ELECTRON_BUILDER_BINARIES_MIRROR: 'https://electron.example.invalid/binaries/'
    })
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/electron\.example\.invalid \(\w+\) cannot be reached/)
  })
})
