import { describe, expect, it } from 'vitest'
import { EMOTION_COLORS } from '../../src/shared/emotions'
import {
  containFit,
  drawOverlay,
  emotionColor,
  faceLabelText,
  labelOrigin,
  labelTextColor,
  toDisplay,
  type OverlayContext
} from '../../src/renderer/src/lib/overlay-draw'

describe('containFit', () => {
  it('fills a display of the same aspect ratio with no letterbox', () => {
    expect(containFit(1280, 720, 640, 360)).toEqual({ scale: 0.5, offsetX: 0, offsetY: 0 })
  })

  it('pillarboxes a 4:3 frame in a 16:9 display', () => {
    const fit = containFit(640, 480, 1280, 720)
    expect(fit.scale).toBe(1.5)
    expect(fit.offsetX).toBe(160)
    expect(fit.offsetY).toBe(0)
  })

  it('letterboxes a 16:9 frame in a 4:3 display', () => {
    const fit = containFit(1920, 1080, 800, 600)
    expect(fit.scale).toBeCloseTo(800 / 1920, 12)
    expect(fit.offsetX).toBe(0)
    expect(fit.offsetY).toBeCloseTo(75, 10)
  })

  it('letterboxes a portrait frame in a landscape display', () => {
    const fit = containFit(720, 1280, 1000, 500)
    expect(fit.scale).toBeCloseTo(500 / 1280, 12)
    expect(fit.offsetX).toBeCloseTo((1000 - 720 * (500 / 1280)) / 2, 10)
    expect(fit.offsetY).toBe(0)
  })

  it('upscales a small frame', () => {
    expect(containFit(320, 240, 960, 720)).toEqual({ scale: 3, offsetX: 0, offsetY: 0 })
  })

  it('returns a zero transform before the video or the element has a size', () => {
    expect(containFit(0, 0, 640, 360)).toEqual({ scale: 0, offsetX: 0, offsetY: 0 })
    expect(containFit(640, 360, 0, 0)).toEqual({ scale: 0, offsetX: 0, offsetY: 0 })
  })
})

describe('toDisplay', () => {
  it('maps frame corners onto the picture inside the letterbox', () => {
    const fit = containFit(640, 480, 1280, 720)
    expect(toDisplay({ x: 0, y: 0, width: 640, height: 480 }, fit)).toEqual({ x: 160, y: 0, width: 960, height: 720 })
    expect(toDisplay({ x: 100, y: 40, width: 60, height: 80 }, fit)).toEqual({ x: 310, y: 60, width: 90, height: 120 })
  })
})

describe('labels', () => {
  it('formats id, label and rounded percent, or just the face before a result', () => {
    expect(faceLabelText(1, 'happy', 0.874)).toBe('Face 1: happy 87%')
    expect(faceLabelText(12, 'sad', 1)).toBe('Face 12: sad 100%')
    expect(faceLabelText(3, null, 0)).toBe('Face 3')
  })

  it('colours each emotion from the shared palette and unknown labels white', () => {
    expect(emotionColor('angry')).toBe(EMOTION_COLORS.angry)
    expect(emotionColor('surprise')).toBe(EMOTION_COLORS.surprise)
    expect(emotionColor('contempt')).toBe('#ffffff')
  })

  it('uses dark text on light colours and white text on dark ones', () => {
    expect(labelTextColor(EMOTION_COLORS.happy)).toBe('#111315')
    expect(labelTextColor('#000000')).toBe('#ffffff')
    expect(labelTextColor(EMOTION_COLORS.sad)).toBe('#ffffff')
  })

  it('puts the label above the box, or inside its top when there is no room above, and inside the canvas', () => {
    expect(labelOrigin({ x: 100, y: 100, width: 50, height: 50 }, 80, 20, 640)).toEqual({ x: 100, y: 80 })
    expect(labelOrigin({ x: 100, y: 10, width: 50, height: 50 }, 80, 20, 640)).toEqual({ x: 100, y: 10 })
    expect(labelOrigin({ x: 600, y: 100, width: 40, height: 40 }, 80, 20, 640)).toEqual({ x: 560, y: 80 })
  })
})

describe('drawOverlay', () => {
  it('strokes each face box at display coordinates in its emotion colour and writes its label', () => {
    const calls: { op: string; args: unknown[]; style?: unknown }[] = []
    const ctx: Record<string, unknown> = {
      strokeStyle: '',
      fillStyle: '',
      lineWidth: 1,
      font: '',
      textBaseline: 'alphabetic',
      setTransform: (...args: unknown[]) => calls.push({ op: 'setTransform', args }),
      clearRect: (...args: unknown[]) => calls.push({ op: 'clearRect', args }),
      strokeRect: (...args: unknown[]) => calls.push({ op: 'strokeRect', args, style: ctx.strokeStyle }),
      fillRect: (...args: unknown[]) => calls.push({ op: 'fillRect', args }),
      fillText: (...args: unknown[]) => calls.push({ op: 'fillText', args }),
      measureText: (text: string) => ({ width: text.length * 7 })
    }
    const fit = containFit(640, 480, 1280, 720)
    drawOverlay(
      ctx as unknown as OverlayContext,
      [
        { id: 1, box: { x: 100, y: 40, width: 60, height: 80 }, label: 'happy', confidence: 0.9 },
        { id: 2, box: { x: 400, y: 200, width: 100, height: 100 }, label: 'angry', confidence: 0.51 }
      ],
      fit,
      1280,
      720,
      2
    )
    expect(calls[0]).toEqual({ op: 'setTransform', args: [2, 0, 0, 2, 0, 0] })
    expect(calls[1]).toEqual({ op: 'clearRect', args: [0, 0, 1280, 720] })
    const strokes = calls.filter((c) => c.op === 'strokeRect')
    expect(strokes).toEqual([
      { op: 'strokeRect', args: [310, 60, 90, 120], style: EMOTION_COLORS.happy },
      { op: 'strokeRect', args: [760, 300, 150, 150], style: EMOTION_COLORS.angry }
    ])
    expect(calls.filter((c) => c.op === 'fillText').map((c) => c.args[0])).toEqual(['Face 1: happy 90%', 'Face 2: angry 51%'])
  })
})
