import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { validators, type ValidationContext } from '../../../src/main/ipc/ipc-validate'
import { isNoDesktopError } from '../../../src/shared/ipc'
import { DEFAULT_OVERLAY_SHORTCUT, isAccelerator, readOverlayShortcut } from '../../../src/main/app/shortcuts'

// The desktop channels need no model; their checks come from the contract's schemas alone.
const noModels: ValidationContext = { modelInput: () => undefined }
const desktopValidators = {
  'capture:select': (args: unknown[]) => validators['capture:select'](args, noModels),
  'region:submit': (args: unknown[]) => validators['region:submit'](args, noModels),
  'overlay:publish': (args: unknown[]) => validators['overlay:publish'](args, noModels),
  'analysis:set-state': (args: unknown[]) => validators['analysis:set-state'](args, noModels),
  'consent:acknowledge': (args: unknown[]) => validators['consent:acknowledge'](args, noModels)
}

const face = { id: 1, box: { x: 1, y: 2, width: 30, height: 30 }, label: 'happy', confidence: 0.5 }

describe('desktop channel validation', () => {
  const bad: [keyof typeof desktopValidators, unknown[]][] = [
    ['capture:select', []],
    ['capture:select', ['screen:0:0']],
    ['capture:select', [{ sourceId: '../../etc/passwd' }]],
    ['capture:select', [{ sourceId: 'tab:1:0' }]],
    ['capture:select', [{ sourceId: 'screen:0:0', extra: 1 }]],
    ['capture:select', [{ sourceId: 'screen:0:0', region: { x: 0, y: 0, width: 0, height: 10 } }]],
    ['capture:select', [{ sourceId: 'screen:0:0', region: { x: Number.NaN, y: 0, width: 10, height: 10 } }]],
    ['capture:select', [JSON.parse('{"sourceId":"screen:0:0","__proto__":{"x":1}}')]],
    ['region:submit', [{ x: 0, y: 0, width: 1e9, height: 10 }]],
    ['region:submit', ['big']],
    ['overlay:publish', [{ sourceWidth: 0, sourceHeight: 10, faces: [] }]],
    ['overlay:publish', [{ sourceWidth: 10, sourceHeight: 10, faces: 'x' }]],
    ['overlay:publish', [{ sourceWidth: 10, sourceHeight: 10, faces: Array.from({ length: 257 }, (_, i) => ({ ...face, id: i })) }]],
    ['overlay:publish', [{ sourceWidth: 10, sourceHeight: 10, faces: [{ ...face, confidence: 2 }] }]],
    ['overlay:publish', [{ sourceWidth: 10, sourceHeight: 10, faces: [{ ...face, label: 'x'.repeat(65) }] }]],
    ['overlay:publish', [{ sourceWidth: 10, sourceHeight: 10, faces: [{ ...face, id: -1 }] }]],
    ['analysis:set-state', [{ running: true }]],
    ['consent:acknowledge', [true]]
  ]
  for (const [channel, args] of bad) {
    it(`rejects ${channel} ${JSON.stringify(args).slice(0, 70)}`, () => {
      expect(() => desktopValidators[channel](args)).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    })
  }

  it.each<[string, unknown[]]>([
    ['a hole', (() => { const faces: unknown[] = [face, { ...face, id: 2 }, { ...face, id: 3 }]; delete faces[1]; return faces })()],
    ['a phantom face', new Array(1)],
    ['duplicate face ids', [face, { ...face }]],
    ['a named key on the array', Object.assign([face], { constructor: 1 })]
  ])('rejects overlay:publish faces with %s as invalid-argument', (_name, faces) => {
    const frame = structuredClone({ sourceWidth: 10, sourceHeight: 10, faces })
    expect(() => desktopValidators['overlay:publish']([frame])).toThrow(expect.objectContaining({ code: 'invalid-argument', message: expect.stringContaining('frame.faces') }))
  })

  it('passes well-formed arguments through', () => {
    expect(desktopValidators['capture:select']([{ sourceId: 'window:123:0', region: undefined }])).toEqual([{ sourceId: 'window:123:0' }])
    expect(desktopValidators['region:submit']([null])).toEqual([null])
    expect(desktopValidators['overlay:publish']([{ sourceWidth: 1920, sourceHeight: 1080, faces: [face] }])).toEqual([{ sourceWidth: 1920, sourceHeight: 1080, faces: [face] }])
  })

  it('answers a clear error where the host has no desktop services', async () => {
    const handlers = createHandlers({} as Services)
    const result = await handlers['capture:list-sources']()
    expect(result).toEqual({ ok: false, error: { code: 'capture-unavailable', message: expect.stringContaining('not available') } })
    if (!result.ok) expect(isNoDesktopError(new Error(`${result.error.code}: ${result.error.message}`))).toBe(true)
  })
})

describe('overlay shortcut setting', () => {
  it('accepts Electron accelerators and rejects junk', () => {
    for (const ok of ['CommandOrControl+Shift+E', 'Alt+F9', 'F12', 'Super+Space']) expect(isAccelerator(ok)).toBe(true)
    for (const no of ['', 'Shift+', 'rm -rf', 'Ctrl+Shift+ThisIsNotAKey', 42]) expect(isAccelerator(no)).toBe(false)
  })

  it('falls back to the default without a settings file', async () => {
    await expect(readOverlayShortcut('/nonexistent/settings.json')).resolves.toBe(DEFAULT_OVERLAY_SHORTCUT)
  })

  it('reads a settings.json saved with a byte-order mark (Notepad does that)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'))
    try {
      const path = join(dir, 'settings.json')
      await writeFile(path, '\uFEFF{"overlayShortcut": "Alt+Shift+O"}', 'utf8')
      await expect(readOverlayShortcut(path)).resolves.toBe('Alt+Shift+O')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('says why when it ignores a settings file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'))
    try {
      const path = join(dir, 'settings.json')
      const log = vi.fn()
      await writeFile(path, '{"overlayShortcut": ', 'utf8')
      await expect(readOverlayShortcut(path, log)).resolves.toBe(DEFAULT_OVERLAY_SHORTCUT)
      expect(log).toHaveBeenCalledWith(expect.stringContaining(path))
      log.mockClear()
      await writeFile(path, '{"overlayShortcut": "rm -rf"}', 'utf8')
      await expect(readOverlayShortcut(path, log)).resolves.toBe(DEFAULT_OVERLAY_SHORTCUT)
      expect(log).toHaveBeenCalledWith(expect.stringContaining('overlayShortcut'))
      log.mockClear()
      await expect(readOverlayShortcut(join(dir, 'missing.json'), log)).resolves.toBe(DEFAULT_OVERLAY_SHORTCUT)
      expect(log).not.toHaveBeenCalled()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
