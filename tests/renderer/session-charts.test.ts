import { describe, expect, it } from 'vitest'
import { EMOTION_COLORS, EMOTIONS } from '../../src/shared/emotions'
import { summarise, type TimelinePoint } from '../../src/shared/session-summary'
import { formatTime, renderSvg, summarySpec, summaryTableRows, timelineRows, timelineSpec } from '../../src/renderer/src/lib/session-charts'

const point = (t: number, happy: number): TimelinePoint => ({ t, tEnd: t, faceId: 1, probabilities: EMOTIONS.map((e) => (e === 'happy' ? happy : e === 'neutral' ? 1 - happy : 0)) })

describe('summary table', () => {
  it("shows the call by its duration with the faces' added times as face-time, and no face longer than the call", () => {
    // Three faces in view for the whole 20.8 s call at 1.4 labelled frames a second.
    const rows = [1, 2, 3].flatMap((faceId) => [...Array.from({ length: 30 }, (_, i) => i * 700), 20_800].map((t) => ({ t, faceId, label: 'happy', smoothedLabel: 'happy', probabilities: EMOTIONS.map((e) => (e === 'happy' ? 1 : 0)) })))
    const table = summaryTableRows(summarise(rows), { '2': 'Ada' })
    expect(table[0]).toMatchObject({ who: 'Whole call', time: '0:20.8', faceTime: '1:02.4' })
    expect(table.slice(1).map((r) => [r.who, r.time, r.faceTime])).toEqual([
      ['Face 1', '0:20.8', null],
      ['Ada (face 2)', '0:20.8', null],
      ['Face 3', '0:20.8', null]
    ])
  })
})

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

  it('uses one duration format from tenths to hours, rounding once', () => {
    expect(formatTime(59_960)).toBe('1:00.0')
    expect(formatTime(3_599_949)).toBe('59:59.9')
    expect(formatTime(3_723_400)).toBe('1:02:03.4')
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
