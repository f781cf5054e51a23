/**
 * The argument checks every IPC validator is built from (ipc-validate.ts, desktop-ipc.ts). Each throws
 * AppError('invalid-argument') with a message that names the offending field.
 */
import { AppError } from './app/app-error'

// Keys that could reach an object's prototype if a payload were ever merged into another object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Rejects an IPC argument with a clear message. */
export function invalid(message: string): never {
  throw new AppError('invalid-argument', message)
}

/** Exactly `expected` arguments. */
export function argumentCount(args: readonly unknown[], expected: number): void {
  if (!Array.isArray(args) || args.length !== expected) {
    invalid(`expected ${expected} argument(s), got ${Array.isArray(args) ? args.length : typeof args}`)
  }
}

/** A plain data object with exactly the allowed keys (optional ones may be absent). */
export function plainObject(value: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${what} must be an object`)
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) invalid(`${what} must be a plain object`)
  const allowed = new Set([...required, ...optional])
  for (const key of Reflect.ownKeys(value)) {
    const name = String(key)
    if (typeof key === 'symbol' || FORBIDDEN_KEYS.has(name)) invalid(`${what} has a forbidden key "${name.slice(0, 40)}"`)
    if (!allowed.has(name)) invalid(`${what} has an unknown key "${name.slice(0, 40)}"`)
  }
  const record = value as Record<string, unknown>
  for (const key of required) if (!(key in record)) invalid(`${what}.${key} is missing`)
  return record
}

/**
 * A dense, plain array of at most `maxLength` items: no holes (`delete a[1]`, `new Array(1)`), no
 * named keys beside the indices (`a.constructor = 1` would break Array.prototype.map), no subclass.
 * Structured clone keeps all three, so a renderer can send them; each item is then checked by its
 * own validator.
 */
export function denseArray(value: unknown, what: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) invalid(`${what} must be an array`)
  if (Object.getPrototypeOf(value) !== Array.prototype) invalid(`${what} must be a plain array`)
  if (value.length > maxLength) invalid(`${what} has ${value.length} items, at most ${maxLength} are allowed`)
  const keys = Reflect.ownKeys(value)
  // A dense array's own keys are exactly its indices and 'length'.
  if (keys.length !== value.length + 1) {
    for (const key of keys) {
      if (key === 'length') continue
      const name = String(key)
      if (typeof key === 'symbol' || !/^(0|[1-9][0-9]*)$/.test(name)) invalid(`${what} has a named key "${name.slice(0, 40)}"; only items are allowed`)
    }
  }
  for (let i = 0; i < value.length; i++) if (!Object.hasOwn(value, i)) invalid(`${what}[${i}] is a hole (a sparse array)`)
  return value
}

/** Throws when two items share an id, naming the first repeated one. */
export function uniqueIds(ids: readonly number[], what: string): void {
  const seen = new Set<number>()
  for (const id of ids) {
    if (seen.has(id)) invalid(`${what} has the id ${id} twice`)
    seen.add(id)
  }
}

/** A finite number within [min, max]. */
export function finite(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${what} must be a finite number`)
  if (value < min || value > max) invalid(`${what} must be between ${min} and ${max}`)
  return value
}
