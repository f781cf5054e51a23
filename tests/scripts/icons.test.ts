import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { ICNS_FILE, ICO_FILE, iconSvg, PNG_OUTPUTS, renderPng, ROOT } from '../../scripts/icons'
import { isPackaged } from '../electron-builder'

const read = (file: string): Buffer => readFileSync(join(ROOT, file))

/** The entry types of an .icns file (Apple's container: 'icns', total length, then type + length + data). */
function icnsEntries(data: Buffer): string[] {
  expect(data.toString('ascii', 0, 4)).toBe('icns')
  expect(data.readUInt32BE(4)).toBe(data.length)
  const types: string[] = []
  for (let offset = 8; offset < data.length; offset += data.readUInt32BE(offset + 4)) types.push(data.toString('ascii', offset, offset + 4))
  return types
}

/** The square sizes of an .ico file's images (a width byte of 0 means 256). */
function icoSizes(data: Buffer): number[] {
  expect([data.readUInt16LE(0), data.readUInt16LE(2)]).toEqual([0, 1])
  return Array.from({ length: data.readUInt16LE(4) }, (_, i) => data[6 + 16 * i] || 256)
}

describe('icons rendered from build/icon.svg (npm run icons)', () => {
  it.each(PNG_OUTPUTS)('$file is committed at $size px and matches a fresh render of the SVG', ({ file, variant, size }) => {
    const committed = PNG.sync.read(read(file))
    expect([committed.width, committed.height]).toEqual([size, size])
    const fresh = PNG.sync.read(renderPng(iconSvg(variant), size))
    // resvg is deterministic; the tolerance only absorbs rounding on another CPU.
    let worst = 0
    for (let i = 0; i < fresh.data.length; i++) worst = Math.max(worst, Math.abs((fresh.data[i] ?? 0) - (committed.data[i] ?? 0)))
    expect(worst, `${file} is stale: rerun npm run icons`).toBeLessThanOrEqual(2)
  })

  it('the analysing tray icon differs from the idle one', () => {
    expect(read(join('resources', 'icons', 'tray-analysing.png')).equals(read(join('resources', 'icons', 'tray-idle.png')))).toBe(false)
  })

  it('the .ico holds 16 to 256 px images for Windows and NSIS', () => {
    expect(icoSizes(read(ICO_FILE))).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]))
  })

  it('the .icns holds the 16 px to 1024 px (512@2x) images macOS asks for', () => {
    // is32/icp4: 16, ic11: 16@2x, ic12: 32@2x, ic07: 128, ic08: 256, ic09: 512, ic10: 512@2x
    expect(icnsEntries(read(ICNS_FILE))).toEqual(expect.arrayContaining(['is32', 'ic11', 'ic12', 'ic07', 'ic08', 'ic09', 'ic10']))
  })

  it('electron-builder.yml points each platform at a committed icon, and the run-time icons are packaged', () => {
    const config = parse(read('electron-builder.yml').toString('utf8')) as Record<string, { icon?: string } | undefined>
    for (const platform of ['linux', 'win', 'mac']) {
      const icon = config[platform]?.icon
      expect(icon, platform).toBeTruthy()
      expect(existsSync(join(ROOT, icon ?? '')), `${platform}: ${icon}`).toBe(true)
    }
    for (const { file } of PNG_OUTPUTS.filter((o) => o.file.startsWith('resources'))) expect(isPackaged(file.split('\\').join('/')), file).toBe(true)
  })
})
