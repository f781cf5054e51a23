/**
 * What `npm run icons` renders from build/icon.svg, the one vector source of every icon: the PNG
 * sizes electron-builder takes for Linux (build/icons/NxN.png), build/icon.png, build/icon.ico
 * (Windows), build/icon.icns (macOS), and the images main loads at run time (resources/icons/: the
 * window icon and the tray's idle and analysing icons, at 1x and 2x). tests/scripts/icons.test.ts
 * checks the committed files against this list and against a fresh render.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'

export const ROOT = join(__dirname, '..')
export const ICON_SVG = join(ROOT, 'build', 'icon.svg')

/** Square PNG sizes rendered into build/icons/ (electron-builder's Linux icon set and the ico/icns inputs). */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const

/** The red dot the tray's analysing icon adds to the mark, bottom right, ringed so it reads on any panel. */
const ANALYSING_BADGE = '<circle cx="816" cy="816" r="176" fill="#EF4444" stroke="#FFFFFF" stroke-width="40"/>'

/** The SVG source, with the analysing badge when asked. */
export function iconSvg(variant: 'idle' | 'analysing' = 'idle'): string {
  const svg = readFileSync(ICON_SVG, 'utf8')
  return variant === 'idle' ? svg : svg.replace('</svg>', `  ${ANALYSING_BADGE}\n</svg>`)
}

/** Renders an SVG to a square PNG of `size` pixels. */
export function renderPng(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng()
}

/** One PNG file the script writes: where, from which variant, at which size. */
export interface PngOutput {
  file: string
  variant: 'idle' | 'analysing'
  size: number
}

/** Every PNG the script writes; the .ico and .icns are built from build/icon.png. */
export const PNG_OUTPUTS: readonly PngOutput[] = [
  ...ICON_SIZES.map((size) => ({ file: join('build', 'icons', `${size}x${size}.png`), variant: 'idle' as const, size })),
  { file: join('build', 'icon.png'), variant: 'idle', size: 1024 },
  { file: join('resources', 'icons', 'icon.png'), variant: 'idle', size: 256 },
  { file: join('resources', 'icons', 'tray-idle.png'), variant: 'idle', size: 16 },
  { file: join('resources', 'icons', 'tray-idle@2x.png'), variant: 'idle', size: 32 },
  { file: join('resources', 'icons', 'tray-analysing.png'), variant: 'analysing', size: 16 },
  { file: join('resources', 'icons', 'tray-analysing@2x.png'), variant: 'analysing', size: 32 }
]

export const ICO_FILE = join('build', 'icon.ico')
export const ICNS_FILE = join('build', 'icon.icns')
