/**
 * The Electron fuses of the packaged app, read back from its binary with @electron/fuses, against
 * electron-builder.yml's `electronFuses`. Needs `npm run dist:<os>` first (CI's installers job runs
 * this spec after it, with E2E_REQUIRE_PACKAGED=1 so it cannot pass by skipping); skipped with the
 * reason elsewhere.
 */
import { expect, test } from '@playwright/test'
import { fuseMismatches, packagedBinary, packagedBinaryCandidates } from './packaged-fuses'

const binary = packagedBinary()
const noBinary = `no packaged app: none of ${packagedBinaryCandidates().join(', ')} exists (npm run dist:${process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux'} builds it)`
if (!binary && process.env.E2E_REQUIRE_PACKAGED === '1') throw new Error(`E2E_REQUIRE_PACKAGED=1 but ${noBinary}`)

test.describe('Packaged app fuses', () => {
  test.skip(!binary, noBinary)

  test('every fuse in the packaged binary is as electron-builder.yml sets it', async () => {
    expect(await fuseMismatches(binary ?? '')).toEqual([])
  })
})
