import { describe, expect, it } from 'vitest'
import { radioStep, tabStop } from '../../src/renderer/src/lib/radio-keys'

describe('radiogroup keys', () => {
  const ids = ['screen:1', 'window:2', 'region']

  it('moves with the arrow keys, wrapping round, and jumps with Home and End', () => {
    expect(radioStep(ids, 'screen:1', 'ArrowRight')).toBe('window:2')
    expect(radioStep(ids, 'screen:1', 'ArrowDown')).toBe('window:2')
    expect(radioStep(ids, 'region', 'ArrowRight')).toBe('screen:1')
    expect(radioStep(ids, 'screen:1', 'ArrowLeft')).toBe('region')
    expect(radioStep(ids, 'window:2', 'ArrowUp')).toBe('screen:1')
    expect(radioStep(ids, 'window:2', 'Home')).toBe('screen:1')
    expect(radioStep(ids, 'screen:1', 'End')).toBe('region')
  })

  it('ignores other keys and empty groups', () => {
    expect(radioStep(ids, 'screen:1', 'Tab')).toBeNull()
    expect(radioStep(ids, 'screen:1', ' ')).toBeNull()
    expect(radioStep([], null, 'ArrowRight')).toBeNull()
  })

  it('keeps exactly one radio in the tab order: the checked one, else the first', () => {
    expect(tabStop(ids, 'window:2')).toBe('window:2')
    expect(tabStop(ids, 'webcam:x')).toBe('screen:1')
    expect(tabStop(ids, null)).toBe('screen:1')
    expect(tabStop([], null)).toBeNull()
  })
})
