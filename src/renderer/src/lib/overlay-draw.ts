import type { Box } from '../../../shared/ipc'
import { EMOTION_COLORS, type Emotion } from '../../../shared/emotions'

/** Where a source frame lands inside a display area under object-fit: contain. */
export interface ContainFit {
  /** Display pixels per source pixel (same on both axes). */
  scale: number
  /** Letterbox offsets in display pixels. */
  offsetX: number
  offsetY: number
}

/** The letterbox transform object-fit: contain applies to a srcWidth × srcHeight frame in a dstWidth × dstHeight box. */
export function containFit(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): ContainFit {
  if (srcWidth <= 0 || srcHeight <= 0 || dstWidth <= 0 || dstHeight <= 0) return { scale: 0, offsetX: 0, offsetY: 0 }
  const scale = Math.min(dstWidth / srcWidth, dstHeight / srcHeight)
  return { scale, offsetX: (dstWidth - srcWidth * scale) / 2, offsetY: (dstHeight - srcHeight * scale) / 2 }
}

/** Maps a box from source pixels to display pixels. */
export function toDisplay(box: Box, fit: ContainFit): Box {
  return {
    x: fit.offsetX + box.x * fit.scale,
    y: fit.offsetY + box.y * fit.scale,
    width: box.width * fit.scale,
    height: box.height * fit.scale
  }
}

/** Colour of an emotion label; unknown labels (a future model's extra class) get a neutral white. */
export function emotionColor(label: string): string {
  return (EMOTION_COLORS as Record<string, string>)[label as Emotion] ?? '#ffffff'
}

/** Text colour that stays readable on a label background `hex` (#rrggbb): dark on light colours, white on dark ones. */
export function labelTextColor(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) return '#111315'
  const [r, g, b] = m.slice(1).map((c) => parseInt(c, 16) / 255)
  // BT.601 luma is close enough to perceived brightness for choosing between black and white.
  return 0.299 * r + 0.587 * g + 0.114 * b > 0.5 ? '#111315' : '#ffffff'
}

/** The text shown for a face, on the canvas and in the accessible list: "Face 3: happy 87%", or "Face 3" before it is classified. */
export function faceLabelText(faceId: number, label: string | null, confidence: number): string {
  return label ? `Face ${faceId}: ${label} ${Math.round(confidence * 100)}%` : `Face ${faceId}`
}

/**
 * Top-left corner of a label of the given size for a face box: above the box when it fits,
 * otherwise just inside its top edge; kept inside the canvas horizontally.
 */
export function labelOrigin(box: Box, labelWidth: number, labelHeight: number, canvasWidth: number): { x: number; y: number } {
  const y = box.y - labelHeight >= 0 ? box.y - labelHeight : box.y
  const x = Math.max(0, Math.min(box.x, canvasWidth - labelWidth))
  return { x, y }
}

/** One face as the overlay draws it. */
export interface OverlayFace {
  id: number
  /** Box in source pixels. */
  box: Box
  /** Smoothed top label, or null while the face has no result yet. */
  label: string | null
  confidence: number
}

/** The part of CanvasRenderingContext2D the overlay uses; lets tests record calls without a DOM. */
export type OverlayContext = Pick<
  CanvasRenderingContext2D,
  'clearRect' | 'strokeRect' | 'fillRect' | 'fillText' | 'measureText' | 'setTransform' | 'strokeStyle' | 'fillStyle' | 'lineWidth' | 'font' | 'textBaseline'
>

const LABEL_FONT_PX = 13
const LABEL_PAD_PX = 4

/**
 * Clears the overlay and draws each face's box and label. Coordinates are display (CSS) pixels;
 * `pixelRatio` scales the backing store so lines stay crisp on HiDPI screens.
 */
export function drawOverlay(
  ctx: OverlayContext,
  faces: readonly OverlayFace[],
  fit: ContainFit,
  displayWidth: number,
  displayHeight: number,
  pixelRatio = 1
): void {
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0)
  ctx.clearRect(0, 0, displayWidth, displayHeight)
  ctx.font = `600 ${LABEL_FONT_PX}px system-ui, sans-serif`
  ctx.textBaseline = 'top'
  for (const face of faces) {
    const box = toDisplay(face.box, fit)
    const color = face.label ? emotionColor(face.label) : '#ffffff'
    ctx.lineWidth = 2
    ctx.strokeStyle = color
    ctx.strokeRect(box.x, box.y, box.width, box.height)

    const text = faceLabelText(face.id, face.label, face.confidence)
    const w = ctx.measureText(text).width + LABEL_PAD_PX * 2
    const h = LABEL_FONT_PX + LABEL_PAD_PX * 2
    const at = labelOrigin(box, w, h, displayWidth)
    ctx.fillStyle = color
    ctx.fillRect(at.x, at.y, w, h)
    ctx.fillStyle = labelTextColor(color)
    ctx.fillText(text, at.x + LABEL_PAD_PX, at.y + LABEL_PAD_PX)
  }
}
