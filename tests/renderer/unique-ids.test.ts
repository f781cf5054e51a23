import { describe, expect, it } from 'vitest'
import { EXTRA_VIEWS_PER_FRAME, extraViewsDue, framesToLearn, MAX_VIEWS_PER_FACE, REDESCRIBE_EVERY, uniqueIds } from '../../src/renderer/src/lib/identity-gallery'

describe('uniqueIds', () => {
  it('lets a track that keeps its own id claim it before a returning face that wants the same id', () => {
    // Track 12 was re-identified as 10 while track 10 is still in view: 10 stays 10, 12 keeps its own id.
    const ids = uniqueIds([
      { track: 12, wanted: 10 },
      { track: 10, wanted: 10 }
    ])
    expect(ids).toEqual(
      new Map([
        [10, 10],
        [12, 12]
      ])
    )
  })

  it('takes a fresh id when both the wanted and the own id are taken', () => {
    const ids = uniqueIds([
      { track: 12, wanted: 10 },
      { track: 10, wanted: 7 },
      { track: 7, wanted: 7 }
    ])
    expect(ids.get(7)).toBe(7)
    expect(ids.get(12)).toBe(10)
    expect(ids.get(10)).toBe(13)
  })

  it('never gives two tracks of a frame the same id', () => {
    let seed = 7
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let round = 0; round < 500; round++) {
      const tracks = Array.from({ length: 1 + next(12) }, (_, i) => ({ track: 20 + i * (1 + next(3)), wanted: next(3) === 0 ? 20 + next(30) : -1 }))
      const unique = [...new Map(tracks.map((t) => [t.track, { track: t.track, wanted: t.wanted < 0 ? t.track : t.wanted }])).values()]
      const ids = uniqueIds(unique)
      expect(ids.size).toBe(unique.length)
      expect(new Set(ids.values()).size).toBe(unique.length)
    }
  })
})

describe('extraViewsDue', () => {
  const c = (trackId: number, seen: number, describedAt: number) => ({ trackId, seen, describedAt })

  it('takes one further view a frame, the most overdue first, never one before REDESCRIBE_EVERY frames', () => {
    expect(extraViewsDue([])).toEqual([])
    expect(extraViewsDue([c(1, REDESCRIBE_EVERY, 1), c(2, 5, 0)])).toEqual([])
    expect(extraViewsDue([c(1, 11, 1), c(2, 30, 10), c(3, 12, 1)])).toEqual([2])
    expect(EXTRA_VIEWS_PER_FRAME).toBe(1)
  })

  it('spreads the views of faces that appeared together over consecutive frames instead of one frame', () => {
    // 25 faces seen from frame 1, each described then; simulate frames and count descriptions per frame.
    const describedAt = new Map<number, number>(Array.from({ length: 25 }, (_, i) => [i, 1]))
    const views = new Map<number, number>(Array.from({ length: 25 }, (_, i) => [i, 1]))
    let most = 0
    let frame = 1
    while ([...views.values()].some((v) => v < MAX_VIEWS_PER_FACE)) {
      frame++
      const due = extraViewsDue([...views].filter(([, v]) => v < MAX_VIEWS_PER_FACE).map(([id]) => c(id, frame, describedAt.get(id) as number)))
      most = Math.max(most, due.length)
      for (const id of due) {
        describedAt.set(id, frame)
        views.set(id, (views.get(id) as number) + 1)
      }
    }
    expect(most).toBe(1)
    expect(frame).toBeLessThanOrEqual(framesToLearn(25))
  })
})
