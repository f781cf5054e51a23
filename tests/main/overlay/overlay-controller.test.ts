import { describe, expect, it } from 'vitest'
import type { CaptureArea, DisplayLayout } from '../../../src/shared/capture-geometry'
import type { Box, EventChannels, OverlayUpdate } from '../../../src/shared/ipc'
import { OverlayController, type OverlayControllerHost, type OverlayState } from '../../../src/main/overlay/overlay-controller'

const display2x: DisplayLayout = { id: '10', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2 }
const screenArea: CaptureArea = { kind: 'screen', display: display2x }
const windowArea = (x: number, y: number): CaptureArea => ({ kind: 'window', bounds: { x, y, width: 800, height: 600 } })
const face = { id: 7, box: { x: 200, y: 100, width: 120, height: 120 }, label: 'happy' as const, confidence: 0.9 }

/** A host that records what the controller asks of the overlay window, the renderer and the tray. */
function fakeOverlay() {
  const overlay = { shown: [] as Box[], bounds: [] as Box[], visible: [] as boolean[], sent: [] as OverlayUpdate[], closed: 0 }
  const events: [string, unknown][] = []
  const states: OverlayState[] = []
  const host: OverlayControllerHost = {
    overlay: {
      show: (b) => overlay.shown.push(b),
      setBounds: (b) => overlay.bounds.push(b),
      setVisible: (v) => overlay.visible.push(v),
      send: (u) => overlay.sent.push(u),
      close: () => overlay.closed++
    },
    emit: <E extends keyof EventChannels>(channel: E, payload: EventChannels[E]) => void events.push([channel, payload]),
    onStateChange: (state) => void states.push(state)
  }
  return { host, overlay, events, states }
}

describe('OverlayController', () => {
  it('opens over the first placement, moves on later ones, and closes once', () => {
    const { host, overlay } = fakeOverlay()
    const controller = new OverlayController(host)
    expect(controller.isOpen()).toBe(false)
    controller.place(windowArea(100, 100))
    controller.place(windowArea(300, 200))
    expect(overlay.shown).toEqual([{ x: 100, y: 100, width: 800, height: 600 }])
    expect(overlay.bounds).toEqual([{ x: 300, y: 200, width: 800, height: 600 }])
    expect(overlay.visible).toEqual([true])
    expect(controller.placement()).toEqual(windowArea(300, 200))
    controller.close()
    controller.close()
    expect(overlay.closed).toBe(1)
    expect(controller.placement()).toBeNull()
  })

  it('maps published faces from frame pixels into the placed overlay, and sends nothing while closed', () => {
    const { host, overlay } = fakeOverlay()
    const controller = new OverlayController(host)
    controller.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [face] })
    expect(overlay.sent).toEqual([])
    controller.place(screenArea)
    controller.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [face] })
    expect(overlay.sent).toEqual([
      { labels: [{ id: 7, box: { x: 100, y: 50, width: 60, height: 60 }, label: 'happy', confidence: 0.9 }], paused: false }
    ])
  })

  it('keeps the wish apart from what is shown: hidden with the captured window, shown again only if wanted', () => {
    const { host, overlay, states } = fakeOverlay()
    const controller = new OverlayController(host)
    // A wish made while closed is kept and applied when the overlay opens.
    expect(controller.setWanted(false)).toBe(false)
    expect(overlay.visible).toEqual([])
    controller.place(windowArea(0, 0))
    expect(overlay.visible).toEqual([false])
    controller.setWanted(true, false)
    expect(overlay.visible.at(-1)).toBe(false)
    expect(states.at(-1)?.overlayWanted).toBe(true)
    controller.conceal()
    controller.reveal()
    expect(overlay.visible.slice(-2)).toEqual([false, true])
    controller.setWanted(false)
    controller.reveal()
    expect(overlay.visible.at(-1)).toBe(false)
    expect(controller.isWanted()).toBe(false)
  })

  it('holds the one paused state: the renderer is told, the overlay clears and publishes no labels, the tray sees it', () => {
    const { host, overlay, events, states } = fakeOverlay()
    const controller = new OverlayController(host)
    controller.setAnalysisState({ running: true, paused: false })
    controller.place(screenArea)
    controller.setPaused(true)
    expect(events).toEqual([['analysis:paused', { paused: true }]])
    expect(overlay.sent.at(-1)).toEqual({ labels: [], paused: true })
    controller.publish({ sourceWidth: 2880, sourceHeight: 1800, faces: [face] })
    expect(overlay.sent.at(-1)).toEqual({ labels: [], paused: true })
    expect(controller.analysisState()).toEqual({ running: true, paused: true })
    expect(states.at(-1)).toEqual({ analysis: { running: true, paused: true }, overlayWanted: true })
    // The renderer's report replaces the state as a whole.
    controller.setAnalysisState({ running: false, paused: false })
    expect(states.at(-1)?.analysis).toEqual({ running: false, paused: false })
  })

  it('tells the renderer about a pause even with the overlay closed, without sending to a closed window', () => {
    const { host, overlay, events } = fakeOverlay()
    const controller = new OverlayController(host)
    controller.setPaused(true)
    expect(events).toEqual([['analysis:paused', { paused: true }]])
    expect(overlay.sent).toEqual([])
  })
})
