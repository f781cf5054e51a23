/**
 * Renders every icon from build/icon.svg: `npm run icons` (outputs listed in scripts/icons.ts,
 * committed). SVG → PNG with resvg (@resvg/resvg-js), PNG → .ico and .icns with png2icons.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BICUBIC, createICNS, createICO } from 'png2icons'
import { ICNS_FILE, ICO_FILE, iconSvg, PNG_OUTPUTS, renderPng, ROOT } from './icons'

/** Writes a file under the repository root and says so. */
function write(file: string, data: Buffer): void {
  mkdirSync(dirname(join(ROOT, file)), { recursive: true })
  writeFileSync(join(ROOT, file), data)
  console.log(`[icons] ${file} (${data.length} bytes)`)
}

const svgs = { idle: iconSvg('idle'), analysing: iconSvg('analysing') }
for (const { file, variant, size } of PNG_OUTPUTS) write(file, renderPng(svgs[variant], size))

const master = renderPng(svgs.idle, 1024)
// ICO: PNG-compressed entries (Vista and later), forWinExe keeps the 256 px entry NSIS and Explorer use.
const ico = createICO(master, BICUBIC, 0, true, true)
const icns = createICNS(master, BICUBIC, 0)
if (!ico || !icns) throw new Error('png2icons could not build the .ico or .icns from the 1024 px render')
write(ICO_FILE, ico)
write(ICNS_FILE, icns)
