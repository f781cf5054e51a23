import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * WCAG 2.2 AA contrast of the theme, read from the stylesheet the app ships (src/renderer/src/app.css):
 * text and controls' text at 4.5:1, the focus ring and selection lines at 3:1 (non-text contrast).
 * A colour changed in the stylesheet that breaks a pair fails here.
 */
const CSS = readFileSync(join(__dirname, '../../src/renderer/src/app.css'), 'utf8')

/** The custom properties of the stylesheet's :root rule. */
function rootVariables(css: string): Map<string, string> {
  const root = /:root\s*\{([^}]*)\}/.exec(css.replace(/\/\*[\s\S]*?\*\//g, ''))
  if (!root) throw new Error('app.css has no :root rule')
  const vars = new Map<string, string>()
  for (const m of (root[1] ?? '').matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) vars.set(m[1] as string, (m[2] as string).trim())
  return vars
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = [0, 2, 4].map((i) => parseInt((m[1] as string).slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number)
}

/** WCAG contrast ratio of two #rrggbb colours, 1..21. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

const vars = rootVariables(CSS)
const colour = (name: string): string => {
  const v = vars.get(name)
  if (!v) throw new Error(`app.css :root has no ${name}`)
  return v
}

/** [foreground, background, minimum ratio, what it is] */
const PAIRS: [string, string, number, string][] = [
  ...['--bg', '--panel', '--control', '--control-hover'].flatMap((bg): [string, string, number, string][] => [
    ['--text', bg, 4.5, 'text'],
    ['--muted', bg, 4.5, 'secondary text and labels']
  ]),
  ['--on-accent', '--accent', 4.5, 'Start, Export, Analyse'],
  ['--on-accent', '--accent-hover', 4.5, 'a primary button under the pointer'],
  ['--on-danger', '--danger', 4.5, 'Stop, Cancel, Delete'],
  ['--on-danger', '--danger-hover', 4.5, 'a danger button under the pointer'],
  ...['--bg', '--panel'].flatMap((bg): [string, string, number, string][] => [
    ['--accent-text', bg, 4.5, 'links and accent text'],
    ['--warning', bg, 4.5, 'warnings'],
    ['--danger-text', bg, 4.5, 'error text'],
    ['--focus', bg, 3, 'the keyboard focus ring'],
    ['--accent-text', bg, 3, 'a selected tile or session border']
  ]),
  ['--focus', '--accent', 3, 'the focus ring round a primary button']
]

describe('theme contrast (WCAG 2.2 AA)', () => {
  it('computes contrast ratios as WCAG defines them', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6)
    expect(contrast('#4f8cff', '#ffffff')).toBeCloseTo(3.22, 2)
    expect(contrast('#e5484d', '#ffffff')).toBeCloseTo(3.91, 2)
  })

  it.each(PAIRS)('%s on %s is at least %s:1 (%s)', (fg, bg, min) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(min)
  })

  it('draws the filled buttons from the theme variables, not from fixed colours', () => {
    const rule = (selector: string): string => new RegExp(`${selector.replace('.', '\\.')}\\s*\\{([^}]*)\\}`).exec(CSS)?.[1] ?? ''
    expect(rule('button.primary')).toMatch(/background:\s*var\(--accent\)/)
    expect(rule('button.primary')).toMatch(/color:\s*var\(--on-accent\)/)
    expect(rule('button.danger')).toMatch(/background:\s*var\(--danger\)/)
    expect(rule('button.danger')).toMatch(/color:\s*var\(--on-danger\)/)
  })
})
