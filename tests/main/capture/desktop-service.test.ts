import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DisplayLayout } from '../../../src/shared/capture-geometry'
import type { AnalysisState, Box, DesktopSource, EventChannels, OverlayUpdate } from '../../../src/shared/ipc'
import { ConsentStore, CONSENT_VERSION } from '../../../src/main/app/consent'
import { DesktopService, type DesktopHost } from '../../../src/main/capture/desktop-service'

const screenSource: DesktopSource = { id: 'screen:1:0', kind: 'screen', name: 'Screen 1', displayId: '10', thumbnail: '', appIcon: null }
const callWindow: DesktopSource = { id: 'window:4242:0', kind: 'window', name: 'Zoom Meeting', displayId: null, thumbnail: '', appIcon: null }

/** A host that records what the service asks of the desktop. */
function fakeHost(displays: DisplayLayout[], windowBounds: () => Box | undefined | Error, sources: DesktopSource[] = [screenSource, callWindow]) {
  const events: [string, unknown][] = []
  const states: { analysis: AnalysisState; overlayWanted: boolean }[] = []
  const overlay = { shown: [] as Box[], bounds: [] as Box[], visible: [] as boolean[], sent: [] as OverlayUpdate[], closed: 0 }
  const host: DesktopHost = {
    listSources: async () => sources,
    displays: () => displays,
    readWindowBounds: async () => {
      const b = windowBounds()
      if (b instanceof Error) throw b
      return b
    },
    openRegionSelectors: vi.fn(),
    closeRegionSelectors: vi.fn(),
    overlay: {
      show: (b) => overlay.shown.push(b),
      setBounds: (b) => overlay.bounds.push(b),
      setVisible: (v) => overlay.visible.push(v),
      send: (u) => overlay.sent.push(u),
      close: () => overlay.closed++
    },
    contentProtection: false,
    emit: <E extends keyof EventChannels>(channel: E, payload: EventChannels[E]) => void events.push([channel, payload]),
    onStateChange: (state) => void states.push(state),
    log: () => undefined
  }
  return { host, events, overlay, states }
}

const display2x: DisplayLayout = { id: '10', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2 }

describe('DesktopService', () => {
  let service: DesktopService | undefined
  afterEach(() => service?.release())

  it('puts the overlay over the captured screen and maps published faces into it', async () => {
    const { host, overlay } = fakeHost([display2x], () => undefined)
    service = new DesktopService(host)
    const target = await service.select({ sourceId: 'screen:1:0' })
    expect(target).toMatchObject({ kind: 'screen', follow: 'not-needed', overlayExcludedFromCapture: false })
    expect(service.currentSourceId()).toBe('screen:1:0')
    expect(overlay.shown).toEqual([display2x.bounds])
    service.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [{ id: 7, box: { x: 200, y: 100, width: 120, height: 120 }, label: 'happy', confidence: 0.9 }] })
    expect(overlay.sent.at(-1)).toEqual({ labels: [{ id: 7, box: { x: 100, y: 50, width: 60, height: 60 }, label: 'happy', confidence: 0.9 }], paused: false })
  })

  it('cuts a region from the screen that holds it and places the overlay over the region', async () => {
    const { host, overlay } = fakeHost([display2x], () => undefined)
    service = new DesktopService(host)
    const target = await service.select({ sourceId: 'screen:1:0', region: { x: 100, y: 100, width: 400, height: 300 } })
    expect(target).toMatchObject({ kind: 'region', region: { x: 100, y: 100, width: 400, height: 300 }, display: { scaleFactor: 2 } })
    expect(overlay.shown).toEqual([{ x: 100, y: 100, width: 400, height: 300 }])
    // Crop pixel (0,0) is screen pixel (200,200): region-local (0,0).
    service.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [{ id: 1, box: { x: 0, y: 0, width: 100, height: 100 }, label: null, confidence: 0 }] })
    expect(overlay.sent.at(-1)?.labels[0]?.box).toEqual({ x: 0, y: 0, width: 50, height: 50 })
  })

  it('refuses unknown sources and regions cut from windows', async () => {
    const { host } = fakeHost([display2x], () => undefined)
    service = new DesktopService(host)
    await expect(service.select({ sourceId: 'window:1:0' })).rejects.toMatchObject({ code: 'unknown-source' })
    await expect(service.select({ sourceId: callWindow.id, region: { x: 0, y: 0, width: 50, height: 50 } })).rejects.toMatchObject({ code: 'invalid-argument' })
  })

  it('follows a window as it moves, and stops the run with a message when it closes', async () => {
    let bounds: Box | undefined = { x: 100, y: 100, width: 800, height: 600 }
    const { host, events, overlay } = fakeHost([display2x], () => bounds)
    service = new DesktopService(host, { followIntervalMs: 60_000, missesBeforeClosed: 2 })
    const target = await service.select({ sourceId: callWindow.id })
    expect(target.follow).toBe('following')
    expect(overlay.shown).toEqual([{ x: 100, y: 100, width: 800, height: 600 }])
    bounds = { x: 300, y: 200, width: 800, height: 600 }
    await service.pollWindow()
    expect(overlay.bounds.at(-1)).toEqual({ x: 300, y: 200, width: 800, height: 600 })
    service.publish({ sourceWidth: 1600, sourceHeight: 1200, faces: [{ id: 2, box: { x: 100, y: 100, width: 100, height: 100 }, label: 'sad', confidence: 0.5 }] })
    expect(overlay.sent.at(-1)?.labels[0]?.box).toEqual({ x: 50, y: 50, width: 50, height: 50 })
    bounds = undefined
    await service.pollWindow()
    await service.pollWindow()
    expect(events.find(([c]) => c === 'capture:source-lost')?.[1]).toEqual({ sourceId: callWindow.id, message: 'The captured window "Zoom Meeting" was closed.' })
    expect(overlay.closed).toBe(1)
    expect(service.currentSourceId()).toBeNull()
  })

  it('says so, with region mode as the way out, when window bounds cannot be read', async () => {
    const { host, overlay } = fakeHost([display2x], () => new Error('Wayland does not let applications read other windows’ positions'))
    service = new DesktopService(host)
    const target = await service.select({ sourceId: callWindow.id })
    expect(target.follow).toBe('unavailable')
    expect(target.followMessage).toMatch(/Wayland.*Select region/)
    expect(overlay.shown).toEqual([])
    // Capture itself still works: getDisplayMedia gets the window.
    expect(service.currentSourceId()).toBe(callWindow.id)
  })

  it('stops a screen run when its display is unplugged', async () => {
    const displays = [display2x]
    const { host, events } = fakeHost(displays, () => undefined)
    service = new DesktopService(host)
    await service.select({ sourceId: 'screen:1:0' })
    displays.pop()
    service.displaysChanged()
    expect(events.map(([c]) => c)).toContain('capture:source-lost')
    expect(service.currentSourceId()).toBeNull()
  })

  it('pauses (clearing the labels), toggles visibility and resolves region picks', async () => {
    const { host, events, overlay } = fakeHost([display2x], () => undefined)
    service = new DesktopService(host)
    await service.select({ sourceId: 'screen:1:0' })
    service.setPaused(true)
    expect(events.at(-1)).toEqual(['analysis:paused', { paused: true }])
    service.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [{ id: 1, box: { x: 0, y: 0, width: 10, height: 10 }, label: null, confidence: 0 }] })
    expect(overlay.sent.at(-1)).toEqual({ labels: [], paused: true })
    expect(service.toggleOverlay()).toBe(false)
    expect(overlay.visible.at(-1)).toBe(false)
    const picked = service.pickRegion()
    expect(host.openRegionSelectors).toHaveBeenCalled()
    service.submitRegion({ x: 5, y: 6, width: 300, height: 200 })
    await expect(picked).resolves.toEqual({ x: 5, y: 6, width: 300, height: 200 })
    const tiny = service.pickRegion()
    service.submitRegion({ x: 5, y: 6, width: 3, height: 2 })
    await expect(tiny).resolves.toBeNull()
  })

  it('captures the screen that holds a region dragged on the second monitor, whichever screen id the renderer passed', async () => {
    const right: DisplayLayout = { id: '20', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }
    const rightScreen: DesktopSource = { ...screenSource, id: 'screen:2:0', name: 'Screen 2', displayId: '20' }
    const { host, overlay } = fakeHost([display2x, right], () => undefined, [screenSource, rightScreen, callWindow])
    service = new DesktopService(host)
    const region = { x: 1600, y: 100, width: 400, height: 300 }
    const target = await service.select({ sourceId: screenSource.id, region })
    expect(service.currentSourceId()).toBe('screen:2:0')
    expect(target).toMatchObject({ sourceId: 'screen:2:0', name: 'Screen 2', kind: 'region', region, display: { bounds: right.bounds, scaleFactor: 1 } })
    expect(overlay.shown).toEqual([region])
    // And back on the first monitor with the second's id.
    await service.select({ sourceId: rightScreen.id, region: { x: 10, y: 10, width: 100, height: 100 } })
    expect(service.currentSourceId()).toBe(screenSource.id)
  })

  it('refuses a region on a display no screen source shows, rather than capture the wrong one', async () => {
    const right: DisplayLayout = { id: '20', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }
    const { host } = fakeHost([display2x, right], () => undefined)
    service = new DesktopService(host)
    await expect(service.select({ sourceId: screenSource.id, region: { x: 1600, y: 100, width: 400, height: 300 } })).rejects.toMatchObject({ code: 'capture-unavailable' })
    expect(service.currentSourceId()).toBeNull()
  })

  it('answers a region pick with null (cancelled) when the selector windows close without an answer', async () => {
    const { host } = fakeHost([display2x], () => undefined)
    service = new DesktopService(host)
    const picked = service.pickRegion()
    const [onClosed] = vi.mocked(host.openRegionSelectors).mock.calls[0] ?? []
    expect(onClosed).toBeTypeOf('function')
    onClosed?.()
    await expect(picked).resolves.toBeNull()
  })

  it('keeps one paused state: setPaused updates what the tray reads, and the tray shows the wish for the overlay', async () => {
    const { host, states } = fakeHost([display2x], () => ({ x: 0, y: 0, width: 800, height: 600 }))
    service = new DesktopService(host, { followIntervalMs: 60_000 })
    service.setAnalysisState({ running: true, paused: false })
    service.setPaused(true)
    expect(service.analysisState()).toEqual({ running: true, paused: true })
    expect(states.at(-1)).toEqual({ analysis: { running: true, paused: true }, overlayWanted: true })
    service.setPaused(false)
    expect(states.at(-1)?.analysis.paused).toBe(false)
    // The overlay is hidden while the captured window is minimised; the wish stays what the user chose.
    await service.select({ sourceId: callWindow.id })
    service.toggleOverlay()
    expect(states.at(-1)).toEqual({ analysis: { running: true, paused: false }, overlayWanted: false })
    service.toggleOverlay()
    expect(states.at(-1)?.overlayWanted).toBe(true)
  })

  it('moves the overlay with its display when the display changes, and clips a region to it', async () => {
    const displays = [display2x]
    const { host, overlay, events } = fakeHost(displays, () => undefined)
    service = new DesktopService(host)
    await service.select({ sourceId: 'screen:1:0', region: { x: 100, y: 100, width: 400, height: 300 } })
    // The display shrinks under the region: the overlay follows the clipped region.
    displays[0] = { ...display2x, bounds: { x: 0, y: 0, width: 300, height: 900 } }
    service.displaysChanged()
    expect(overlay.bounds.at(-1)).toEqual({ x: 100, y: 100, width: 200, height: 300 })
    service.publish({ sourceWidth: 600, sourceHeight: 1800, faces: [{ id: 1, box: { x: 20, y: 0, width: 100, height: 100 }, label: null, confidence: 0 }] })
    // The frame is the new display's 2x crop: crop pixel (20,0) is 10 DIP into the region.
    expect(overlay.sent.at(-1)?.labels[0]?.box).toEqual({ x: 10, y: 0, width: 50, height: 50 })
    expect(events.map(([c]) => c)).not.toContain('capture:source-lost')
  })

  it('keeps the overlay hidden while the captured window is minimised, even when the user asks to show it', async () => {
    let bounds: Box | undefined = { x: 100, y: 100, width: 800, height: 600 }
    const { host, overlay, events } = fakeHost([display2x], () => bounds)
    service = new DesktopService(host, { followIntervalMs: 60_000 })
    await service.select({ sourceId: callWindow.id })
    service.setOverlayVisible(false)
    bounds = { x: -32000, y: -32000, width: 160, height: 28 }
    await service.pollWindow()
    expect(events.at(-1)).toEqual(['capture:follow', { sourceId: callWindow.id, phase: 'hidden' }])
    service.setOverlayVisible(true)
    expect(overlay.visible.at(-1)).toBe(false)
    bounds = { x: 100, y: 100, width: 800, height: 600 }
    await service.pollWindow()
    expect(overlay.visible.at(-1)).toBe(true)
  })
})

describe('ConsentStore', () => {
  it('asks until acknowledged, then remembers it across instances', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'consent-'))
    try {
      const path = join(dir, 'nested', 'consent.json')
      expect(await new ConsentStore(path).read()).toEqual({ acknowledged: false, acknowledgedAt: null, version: CONSENT_VERSION })
      const when = new Date('2026-01-02T03:04:05.000Z')
      await new ConsentStore(path).acknowledge(when)
      expect(await new ConsentStore(path).read()).toEqual({ acknowledged: true, acknowledgedAt: when.toISOString(), version: CONSENT_VERSION })
      expect(JSON.parse(await readFile(path, 'utf8')).acknowledged).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.each(['consent.json', 'consent.json.tmp'])('answers a named storage error, not internal, when %s is a folder', async (name) => {
    const dir = await mkdtemp(join(tmpdir(), 'consent-'))
    try {
      const path = join(dir, 'consent.json')
      await mkdir(join(dir, name))
      await expect(new ConsentStore(path).acknowledge()).rejects.toMatchObject({ code: 'storage-failed', message: expect.stringMatching(/consent\.json.*folder/) })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('asks again for an older notice version or a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'consent-'))
    try {
      const path = join(dir, 'consent.json')
      await writeFile(path, JSON.stringify({ acknowledged: true, acknowledgedAt: 'x', version: CONSENT_VERSION - 1 }))
      expect((await new ConsentStore(path).read()).acknowledged).toBe(false)
      await writeFile(path, '{not json')
      expect((await new ConsentStore(path).read()).acknowledged).toBe(false)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
