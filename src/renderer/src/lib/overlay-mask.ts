import type { Box } from '../../../shared/ipc'

/**
 * Where the overlay window is NOT excluded from capture (Linux: setContentProtection does nothing
 * there), its labels appear in the next captured frames. The overlay draws nothing inside a face
 * box except 2 px corner marks; its label chip sits just above the box (below it at the top edge).
 * Before detection, the pipeline paints those chip areas neutral grey in the frozen frame, so the
 * detector and the FER crops never see our own text.
 */

/** Label chip size in overlay CSS pixels (Overlay.svelte: 12 px bold text, 2 px + 5 px padding). */
export const CHIP_HEIGHT_CSS = 20
/** Generous chip width: "Face 12: surprise 100%" at 12 px bold is about 150 CSS px. */
export const CHIP_WIDTH_CSS = 170

/**
 * The frame-pixel rectangles the overlay's chips cover for faces at `boxes` (frame pixels).
 * `framePxPerCss` is frame pixels per overlay CSS pixel (for a screen capture: frame width over
 * the display's DIP width). Rectangles are clipped to the frame.
 */
export function overlayMasks(boxes: readonly Box[], framePxPerCss: number, frameWidth: number, frameHeight: number): Box[] {
  const h = CHIP_HEIGHT_CSS * framePxPerCss
  const w = CHIP_WIDTH_CSS * framePxPerCss
  const out: Box[] = []
  for (const box of boxes) {
    // Mirrors Overlay.svelte: the chip goes below the box when there is no room above it.
    const above = box.y / framePxPerCss >= CHIP_HEIGHT_CSS + 2
    const y = above ? box.y - h : box.y + box.height
    const x = Math.max(0, box.x)
    const right = Math.min(frameWidth, x + Math.max(w, box.width))
    const top = Math.max(0, y)
    const bottom = Math.min(frameHeight, y + h)
    if (right > x && bottom > top) out.push({ x, y: top, width: right - x, height: bottom - top })
  }
  return out
}

/**
 * Where a screen or region capture shows the app's own window (its preview of the capture, its
 * face list and panel, all changing every frame), the frame-pixel rectangle that window covers,
 * clipped to the frame; null where it is not in the frame. Painted grey like the chips: the
 * detector must not find the preview's faces a second time, and our own window changing must not
 * count as the captured picture changing (detect-track.ts rescans on change).
 * `windowDip` is the window's outer rectangle in desktop DIP; `frameOriginDip` is where the frame
 * starts in desktop DIP (the display's origin for a screen, the region's for a region).
 */
export function ownWindowMask(windowDip: Box, frameOriginDip: { x: number; y: number }, framePxPerCss: number, frameWidth: number, frameHeight: number): Box | null {
  const x = Math.max(0, (windowDip.x - frameOriginDip.x) * framePxPerCss)
  const y = Math.max(0, (windowDip.y - frameOriginDip.y) * framePxPerCss)
  const right = Math.min(frameWidth, (windowDip.x + windowDip.width - frameOriginDip.x) * framePxPerCss)
  const bottom = Math.min(frameHeight, (windowDip.y + windowDip.height - frameOriginDip.y) * framePxPerCss)
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null
}
