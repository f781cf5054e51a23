import { runInNewContext } from 'node:vm'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { boundedString, denseArray, finite, integer, plainObject, uint8Array, unique } from '../../src/shared/schema-rules'

/** The first issue's message, or 'ok' when the value passes (parsed as main parses: abortEarly). */
function verdict(schema: v.GenericSchema, value: unknown): string {
  const result = v.safeParse(schema, value, { abortEarly: true })
  return result.success ? 'ok' : result.issues[0].message
}

describe('plainObject', () => {
  const point = plainObject({ x: finite(0, 10), label: v.optional(boundedString(8)) })

  it('accepts exactly its keys, optional ones absent, and returns a fresh object', () => {
    const input = { x: 1 }
    const result = v.parse(point, input)
    expect(result).toEqual({ x: 1 })
    expect(result).not.toBe(input)
    expect(verdict(point, Object.assign(Object.create(null) as object, { x: 2, label: 'a' }))).toBe('ok')
  })

  it.each<[string, unknown, string]>([
    ['null', null, 'must be an object'],
    ['an array', [1], 'must be an object'],
    ['a class instance', new (class P {})(), 'must be a plain object'],
    ['a Map', new Map(), 'must be a plain object'],
    ['an own __proto__ key', JSON.parse('{"x":1,"__proto__":{"y":1}}'), 'has a forbidden key "__proto__"'],
    ['a constructor key', { x: 1, constructor: 1 }, 'has a forbidden key "constructor"'],
    ['a symbol key', { x: 1, [Symbol('s')]: 1 }, 'has a forbidden key "Symbol(s)"']
  ])('refuses %s', (_name, value, message) => {
    expect(verdict(point, value)).toBe(message)
  })

  it('reports unknown and missing keys as key issues of the strict object', () => {
    const unknownKey = v.safeParse(point, { x: 1, z: 2 }, { abortEarly: true })
    expect(unknownKey.issues?.[0]).toMatchObject({ type: 'strict_object', expected: 'never' })
    const missing = v.safeParse(point, {}, { abortEarly: true })
    expect(missing.issues?.[0]).toMatchObject({ type: 'strict_object', expected: '"x"' })
  })
})

describe('denseArray', () => {
  const list = denseArray(integer(0, 9), 4)

  it('accepts a plain dense array and returns a copy', () => {
    const input = [1, 2]
    expect(v.parse(list, input)).toEqual([1, 2])
    expect(v.parse(list, input)).not.toBe(input)
  })

  const holey = [1, 2, 3]
  delete holey[1]
  it.each<[string, unknown, string]>([
    ['an object with indices', { 0: 1, length: 1 }, 'must be an array'],
    ['a subclass', new (class L extends Array {})(), 'must be a plain array'],
    ['too many items', [1, 2, 3, 4, 5], 'has 5 items, at most 4 are allowed'],
    // Refused by its length before any index is visited, so this is instant.
    ['a billion-item sparse array', new Array(1e9), 'has 1000000000 items, at most 4 are allowed'],
    ['a hole left by delete', holey, '[1] is a hole (a sparse array)'],
    ['a phantom item from new Array(1)', new Array(1), '[0] is a hole (a sparse array)'],
    ['a named key', Object.assign([1], { constructor: 1 }), 'has a named key "constructor"; only items are allowed'],
    ['a symbol key', Object.assign([1], { [Symbol('s')]: 1 }), 'has a named key "Symbol(s)"; only items are allowed'],
    // Past the largest array index (2^32 - 2) these are named keys that only look like indices.
    ['a key one past the largest index', Object.assign([1], { '4294967295': 1 }), 'has a named key "4294967295"; only items are allowed'],
    ['a key of twenty digits', Object.assign([1], { '99999999999999999999': 1 }), 'has a named key "99999999999999999999"; only items are allowed'],
    ['a bad item', [1, 10], 'must be between 0 and 9']
  ])('refuses %s', (_name, value, message) => {
    expect(verdict(list, value)).toBe(message)
  })

  it('keeps holes and named keys through structured clone, and still refuses them', () => {
    expect(verdict(list, structuredClone(holey))).toBe('[1] is a hole (a sparse array)')
    expect(verdict(list, structuredClone(Object.assign([1], { extra: 1 })))).toBe('has a named key "extra"; only items are allowed')
    expect(verdict(list, structuredClone(Object.assign([1], { '4294967295': 1 })))).toBe('has a named key "4294967295"; only items are allowed')
  })
})

describe('unique', () => {
  const ids = v.pipe(v.array(v.object({ id: v.number() })), unique((item: { id: number }) => item.id))

  it('names the first repeated id', () => {
    expect(verdict(ids, [{ id: 1 }, { id: 2 }])).toBe('ok')
    expect(verdict(ids, [{ id: 1 }, { id: 2 }, { id: 2 }, { id: 1 }])).toBe('has the id 2 twice')
  })
})

describe('numbers, strings and bytes', () => {
  it.each<[unknown, string]>([
    [Number.NaN, 'must be a finite number'],
    [Infinity, 'must be a finite number'],
    ['1', 'must be a finite number'],
    [11, 'must be between 0 and 10'],
    [5.5, 'ok']
  ])('finite(0, 10) on %s: %s', (value, message) => {
    expect(verdict(finite(0, 10), value)).toBe(message)
  })

  it('integer refuses fractions and unsafe integers', () => {
    expect(verdict(integer(0, Number.MAX_VALUE), 1.5)).toBe('must be an integer')
    expect(verdict(integer(0, Number.MAX_VALUE), 2 ** 60)).toBe('must be an integer')
    expect(verdict(integer(0, 3), 3)).toBe('ok')
  })

  it('boundedString checks the length before the pattern', () => {
    const id = boundedString(4, /^[a-z]+$/)
    expect(verdict(id, '')).toBe('must be 1 to 4 characters long')
    expect(verdict(id, 'A'.repeat(1_000_000))).toBe('must be 1 to 4 characters long')
    expect(verdict(id, 'A')).toBe('has characters that are not allowed')
    expect(verdict(id, 7)).toBe('must be a string')
  })

  it('uint8Array accepts Buffers and arrays of another realm, nothing else', () => {
    expect(verdict(uint8Array, Buffer.alloc(2))).toBe('ok')
    expect(verdict(uint8Array, runInNewContext('new Uint8Array(2)'))).toBe('ok')
    for (const other of [new Uint8ClampedArray(2), new Float32Array(2), new ArrayBuffer(2), [0, 0], 'xx']) {
      expect(verdict(uint8Array, other)).toBe('must be a Uint8Array')
    }
  })
})
