import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DisplayLayout } from '../../../src/shared/capture-geometry'
import type { Box } from '../../../src/shared/ipc'
import { WindowFollower, type WindowFollowerHost } from '../../../src/main/capture/window-follower'

const displays: DisplayLayout[] = [{ id: '1', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }]
const box = (x: number, y: number): Box => ({ x, y, width: 800, height: 600 })
const minimised: Box = { x: -32000, y: -32000, width: 160, height: 28 }

/** A host whose window bounds the test sets, recording every call the follower makes. */
function fakeWindow(initial: Box | undefined | Error) {
  let seen = initial
  const calls: unknown[][] = []
  const reads = { count: 0 }
  const host: WindowFollowerHost = {
    readBounds: async () => {
      reads.count++
      if (seen instanceof Error) throw seen
      return seen
    },
    displays: () => displays,
    place: (bounds, reveal) => void calls.push(['place', bounds, reveal]),
    conceal: () => void calls.push(['conceal']),
    closed: () => void calls.push(['closed']),
    phaseChanged: (phase, message) => void calls.push(message === undefined ? ['phase', phase] : ['phase', phase, message])
  }
  return { host, calls, reads, set: (next: Box | undefined | Error) => void (seen = next) }
}

describe('WindowFollower', () => {
  afterEach(() => vi.useRealTimers())

  it('shows over the first bounds, moves with the window and stays quiet while it does not move', async () => {
    const w = fakeWindow(box(100, 100))
    const follower = new WindowFollower(w.host, { intervalMs: 60_000, missesBeforeClosed: 3 })
    follower.start(box(100, 100))
    expect(w.calls).toEqual([
      ['place', box(100, 100), true],
      ['phase', 'following']
    ])
    await follower.poll()
    expect(w.calls).toHaveLength(2)
    w.set(box(300, 200))
    await follower.poll()
    expect(w.calls.at(-1)).toEqual(['place', box(300, 200), false])
    expect(follower.phase()).toBe('following')
    follower.stop()
  })

  it('conceals while minimised, reveals on restore, and reports each phase change once', async () => {
    const w = fakeWindow(minimised)
    const follower = new WindowFollower(w.host, { intervalMs: 60_000, missesBeforeClosed: 3 })
    follower.start(box(100, 100))
    await follower.poll()
    await follower.poll()
    expect(follower.phase()).toBe('hidden')
    w.set(box(100, 100))
    await follower.poll()
    expect(w.calls.slice(2)).toEqual([['conceal'], ['phase', 'hidden'], ['place', box(100, 100), true], ['phase', 'following']])
    follower.stop()
  })

  it('says the window closed after enough misses and stops itself', async () => {
    const w = fakeWindow(undefined)
    const follower = new WindowFollower(w.host, { intervalMs: 60_000, missesBeforeClosed: 2 })
    follower.start(box(100, 100))
    await follower.poll()
    await follower.poll()
    expect(w.calls.slice(2)).toEqual([['conceal'], ['phase', 'hidden'], ['closed']])
    await follower.poll()
    expect(w.reads.count).toBe(2)
  })

  it('reports unreadable bounds with the reason and polls no more', async () => {
    vi.useFakeTimers()
    const w = fakeWindow(new Error('no X11 here'))
    const follower = new WindowFollower(w.host, { intervalMs: 250, missesBeforeClosed: 3 })
    follower.start(box(100, 100))
    await vi.advanceTimersByTimeAsync(250)
    expect(w.calls.at(-1)).toEqual(['phase', 'unavailable', 'no X11 here'])
    await vi.advanceTimersByTimeAsync(2_500)
    expect(w.reads.count).toBe(1)
    follower.stop()
  })

  it('polls on its timer, waits for the window when it is not listed yet, and stops when told', async () => {
    vi.useFakeTimers()
    const w = fakeWindow(undefined)
    const follower = new WindowFollower(w.host, { intervalMs: 250, missesBeforeClosed: 99 })
    follower.start()
    expect(w.calls).toEqual([])
    await vi.advanceTimersByTimeAsync(750)
    expect(w.reads.count).toBe(3)
    expect(follower.phase()).toBe('waiting')
    w.set(box(10, 20))
    await vi.advanceTimersByTimeAsync(250)
    expect(w.calls).toEqual([
      ['place', box(10, 20), true],
      ['phase', 'following']
    ])
    follower.stop()
    await vi.advanceTimersByTimeAsync(2_500)
    expect(w.reads.count).toBe(4)
  })

  it('ignores a poll that answers after stop, and runs one poll at a time', async () => {
    let answer: (b: Box | undefined) => void = () => undefined
    const w = fakeWindow(undefined)
    let reads = 0
    w.host.readBounds = () => {
      reads++
      return new Promise((resolve) => (answer = resolve))
    }
    const follower = new WindowFollower(w.host, { intervalMs: 60_000, missesBeforeClosed: 3 })
    follower.start()
    const first = follower.poll()
    void follower.poll()
    expect(reads).toBe(1)
    follower.stop()
    answer(box(100, 100))
    await first
    expect(w.calls).toEqual([])
  })
})
