import { describe, expect, it } from 'vitest'
import type { DisplayLayout } from '../../../src/shared/capture-geometry'
import { followStep, INITIAL_FOLLOW_STATE, looksMinimised, type FollowObservation, type FollowState } from '../../../src/main/capture/window-follow'

const displays: DisplayLayout[] = [{ id: '1', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }]
const options = { missesBeforeClosed: 3, displays }

function run(observations: FollowObservation[], from: FollowState = INITIAL_FOLLOW_STATE) {
  let state = from
  const actions = []
  for (const seen of observations) {
    const step = followStep(state, seen, options)
    state = step.state
    actions.push(step.actions)
  }
  return { state, actions }
}

const at = (x: number, y: number, width = 800, height = 600): FollowObservation => ({ kind: 'bounds', bounds: { x, y, width, height } })

describe('window follow', () => {
  it('shows the overlay over the window when it is first seen', () => {
    const { state, actions } = run([at(100, 100)])
    expect(state.phase).toBe('following')
    expect(actions[0]).toEqual([{ type: 'show', bounds: { x: 100, y: 100, width: 800, height: 600 } }])
  })

  it('moves with the window and stays quiet while it does not move', () => {
    const { actions } = run([at(100, 100), at(100, 100), at(300, 120)])
    expect(actions[1]).toEqual([])
    expect(actions[2]).toEqual([{ type: 'move', bounds: { x: 300, y: 120, width: 800, height: 600 } }])
  })

  it('resizes with the window', () => {
    const { actions } = run([at(100, 100), at(100, 100, 1280, 720)])
    expect(actions[1]).toEqual([{ type: 'move', bounds: { x: 100, y: 100, width: 1280, height: 720 } }])
  })

  it('hides while minimised (Windows parks it at -32000) and shows again when restored', () => {
    const { state, actions } = run([at(100, 100), at(-32000, -32000, 160, 28), at(-32000, -32000, 160, 28), at(100, 100)])
    expect(actions[1]).toEqual([{ type: 'hide', reason: 'minimised' }])
    expect(actions[2]).toEqual([])
    expect(actions[3]).toEqual([{ type: 'show', bounds: { x: 100, y: 100, width: 800, height: 600 } }])
    expect(state.phase).toBe('following')
  })

  it('treats zero-size or off-screen bounds as minimised', () => {
    expect(looksMinimised({ x: 10, y: 10, width: 0, height: 0 }, displays)).toBe(true)
    expect(looksMinimised({ x: 5000, y: 10, width: 100, height: 100 }, displays)).toBe(true)
    expect(looksMinimised({ x: -50, y: 10, width: 100, height: 100 }, displays)).toBe(false)
  })

  it('reports closed after several polls without the window, and hides meanwhile', () => {
    const { state, actions } = run([at(100, 100), { kind: 'missing' }, { kind: 'missing' }, { kind: 'missing' }])
    expect(actions[1]).toEqual([{ type: 'hide', reason: 'missing' }])
    expect(actions[2]).toEqual([])
    expect(actions[3]).toEqual([{ type: 'closed' }])
    expect(state.phase).toBe('closed')
    // Closed is final.
    expect(followStep(state, at(100, 100), options).actions).toEqual([])
  })

  it('forgives a single missed poll', () => {
    const { state, actions } = run([at(100, 100), { kind: 'missing' }, at(100, 100)])
    expect(actions[2]).toEqual([{ type: 'show', bounds: { x: 100, y: 100, width: 800, height: 600 } }])
    expect(state.misses).toBe(0)
  })

  it('says bounds are unavailable when the reader fails, and stops there', () => {
    const { state, actions } = run([{ kind: 'error', message: 'Wayland' }, at(1, 1)])
    expect(actions[0]).toEqual([{ type: 'unavailable', message: 'Wayland' }])
    expect(actions[1]).toEqual([])
    expect(state.phase).toBe('unavailable')
  })
})
