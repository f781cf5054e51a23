/**
 * Pure geometry between a captured frame and the desktop. Three coordinate spaces meet here:
 *  - frame pixels: the video frame the detector sees (physical pixels, possibly downscaled by the
 *    capturer, and for a region the crop of a screen frame);
 *  - desktop DIP: Electron's global screen coordinates (display bounds, window bounds), where a
 *    display of scale factor s shows s physical pixels per DIP;
 *  - overlay DIP: CSS pixels inside the overlay window, whose origin is the overlay's top-left.
 * Nothing here imports Electron or the DOM, so main, renderer and tests share one implementation.
 */
import type { Box } from './ipc'

/** One monitor as Electron's screen module describes it: bounds in desktop DIP. */
export interface DisplayLayout {
  id: string
  bounds: Box
  scaleFactor: number
}

/** What part of the desktop a capture shows, in desktop DIP. */
export type CaptureArea =
  | { kind: 'screen'; display: DisplayLayout }
  /** A screen capture cropped to `region` (desktop DIP, inside `display`). */
  | { kind: 'region'; display: DisplayLayout; region: Box }
  /** A window capture; `bounds` follow the window as it moves. */
  | { kind: 'window'; bounds: Box }

/** desktop = origin + frame × scale, per axis. */
export interface FrameTransform {
  scaleX: number
  scaleY: number
  originX: number
  originY: number
}

function intersect(a: Box, b: Box): Box | null {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const right = Math.min(a.x + a.width, b.x + b.width)
  const bottom = Math.min(a.y + a.height, b.y + b.height)
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null
}

/** The display holding the largest part of `rect` (ties: the first listed), or null when it is on none. */
export function displayForRect(rect: Box, displays: readonly DisplayLayout[]): DisplayLayout | null {
  let best: DisplayLayout | null = null
  let bestArea = 0
  for (const display of displays) {
    const overlap = intersect(rect, display.bounds)
    const area = overlap ? overlap.width * overlap.height : 0
    if (area > bestArea) {
      best = display
      bestArea = area
    }
  }
  return best
}

/**
 * A dragged region as one screen capture can show it: a region straddling a monitor edge is clipped
 * to the monitor holding most of it, because one capture stream shows one monitor. Null when the
 * region lies on no monitor or is empty.
 */
export function regionArea(region: Box, displays: readonly DisplayLayout[]): Extract<CaptureArea, { kind: 'region' }> | null {
  const normalised = normaliseRect(region)
  const display = displayForRect(normalised, displays)
  if (!display) return null
  const clipped = intersect(normalised, display.bounds)
  return clipped ? { kind: 'region', display, region: clipped } : null
}

/** A rectangle with non-negative width and height (a drag may go up or left). */
export function normaliseRect(rect: Box): Box {
  const x = rect.width < 0 ? rect.x + rect.width : rect.x
  const y = rect.height < 0 ? rect.y + rect.height : rect.y
  return { x, y, width: Math.abs(rect.width), height: Math.abs(rect.height) }
}

/**
 * The pixels of a screen frame (sourceWidth × sourceHeight, the whole display) that show `region`,
 * rounded outwards to whole pixels and kept inside the frame. The frame size is read from the
 * stream, not computed from the scale factor, because capturers may deliver a downscaled frame.
 */
export function regionCrop(display: DisplayLayout, region: Box, sourceWidth: number, sourceHeight: number): Box {
  const sx = sourceWidth / display.bounds.width
  const sy = sourceHeight / display.bounds.height
  const left = Math.max(0, Math.floor((region.x - display.bounds.x) * sx + 1e-6))
  const top = Math.max(0, Math.floor((region.y - display.bounds.y) * sy + 1e-6))
  const right = Math.min(sourceWidth, Math.ceil((region.x + region.width - display.bounds.x) * sx - 1e-6))
  const bottom = Math.min(sourceHeight, Math.ceil((region.y + region.height - display.bounds.y) * sy - 1e-6))
  return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) }
}

/**
 * How pixels of the analysed frame map to desktop DIP. `sourceWidth` × `sourceHeight` is the size of
 * the stream's frames (for a region: of the whole screen frame, before cropping).
 */
export function frameTransform(area: CaptureArea, sourceWidth: number, sourceHeight: number): FrameTransform {
  if (sourceWidth <= 0 || sourceHeight <= 0) throw new RangeError(`frame size must be positive, got ${sourceWidth}x${sourceHeight}`)
  if (area.kind === 'window') {
    return { scaleX: area.bounds.width / sourceWidth, scaleY: area.bounds.height / sourceHeight, originX: area.bounds.x, originY: area.bounds.y }
  }
  const { bounds } = area.display
  const scaleX = bounds.width / sourceWidth
  const scaleY = bounds.height / sourceHeight
  if (area.kind === 'screen') return { scaleX, scaleY, originX: bounds.x, originY: bounds.y }
  // The analysed frame is the crop, so its pixel (0,0) is the crop's top-left in the screen frame.
  const crop = regionCrop(area.display, area.region, sourceWidth, sourceHeight)
  return { scaleX, scaleY, originX: bounds.x + crop.x * scaleX, originY: bounds.y + crop.y * scaleY }
}

/** Where the overlay window goes, in desktop DIP: over the display, the region or the window. */
export function overlayBounds(area: CaptureArea): Box {
  const rect = area.kind === 'screen' ? area.display.bounds : area.kind === 'region' ? area.region : area.bounds
  // BrowserWindow.setBounds takes integers; round outwards so the overlay covers the whole area.
  const x = Math.floor(rect.x)
  const y = Math.floor(rect.y)
  return { x, y, width: Math.ceil(rect.x + rect.width) - x, height: Math.ceil(rect.y + rect.height) - y }
}

/** Maps a box from frame pixels to desktop DIP. */
export function frameToDesktop(box: Box, t: FrameTransform): Box {
  return { x: t.originX + box.x * t.scaleX, y: t.originY + box.y * t.scaleY, width: box.width * t.scaleX, height: box.height * t.scaleY }
}

/** Maps a box from frame pixels to CSS pixels of an overlay window placed at `overlay` (desktop DIP). */
export function frameToOverlay(box: Box, t: FrameTransform, overlay: Box): Box {
  const d = frameToDesktop(box, t)
  return { x: d.x - overlay.x, y: d.y - overlay.y, width: d.width, height: d.height }
}

/**
 * Converts a rectangle in physical screen pixels (X11 and the get-windows library report those) to
 * desktop DIP. On Linux Electron scales the whole desktop by one factor, so each display's physical
 * origin is its DIP origin times its scale factor. Windows has per-monitor DPI with gaps that this
 * cannot reconstruct: main uses screen.screenToDipRect there instead.
 */
export function physicalToDip(rect: Box, displays: readonly DisplayLayout[]): Box {
  const cx = rect.x + rect.width / 2
  const cy = rect.y + rect.height / 2
  const physical = (d: DisplayLayout): Box => ({
    x: d.bounds.x * d.scaleFactor,
    y: d.bounds.y * d.scaleFactor,
    width: d.bounds.width * d.scaleFactor,
    height: d.bounds.height * d.scaleFactor
  })
  const contains = (r: Box): boolean => cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height
  const display = displays.find((d) => contains(physical(d))) ?? displays.find((d) => d.bounds.x === 0 && d.bounds.y === 0) ?? displays[0]
  const s = display?.scaleFactor ?? 1
  return { x: rect.x / s, y: rect.y / s, width: rect.width / s, height: rect.height / s }
}
