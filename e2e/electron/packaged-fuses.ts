import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
// FuseState is not re-exported from the package root.
import { FuseState } from '@electron/fuses/dist/constants'
import { parse } from 'yaml'
import { REPO_ROOT } from '../harness/repo-paths'

/** Where `npm run dist:<os>` leaves the unpacked app's executable (electron-builder's defaults, our productName). */
export function packagedBinaryCandidates(platform: NodeJS.Platform = process.platform, root: string = REPO_ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; productName: string }
  const dist = join(root, 'dist')
  if (platform === 'win32') return [join(dist, 'win-unpacked', `${pkg.productName}.exe`)]
  if (platform === 'darwin') return ['mac', 'mac-arm64', 'mac-universal'].map((d) => join(dist, d, `${pkg.productName}.app`))
  // electron-builder names the Linux executable after package.json's name; productName where a config sets executableName so.
  return [pkg.name, pkg.productName].map((file) => join(dist, 'linux-unpacked', file))
}

/** The packaged executable on this machine, or null when none was built. */
export function packagedBinary(platform: NodeJS.Platform = process.platform, root: string = REPO_ROOT): string | null {
  return packagedBinaryCandidates(platform, root).find((path) => existsSync(path)) ?? null
}

/** The fuses electron-builder.yml asks for (`electronFuses`, camelCase keys), as @electron/fuses names them. */
export function expectedFuses(root: string = REPO_ROOT): Map<FuseV1Options, boolean> {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> }
  const expected = new Map<FuseV1Options, boolean>()
  for (const [key, on] of Object.entries(config.electronFuses ?? {})) {
    const option = FuseV1Options[`${key[0]?.toUpperCase() ?? ''}${key.slice(1)}` as keyof typeof FuseV1Options]
    if (option === undefined) throw new Error(`electron-builder.yml electronFuses.${key} is not a fuse @electron/fuses knows`)
    expected.set(option, on)
  }
  return expected
}

/** Each fuse whose state in the binary differs from electron-builder.yml, as "Name: wanted on, found off". */
export async function fuseMismatches(binary: string, expected: Map<FuseV1Options, boolean> = expectedFuses()): Promise<string[]> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, FuseState | undefined>
  const word = (state: FuseState | undefined): string =>
    state === FuseState.ENABLE ? 'on' : state === FuseState.DISABLE ? 'off' : state === undefined ? 'absent' : `state ${state}`
  return [...expected].flatMap(([option, on]) => {
    const found = wire[option]
    return found === (on ? FuseState.ENABLE : FuseState.DISABLE)
      ? []
      : [`${FuseV1Options[option]}: wanted ${on ? 'on' : 'off'}, found ${word(found)}`]
  })
}
