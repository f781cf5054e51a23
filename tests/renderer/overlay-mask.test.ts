import { describe, expect, it } from 'vitest'
import { CHIP_HEIGHT_CSS, CHIP_WIDTH_CSS, overlayMasks, ownWindowMask } from '../../src/renderer/src/lib/overlay-mask'

describe('overlay label masks', () => {
  it('covers the chip above a face, in frame pixels of a 2x capture', () => {
    const [mask] = overlayMasks([{ x: 400, y: 300, width: 120, height: 120 }], 2, 3840, 2160)
    expect(mask).toEqual({ x: 400, y: 300 - CHIP_HEIGHT_CSS * 2, width: CHIP_WIDTH_CSS * 2, height: CHIP_HEIGHT_CSS * 2 })
  })

  it('puts the chip below a face at the top edge, and never covers the face itself', () => {
    const face = { x: 10, y: 5, width: 80, height: 80 }
    const [mask] = overlayMasks([face], 1, 640, 360)
    expect(mask!.y).toBe(face.y + face.height)
    expect(mask!.y >= face.y + face.height || mask!.y + mask!.height <= face.y).toBe(true)
  })

  it('clips to the frame', () => {
    const [mask] = overlayMasks([{ x: 600, y: 100, width: 30, height: 30 }], 1, 640, 360)
    expect(mask!.x + mask!.width).toBe(640)
  })
})

describe('the app window mask', () => {
  it('maps the window from desktop DIP into a 2x screen capture of a second display', () => {
    // Display at (1920, 0) DIP, captured at 3840 px wide for its 1920 DIP: 2 frame px per DIP.
    const mask = ownWindowMask({ x: 2020, y: 100, width: 800, height: 600 }, { x: 1920, y: 0 }, 2, 3840, 2160)
    expect(mask).toEqual({ x: 200, y: 200, width: 1600, height: 1200 })
  })

  it('clips to the frame, measured from a region’s origin', () => {
    const mask = ownWindowMask({ x: 0, y: 0, width: 500, height: 400 }, { x: 300, y: 200 }, 1, 1000, 600)
    expect(mask).toEqual({ x: 0, y: 0, width: 200, height: 200 })
  })

  it('is null for a window on another display or outside the region', () => {
    expect(ownWindowMask({ x: -1200, y: 0, width: 800, height: 600 }, { x: 0, y: 0 }, 1, 1920, 1080)).toBeNull()
    expect(ownWindowMask({ x: 0, y: 700, width: 300, height: 300 }, { x: 0, y: 0 }, 1, 1920, 600)).toBeNull()
  })
})
