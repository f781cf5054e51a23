import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseV1Options } from '@electron/fuses'
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants'
import { afterEach, describe, expect, it } from 'vitest'
import { expectedFuses, fuseMismatches } from '../../e2e/electron/packaged-fuses'

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

/** A stand-in Electron binary: some bytes, then the fuse wire as Electron lays it out (sentinel, version 1, length, states). */
function fakeBinary(states: Map<FuseV1Options, boolean>): string {
  dir = mkdtempSync(join(tmpdir(), 'fuses-'))
  const wire = Array.from({ length: 8 }, (_, i) => (states.get(i) ? FuseState.ENABLE : FuseState.DISABLE))
  const file = join(dir, 'electron')
  writeFileSync(
    file,
    Buffer.concat([Buffer.from('\x7fELF padding '), Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire]), Buffer.from(' more')])
  )
  return file
}

describe('packaged fuses (e2e/electron/fuses.spec.ts reads them from dist/)', () => {
  it('reads electron-builder.yml: run-as-node and the inspector off, asar-only loading and integrity on', () => {
    const expected = expectedFuses()
    expect(expected.get(FuseV1Options.RunAsNode)).toBe(false)
    expect(expected.get(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false)
    expect(expected.get(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true)
    expect(expected.get(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true)
  })

  it('finds no mismatch in a binary flipped as configured', async () => {
    expect(await fuseMismatches(fakeBinary(expectedFuses()))).toEqual([])
  })

  it('names the fuse a binary left on', async () => {
    const states = new Map(expectedFuses())
    states.set(FuseV1Options.RunAsNode, true)
    expect(await fuseMismatches(fakeBinary(states))).toEqual(['RunAsNode: wanted off, found on'])
  })
})
