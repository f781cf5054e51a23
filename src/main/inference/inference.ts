import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pipeline } from 'node:stream/promises'
import * as ort from 'onnxruntime-node'
import type { ClassifyRequest, ClassifyResponse, FaceCrop, InferenceStatus, ModelInfo, ProviderAttempt, SkippedProvider } from '../../shared/ipc'
import { AppError, describeError } from '../app/app-error'
import { cudaLibraries, providerChain, skippedProviders } from './execution-providers'
import { isCardFileName, parseModelCard, toModelInfo, type ModelCard } from './model-card'
import { toFaceResults } from './postprocess'
import { facesToTensorData } from './preprocess'

/**
 * onnxruntime's exact path for INT8 matrix products on x86 CPUs without VNNI (AVX2, AVX-512 before
 * Cascade Lake, every AMD before Zen 4): its fast path multiplies unsigned 8-bit activations by
 * signed 8-bit weights in 16-bit sums that saturate, which cost our INT8 ViT 18 points of FER2013
 * accuracy on such a CPU (61.4 % to 43.8 %). With this, weights are converted to unsigned for a
 * slower, exact product; VNNI CPUs and float models are unaffected. (Node binding: nested keys
 * become the session config entry "session.x64quantprecision".)
 */
const INT8_PRECISION = { session: { x64quantprecision: '1' } } as const

/** onnxruntime's session config entries: exact INT8 products, and the intra-op threads' spin-wait off unless `allowSpinning`. */
export function sessionConfigEntries(allowSpinning: boolean): { session: Record<string, unknown> } {
  return { session: { ...INT8_PRECISION.session, ...(allowSpinning ? {} : { intra_op: { allow_spinning: '0' } }) } }
}

/**
 * Intra-op threads for a classify session on a machine with `cores` logical cores: one per four
 * cores, one to four. Classification shares the machine with the call itself and with face
 * detection (its WASM threads take every core but one), so it takes a small share; a batch of a
 * few 48x48 faces gains little from more threads anyway.
 */
export function liveIntraOpThreads(cores: number): number {
  return Math.min(4, Math.max(1, Math.floor(cores / 4)))
}

/**
 * The session options main runs classification with. onnxruntime's default, one thread per
 * physical core that spin-waits after each run, burnt about 4x the CPU time of the run itself
 * between the live loop's classify calls (ResNet50 float, a face at a time, 5 ms apart on a 2-core
 * machine: 9.3 ms of CPU per 2.2 ms run; one thread without spinning: 4.1 ms per 3.9 ms run), and
 * with a busy core beside it the spinning threads were slower too (5.3 ms a run against 3.5).
 * That CPU was taken from face detection and from the call. So: liveIntraOpThreads, no spin-wait.
 */
export function classifySessionOptions(provider: string, cores: number = availableParallelism()): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: liveIntraOpThreads(cores),
    extra: sessionConfigEntries(false)
  }
}

/** How the inference service finds models and picks execution providers. */
export interface InferenceOptions {
  modelsDir: string
  /** Overrides the fallback chain (tests, the benchmark); defaults to providerChain() for this machine. */
  providers?: readonly string[]
  log?: (message: string) => void
}

interface LoadedModel {
  session: ort.InferenceSession
  provider: string
}

/** session.run() failed: the provider may be at fault, so classify() may fall back to the next one. */
class RunError extends AppError {
  constructor(message: string) {
    super('inference-failed', message)
  }
}

/** Hashes a file in streamed chunks, so a 100 MB model never holds the event loop for long. */
async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/** What a model file looks like on disk; a failed load is retried once this changes (the file was restored). */
async function fileSignature(path: string): Promise<string> {
  try {
    const file = await stat(path)
    return file.isFile() ? `file:${file.size}:${file.mtimeMs}:${file.ino}` : 'not-a-file'
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? describeError(error)}`
  }
}

/** Two probe crops (flat grey and a ramp) run once at load, to check the model against its card. */
function probeFaces(width: number, height: number): FaceCrop[] {
  const box = { x: 0, y: 0, width, height }
  const ramp = Uint8Array.from({ length: width * height }, (_, i) => Math.round((255 * (i % width)) / Math.max(1, width - 1)))
  return [
    { faceId: 0, box, width, height, pixels: new Uint8Array(width * height).fill(128) },
    { faceId: 1, box, width, height, pixels: ramp }
  ]
}

/** Errors from native code can be pages long; status and messages keep the start. */
const clip = (message: string): string => (message.length > 400 ? `${message.slice(0, 400)}…` : message)

/**
 * The one inference module: discovers model cards, loads each ONNX file lazily on first use through
 * the execution-provider fallback chain, and classifies all faces of a frame as one batch.
 * onnxruntime-node runs sessions on its own threads, so awaiting run() never blocks the event loop.
 */
export class InferenceService {
  private readonly cards = new Map<string, ModelCard>()
  private readonly loads = new Map<string, Promise<LoadedModel>>()
  /** The last failed load of each model and the file's signature then; retried once the file changes. */
  private readonly failures = new Map<string, { signature: string; error: unknown }>()
  private readonly failedProviders = new Set<string>()
  private readonly attempts: ProviderAttempt[] = []
  private readonly chain: readonly string[]
  private readonly skipped: readonly SkippedProvider[]
  private current: string | null = null
  /** Cards that were found but rejected, with the reason; logged and kept for diagnostics. */
  readonly cardErrors: string[] = []

  private constructor(private readonly options: InferenceOptions) {
    const cuda = options.providers ? null : cudaLibraries()
    this.skipped = cuda ? skippedProviders(cuda) : []
    this.chain =
      options.providers ??
      providerChain({
        platform: process.platform,
        supported: ort.listSupportedBackends().map((b) => b.name),
        cudaInstalled: cuda?.state === 'installed'
      })
  }

  /** Discovers the cards in `modelsDir`; a missing folder or a bad card is logged, never fatal. */
  static async open(options: InferenceOptions): Promise<InferenceService> {
    const service = new InferenceService(options)
    await service.discover()
    return service
  }

  private log(message: string): void {
    ;(this.options.log ?? console.log)(`[inference] ${message}`)
  }

  private async discover(): Promise<void> {
    let names: string[]
    try {
      names = (await readdir(this.options.modelsDir)).filter(isCardFileName).sort()
    } catch (error) {
      this.cardErrors.push(`models folder ${this.options.modelsDir}: ${describeError(error)}`)
      this.log(`no models: ${this.cardErrors.at(-1)}`)
      return
    }
    for (const name of names) {
      try {
        const raw: unknown = JSON.parse(await readFile(join(this.options.modelsDir, name), 'utf8'))
        const card = parseModelCard(raw, name)
        this.cards.set(card.id, card)
      } catch (error) {
        this.cardErrors.push(describeError(error))
        this.log(`skipped ${name}: ${describeError(error)}`)
      }
    }
    this.log(`models in ${this.options.modelsDir}: ${[...this.cards.keys()].join(', ') || 'none'}; providers to try: ${this.chain.join(' > ')}${this.skipped.map((p) => `; not ${p.provider}: ${p.reason}`).join('')}`)
  }

  /** Every valid card, in id order. */
  listModels(): ModelInfo[] {
    return [...this.cards.values()].map(toModelInfo)
  }

  /** The card of a model id, or undefined when no such model was discovered. */
  getCard(modelId: string): ModelCard | undefined {
    return this.cards.get(modelId)
  }

  /** Which provider runs the loaded models and why the ones before it failed. */
  status(): InferenceStatus {
    return {
      executionProvider: this.current,
      attempts: this.attempts.map((a) => ({ ...a })),
      skipped: this.skipped.map((p) => ({ ...p })),
      fellBackToCpu: this.current === 'cpu' && this.attempts.some((a) => !a.ok)
    }
  }

  private recordAttempt(provider: string, ok: boolean, error?: string): void {
    if (!ok) this.failedProviders.add(provider)
    const known = this.attempts.find((a) => a.provider === provider)
    if (known && known.ok === ok) return
    this.attempts.push(ok ? { provider, ok } : { provider, ok, error })
  }

  private load(card: ModelCard): Promise<LoadedModel> {
    let pending = this.loads.get(card.id)
    if (!pending) {
      pending = this.loadOrRecall(card)
      // Frames that race for a model share one load.
      this.loads.set(card.id, pending)
      pending.catch(() => undefined)
    }
    return pending
  }

  /**
   * Loads a model, unless the last load failed and the file has not changed since: retrying a corrupt
   * file on every frame would only burn CPU, but a file restored or replaced is tried again at once.
   */
  private async loadOrRecall(card: ModelCard): Promise<LoadedModel> {
    const signature = await fileSignature(join(this.options.modelsDir, card.file))
    const failed = this.failures.get(card.id)
    try {
      if (failed && failed.signature === signature) throw failed.error
      this.failures.delete(card.id)
      try {
        return await this.createSession(card)
      } catch (error) {
        this.failures.set(card.id, { signature, error })
        throw error
      }
    } catch (error) {
      this.loads.delete(card.id)
      throw error
    }
  }

  private async createSession(card: ModelCard): Promise<LoadedModel> {
    const path = join(this.options.modelsDir, card.file)
    let file
    try {
      file = await stat(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new AppError('model-load-failed', code === 'ENOENT' ? `model "${card.id}": file ${path} is missing` : `model "${card.id}": cannot read ${path}: ${describeError(error)}`)
    }
    if (!file.isFile()) throw new AppError('model-load-failed', `model "${card.id}": ${path} is not a file (a folder?)`)
    if (card.sha256) {
      let actual: string
      try {
        actual = await sha256OfFile(path)
      } catch (error) {
        throw new AppError('model-load-failed', `model "${card.id}": cannot read ${path}: ${describeError(error)}`)
      }
      if (actual !== card.sha256) {
        throw new AppError('model-load-failed', `model "${card.id}": ${path} does not match the card's sha256 (damaged or replaced file)`)
      }
    }
    const failures: { provider: string; error: string }[] = []
    for (const provider of this.chain) {
      if (this.failedProviders.has(provider) && provider !== 'cpu') continue
      const started = performance.now()
      let session: ort.InferenceSession
      try {
        session = await ort.InferenceSession.create(path, classifySessionOptions(provider))
      } catch (error) {
        failures.push({ provider, error: clip(describeError(error)) })
        continue
      }
      try {
        await this.probe(card, { session, provider })
      } catch (error) {
        await session.release().catch(() => undefined)
        // A run that fails may be the provider's fault; a model that disagrees with its card is not.
        if (!(error instanceof RunError)) throw error
        failures.push({ provider, error: clip(describeError(error)) })
        continue
      }
      // Only now do we know the earlier failures were the providers' fault, not the file's.
      for (const f of failures) this.recordAttempt(f.provider, false, f.error)
      this.recordAttempt(provider, true)
      this.current = provider
      this.log(`loaded ${card.id} on ${provider} in ${Math.round(performance.now() - started)} ms`)
      return { session, provider }
    }
    const detail = failures.map((f) => `${f.provider}: ${f.error}`).join('; ')
    this.log(`could not load ${card.id}: ${detail}`)
    throw new AppError('model-load-failed', `model "${card.id}" (${path}) could not be loaded: ${detail}`)
  }

  /**
   * Runs two probe crops once at load and checks the answer against the card: the output exists
   * with one row of finite values per face and label, and a model the card says outputs
   * probabilities really gives rows in [0, 1] that sum to 1. A card that says "probabilities" for
   * a logits model would otherwise log confidences above 1 without a word.
   */
  private async probe(card: ModelCard, model: LoadedModel): Promise<void> {
    const faces = probeFaces(card.input.width, card.input.height)
    let results
    try {
      // Without the card's calibration: temperature scaling renormalises rows, which would hide a
      // "probabilities" model whose outputs do not sum to 1.
      ;({ results } = await this.run({ ...card, calibration: undefined }, model, { modelId: card.id, frameIndex: 0, faces }))
    } catch (error) {
      if (error instanceof RunError) throw error
      throw new AppError('model-load-failed', `model "${card.id}" does not match its card: ${describeError(error)}`)
    }
    if (card.output.kind !== 'probabilities') return
    for (const { probabilities } of results) {
      const sum = probabilities.reduce((a, b) => a + b, 0)
      if (probabilities.some((p) => p < -1e-4 || p > 1 + 1e-4) || Math.abs(sum - 1) > 1e-3) {
        throw new AppError(
          'model-load-failed',
          `model "${card.id}": its card says the output "${card.output.name}" holds probabilities, but on a probe crop they do not sum to 1 (sum ${sum.toFixed(3)}); if the model outputs logits, set output.kind to "logits" in ${card.id}.json`
        )
      }
    }
  }

  /** Classifies all faces of one frame as one batch with the requested model. */
  async classify(request: ClassifyRequest): Promise<ClassifyResponse> {
    const card = this.cards.get(request.modelId)
    if (!card) throw new AppError('unknown-model', `unknown model "${request.modelId}"`)
    let model = await this.load(card)
    try {
      return await this.run(card, model, request)
    } catch (error) {
      if (!(error instanceof RunError) || model.provider === 'cpu') throw error
      // A provider can create a session and still fail at run time: drop it and go down the chain.
      this.recordAttempt(model.provider, false, clip(describeError(error)))
      this.loads.delete(card.id)
      await model.session.release().catch(() => undefined)
      model = await this.load(card)
      return this.run(card, model, request)
    }
  }

  private async run(card: ModelCard, model: LoadedModel, request: ClassifyRequest): Promise<ClassifyResponse> {
    const started = performance.now()
    const base = { modelId: card.id, executionProvider: model.provider }
    if (request.faces.length === 0) return { ...base, inferenceMs: 0, results: [] }
    let data: Float32Array
    try {
      data = facesToTensorData(card.input, request.faces)
    } catch (error) {
      throw new AppError('invalid-argument', describeError(error))
    }
    const { channels, height, width } = card.input
    const input = new ort.Tensor('float32', data, [request.faces.length, channels, height, width])
    let outputs: ort.InferenceSession.OnnxValueMapType
    try {
      outputs = await model.session.run({ [card.input.name]: input })
    } catch (error) {
      throw new RunError(`model "${card.id}" failed on ${model.provider}: ${clip(describeError(error))}`)
    }
    const output = outputs[card.output.name]
    if (!output) throw new AppError('inference-failed', `model "${card.id}" has no output named "${card.output.name}"`)
    let results
    try {
      results = toFaceResults(output.data as Float32Array, request.faces.map((f) => f.faceId), card.labels, card.output.kind, card.calibration?.temperature)
    } catch (error) {
      throw new AppError('inference-failed', `model "${card.id}": ${describeError(error)}`)
    }
    return { ...base, inferenceMs: performance.now() - started, results }
  }

  /** Releases every loaded session. */
  async dispose(): Promise<void> {
    const loads = [...this.loads.values()]
    this.loads.clear()
    await Promise.all(loads.map((p) => p.then((m) => m.session.release()).catch(() => undefined)))
  }
}
