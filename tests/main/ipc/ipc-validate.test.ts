import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/main/app/app-error'
import { validators, type ValidationContext } from '../../../src/main/ipc/ipc-validate'
import { IPC_LIMITS } from '../../../src/shared/ipc'

const sizes: Record<string, { width: number; height: number }> = {
  'gray-48': { width: 48, height: 48 },
  'gray-64': { width: 64, height: 64 }
}
const context: ValidationContext = { modelInput: (id) => sizes[id] }

const face = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  faceId: 1,
  box: { x: 10, y: 20, width: 100, height: 120 },
  width: 48,
  height: 48,
  pixels: new Uint8Array(48 * 48),
  ...overrides
})

const request = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  modelId: 'gray-48',
  frameIndex: 0,
  faces: [face()],
  ...overrides
})

function errorOf(run: () => unknown): AppError {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw new Error(`expected an AppError, got ${String(error)}`)
  }
  throw new Error('expected the validator to reject')
}

const classify = (arg: unknown): unknown => validators['inference:classify']([arg], context)

describe('inference:classify', () => {
  it('accepts a well-formed request and returns it typed', () => {
    const [valid] = validators['inference:classify']([request({ sessionId: '20261127-101010-abcdef' })], context)
    expect(valid.modelId).toBe('gray-48')
    expect(valid.faces).toHaveLength(1)
    expect(valid.sessionId).toBe('20261127-101010-abcdef')
  })

  it('accepts a Node Buffer as pixels and an empty face list', () => {
    expect(() => classify(request({ faces: [face({ pixels: Buffer.alloc(48 * 48) })] }))).not.toThrow()
    expect(() => classify(request({ faces: [] }))).not.toThrow()
  })

  it('answers unknown-model for a model id that does not exist', () => {
    expect(errorOf(() => classify(request({ modelId: 'nope' }))).code).toBe('unknown-model')
  })

  const malformed: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'request'],
    ['a number', 7],
    ['an array', [request()]],
    ['a Map', new Map()],
    ['a class instance', new (class Request {})()],
    ['missing modelId', (({ modelId: _m, ...rest }) => rest)(request())],
    ['missing faces', (({ faces: _f, ...rest }) => rest)(request())],
    ['missing frameIndex', (({ frameIndex: _i, ...rest }) => rest)(request())],
    ['numeric modelId', request({ modelId: 5 })],
    ['empty modelId', request({ modelId: '' })],
    ['huge modelId', request({ modelId: 'a'.repeat(1_000_000) })],
    ['path in modelId', request({ modelId: '../../etc/passwd' })],
    ['NaN frameIndex', request({ frameIndex: Number.NaN })],
    ['Infinity frameIndex', request({ frameIndex: Infinity })],
    ['negative frameIndex', request({ frameIndex: -1 })],
    ['fractional frameIndex', request({ frameIndex: 1.5 })],
    ['string frameIndex', request({ frameIndex: '1' })],
    ['faces not an array', request({ faces: { 0: face() } })],
    ['too many faces', request({ faces: Array.from({ length: IPC_LIMITS.maxFacesPerRequest + 1 }, (_, i) => face({ faceId: i })) })],
    ['duplicate face ids', request({ faces: [face(), face()] })],
    ['a null face', request({ faces: [null] })],
    ['pixels too short', request({ faces: [face({ pixels: new Uint8Array(48 * 48 - 1) })] })],
    ['pixels too long', request({ faces: [face({ pixels: new Uint8Array(48 * 48 + 1) })] })],
    ['pixels as a plain array', request({ faces: [face({ pixels: Array.from({ length: 48 * 48 }, () => 0) })] })],
    ['pixels as Float32Array', request({ faces: [face({ pixels: new Float32Array(48 * 48) })] })],
    ['pixels as Uint8ClampedArray', request({ faces: [face({ pixels: new Uint8ClampedArray(48 * 48) })] })],
    ['pixels as a string', request({ faces: [face({ pixels: 'x'.repeat(48 * 48) })] })],
    ['pixels as an ArrayBuffer', request({ faces: [face({ pixels: new ArrayBuffer(48 * 48) })] })],
    ['crop size not the model input', request({ faces: [face({ width: 64, height: 64, pixels: new Uint8Array(64 * 64) })] })],
    ['crop too large', request({ faces: [face({ width: 10_000, height: 10_000, pixels: new Uint8Array(4) })] })],
    ['zero crop', request({ faces: [face({ width: 0, height: 0, pixels: new Uint8Array(0) })] })],
    ['fractional crop width', request({ faces: [face({ width: 47.5 })] })],
    ['negative faceId', request({ faces: [face({ faceId: -3 })] })],
    ['string faceId', request({ faces: [face({ faceId: '1' })] })],
    ['missing box', request({ faces: [(({ box: _b, ...rest }) => rest)(face())] })],
    ['box not an object', request({ faces: [face({ box: [1, 2, 3, 4] })] })],
    ['NaN box', request({ faces: [face({ box: { x: Number.NaN, y: 0, width: 1, height: 1 } })] })],
    ['Infinity box', request({ faces: [face({ box: { x: 0, y: 0, width: Infinity, height: 1 } })] })],
    ['negative box size', request({ faces: [face({ box: { x: 0, y: 0, width: -5, height: 10 } })] })],
    ['zero box size', request({ faces: [face({ box: { x: 0, y: 0, width: 0, height: 10 } })] })],
    ['huge box', request({ faces: [face({ box: { x: 0, y: 0, width: 1e12, height: 10 } })] })],
    ['huge negative box origin', request({ faces: [face({ box: { x: -1e9, y: 0, width: 10, height: 10 } })] })],
    ['box with extra key', request({ faces: [face({ box: { x: 0, y: 0, width: 1, height: 1, z: 3 } })] })],
    ['face with extra key', request({ faces: [face({ label: 'happy' })] })],
    ['request with extra huge string', request({ note: 'x'.repeat(5_000_000) })],
    ['own __proto__ key', JSON.parse(`{"__proto__": {"polluted": true}, "modelId": "gray-48", "frameIndex": 0, "faces": []}`)],
    ['constructor key', request({ constructor: { prototype: { polluted: true } } })],
    ['prototype key on a face', request({ faces: [face({ prototype: {} })] })],
    ['__proto__ key in a box', request({ faces: [face({ box: JSON.parse('{"x":0,"y":0,"width":1,"height":1,"__proto__":{"a":1}}') })] })],
    ['symbol key', request({ [Symbol('s')]: 1 })],
    ['sessionId with slashes', request({ sessionId: '../x' })],
    ['sessionId too long', request({ sessionId: 'a'.repeat(IPC_LIMITS.maxSessionIdLength + 1) })],
    ['numeric sessionId', request({ sessionId: 12 })],
    ['null sessionId', request({ sessionId: null })]
  ]

  it.each(malformed)('rejects %s with invalid-argument', (_name, payload) => {
    const error = errorOf(() => classify(payload))
    expect(error.code).toBe('invalid-argument')
    expect(error.message.length).toBeGreaterThan(10)
    expect(error.message.length).toBeLessThan(300)
  })

  it('leaves Object.prototype untouched after a pollution attempt', () => {
    errorOf(() => classify(JSON.parse('{"__proto__": {"polluted": true}}')))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('rejects a wrong number of arguments', () => {
    expect(errorOf(() => validators['inference:classify']([], context)).code).toBe('invalid-argument')
    expect(errorOf(() => validators['inference:classify']([request(), request()], context)).code).toBe('invalid-argument')
  })

  it('names the field at fault', () => {
    expect(errorOf(() => classify(request({ faces: [face(), face({ faceId: 2, pixels: new Uint8Array(3) })] }))).message).toContain(
      'request.faces[1].pixels'
    )
    expect(errorOf(() => classify(request({ frameIndex: Number.NaN }))).message).toContain('request.frameIndex')
  })
})

describe('arrays in payloads', () => {
  // Structured clone keeps holes and named keys on arrays, so these reach main exactly as built here.
  const sparse = (): unknown[] => {
    const faces: unknown[] = [face({ faceId: 1 }), face({ faceId: 2 }), face({ faceId: 3 })]
    delete faces[1]
    return faces
  }
  const named = (key: string): unknown[] => Object.assign([face()], { [key]: 1 })
  const cases: [string, unknown[]][] = [
    ['a hole left by delete', sparse()],
    ['a phantom face from new Array(1)', new Array(1)],
    ['a hole at the end', Object.assign([face()], { length: 2 })],
    ['a named key "constructor"', named('constructor')],
    ['a named key "extra"', named('extra')],
    // Not indices: the largest array index is 2^32 - 2, so these are named keys that do not count in the length.
    ['a named key "4294967295"', named('4294967295')],
    ['a named key "99999999999999999999"', named('99999999999999999999')]
  ]

  it.each(cases)('rejects request.faces with %s as invalid-argument, naming the field', (_name, faces) => {
    const error = errorOf(() => classify(structuredClone(request({ faces }))))
    expect(error.code).toBe('invalid-argument')
    expect(error.message).toContain('request.faces')
  })
})

describe('session channels', () => {
  it('accepts good session:start options', () => {
    expect(validators['session:start']([{ source: 'Webcam: HD Camera', modelId: 'gray-64' }], context)).toEqual([
      { source: 'Webcam: HD Camera', modelId: 'gray-64' }
    ])
  })

  it.each<[string, unknown]>([
    ['no options', undefined],
    ['empty source', { source: '', modelId: 'gray-48' }],
    ['huge source', { source: 'x'.repeat(IPC_LIMITS.maxSourceLength + 1), modelId: 'gray-48' }],
    ['numeric source', { source: 1, modelId: 'gray-48' }],
    ['missing modelId', { source: 'cam' }],
    ['extra key', { source: 'cam', modelId: 'gray-48', path: '/etc' }]
  ])('rejects session:start with %s', (_name, options) => {
    expect(errorOf(() => validators['session:start']([options], context)).code).toBe('invalid-argument')
  })

  it('answers unknown-model when a session names a missing model', () => {
    expect(errorOf(() => validators['session:start']([{ source: 'cam', modelId: 'missing' }], context)).code).toBe('unknown-model')
  })

  it.each<[string, unknown]>([
    ['a number', 5],
    ['an empty string', ''],
    ['a path', '../../secret'],
    ['a huge string', 'a'.repeat(100_000)],
    ['an object', { id: 'x' }]
  ])('rejects %s as a session id for stop and export', (_name, id) => {
    expect(errorOf(() => validators['session:stop']([id], context)).code).toBe('invalid-argument')
    expect(errorOf(() => validators['session:export']([id], context)).code).toBe('invalid-argument')
  })
})

describe('channels without arguments', () => {
  it.each(['app:info', 'models:list', 'inference:status'] as const)('%s takes none', (channel) => {
    expect(validators[channel]([], context)).toEqual([])
    expect(errorOf(() => validators[channel](['extra'], context)).code).toBe('invalid-argument')
  })
})
