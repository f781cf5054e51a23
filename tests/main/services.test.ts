import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createServices, type ServiceBundle } from '../../src/main/services'

let dir: string
let bundle: ServiceBundle | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'services-'))
})

afterEach(async () => {
  await bundle?.dispose()
  bundle = undefined
  await rm(dir, { recursive: true, force: true })
})

describe('createServices', () => {
  it('keeps running without a models folder and writes sessions under userData/sessions', async () => {
    bundle = await createServices({
      modelsDir: join(dir, 'no-models'),
      userDataDir: dir,
      appInfo: () => ({ version: '1', platform: 'test', userDataPath: dir, modelsPath: join(dir, 'no-models') }),
      chooseExportPath: async () => undefined,
      emit: vi.fn(),
      log: () => undefined
    })
    expect(bundle.inference.listModels()).toEqual([])
    const session = await bundle.sessions.start({ source: 'Webcam', modelId: 'any' })
    expect(session.path).toBe(join(dir, 'sessions', `${session.id}.csv`))
  })

  it("sends 'session:error' to the host when a session can no longer be written", async () => {
    const emit = vi.fn()
    bundle = await createServices({
      modelsDir: join(dir, 'no-models'),
      userDataDir: dir,
      appInfo: () => ({ version: '1', platform: 'test', userDataPath: dir, modelsPath: dir }),
      chooseExportPath: async () => undefined,
      emit,
      log: () => undefined
    })
    const { id, path } = await bundle.sessions.start({ source: 'Webcam', modelId: 'any' })
    await rename(path, join(dir, 'moved.csv'))
    await mkdir(path)
    bundle.sessions.append(id, [
      {
        frameIndex: 0,
        faceId: 1,
        box: { x: 0, y: 0, width: 1, height: 1 },
        modelId: 'any',
        executionProvider: 'cpu',
        label: 'happy',
        confidence: 1,
        probabilities: [0, 0, 0, 1, 0, 0, 0],
        inferenceMs: 1
      }
    ])
    await bundle.sessions.snapshot(id)
    expect(emit).toHaveBeenCalledWith('session:error', { sessionId: id, message: expect.stringContaining(path) })
  })
})
