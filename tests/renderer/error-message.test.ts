import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../src/renderer/src/lib/error-message'

describe('errorMessage', () => {
  it('strips the Electron IPC prefix but keeps the code and message', () => {
    expect(errorMessage(new Error("Error invoking remote method 'inference:classify': Error: [unknown-model] no model 'x'"))).toBe(
      "[unknown-model] no model 'x'"
    )
  })

  it('passes plain errors, strings and other values through readably', () => {
    expect(errorMessage(new Error('camera busy'))).toBe('camera busy')
    expect(errorMessage('NotAllowedError')).toBe('NotAllowedError')
    expect(errorMessage({ code: 1 })).toBe('{"code":1}')
    expect(errorMessage(new Error(''))).toBe('Unknown error')
    expect(errorMessage(undefined)).toBe('undefined')
  })

  it('keeps the name of DOM exceptions such as a refused camera', () => {
    const denied = new Error('Permission denied')
    denied.name = 'NotAllowedError'
    expect(errorMessage(denied)).toBe('NotAllowedError: Permission denied')
  })
})
