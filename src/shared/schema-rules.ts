/**
 * The building blocks every IPC argument schema is made of (src/shared/ipc.ts), as valibot schemas.
 * Each rule's message is a phrase that follows the name of the field at fault ("request.faces[1]
 * is a hole"), so main's errors say exactly what is wrong. Valibot never uses eval or new
 * Function, so these run under the pages' strict CSP and in the sandboxed preloads too.
 *
 * Parse with `abortEarly: true` (src/main/ipc/ipc-validate.ts does): checks run in the order written,
 * so a length limit stops a huge string before a pattern runs over it, and an array's shape is
 * checked before any item is.
 */
import * as v from 'valibot'

// Keys that could reach an object's prototype if a payload were ever merged into another object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

// A dense array's own keys are exactly its indices and 'length'. A key is an index only when it is
// canonical and below the length: "4294967295" and "99999999999999999999" look like indices but are
// named properties (the largest array index is 2^32 - 2), and they do not count towards the length.
const INDEX_KEY = /^(0|[1-9][0-9]*)$/

function isIndexOf(array: readonly unknown[], key: string): boolean {
  return INDEX_KEY.test(key) && Number(key) < array.length
}

function objectProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object'
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return 'must be a plain object'
  for (const key of Reflect.ownKeys(value)) {
    const name = String(key)
    if (typeof key === 'symbol' || FORBIDDEN_KEYS.has(name)) return `has a forbidden key "${name.slice(0, 40)}"`
  }
  return undefined
}

function arrayProblem(value: unknown, maxLength: number): string | undefined {
  if (!Array.isArray(value)) return 'must be an array'
  if (Object.getPrototypeOf(value) !== Array.prototype) return 'must be a plain array'
  // Length first: `new Array(1e9)` must not be walked.
  if (value.length > maxLength) return `has ${value.length} items, at most ${maxLength} are allowed`
  const keys = Reflect.ownKeys(value)
  if (keys.length !== value.length + 1) {
    for (const key of keys) {
      if (key === 'length') continue
      const name = String(key)
      if (typeof key === 'symbol' || !isIndexOf(value, name)) return `has a named key "${name.slice(0, 40)}"; only items are allowed`
    }
  }
  for (let i = 0; i < value.length; i++) if (!Object.hasOwn(value, i)) return `[${i}] is a hole (a sparse array)`
  return undefined
}

/**
 * A plain data object with exactly these keys (v.optional ones may be absent): no class instances,
 * no symbol keys, no `__proto__`/`constructor`/`prototype` keys, no unknown keys.
 */
export function plainObject<const E extends v.ObjectEntries>(entries: E) {
  const shape = v.strictObject(entries)
  return v.pipe(
    v.custom<v.InferInput<typeof shape>>(
      (value) => objectProblem(value) === undefined,
      (issue) => objectProblem(issue.input) ?? 'must be an object'
    ),
    shape
  )
}

/**
 * A dense, plain array of at most `maxLength` items: no holes (`delete a[1]`, `new Array(1)`), no
 * named keys beside the indices (`a.constructor = 1` would break Array.prototype.map), no subclass.
 * Structured clone keeps all three, so a renderer can send them; each item is then checked by `item`.
 */
export function denseArray<const T extends v.GenericSchema>(item: T, maxLength: number) {
  const items = v.array(item)
  return v.pipe(
    v.custom<v.InferInput<typeof items>>(
      (value) => arrayProblem(value, maxLength) === undefined,
      (issue) => arrayProblem(issue.input, maxLength) ?? 'must be an array'
    ),
    items
  )
}

/** Refuses an array in which two items share a key (face ids, chart names), naming the first repeat. */
export function unique<T>(key: (item: T) => string | number, what = 'id') {
  const repeated = (items: readonly T[]): string | number | undefined => {
    const seen = new Set<string | number>()
    for (const item of items) {
      const k = key(item)
      if (seen.has(k)) return k
      seen.add(k)
    }
    return undefined
  }
  return v.check(
    (items: T[]) => repeated(items) === undefined,
    (issue: v.CheckIssue<T[]>) => `has the ${what} ${JSON.stringify(repeated(issue.input))} twice`
  )
}

/** A finite number within [min, max] (NaN and ±Infinity are refused). */
export function finite(min: number, max: number) {
  const range = `must be between ${min} and ${max}`
  return v.pipe(v.number('must be a finite number'), v.finite('must be a finite number'), v.minValue(min, range), v.maxValue(max, range))
}

/** A safe integer within [min, max]. */
export function integer(min: number, max: number) {
  const range = `must be between ${min} and ${max}`
  return v.pipe(v.number('must be an integer'), v.safeInteger('must be an integer'), v.minValue(min, range), v.maxValue(max, range))
}

/** A non-empty string of at most `maxLength` characters, matching `pattern` when one is given. */
export function boundedString(maxLength: number, pattern?: RegExp, patternMessage = 'has characters that are not allowed') {
  const length = `must be 1 to ${maxLength} characters long`
  const base = v.pipe(v.string('must be a string'), v.minLength(1, length), v.maxLength(maxLength, length))
  return pattern ? v.pipe(base, v.regex(pattern, patternMessage)) : base
}

/** True or false, nothing truthy. */
export const bool = v.boolean('must be true or false')

/** A Uint8Array (a Node Buffer passes too); the tag check works across realms (structured clone, Playwright bindings). */
export const uint8Array = v.custom<Uint8Array>(
  (value) => ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]',
  'must be a Uint8Array'
)
