import { describe, expect, it } from 'vitest'
import { CHIP_HEIGHT_CSS, CHIP_WIDTH_CSS, overlayMasks } from '../../src/renderer/src/lib/overlay-mask'

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
