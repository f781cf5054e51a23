import { describe, expect, it } from 'vitest'
import { validators, type ValidationContext } from '../../../src/main/ipc/ipc-validate'

const context: ValidationContext = { modelInput: (id) => (id === 'm' ? { width: 4, height: 4 } : undefined) }
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])
const chart = { name: 'timeline-face-1', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', png: PNG }
const code = (fn: () => unknown): string | undefined => {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe('session library channel validation', () => {
  it('accepts well-formed requests', () => {
    expect(validators['session:open'](['20261127-110843-3f9a1c'], context)).toEqual(['20261127-110843-3f9a1c'])
    expect(validators['session:name-face']([{ sessionId: 'a-1', faceId: 3, name: 'Ada' }], context)).toEqual([{ sessionId: 'a-1', faceId: 3, name: 'Ada' }])
    expect(validators['session:merge-faces']([{ sessionId: 'a-1', from: 3, into: 1 }], context)).toEqual([{ sessionId: 'a-1', from: 3, into: 1 }])
    expect(validators['session:export-folder']([{ sessionId: 'a-1', charts: [chart] }], context)[0].charts[0]?.name).toBe('timeline-face-1')
    expect(validators['inference:classify']([{ modelId: 'm', frameIndex: 0, mediaTimeMs: 1500, faces: [] }], context)[0].mediaTimeMs).toBe(1500)
  })

  it.each([
    ['a path as session id', 'session:delete', ['../x']],
    ['an extra argument', 'session:list', [1]],
    ['a name with a newline', 'session:name-face', [{ sessionId: 'a', faceId: 1, name: 'A\nB' }]],
    ['a too long name', 'session:name-face', [{ sessionId: 'a', faceId: 1, name: 'x'.repeat(65) }]],
    ['a fractional face id', 'session:name-face', [{ sessionId: 'a', faceId: 1.5, name: 'A' }]],
    ['merging a face into itself', 'session:merge-faces', [{ sessionId: 'a', from: 2, into: 2 }]],
    ['a chart name with a slash', 'session:export-folder', [{ sessionId: 'a', charts: [{ ...chart, name: '../evil' }] }]],
    ['a chart named like the summary', 'session:export-folder', [{ sessionId: 'a', charts: [{ ...chart, name: 'summary' }] }]],
    ['a chart that is not SVG', 'session:export-folder', [{ sessionId: 'a', charts: [{ ...chart, svg: '<html></html>' }] }]],
    ['a PNG that is not PNG', 'session:export-folder', [{ sessionId: 'a', charts: [{ ...chart, png: new Uint8Array([1, 2, 3]) }] }]],
    ['duplicate chart names', 'session:export-folder', [{ sessionId: 'a', charts: [chart, chart] }]],
    // One file on macOS and Windows.
    ['chart names that differ only in case', 'session:export-folder', [{ sessionId: 'a', charts: [chart, { ...chart, name: 'Timeline-Face-1' }] }]],
    ['a negative media time', 'inference:classify', [{ modelId: 'm', frameIndex: 0, mediaTimeMs: -1, faces: [] }]]
  ] as const)('rejects %s', (_what, channel, args) => {
    expect(code(() => validators[channel](args as unknown as unknown[], context))).toBe('invalid-argument')
  })

  const nameError = (name: string): string | undefined => {
    try {
      validators['session:name-face']([{ sessionId: 'a', faceId: 1, name }], context)
      return undefined
    } catch (error) {
      return `${(error as { code?: string }).code}: ${(error as Error).message}`
    }
  }

  // Each would show a name other than the one typed, or break the CSV or the UI.
  it.each([
    ['a right-to-left override (the name displays reversed)', 'Ada\u202Eevil', 'U+202E'],
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'].map(
      (c) => [`the bidi control U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, `A${c}B`, `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`]
    ),
    ['a lone high surrogate', 'A\uD83DB', 'lone surrogate U+D83D'],
    ['a lone low surrogate at the end', 'A\uDE00', 'lone surrogate U+DE00'],
    ['a C1 control character', 'A\u0085B', 'control character U+0085'],
    ['a tab', 'A\tB', 'control character U+0009'],
    ['a line separator', 'A\u2028B', 'line break U+2028']
  ])('refuses a face name with %s, naming the character', (_what, name, named) => {
    const error = nameError(name)
    expect(error).toMatch(/^invalid-argument: request\.name has /)
    expect(error).toContain(named)
  })

  it('accepts names in any script, with emoji (surrogate pairs) and joiners', () => {
    for (const name of ['', 'Zoë', 'José Ñúñez', 'محمد', 'שרה', '李雷', 'Ada 👩🏽‍💻', 'O\'Brien']) expect(nameError(name)).toBeUndefined()
  })
})
