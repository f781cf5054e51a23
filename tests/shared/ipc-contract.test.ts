import { describe, expect, it, vi } from 'vitest'
import { validators, type ValidationContext } from '../../src/main/ipc/ipc-validate'
import { createWindowApi, type Invoke, type Subscribe } from '../../src/preload/api'
import { EVENT_CHANNELS, EVENT_CONTRACT, INVOKE_CHANNELS, INVOKE_CONTRACT, WINDOW_KINDS } from '../../src/shared/ipc'

const noModels: ValidationContext = { modelInput: () => undefined }

describe('the IPC contract', () => {
  it('gives each preload method one channel within a window kind', () => {
    for (const kind of WINDOW_KINDS) {
      const methods = [
        ...INVOKE_CHANNELS.filter((c) => (INVOKE_CONTRACT[c].windows as readonly string[]).includes(kind)).map((c) => INVOKE_CONTRACT[c].method),
        ...EVENT_CHANNELS.filter((c) => (EVENT_CONTRACT[c].windows as readonly string[]).includes(kind)).map((c) => EVENT_CONTRACT[c].method)
      ]
      expect(new Set(methods).size, `${kind}: ${methods.join(', ')}`).toBe(methods.length)
    }
  })

  it('lists every channel once, each used by at least one window', () => {
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length)
    for (const channel of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) {
      const entry = channel in INVOKE_CONTRACT ? INVOKE_CONTRACT[channel as keyof typeof INVOKE_CONTRACT] : EVENT_CONTRACT[channel as keyof typeof EVENT_CONTRACT]
      expect(entry.windows.length, channel).toBeGreaterThan(0)
    }
  })

  it("derives each window's preload: every method sends its own channel with exactly the declared arguments", async () => {
    for (const kind of WINDOW_KINDS) {
      const invoke = vi.fn(async () => ({ ok: true, value: 'answer' }))
      const subscribe = vi.fn(() => () => undefined)
      const api = createWindowApi(kind, invoke as unknown as Invoke, subscribe as unknown as Subscribe) as Record<string, (...a: unknown[]) => unknown>
      for (const channel of INVOKE_CHANNELS) {
        const entry = INVOKE_CONTRACT[channel]
        if (!(entry.windows as readonly string[]).includes(kind)) {
          // A window kind's preload has no method for another kind's channel.
          expect(api[entry.method], `${kind} ${entry.method}`).toBeUndefined()
          continue
        }
        invoke.mockClear()
        const args = entry.args.map((a) => `${a.name}-value`)
        // An extra argument (a DOM event when a method is used as a handler) never crosses.
        await expect(api[entry.method](...args, 'extra')).resolves.toBe('answer')
        expect(invoke.mock.calls, `${kind} ${entry.method}`).toEqual([[channel, ...args]])
      }
      for (const channel of EVENT_CHANNELS) {
        const entry = EVENT_CONTRACT[channel]
        if (!(entry.windows as readonly string[]).includes(kind)) continue
        const callback = (): void => undefined
        api[entry.method](callback)
        expect(subscribe).toHaveBeenLastCalledWith(channel, callback)
      }
    }
  })
})

describe('arrays in every channel that takes one', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const chart = (name: string): unknown => ({ name, svg: '<svg></svg>', png: PNG })
  const overlayFace = (id: number): unknown => ({ id, box: { x: 0, y: 0, width: 1, height: 1 }, label: null, confidence: 0.5 })
  const holey = (items: unknown[]): unknown[] => {
    delete items[1]
    return items
  }
  const payloads = {
    'session:export-folder': { field: 'request.charts', wrap: (charts: unknown[]) => ({ sessionId: 's1', charts }), item: (i: number) => chart(`c${i}`), twin: () => chart('c0') },
    'overlay:publish': { field: 'frame.faces', wrap: (faces: unknown[]) => ({ sourceWidth: 9, sourceHeight: 9, faces }), item: overlayFace, twin: () => overlayFace(0) }
  } as const

  for (const [channel, p] of Object.entries(payloads) as [keyof typeof payloads, (typeof payloads)[keyof typeof payloads]][]) {
    it(`${channel}: accepts a dense array and refuses holes, named keys and repeats, naming ${p.field}`, () => {
      const check = (items: unknown[]): string => {
        try {
          validators[channel]([structuredClone(p.wrap(items))], noModels)
          return 'ok'
        } catch (error) {
          expect(error).toMatchObject({ code: 'invalid-argument' })
          return (error as Error).message
        }
      }
      expect(check([p.item(0), p.item(1)])).toBe('ok')
      expect(check(holey([p.item(0), p.item(1), p.item(2)]))).toBe(`${p.field}[1] is a hole (a sparse array)`)
      expect(check(new Array(1))).toBe(`${p.field}[0] is a hole (a sparse array)`)
      expect(check(Object.assign([p.item(0)], { constructor: 1 }))).toBe(`${p.field} has a named key "constructor"; only items are allowed`)
      expect(check([p.item(0), p.twin()])).toMatch(new RegExp(`^${p.field.replace('.', '\\.')} has the (id|name) .+ twice$`))
    })
  }
})
