import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/main/app/app-error'
import { createHandlers, type Services } from '../../../src/main/ipc/ipc-handlers'
import { GRAY_CARD } from './gray-card'
import { SessionLog } from '../../../src/main/sessions/session-log'
import { SessionLibrary } from '../../../src/main/sessions/session-library'
import { EMOTIONS } from '../../../src/shared/emotions'
import { INVOKE_CHANNELS, type ClassifyRequest, type ClassifyResponse } from '../../../src/shared/ipc'

const card = GRAY_CARD

/** Inference stand-in: the registry's job is validation, wiring and error mapping, not ONNX. */
function fakeInference(classify: (r: ClassifyRequest) => Promise<ClassifyResponse>): Services['inference'] {
  return {
    listModels: () => [],
    status: () => ({ executionProvider: 'cpu', attempts: [], skipped: [], fellBackToCpu: false }),
    getCard: (id: string) => (id === card.id ? card : undefined),
    classify: vi.fn(classify)
  } as unknown as Services['inference']
}

const uniform = async (r: ClassifyRequest): Promise<ClassifyResponse> => ({
  modelId: r.modelId,
  executionProvider: 'cpu',
  inferenceMs: 1,
  results: r.faces.map((f) => ({ faceId: f.faceId, label: 'angry', confidence: 1 / 7, probabilities: EMOTIONS.map(() => 1 / 7) }))
})

const face = { faceId: 1, box: { x: 0, y: 0, width: 10, height: 10 }, width: 4, height: 4, pixels: new Uint8Array(16) }

let dir: string
let sessions: SessionLog

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'handlers-'))
  sessions = new SessionLog({ dir })
})

afterEach(async () => {
  await sessions.stopAll()
  await rm(dir, { recursive: true, force: true })
})

function services(overrides: Partial<Services> = {}): Services {
  return {
    appInfo: () => ({ version: '1', platform: 'linux-x64', userDataPath: dir, modelsPath: dir }),
    inference: fakeInference(uniform),
    sessions,
    library: new SessionLibrary(dir, sessions),
    chooseExportPath: async () => undefined,
    ...overrides
  }
}

describe('createHandlers', () => {
  it('has a handler for every invoke channel', () => {
    const handlers = createHandlers(services())
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('answers the app CPU use where the host measures it, and null where it cannot', async () => {
    const usage = { totalPercent: 42, processes: [{ type: 'Browser', percent: 42 }], cores: 2 }
    expect(await createHandlers(services({ cpuUsage: () => usage }))['app:cpu-usage']()).toEqual({ ok: true, value: usage })
    expect(await createHandlers(services())['app:cpu-usage']()).toEqual({ ok: true, value: null })
    expect((await createHandlers(services())['app:cpu-usage']('extra')).ok).toBe(false)
  })

  it('answers ok with the value', async () => {
    const handlers = createHandlers(services())
    expect(await handlers['app:info']()).toEqual({ ok: true, value: expect.objectContaining({ version: '1' }) })
    const result = await handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 0, faces: [face] })
    expect(result.ok && result.value.results).toHaveLength(1)
  })

  it.each<[string, unknown[]]>([
    ['no argument', []],
    ['null', [null]],
    ['a string', ['classify me']],
    ['NaN frame', [{ modelId: 'gray-4', frameIndex: Number.NaN, faces: [] }]],
    ['short pixels', [{ modelId: 'gray-4', frameIndex: 0, faces: [{ ...face, pixels: new Uint8Array(3) }] }]]
  ])('answers invalid-argument for %s without calling inference', async (_name, args) => {
    const inference = fakeInference(uniform)
    const handlers = createHandlers(services({ inference }))
    const result = await handlers['inference:classify'](...args)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(inference.classify).not.toHaveBeenCalled()
  })

  it('answers unknown-model for a model it does not have', async () => {
    const result = await createHandlers(services())['inference:classify']({ modelId: 'vit-fer', frameIndex: 0, faces: [] })
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-model' } })
  })

  it('passes a service AppError through with its code', async () => {
    const inference = fakeInference(async () => {
      throw new AppError('model-load-failed', 'model "gray-4" could not be loaded')
    })
    const result = await createHandlers(services({ inference }))['inference:classify']({ modelId: 'gray-4', frameIndex: 0, faces: [face] })
    expect(result).toEqual({ ok: false, error: { code: 'model-load-failed', message: 'model "gray-4" could not be loaded' } })
  })

  it('turns any other failure into code internal and never rejects', async () => {
    const log = vi.fn()
    const handlers = createHandlers(
      services({
        log,
        appInfo: () => {
          throw new TypeError('boom')
        }
      })
    )
    await expect(handlers['app:info']()).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'app:info: boom' } })
    expect(log).toHaveBeenCalled()
  })

  it('logs one row per face to a running session and refuses unknown sessions before inference', async () => {
    const inference = fakeInference(uniform)
    const handlers = createHandlers(services({ inference }))
    const started = await handlers['session:start']({ source: 'Webcam', modelId: 'gray-4' })
    if (!started.ok) throw new Error(started.error.message)
    const faces = [face, { ...face, faceId: 2 }]
    expect((await handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 3, sessionId: started.value.id, faces })).ok).toBe(true)
    const stopped = await handlers['session:stop'](started.value.id)
    expect(stopped).toMatchObject({ ok: true, value: { rows: 2 } })
    expect((await readFile(started.value.path, 'utf8')).split('\r\n').filter(Boolean)).toHaveLength(3)

    const calls = vi.mocked(inference.classify).mock.calls.length
    const unknown = await handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 4, sessionId: 'no-such-session', faces })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-session' } })
    expect(vi.mocked(inference.classify).mock.calls.length).toBe(calls)
  })

  it('writes the rows of a classify that was in flight when the session stopped, or says it came too late', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const inference = fakeInference(async (r) => {
      await gate
      return uniform(r)
    })
    const handlers = createHandlers(services({ inference }))
    const started = await handlers['session:start']({ source: 'Webcam', modelId: 'gray-4' })
    if (!started.ok) throw new Error(started.error.message)
    const faces = [face, { ...face, faceId: 2 }]
    const classified = handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 0, sessionId: started.value.id, faces })
    await vi.waitFor(() => expect(inference.classify).toHaveBeenCalled())
    const stopping = handlers['session:stop'](started.value.id)
    // A classify that starts after stop was asked for is refused before inference.
    const tooLate = handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 1, sessionId: started.value.id, faces })
    release()
    const [answer, stopped, late] = await Promise.all([classified, stopping, tooLate])
    expect(late).toMatchObject({ ok: false, error: { code: 'unknown-session' } })
    expect(inference.classify).toHaveBeenCalledTimes(1)
    const onDisk = (await readFile(started.value.path, 'utf8')).split('\r\n').filter(Boolean).length - 1
    if (!stopped.ok) throw new Error(stopped.error.message)
    // Rows acknowledged are rows written, and the stop summary counts them.
    expect(answer.ok ? 2 : 0).toBe(stopped.value.rows)
    expect(onDisk).toBe(stopped.value.rows)
    expect(answer.ok).toBe(true)
    // Nothing reaches the file after the summary.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await readFile(started.value.path, 'utf8')).split('\r\n').filter(Boolean).length - 1).toBe(stopped.value.rows)
  })

  it('exports through the chosen path, and answers saved:false when cancelled', async () => {
    const destination = join(dir, 'out.csv')
    const choose = vi.fn(async (name: string) => (name.endsWith('.csv') ? destination : undefined))
    const handlers = createHandlers(services({ chooseExportPath: choose }))
    const started = await handlers['session:start']({ source: 'Webcam', modelId: 'gray-4' })
    if (!started.ok) throw new Error(started.error.message)
    await handlers['inference:classify']({ modelId: 'gray-4', frameIndex: 0, sessionId: started.value.id, faces: [face] })
    expect(await handlers['session:export'](started.value.id)).toEqual({ ok: true, value: { saved: true, path: destination, rows: 1 } })
    expect(choose).toHaveBeenCalledWith(`emotions-${started.value.id}.csv`)

    const cancelled = createHandlers(services({ chooseExportPath: async () => undefined }))
    expect(await cancelled['session:export'](started.value.id)).toEqual({ ok: true, value: { saved: false } })
    expect(await cancelled['session:export']('20000101-000000-aaaaaa')).toMatchObject({ ok: false, error: { code: 'unknown-session' } })
  })
})
