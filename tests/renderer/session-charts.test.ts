import { describe, expect, it } from 'vitest'
import { EMOTION_COLORS, EMOTIONS } from '../../src/shared/emotions'
import { summarise, type TimelinePoint } from '../../src/shared/session-summary'
import { formatTime, renderSvg, summarySpec, timelineRows, timelineSpec } from '../../src/renderer/src/lib/session-charts'

const point = (t: number, happy: number): TimelinePoint => ({ t, tEnd: t, faceId: 1, probabilities: EMOTIONS.map((e) => (e === 'happy' ? happy : e === 'neutral' ? 1 - happy : 0)) })

describe('timeline chart', () => {
  it('averages long sessions into at most maxPoints rows and breaks the lines in a gap', () => {
    const points = [...Array.from({ length: 1000 }, (_, i) => point(i * 10, 0.5)), point(20_000, 1)]
    const rows = timelineRows(points, 1000, 100)
    expect(rows.length).toBeLessThanOrEqual(103)
    const gap = rows.find((r) => r.happy === null)
    expect(gap?.t).toBeCloseTo((9990 + 20_000) / 2000, 5)
    expect(rows.at(-1)?.happy).toBe(1)
    expect(rows[0]?.happy).toBeCloseTo(0.5, 10)
  })

  it('formats hover times as m:ss.s', () => {
    expect(formatTime(0)).toBe('0:00.0')
    expect(formatTime(75_250)).toBe('1:15.3')
  })

  it('renders through the CSP-safe interpreter with the overlay colours', async () => {
    const rows = timelineRows([point(0, 0.2), point(500, 0.9), point(1000, 0.4)], 1000)
    const svg = await renderSvg(timelineSpec(rows, 'Face 1'))
    expect(svg.startsWith('<svg')).toBe(true)
    for (const e of EMOTIONS) expect(svg.toLowerCase()).toContain(EMOTION_COLORS[e].toLowerCase())
    expect(svg).toContain('Face 1')
  })

  it('renders the summary bars for every face and the call', async () => {
    const samples = [0, 100, 200].map((t) => ({ t, faceId: 3, label: 'sad', smoothedLabel: 'sad', probabilities: EMOTIONS.map((e) => (e === 'sad' ? 1 : 0)) }))
    const svg = await renderSvg(summarySpec(summarise(samples), { '3': 'Ada' }))
    expect(svg).toContain('Whole call')
    expect(svg).toContain('Ada (face 3)')
  })
})
