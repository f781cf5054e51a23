import { describe, expect, it } from 'vitest'
import {
  displayForRect,
  frameToDesktop,
  frameToOverlay,
  frameTransform,
  overlayBounds,
  physicalToDip,
  regionArea,
  regionCrop,
  type CaptureArea,
  type DisplayLayout
} from '../../src/shared/capture-geometry'

const primary = (scaleFactor: number): DisplayLayout => ({ id: '1', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor })

/** A physical-pixel frame of a display as a capturer delivers it: DIP size × scale, rounded. */
const frameOf = (d: DisplayLayout): { w: number; h: number } => ({ w: Math.round(d.bounds.width * d.scaleFactor), h: Math.round(d.bounds.height * d.scaleFactor) })

describe('screen capture → overlay', () => {
  for (const scale of [1, 1.25, 1.5, 2]) {
    it(`maps a face at physical pixels to DIP on a ${scale}x display`, () => {
      const display = primary(scale)
      const { w, h } = frameOf(display)
      const area: CaptureArea = { kind: 'screen', display }
      const t = frameTransform(area, w, h)
      // A face drawn at DIP (600, 300) of size 80x80 lands at physical (600s, 300s) in the frame.
      const inFrame = { x: 600 * scale, y: 300 * scale, width: 80 * scale, height: 80 * scale }
      const mapped = frameToOverlay(inFrame, t, overlayBounds(area))
      expect(mapped.x).toBeCloseTo(600, 6)
      expect(mapped.y).toBeCloseTo(300, 6)
      expect(mapped.width).toBeCloseTo(80, 6)
      expect(mapped.height).toBeCloseTo(80, 6)
    })
  }

  it('uses the delivered frame size, so a capturer that downscales still maps exactly', () => {
    const display = primary(2)
    const t = frameTransform({ kind: 'screen', display }, 1920, 1080) // 3840x2160 delivered at half size
    expect(frameToDesktop({ x: 960, y: 540, width: 10, height: 10 }, t)).toEqual({ x: 960, y: 540, width: 10, height: 10 })
  })

  const layouts: [string, DisplayLayout][] = [
    ['left of', { id: '2', bounds: { x: -1280, y: 0, width: 1280, height: 1024 }, scaleFactor: 1 }],
    ['above', { id: '2', bounds: { x: 0, y: -1440, width: 2560, height: 1440 }, scaleFactor: 1.5 }],
    ['right of', { id: '2', bounds: { x: 1920, y: 120, width: 1512, height: 982 }, scaleFactor: 2 }]
  ]
  for (const [where, second] of layouts) {
    it(`places the overlay on a monitor ${where} the primary and maps into its local coordinates`, () => {
      const area: CaptureArea = { kind: 'screen', display: second }
      const { w, h } = frameOf(second)
      const placed = overlayBounds(area)
      expect(placed).toEqual(second.bounds)
      const t = frameTransform(area, w, h)
      const face = { x: 100 * second.scaleFactor, y: 50 * second.scaleFactor, width: 64 * second.scaleFactor, height: 64 * second.scaleFactor }
      const desktop = frameToDesktop(face, t)
      expect(desktop.x).toBeCloseTo(second.bounds.x + 100, 6)
      expect(desktop.y).toBeCloseTo(second.bounds.y + 50, 6)
      const local = frameToOverlay(face, t, placed)
      expect(local.x).toBeCloseTo(100, 6)
      expect(local.y).toBeCloseTo(50, 6)
      expect(local.width).toBeCloseTo(64, 6)
    })
  }
})

describe('region capture', () => {
  const left: DisplayLayout = { id: 'L', bounds: { x: -1920, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }
  const main: DisplayLayout = { id: 'M', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2 }

  it('crops the screen frame to the region in physical pixels on a 2x display', () => {
    expect(regionCrop(main, { x: 100, y: 50, width: 400, height: 300 }, 2880, 1800)).toEqual({ x: 200, y: 100, width: 800, height: 600 })
  })

  it('rounds a fractional-scale crop outwards and keeps it inside the frame', () => {
    const d: DisplayLayout = { id: 'F', bounds: { x: 0, y: 0, width: 1536, height: 864 }, scaleFactor: 1.25 }
    const crop = regionCrop(d, { x: 10.5, y: 0, width: 1525.5, height: 864 }, 1920, 1080)
    expect(crop.x).toBe(13) // 10.5 × 1.25 = 13.125 → floor
    expect(crop.x + crop.width).toBe(1920)
    expect(crop.height).toBe(1080)
  })

  it('maps a face in the cropped frame back onto an overlay that covers the region', () => {
    const area = regionArea({ x: 100, y: 50, width: 400, height: 300 }, [left, main])
    expect(area?.display.id).toBe('M')
    if (!area) return
    const t = frameTransform(area, 2880, 1800)
    // Face at crop pixel (40, 20) = screen pixel (240, 120) = DIP (120, 60) = region-local (20, 10).
    const local = frameToOverlay({ x: 40, y: 20, width: 60, height: 60 }, t, overlayBounds(area))
    expect(local).toEqual({ x: 20, y: 10, width: 30, height: 30 })
  })

  it('clips a region straddling a monitor edge to the monitor holding most of it', () => {
    // 300 DIP on the left monitor, 100 DIP on the main one.
    const area = regionArea({ x: -300, y: 100, width: 400, height: 200 }, [left, main])
    expect(area?.display.id).toBe('L')
    expect(area?.region).toEqual({ x: -300, y: 100, width: 300, height: 200 })
    if (!area) return
    expect(overlayBounds(area)).toEqual({ x: -300, y: 100, width: 300, height: 200 })
    const t = frameTransform(area, 1920, 1080)
    // The crop starts at the left monitor's pixel 1620; its pixel 0 is desktop x -300.
    expect(frameToDesktop({ x: 0, y: 0, width: 10, height: 10 }, t)).toEqual({ x: -300, y: 100, width: 10, height: 10 })
  })

  it('takes the other side when most of a straddling region is there', () => {
    const area = regionArea({ x: -50, y: 100, width: 400, height: 200 }, [left, main])
    expect(area?.display.id).toBe('M')
    expect(area?.region).toEqual({ x: 0, y: 100, width: 350, height: 200 })
  })

  it('normalises a drag that went up and left, and rejects a region on no display', () => {
    expect(regionArea({ x: 500, y: 400, width: -200, height: -100 }, [main])?.region).toEqual({ x: 300, y: 300, width: 200, height: 100 })
    expect(regionArea({ x: 5000, y: 5000, width: 100, height: 100 }, [left, main])).toBeNull()
  })
})

describe('window capture', () => {
  it('maps frame pixels onto the window bounds, whatever the window frame size', () => {
    const area: CaptureArea = { kind: 'window', bounds: { x: 2000, y: 200, width: 800, height: 600 } }
    const t = frameTransform(area, 1600, 1200) // a 2x display delivers twice the DIP size
    expect(frameToOverlay({ x: 400, y: 300, width: 100, height: 100 }, t, overlayBounds(area))).toEqual({ x: 200, y: 150, width: 50, height: 50 })
    expect(frameToDesktop({ x: 400, y: 300, width: 100, height: 100 }, t)).toEqual({ x: 2200, y: 350, width: 50, height: 50 })
  })

  it('rounds fractional window bounds outwards for the overlay', () => {
    expect(overlayBounds({ kind: 'window', bounds: { x: 10.4, y: 20.6, width: 100.2, height: 50.1 } })).toEqual({ x: 10, y: 20, width: 101, height: 51 })
  })

  it('refuses an empty frame', () => {
    expect(() => frameTransform({ kind: 'window', bounds: { x: 0, y: 0, width: 1, height: 1 } }, 0, 10)).toThrow(RangeError)
  })
})

describe('displays and physical pixels', () => {
  const a: DisplayLayout = { id: 'a', bounds: { x: 0, y: 0, width: 1280, height: 720 }, scaleFactor: 1.5 }
  const b: DisplayLayout = { id: 'b', bounds: { x: 1280, y: 0, width: 1280, height: 720 }, scaleFactor: 1.5 }

  it('finds the display with the largest overlap', () => {
    expect(displayForRect({ x: 1200, y: 10, width: 200, height: 100 }, [a, b])?.id).toBe('b')
    expect(displayForRect({ x: 1200, y: 10, width: 100, height: 100 }, [a, b])?.id).toBe('a')
    expect(displayForRect({ x: -500, y: -500, width: 10, height: 10 }, [a, b])).toBeNull()
  })

  it('converts X11 physical window bounds to DIP with the desktop scale factor', () => {
    expect(physicalToDip({ x: 2100, y: 150, width: 900, height: 600 }, [a, b])).toEqual({ x: 1400, y: 100, width: 600, height: 400 })
  })
})
