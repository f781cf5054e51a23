import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/main/app/app-error'
import { cudaLibraries } from '../../../src/main/inference/execution-providers'
import { classifySessionOptions, InferenceService, liveIntraOpThreads } from '../../../src/main/inference/inference'
import { isCardFileName } from '../../../src/main/inference/model-card'
import { EMOTIONS } from '../../../src/shared/emotions'
import type { ClassifyRequest, ModelInfo } from '../../../src/shared/ipc'
import { ferFaces } from '../fer-faces'

/** The real shipped models: these specs run onnxruntime-node on them, nothing is faked. */
const MODELS_DIR = join(__dirname, '..', '..', '..', 'resources', 'models')
const SHIPPED = ['resnet50-fer', 'vit-fer']

const quiet = (): void => undefined
let service: InferenceService
let models: ModelInfo[]

beforeAll(async () => {
  const cards = existsSync(MODELS_DIR) ? readdirSync(MODELS_DIR).filter(isCardFileName) : []
  if (cards.length === 0) throw new Error(`no model cards in ${MODELS_DIR}: the trained models have not been shipped yet`)
  service = await InferenceService.open({ modelsDir: MODELS_DIR, log: quiet })
  models = service.listModels()
})

afterAll(async () => {
  await service?.dispose()
})

const sizeOf = (model: ModelInfo) => ({ width: model.inputWidth, height: model.inputHeight })

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`)
  return error
}

describe('InferenceService with the shipped models', () => {
  it('lists both shipped models and rejects no card', () => {
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(SHIPPED))
    expect(service.cardErrors).toEqual([])
  })

  it('reports every model in the FER2013 label order', () => {
    for (const model of models) expect(model.labels, model.id).toEqual([...EMOTIONS])
  })

  it('classifies a batch of N faces into N results whose probabilities sum to 1', async () => {
    for (const model of models) {
      const faces = [...ferFaces('test', 'happy', 3, sizeOf(model)), ...ferFaces('test', 'surprise', 2, sizeOf(model))].map((f, i) => ({
        ...f,
        faceId: 100 + i
      }))
      const response = await service.classify({ modelId: model.id, frameIndex: 1, faces })
      expect(response.modelId).toBe(model.id)
      expect(response.results.map((r) => r.faceId)).toEqual(faces.map((f) => f.faceId))
      expect(response.inferenceMs).toBeGreaterThan(0)
      for (const result of response.results) {
        expect(result.probabilities).toHaveLength(EMOTIONS.length)
        expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
        expect(result.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true)
        expect(result.confidence).toBe(Math.max(...result.probabilities))
        expect(result.label).toBe(model.labels[result.probabilities.indexOf(result.confidence)])
      }
    }
  })

  it('gives each face the same answer in a batch as alone', async () => {
    for (const model of models) {
      const faces = ferFaces('test', 'neutral', 4, sizeOf(model))
      const batch = await service.classify({ modelId: model.id, frameIndex: 0, faces })
      const single = await service.classify({ modelId: model.id, frameIndex: 0, faces: [faces[2]!] })
      const a = batch.results[2]!.probabilities
      const b = single.results[0]!.probabilities
      a.forEach((p, j) => expect(p).toBeCloseTo(b[j] as number, 4))
    }
  })

  it('reproduces each card\'s val recall on happy and surprised faces through the app\'s own inference path', async () => {
    // The card's recall was measured by training/ on the whole val split. Through the app's path (card
    // preprocessing, onnxruntime-node, softmax) 100 val faces of a class must land within 3 binomial
    // standard deviations of it. A wrong label order or preprocessing puts a model far outside.
    const n = 100
    const cards = Object.fromEntries(
      readdirSync(MODELS_DIR).filter(isCardFileName).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(MODELS_DIR, f), 'utf8'))])
    )
    for (const model of models) {
      for (const label of ['happy', 'surprise']) {
        const recall: number = cards[model.id].metrics.fer2013.val.per_class_recall[label]
        const faces = ferFaces('val', label, n, sizeOf(model))
        const hits: number[] = []
        for (let i = 0; i < faces.length; i += 50) {
          const { results } = await service.classify({ modelId: model.id, frameIndex: i, faces: faces.slice(i, i + 50) })
          hits.push(results.filter((r) => r.label === label).length)
        }
        const got = hits.reduce((a, b) => a + b, 0)
        const sd = Math.sqrt(n * recall * (1 - recall))
        const msg = `${model.id}: ${got}/${n} ${label} val faces; card recall ${recall}`
        expect(got, msg).toBeGreaterThanOrEqual(Math.floor(n * recall - 3 * sd))
        expect(got, msg).toBeLessThanOrEqual(Math.ceil(n * recall + 3 * sd))
      }
    }
  })

  it('reports the execution provider it runs on and why the others failed', () => {
    const status = service.status()
    expect(status.executionProvider).not.toBeNull()
    const ok = status.attempts.filter((a) => a.ok).map((a) => a.provider)
    expect(ok).toContain(status.executionProvider)
    for (const failed of status.attempts.filter((a) => !a.ok)) expect(failed.error, failed.provider).toBeTruthy()
  })

  it('answers an empty frame without running the model, and unknown-model for a wrong id', async () => {
    const model = models[0]!
    expect((await service.classify({ modelId: model.id, frameIndex: 0, faces: [] })).results).toEqual([])
    expect((await errorOf(service.classify({ modelId: 'no-such-model', frameIndex: 0, faces: [] }))).code).toBe('unknown-model')
  })
})

describe('InferenceService with damaged model folders', () => {
  let dir: string
  let good: ModelInfo
  let broken: ModelInfo

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'models-'))
    ;[good, broken] = [models.find((m) => m.id === SHIPPED[0]) ?? models[0]!, models.find((m) => m.id === SHIPPED[1]) ?? models[1]!]
    if (!good || !broken || good.id === broken.id) throw new Error('these specs need two shipped models')
    for (const id of [good.id, broken.id]) {
      const card = JSON.parse(readFileSync(join(MODELS_DIR, `${id}.json`), 'utf8')) as Record<string, unknown>
      // Without a checksum, onnxruntime itself has to notice the damage.
      delete card.sha256
      writeFileSync(join(dir, `${id}.json`), JSON.stringify(card))
    }
    const goodCard = JSON.parse(readFileSync(join(dir, `${good.id}.json`), 'utf8')) as { file: string }
    copyFileSync(join(MODELS_DIR, goodCard.file), join(dir, goodCard.file))
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const brokenFile = (): string => (JSON.parse(readFileSync(join(dir, `${broken.id}.json`), 'utf8')) as { file: string }).file

  it('answers model-load-failed for a missing file, naming it', async () => {
    const inference = await InferenceService.open({ modelsDir: dir, log: quiet })
    const error = await errorOf(inference.classify({ modelId: broken.id, frameIndex: 0, faces: [] }))
    expect(error.code).toBe('model-load-failed')
    expect(error.message).toContain(brokenFile())
    expect(error.message).toContain('missing')
    await inference.dispose()
  })

  it('answers model-load-failed for a corrupt file and keeps the other model working', async () => {
    writeFileSync(join(dir, brokenFile()), Buffer.from('this is not an ONNX model'.repeat(100)))
    const inference = await InferenceService.open({ modelsDir: dir, log: quiet })
    const faces = ferFaces('test', 'happy', 2, sizeOf(good))
    const first = await errorOf(inference.classify({ modelId: broken.id, frameIndex: 0, faces: [] }))
    expect(first.code).toBe('model-load-failed')
    const response = await inference.classify({ modelId: good.id, frameIndex: 1, faces })
    expect(response.results).toHaveLength(2)
    // The failure is remembered rather than retried on every frame.
    expect((await errorOf(inference.classify({ modelId: broken.id, frameIndex: 2, faces: [] }))).message).toBe(first.message)
    await inference.dispose()
  })

  it("answers model-load-failed when the file does not match the card's sha256", async () => {
    const cardPath = join(dir, `${good.id}.json`)
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>
    const other = mkdtempSync(join(tmpdir(), 'models-sha-'))
    try {
      writeFileSync(join(other, `${good.id}.json`), JSON.stringify({ ...card, sha256: createHash('sha256').update('something else').digest('hex') }))
      copyFileSync(join(dir, card.file as string), join(other, card.file as string))
      const inference = await InferenceService.open({ modelsDir: other, log: quiet })
      const error = await errorOf(inference.classify({ modelId: good.id, frameIndex: 0, faces: [] }))
      expect(error.code).toBe('model-load-failed')
      expect(error.message).toContain('sha256')
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('says why CUDA is not in its chain while its libraries are missing, and nothing when they are installed', async () => {
    const logs: string[] = []
    const inference = await InferenceService.open({ modelsDir: dir, log: (m) => logs.push(m) })
    const { skipped } = inference.status()
    if (cudaLibraries().state === 'missing') {
      expect(skipped).toEqual([{ provider: 'cuda', reason: expect.stringContaining('npm run cuda:install') as string }])
      expect(logs.join('\n')).toContain('not cuda: CUDA provider libraries not installed')
    } else expect(skipped).toEqual([])
    await inference.dispose()
  })

  it('records a provider that fails and falls back to CPU', async () => {
    const inference = await InferenceService.open({ modelsDir: dir, providers: ['no-such-provider', 'cpu'], log: quiet })
    const request: ClassifyRequest = { modelId: good.id, frameIndex: 0, faces: ferFaces('test', 'happy', 1, sizeOf(good)) }
    expect((await inference.classify(request)).executionProvider).toBe('cpu')
    const status = inference.status()
    expect(status.executionProvider).toBe('cpu')
    expect(status.fellBackToCpu).toBe(true)
    expect(status.attempts[0]).toMatchObject({ provider: 'no-such-provider', ok: false })
    expect(status.attempts[0]?.error).toBeTruthy()
    expect(status.attempts[1]).toEqual({ provider: 'cpu', ok: true })
    await inference.dispose()
  })

  it('loads a model once when frames race for it', async () => {
    const lines: string[] = []
    const inference = await InferenceService.open({ modelsDir: dir, log: (m) => lines.push(m) })
    const faces = ferFaces('test', 'happy', 1, sizeOf(good))
    await Promise.all([0, 1, 2].map((frameIndex) => inference.classify({ modelId: good.id, frameIndex, faces })))
    expect(lines.filter((l) => l.includes(`loaded ${good.id}`))).toHaveLength(1)
    await inference.dispose()
  })

  /** A folder with one small shipped model's card (changed by `edit`) and, unless `withFile` is false, its file. */
  function smallModelFolder(edit: (card: Record<string, unknown>) => void = () => undefined, withFile = true): { folder: string; id: string; file: string } {
    const id = models.some((m) => m.id === 'vit-fer.int8') ? 'vit-fer.int8' : good.id
    const folder = mkdtempSync(join(tmpdir(), 'models-small-'))
    const card = JSON.parse(readFileSync(join(MODELS_DIR, `${id}.json`), 'utf8')) as Record<string, unknown>
    edit(card)
    writeFileSync(join(folder, `${id}.json`), JSON.stringify(card))
    const file = card.file as string
    if (withFile) copyFileSync(join(MODELS_DIR, file), join(folder, file))
    return { folder, id, file }
  }

  it('loads a model whose missing file was restored, without a restart', async () => {
    const { folder, id, file } = smallModelFolder(undefined, false)
    try {
      const inference = await InferenceService.open({ modelsDir: folder, log: quiet })
      const model = inference.listModels()[0]!
      const faces = ferFaces('test', 'happy', 1, sizeOf(model))
      expect((await errorOf(inference.classify({ modelId: id, frameIndex: 0, faces }))).code).toBe('model-load-failed')
      copyFileSync(join(MODELS_DIR, file), join(folder, file))
      expect((await inference.classify({ modelId: id, frameIndex: 1, faces })).results).toHaveLength(1)
      await inference.dispose()
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('refuses at load a card that says probabilities for a model that outputs logits', async () => {
    const { folder, id } = smallModelFolder((card) => {
      card.output = { ...(card.output as object), kind: 'probabilities' }
    })
    try {
      const inference = await InferenceService.open({ modelsDir: folder, log: quiet })
      const model = inference.listModels()[0]!
      const error = await errorOf(inference.classify({ modelId: id, frameIndex: 0, faces: ferFaces('test', 'happy', 1, sizeOf(model)) }))
      expect(error.code).toBe('model-load-failed')
      expect(error.message).toContain('probabilities')
      expect(error.message).toContain('sum to 1')
      await inference.dispose()
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('answers model-load-failed, not internal, when the model path is a folder', async () => {
    const { folder, id, file } = smallModelFolder(undefined, false)
    try {
      mkdirSync(join(folder, file))
      const inference = await InferenceService.open({ modelsDir: folder, log: quiet })
      const error = await errorOf(inference.classify({ modelId: id, frameIndex: 0, faces: [] }))
      expect(error.code).toBe('model-load-failed')
      expect(error.message).toContain('not a file')
      await inference.dispose()
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('survives a missing models folder', async () => {
    const inference = await InferenceService.open({ modelsDir: join(dir, 'nope'), log: quiet })
    expect(inference.listModels()).toEqual([])
    expect(inference.cardErrors[0]).toContain('nope')
  })
})

describe('InferenceService with a calibrated card', () => {
  let dir: string
  let plainDir: string

  /** A folder holding the shipped model with its card's calibration replaced (or removed). */
  function folderWith(calibration: unknown): string {
    const folder = mkdtempSync(join(tmpdir(), 'models-calibrated-'))
    const card = JSON.parse(readFileSync(join(MODELS_DIR, `${SHIPPED[0]}.json`), 'utf8')) as Record<string, unknown>
    if (calibration === undefined) delete card.calibration
    else card.calibration = calibration
    writeFileSync(join(folder, `${SHIPPED[0]}.json`), JSON.stringify(card))
    copyFileSync(join(MODELS_DIR, card.file as string), join(folder, card.file as string))
    return folder
  }

  beforeAll(() => {
    dir = folderWith({ method: 'temperature', temperature: 2.5, fitted_on: ['fer2013/val'] })
    plainDir = folderWith(undefined)
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(plainDir, { recursive: true, force: true })
  })

  it("answers softmax(logits / temperature): the same labels as the plain card, with the card's temperature applied", async () => {
    const calibrated = await InferenceService.open({ modelsDir: dir, log: quiet })
    const service = await InferenceService.open({ modelsDir: plainDir, log: quiet })
    try {
      expect(calibrated.listModels()[0]?.temperature).toBe(2.5)
      const model = models.find((m) => m.id === SHIPPED[0])!
      const faces = [...ferFaces('test', 'happy', 2, sizeOf(model)), ...ferFaces('test', 'surprise', 2, sizeOf(model))]
      const plain = await service.classify({ modelId: model.id, frameIndex: 0, faces })
      const scaled = await calibrated.classify({ modelId: model.id, frameIndex: 0, faces })
      for (const [i, p] of plain.results.entries()) {
        const q = scaled.results[i]!
        expect(q.label).toBe(p.label)
        // softmax(z / t) from softmax(z): p^(1/t), renormalised.
        const powered = p.probabilities.map((v) => v ** (1 / 2.5))
        const sum = powered.reduce((a, b) => a + b, 0)
        powered.forEach((v, j) => expect(q.probabilities[j]).toBeCloseTo(v / sum, 5))
        expect(q.confidence).toBeLessThan(p.confidence)
      }
    } finally {
      await calibrated.dispose()
      await service.dispose()
    }
  })
})

describe('classify session threading', () => {
  it('takes one intra-op thread per four cores, one to four', () => {
    expect([1, 2, 4, 7, 8, 12, 16, 64].map(liveIntraOpThreads)).toEqual([1, 1, 1, 1, 2, 3, 4, 4])
  })

  it('turns off the spin-wait and keeps exact INT8 products on every provider', () => {
    for (const provider of ['cpu', 'cuda', 'dml']) {
      expect(classifySessionOptions(provider, 2)).toEqual({
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: 1,
        extra: { session: { x64quantprecision: '1', intra_op: { allow_spinning: '0' } } }
      })
    }
    expect(classifySessionOptions('cpu', 16).intraOpNumThreads).toBe(4)
  })
})
