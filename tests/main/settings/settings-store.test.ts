import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SETTINGS_FILE } from '../../../src/main/settings/settings-file'
import { asideName, SettingsStore } from '../../../src/main/settings/settings-store'
import type { UserSettings } from '../../../src/shared/ipc'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const NOW = new Date('2026-12-08T01:02:03.456Z')
const open = (): Promise<SettingsStore> => SettingsStore.open({ userDataDir: dir, log: () => undefined, now: () => NOW })
const fileText = (): string => readFileSync(join(dir, SETTINGS_FILE), 'utf8')

const CHANGED: UserSettings = {
  modelId: 'vit-faces',
  source: { kind: 'screen', id: 'screen:1:0' },
  detector: { inputSize: 320, scoreThreshold: 0.35, minFaceSize: 40, tiles: 'auto' },
  videoFramesPerSecond: 10
}

describe('SettingsStore', () => {
  it('starts with no settings and no notice when there is no file, and writes none until something changes', async () => {
    const store = await open()
    expect(store.state()).toEqual({ settings: {}, notice: null })
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(false)
  })

  it('keeps every setting across a restart, main-owned ones included', async () => {
    const first = await open()
    await first.update(CHANGED)
    await first.setWindowBounds({ x: 10, y: 20, width: 1000, height: 700, maximized: false })
    await first.setOverlayVisible(false)
    const second = await open()
    expect(second.state()).toEqual({ settings: CHANGED, notice: null })
    expect(second.windowBounds()).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false })
    expect(second.overlayVisible()).toBe(false)
    expect(JSON.parse(fileText())).toMatchObject({ version: 1, modelId: 'vit-faces' })
  })

  it('merges an update into what was saved: a key not sent is kept', async () => {
    const store = await open()
    await store.update(CHANGED)
    expect(await store.update({ videoFramesPerSecond: 2 })).toEqual({ ...CHANGED, videoFramesPerSecond: 2 })
  })

  it('reads a hand-written file with only the overlay shortcut, and keeps the shortcut when it saves', async () => {
    writeFileSync(join(dir, SETTINGS_FILE), '\uFEFF{ "overlayShortcut": "Alt+Shift+O" }')
    const store = await open()
    expect(store.state()).toEqual({ settings: {}, notice: null })
    await store.update({ videoFramesPerSecond: 1 })
    expect(JSON.parse(fileText())).toEqual({ version: 1, videoFramesPerSecond: 1, overlayShortcut: 'Alt+Shift+O' })
  })

  it.each([
    ['not JSON', '{"modelId": "vit-faces",', /is not valid JSON/],
    ['not an object', '[1, 2]', /is not a JSON object/],
    ['from another version', '{"version": 2, "modelId": "vit-faces"}', /has version 2, this app reads version 1/],
    [
      'with a field that fails its check',
      '{"detector": {"inputSize": 999, "scoreThreshold": 0.5, "minFaceSize": 24}}',
      /has detector\.inputSize must be one of/
    ],
    ['with bad window bounds', '{"windowBounds": {"x": 0, "y": 0, "width": "wide", "height": 10}}', /has windowBounds\.width/]
  ])('a file %s: defaults, a notice naming the problem and the kept file, the file set aside unchanged', async (_what, text, problem) => {
    writeFileSync(join(dir, SETTINGS_FILE), text)
    const store = await open()
    const { settings, notice } = store.state()
    expect(settings).toEqual({})
    expect(notice).toMatch(problem)
    const aside = join(dir, asideName(NOW))
    expect(notice).toContain(aside)
    expect(readFileSync(aside, 'utf8')).toBe(text)
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(false)
    // The next change writes a good file beside the kept one.
    await store.update({ videoFramesPerSecond: 5 })
    expect(JSON.parse(fileText())).toEqual({ version: 1, videoFramesPerSecond: 5 })
  })

  it('the aside name is a valid file name on Windows too (no colons)', () => {
    expect(asideName(NOW)).toBe('settings.json.corrupt-2026-12-08T01-02-03-456Z')
  })

  it('a burst of saves ends with the last one on disk and leaves no temporary file', async () => {
    const store = await open()
    await Promise.all([1, 2, 5, 10, 2].map((rate) => store.update({ videoFramesPerSecond: rate as 1 | 2 | 5 | 10 })))
    expect(JSON.parse(fileText())).toMatchObject({ videoFramesPerSecond: 2 })
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
  })

  it('answers a storage error when the file cannot be written, and keeps working', async () => {
    const store = await open()
    // A folder where the file should be: the rename over it fails.
    mkdirSync(join(dir, SETTINGS_FILE, 'in-the-way'), { recursive: true })
    await expect(store.update({ videoFramesPerSecond: 1 })).rejects.toMatchObject({ code: 'storage-failed' })
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
    rmSync(join(dir, SETTINGS_FILE), { recursive: true })
    await store.update({ videoFramesPerSecond: 2 })
    expect(JSON.parse(fileText())).toEqual({ version: 1, videoFramesPerSecond: 2 })
  })
})
