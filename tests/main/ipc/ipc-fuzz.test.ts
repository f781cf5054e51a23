/**
 * Property-based fuzz of every IPC invoke channel, through the same path a renderer's call takes in
 * the app: a structured-clone round trip (what Electron's IPC does to every argument), the sender and
 * per-window checks of handle() (src/main/ipc/ipc.ts), then the real validators and handlers with fake
 * services. For every payload: nothing throws out of the wrapper, the answer is ok or an error with a
 * named code (never 'internal'), valid payloads are answered ok, payloads mutated so that they are
 * certainly invalid are refused, and whatever a service receives is clean data (no holes, no named
 * keys on arrays, no non-finite numbers, no odd prototypes).
 */
import { BrowserWindow, ipcMain } from 'electron'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { setupIpc } from '../../../src/main/ipc/ipc'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { GRAY_CARD } from './gray-card'
import { createMainWindow, trackWindow } from '../../../src/main/app/window'
import { EMOTIONS } from '../../../src/shared/emotions'
import { INVOKE_CHANNELS, unsafeNameCharacter, type InvokeChannel, type IpcErrorCode } from '../../../src/shared/ipc'
import { exportedPaths } from '../../../src/main/sessions/export-registry'
import { mayInvoke, WINDOW_KINDS, type WindowKind } from '../../../src/shared/window-channels'

// Fixed, so CI is reproducible; fast-check prints the seed and the shrunk counterexample on failure.
// IPC_FUZZ_SEED=<n> explores other payloads locally.
const SEED = Number(process.env.IPC_FUZZ_SEED ?? 20261202)
// Runs per channel and kind of payload: every channel (25) × (junk + shaped junk + mutated + valid) ≥ 10,000.
const RUNS = { junk: 360, shaped: 200, mutated: 300, valid: 60, sender: 30 }

// Every code the contract names; 'internal' is the wrapper's fallback for a bug, so the fuzz refuses it.
const NAMED_CODES: readonly IpcErrorCode[] = [
  'invalid-sender',
  'invalid-argument',
  'unknown-model',
  'model-load-failed',
  'inference-failed',
  'unknown-session',
  'session-write-failed',
  'session-busy',
  'unknown-source',
  'capture-unavailable',
  'bench-busy',
  'bench-failed',
  'bench-unavailable',
  'storage-failed'
]

const card = GRAY_CARD

// ---- An oracle independent of the validators: what reaches a service must be clean data. ----

const violations: string[] = []

function cleanData(value: unknown, path: string, seen = new Set<unknown>()): void {
  if (typeof value === 'number' && !Number.isFinite(value)) violations.push(`${path} is ${value}`)
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') violations.push(`${path} is a ${typeof value}`)
  if (typeof value !== 'object' || value === null || seen.has(value)) return
  seen.add(value)
  if (ArrayBuffer.isView(value)) {
    if (Object.prototype.toString.call(value) !== '[object Uint8Array]') violations.push(`${path} is a ${Object.prototype.toString.call(value)}`)
    return
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) violations.push(`${path} is not a plain array`)
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) violations.push(`${path}[${i}] is a hole`)
      else cleanData(value[i], `${path}[${i}]`, seen)
    }
    for (const key of Reflect.ownKeys(value)) {
      // An index is canonical and below the length; "4294967295" only looks like one.
      const index = typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < value.length
      if (key !== 'length' && !index) violations.push(`${path} has a named key ${String(key)}`)
    }
    return
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) violations.push(`${path} is not a plain object`)
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol' || key === '__proto__' || key === 'constructor' || key === 'prototype')
      violations.push(`${path} has the key ${String(key)}`)
    else cleanData((value as Record<string, unknown>)[key], `${path}.${key}`, seen)
  }
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => unknown, path: string): void {
  if (new Set(items.map(key)).size !== items.length) violations.push(`${path} has duplicate ids`)
}

/** Wraps a fake service so that every call checks its arguments with the oracle first. */
function checked<T extends object>(name: string, service: T): T {
  return new Proxy(service, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown
      if (typeof member !== 'function') return member
      return (...args: unknown[]) => {
        cleanData(args, `${name}.${String(property)}()`)
        return (member as (...a: unknown[]) => unknown).apply(target, args)
      }
    }
  })
}

// ---- Fake services: plain answers, so every valid payload is answered ok. ----

const faces = { sessionId: 'x', names: {}, merges: {} }
const fakeServices: Services = {
  appInfo: () => ({ version: '1', platform: 'linux-x64', userDataPath: '/tmp/u', modelsPath: '/tmp/m' }),
  inference: checked('inference', {
    listModels: () => [],
    status: () => ({ executionProvider: 'cpu', attempts: [], skipped: [], fellBackToCpu: false }),
    getCard: (id: string) => (id === card.id ? card : undefined),
    classify: async (request: { modelId: string; faces: { faceId: number; width: number; height: number; pixels: Uint8Array }[] }) => {
      uniqueBy(request.faces, (f) => f.faceId, 'classify faces')
      for (const f of request.faces) if (f.pixels.length !== f.width * f.height) violations.push('classify pixels of the wrong length')
      return {
        modelId: request.modelId,
        executionProvider: 'cpu',
        inferenceMs: 1,
        results: request.faces.map((f) => ({ faceId: f.faceId, label: 'angry', confidence: 1 / 7, probabilities: EMOTIONS.map(() => 1 / 7) }))
      }
    }
  }) as unknown as Services['inference'],
  sessions: checked('sessions', {
    start: async () => ({ id: 's-1', startedAt: '2026-12-02T00:00:00.000Z', path: '/tmp/s-1.csv' }),
    stop: async (id: string) => ({ id, rows: 0, path: '/tmp/s.csv' }),
    reserve: () => ({ commit: (records: unknown[]) => records, cancel: () => undefined })
  }) as unknown as Services['sessions'],
  chooseExportPath: async () => '/tmp/export.csv',
  chooseExportFolder: async () => '/tmp/export',
  library: checked('library', {
    list: async () => [],
    assertExportable: async () => undefined,
    open: async (id: string) => ({ id }),
    delete: async () => undefined,
    nameFace: async () => faces,
    mergeFaces: async () => faces,
    exportCsv: async (_id: string, path: string) => ({ saved: true, path, rows: 0 }),
    exportFolder: async (_id: string, folder: string, charts: { name: string }[]) => {
      uniqueBy(charts, (c) => c.name, 'chart names')
      return { saved: true, folder, files: [] }
    }
  }) as unknown as Services['library'],
  settings: checked('settings', {
    state: () => ({ settings: {}, notice: null }),
    update: async (patch: object) => patch
  }) as unknown as Services['settings'],
  desktop: {
    desktop: checked('desktop', {
      listSources: async () => [],
      select: async (selection: { sourceId: string }) => ({
        sourceId: selection.sourceId,
        kind: 'screen',
        name: 'Screen',
        region: null,
        display: null,
        follow: 'not-needed',
        overlayExcludedFromCapture: true
      }),
      pickRegion: async () => null,
      release: () => undefined,
      submitRegion: () => undefined,
      publish: (frame: { faces: { id: number }[] }) => uniqueBy(frame.faces, (f) => f.id, 'overlay faces'),
      setAnalysisState: () => undefined
    }),
    consent: checked('consent', {
      read: async () => ({ acknowledged: false, acknowledgedAt: null, version: 1 }),
      acknowledge: async () => ({ acknowledged: true, acknowledgedAt: '2026-12-02T00:00:00.000Z', version: 1 })
    }),
    shell: checked('shell', { showItemInFolder: () => undefined })
  } as unknown as Services['desktop'],
  bench: checked('bench', { run: async () => ({ report: {}, charts: [] }) }) as unknown as Services['bench'],
  log: () => undefined
}

// ---- The real handle() wrapper on the mocked ipcMain, with one window of each kind. ----

type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>
setupIpc(createHandlers(fakeServices))
const registered = (ipcMain as unknown as { handlers: Map<string, Listener> }).handlers
type FakeWindow = { webContents: { mainFrame: unknown } }
const windows: Record<WindowKind, FakeWindow> = {
  main: createMainWindow() as unknown as FakeWindow,
  overlay: new BrowserWindow({}) as unknown as FakeWindow,
  selector: new BrowserWindow({}) as unknown as FakeWindow
}
trackWindow(windows.overlay as unknown as BrowserWindow, 'overlay')
trackWindow(windows.selector as unknown as BrowserWindow, 'selector')

const senderFor = (channel: InvokeChannel): WindowKind => WINDOW_KINDS.find((kind) => mayInvoke(kind, channel)) ?? 'main'

let payloads = 0
// How often each mutation was applied and refused, so a mutation that never fires shows up.
const refusedByMutation = new Map<string, number>()

/** Sends one payload the way a renderer would and checks the answer's shape; returns the answer. */
async function invoke(channel: InvokeChannel, args: unknown[], kind = senderFor(channel)): Promise<{ ok: boolean; code?: string }> {
  // Electron clones each argument; a payload structuredClone cannot carry never reaches main.
  let wire: unknown[]
  try {
    wire = structuredClone(args)
  } catch {
    return { ok: false, code: 'uncloneable' }
  }
  payloads++
  violations.length = 0
  const window = windows[kind]
  const answer = (await (registered.get(channel) as Listener)(
    { sender: window.webContents, senderFrame: window.webContents.mainFrame },
    ...wire
  )) as {
    ok: boolean
    error?: { code: string; message: string }
  }
  expect(typeof answer).toBe('object')
  if (answer.ok) {
    expect(Object.keys(answer).sort()).toEqual(['ok', 'value'])
  } else {
    expect(NAMED_CODES, `${channel} answered ${JSON.stringify(answer)}`).toContain(answer.error?.code)
    expect(typeof answer.error?.message).toBe('string')
    expect(answer.error?.message.length).toBeGreaterThan(0)
  }
  expect(violations, `${channel}: a service received unclean data`).toEqual([])
  return { ok: answer.ok, code: answer.error?.code }
}

// ---- Valid payloads per channel. ----

const finiteIn = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
const int = (max = Number.MAX_SAFE_INTEGER): fc.Arbitrary<number> => fc.integer({ min: 0, max })
const sessionId = fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/)
// Paths "exported" in this run, as safe-export.ts records them; 'app:show-in-folder' reveals only these.
const EXPORTED = ['/tmp/export/emotions-s-1', '/tmp/export/emotions-s-1 (2)', '/tmp/export.csv']
for (const path of EXPORTED) exportedPaths.remember(path)
const box = fc.record({ x: finiteIn(-65_536, 65_536), y: finiteIn(-65_536, 65_536), width: finiteIn(1e-3, 65_536), height: finiteIn(1e-3, 65_536) })
const faceCrop = fc.record({
  faceId: int(),
  box,
  width: fc.constant(4),
  height: fc.constant(4),
  pixels: fc.uint8Array({ minLength: 16, maxLength: 16 })
})
const overlayFace = fc.record({
  id: int(),
  box,
  label: fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: null }),
  confidence: finiteIn(0, 1)
})
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const chart = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).filter((n) => n !== 'session' && n !== 'summary'),
  svg: fc.constantFrom('<svg xmlns="http://www.w3.org/2000/svg"></svg>', '<?xml version="1.0"?>\n<svg width="1"><g/></svg>'),
  png: fc.uint8Array({ maxLength: 32 }).map((tail) => new Uint8Array([...PNG_SIGNATURE, ...tail]))
})

const VALID: { [K in InvokeChannel]: fc.Arbitrary<unknown[]> } = {
  'app:info': fc.constant([]),
  'models:list': fc.constant([]),
  'inference:status': fc.constant([]),
  'app:cpu-usage': fc.constant([]),
  'inference:classify': fc
    .record(
      {
        modelId: fc.constant('gray-4'),
        frameIndex: int(),
        sessionId,
        mediaTimeMs: finiteIn(0, 360_000_000),
        faces: fc.uniqueArray(faceCrop, { maxLength: 5, selector: (f) => f.faceId })
      },
      { requiredKeys: ['modelId', 'frameIndex', 'faces'] }
    )
    .map((r) => [r]),
  'session:start': fc.record({ source: fc.string({ minLength: 1, maxLength: 256 }), modelId: fc.constant('gray-4') }).map((o) => [o]),
  'session:stop': sessionId.map((id) => [id]),
  'session:export': sessionId.map((id) => [id]),
  'capture:list-sources': fc.constant([]),
  'capture:select': fc
    .record({ sourceId: fc.stringMatching(/^(screen|window):[0-9A-Za-z_-]{1,20}:[0-9]{1,5}$/), region: box }, { requiredKeys: ['sourceId'] })
    .map((s) => [s]),
  'capture:pick-region': fc.constant([]),
  'capture:release': fc.constant([]),
  'region:submit': fc.option(box, { nil: null }).map((r) => [r]),
  'overlay:publish': fc
    .record({
      sourceWidth: finiteIn(1, 65_536),
      sourceHeight: finiteIn(1, 65_536),
      faces: fc.uniqueArray(overlayFace, { maxLength: 5, selector: (f) => f.id })
    })
    .map((f) => [f]),
  'analysis:set-state': fc.record({ running: fc.boolean(), paused: fc.boolean() }).map((s) => [s]),
  'consent:get': fc.constant([]),
  'consent:acknowledge': fc.constant([]),
  'settings:get': fc.constant([]),
  'settings:update': fc
    .record(
      {
        modelId: fc.constant('gray-4'),
        source: fc.oneof(
          fc.record({ kind: fc.constant('webcam'), id: fc.stringMatching(/^webcam:[0-9a-f]{0,64}$/) }),
          fc.record({ kind: fc.constantFrom('screen', 'window', 'region'), id: fc.stringMatching(/^(screen|window):[0-9A-Za-z_-]{1,20}:[0-9]{1,5}$/) })
        ),
        detector: fc.record(
          {
            inputSize: fc.constantFrom(128, 160, 224, 320, 416, 512, 608),
            scoreThreshold: finiteIn(0, 1),
            minFaceSize: finiteIn(0, 4096),
            // Not 'auto': the wrong-type mutation turns a string into its length, and 'auto'.length is 4, a valid grid.
            tiles: fc.constantFrom(1, 2, 3, 4)
          },
          { requiredKeys: ['inputSize', 'scoreThreshold', 'minFaceSize'] }
        ),
        videoFramesPerSecond: fc.constantFrom(1, 2, 5, 10)
      },
      { requiredKeys: [] }
    )
    .map((settings) => [settings]),
  'bench:run': fc.record({ quick: fc.boolean() }).map((r) => [r]),
  'session:list': fc.constant([]),
  'session:open': sessionId.map((id) => [id]),
  'session:delete': sessionId.map((id) => [id]),
  'session:name-face': fc
    .record({ sessionId, faceId: int(), name: fc.string({ maxLength: 64 }).filter((n) => unsafeNameCharacter(n) === undefined) })
    .map((r) => [r]),
  'session:merge-faces': fc
    .record({ sessionId, from: int(), into: int() })
    .filter((r) => r.from !== r.into)
    .map((r) => [r]),
  'session:export-folder': fc.record({ sessionId, charts: fc.uniqueArray(chart, { maxLength: 3, selector: (c) => c.name.toLowerCase() }) }).map((r) => [r]),
  // Only paths main exported to in this run are valid (EXPORTED, recorded above).
  'app:show-in-folder': fc.constantFrom(...EXPORTED).map((path) => [path])
}

// ---- Mutations that certainly make a valid payload invalid, whatever the channel. ----

type Path = (string | number)[]

/** Every object, array and leaf inside the arguments, with its path (the root is the args array). */
function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const here = { path, value }
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return [here]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [here, ...entries.flatMap(([k, v]) => nodes(v, [...path, k]))]
}

function at(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root)
}

function replace(root: unknown[], path: Path, value: unknown): unknown[] {
  if (path.length === 0) return value as unknown[]
  const parent = at(root, path.slice(0, -1)) as Record<string | number, unknown>
  parent[path[path.length - 1] as string | number] = value
  return root
}

type Mutation = { name: string; apply: (args: unknown[], pick: number) => unknown[] | undefined }

const pickOf = <T>(items: readonly T[], pick: number): T | undefined => (items.length === 0 ? undefined : items[pick % items.length])
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)

// Every field of the contract is one type (or null for a label or a rectangle); these swap it for another.
function wrongType(value: unknown): unknown {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return value.length
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === null) return 7
  if (ArrayBuffer.isView(value)) return Array.from(value as Uint8Array)
  if (Array.isArray(value)) return { length: value.length }
  return [value]
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'one argument too many', apply: (args) => [...args, 0] },
  { name: 'one argument too few', apply: (args) => (args.length === 0 ? undefined : args.slice(1)) },
  {
    name: 'a field of the wrong type',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => n.path.length > 0),
        pick
      )
      return node && replace(args, node.path, wrongType(node.value))
    }
  },
  {
    name: 'a number that is not finite or far out of range',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => typeof n.value === 'number'),
        pick
      )
      return node && replace(args, node.path, [Number.NaN, Infinity, -Infinity, 1e300, -1e300, 2 ** 53 + 2][pick % 6])
    }
  },
  {
    name: 'an unknown key on an object',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => isPlain(n.value)),
        pick
      )
      if (!node) return undefined
      ;(node.value as Record<string, unknown>)[['extra', 'constructor', 'toString', 'length', '0'][pick % 5] as string] = 1
      return args
    }
  },
  {
    name: 'a required key missing',
    apply: (args, pick) => {
      // The optional keys of the contract: classify's sessionId and mediaTimeMs, a selection's region,
      // the detector settings' tiles, and every key of settings:update's settings.
      const SETTINGS_KEYS = ['modelId', 'source', 'detector', 'videoFramesPerSecond']
      const isSettings = (record: Record<string, unknown>): boolean => typeof record.source !== 'string' && Object.keys(record).every((k) => SETTINGS_KEYS.includes(k))
      const required = (record: Record<string, unknown>): string[] =>
        isSettings(record) ? [] : Object.keys(record).filter((k) => k !== 'mediaTimeMs' && k !== 'region' && k !== 'tiles' && !(k === 'sessionId' && 'frameIndex' in record))
      const node = pickOf(
        nodes(args).filter((n) => isPlain(n.value) && required(n.value).length > 0),
        pick
      )
      if (!node) return undefined
      const record = node.value as Record<string, unknown>
      delete record[pickOf(required(record), pick) as string]
      return args
    }
  },
  {
    name: 'a hole in an array',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => n.path.length > 0 && Array.isArray(n.value)),
        pick
      )
      if (!node) return undefined
      const array = node.value as unknown[]
      if (array.length > 0 && pick % 2 === 0) delete array[pick % array.length]
      else array.length += 1
      return args
    }
  },
  {
    name: 'a named key on an array',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => n.path.length > 0 && Array.isArray(n.value)),
        pick
      )
      if (!node) return undefined
      Object.assign(node.value as object, { [['constructor', 'map', 'extra', '-1', '01', '4294967295', '99999999999999999999'][pick % 7] as string]: 1 })
      return args
    }
  },
  {
    name: 'a duplicate item in an array',
    apply: (args, pick) => {
      // Every array of the contract has unique ids (faces) or names (charts).
      const node = pickOf(
        nodes(args).filter((n) => n.path.length > 0 && Array.isArray(n.value) && (n.value as unknown[]).length > 0),
        pick
      )
      if (!node) return undefined
      const array = node.value as unknown[]
      array.push(structuredClone(array[pick % array.length]))
      return args
    }
  },
  {
    name: 'bytes in another typed array',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => ArrayBuffer.isView(n.value)),
        pick
      )
      if (!node) return undefined
      const bytes = node.value as Uint8Array
      const Kind = [Int8Array, Uint8ClampedArray, Uint16Array, Float32Array][pick % 4] as new (values: ArrayLike<number>) => ArrayBufferView
      return replace(args, node.path, new Kind(bytes))
    }
  },
  {
    name: 'an object replaced by a Date, Map or array',
    apply: (args, pick) => {
      const node = pickOf(
        nodes(args).filter((n) => isPlain(n.value)),
        pick
      )
      return (
        node && replace(args, node.path, [new Date(0), new Map(Object.entries(node.value as object)), Object.values(node.value as object)][pick % 3])
      )
    }
  }
]

// ---- Junk. ----

const controlString = fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 20 })
const sparseArray = fc.sparseArray(fc.anything(), { maxLength: 20 })
const namedKeyArray = fc
  .tuple(
    fc.array(fc.anything(), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ maxLength: 12 }).filter((k) => k !== 'length'),
      fc.anything(),
      { maxKeys: 3 }
    )
  )
  .map(([a, keys]) => Object.assign(a, keys))
const odd = fc.constantFrom(
  Number.NaN,
  Infinity,
  -Infinity,
  -0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 53,
  -(2 ** 53),
  '',
  '\u0000',
  '\u202e',
  'x'.repeat(70_000)
)
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    maxDepth: 4
  }),
  sparseArray,
  namedKeyArray,
  odd,
  controlString,
  fc.double(),
  fc.uint8Array({ maxLength: 64 }),
  fc.int16Array({ maxLength: 16 })
)
const junkArgs = fc.array(junkValue, { maxLength: 3 })

/** Junk in the channel's own shape: the right keys (and the known model), any values; reaches deeper checks. */
function shapedJunk(channel: InvokeChannel): fc.Arbitrary<unknown[]> {
  return VALID[channel].chain((args) =>
    fc.array(junkValue, { minLength: nodes(args).length, maxLength: nodes(args).length }).map((junk) => {
      const copy = structuredClone(args)
      const leaves = nodes(copy).filter((n) => n.path.length > 1 && (typeof n.value !== 'object' || n.value === null || ArrayBuffer.isView(n.value)))
      leaves.forEach((leaf, i) => {
        if (i % 2 === 0 && at(copy, leaf.path.slice(0, -1)) && leaf.path.at(-1) !== 'modelId') replace(copy, leaf.path, junk[i])
      })
      return copy
    })
  )
}

const params = <T extends unknown[]>(numRuns: number, salt: number): fc.Parameters<T> => ({ numRuns, seed: SEED + salt, endOnFailure: true })

describe('IPC fuzz: every invoke channel through structured clone and handle()', () => {
  afterAll(() => {
    // The issue asks for at least 10,000 generated payloads in CI; fewer means the budget above shrank.
    console.log(
      `IPC fuzz: ${payloads} payloads across ${INVOKE_CHANNELS.length} channels (seed ${SEED}); refused mutations:`,
      Object.fromEntries(refusedByMutation)
    )
    expect(payloads).toBeGreaterThanOrEqual(10_000)
    for (const mutation of MUTATIONS) expect(refusedByMutation.get(mutation.name), mutation.name).toBeGreaterThan(0)
  })

  INVOKE_CHANNELS.forEach((channel, salt) => {
    it(`${channel}: valid payloads are answered ok`, async () => {
      await fc.assert(
        fc.asyncProperty(VALID[channel], async (args) => {
          const answer = await invoke(channel, args)
          expect(answer, JSON.stringify(args)?.slice(0, 200)).toEqual({ ok: true, code: undefined })
        }),
        params(RUNS.valid, salt)
      )
    })

    it(`${channel}: junk is answered, never thrown and never 'internal'`, async () => {
      await fc.assert(
        fc.asyncProperty(junkArgs, async (args) => {
          await invoke(channel, args)
        }),
        params(RUNS.junk, 100 + salt)
      )
      await fc.assert(
        fc.asyncProperty(shapedJunk(channel), async (args) => {
          await invoke(channel, args)
        }),
        params(RUNS.shaped, 200 + salt)
      )
    })

    it(`${channel}: payloads mutated into invalid ones are refused`, async () => {
      let applied = 0
      await fc.assert(
        fc.asyncProperty(VALID[channel], fc.nat({ max: MUTATIONS.length * 97 }), async (valid, pick) => {
          const mutation = MUTATIONS[pick % MUTATIONS.length] as Mutation
          const args = mutation.apply(structuredClone(valid), Math.floor(pick / MUTATIONS.length))
          if (args === undefined) return
          const answer = await invoke(channel, args)
          if (answer.code === 'uncloneable') return
          applied++
          expect(answer.ok, `${mutation.name}: ${channel} accepted it`).toBe(false)
          refusedByMutation.set(mutation.name, (refusedByMutation.get(mutation.name) ?? 0) + 1)
        }),
        params(RUNS.mutated, 300 + salt)
      )
      expect(applied).toBeGreaterThan(0)
    })

    it(`${channel}: a window that may not use it is refused`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...WINDOW_KINDS), VALID[channel], async (kind, args) => {
          const answer = await invoke(channel, args, kind)
          if (!mayInvoke(kind, channel)) expect(answer.code).toBe('invalid-sender')
          else expect(answer.ok).toBe(true)
        }),
        params(RUNS.sender, 400 + salt)
      )
    })
  })

  it('the oracle itself sees a hole, named keys (one that looks like an index) and NaN', () => {
    violations.length = 0
    const holey: unknown[] = [1, 2]
    delete holey[0]
    cleanData([holey, Object.assign([1], { constructor: 1 }), Object.assign([1], { '4294967295': 1 }), Number.NaN], 'args')
    expect(violations).toHaveLength(4)
  })
})
