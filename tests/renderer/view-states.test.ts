import { describe, expect, it } from 'vitest'
import { idlePreviewHint, isVideoFile, liveStatusText, noFacesText } from '../../src/renderer/src/lib/view-states'

describe('what each state says', () => {
  it('says Paused while paused, never Recording or "No face in view"', () => {
    expect(liveStatusText('running', true)).toBe('Paused')
    expect(liveStatusText('running', false)).toBe('Recording')
    expect(liveStatusText('idle', false)).toBe('Stopped')
    expect(noFacesText('running', true)).toMatch(/^Paused/)
    expect(noFacesText('running', true)).not.toMatch(/no face in view/i)
    expect(noFacesText('running', false)).toBe('No face in view')
    expect(noFacesText('idle', false)).toBe('Not running')
  })

  it('names the selected kind of source in the idle preview, and never asks for a camera while a screen is selected', () => {
    for (const kind of ['screen', 'window', 'region'] as const) {
      expect(idlePreviewHint(kind, true)).not.toMatch(/camera/i)
      expect(idlePreviewHint(kind, true)).toMatch(/Start/)
    }
    expect(idlePreviewHint('screen', true)).toMatch(/^Screen selected/)
    expect(idlePreviewHint('window', true)).toMatch(/^Window selected/)
    expect(idlePreviewHint('webcam', true)).toMatch(/^Camera selected/)
    expect(idlePreviewHint('screen', false)).toMatch(/Pick a model/)
    expect(idlePreviewHint(null, true)).toMatch(/No camera or screen found/)
  })

  it('takes videos by type, or by name when the system gives no type, and refuses other files', () => {
    expect(isVideoFile('call.mp4', 'video/mp4')).toBe(true)
    expect(isVideoFile('call.MKV', '')).toBe(true)
    expect(isVideoFile('notes.txt', 'text/plain')).toBe(false)
    expect(isVideoFile('photo.png', 'image/png')).toBe(false)
    // A type wins over a misleading name.
    expect(isVideoFile('fake.mp4', 'text/plain')).toBe(false)
    expect(isVideoFile('archive', '')).toBe(false)
  })
})
