/**
 * The bench's side of track-worker.ts: DetectThenTrack in a worker thread, one request at a time,
 * as the renderer's DetectorWorkerClient drives the app's detection worker.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DetectorSettings } from '../shared/detection/detection-filter'
import type { FrameFaces, TrackSettings } from '../shared/detection/detect-track'
import type { MovingFrame } from './moving-gallery'

/** What the bench sends: a frame's bytes (copied; the gallery plays its frames again for other pipelines) or a reset. */
export type TrackWorkerRequest =
  | { kind: 'next'; id: number; frame: Pick<MovingFrame, 'rgb' | 'width' | 'height'>; nowMs: number; detector: DetectorSettings }
  | { kind: 'reset'; id: number }

/** What the worker answers; `ready` (id 0) once face-api is loaded. */
export type TrackWorkerReply =
  | { kind: 'ready'; id: number }
  | { kind: 'faces'; id: number; faces: FrameFaces }
  | { kind: 'reset'; id: number }
  | { kind: 'error'; id: number; message: string }

/**
 * The worker: the bundle's track-worker.mjs when this runs built; from the sources (tsx CLI,
 * Vitest) a two-line bootstrap that registers tsx's loader in the worker (a worker does not inherit
 * the main thread's loader hooks) and imports track-worker.ts.
 */
function startWorker(settings: TrackSettings, moduleUrl = import.meta.url): Worker {
  const options = { workerData: { settings } }
  if (!fileURLToPath(moduleUrl).endsWith('.ts')) return new Worker(new URL('./track-worker.mjs', moduleUrl), options)
  // Both of tsx's hooks: the sources are ES modules that esbuild turns into CommonJS (no "type": "module").
  const hooks = ['tsx/cjs/api', 'tsx/esm/api'].map((api) => JSON.stringify(import.meta.resolve(api)))
  const script = JSON.stringify(new URL('./track-worker.ts', moduleUrl).href)
  const bootstrap = `Promise.all([${hooks.join(', ')}].map((api) => import(api).then((m) => m.register()))).then(() => import(${script}))`
  return new Worker(bootstrap, { ...options, eval: true })
}

export class TrackWorkerClient {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (reply: TrackWorkerReply) => void; reject: (error: Error) => void }>()
  private failure: Error | null = null

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: TrackWorkerReply) => {
      const waiter = this.pending.get(reply.id)
      if (!waiter) return
      this.pending.delete(reply.id)
      if (reply.kind === 'error') waiter.reject(new Error(`track worker: ${reply.message}`))
      else waiter.resolve(reply)
    })
    const fail = (error: Error): void => {
      this.failure = error
      for (const w of this.pending.values()) w.reject(error)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`track worker exited (code ${code})`)))
  }

  /** Starts a worker with these track settings and waits until its detector is loaded. */
  static async start(settings: TrackSettings): Promise<TrackWorkerClient> {
    const worker = startWorker(settings)
    const client = new TrackWorkerClient(worker)
    await client.request(0, () => {})
    return client
  }

  private request(id: number, send: () => void): Promise<TrackWorkerReply> {
    if (this.failure) return Promise.reject(this.failure)
    const reply = new Promise<TrackWorkerReply>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    send()
    return reply
  }

  /** The frame's faces, as DetectThenTrack.next answers them. */
  async next(frame: MovingFrame, nowMs: number, detector: DetectorSettings): Promise<FrameFaces> {
    const id = this.nextId++
    const bytes = { rgb: frame.rgb.slice(), width: frame.width, height: frame.height }
    const reply = await this.request(id, () =>
      this.worker.postMessage({ kind: 'next', id, frame: bytes, nowMs, detector } satisfies TrackWorkerRequest, [bytes.rgb.buffer])
    )
    if (reply.kind !== 'faces') throw new Error(`track worker answered ${reply.kind} to a frame`)
    return reply.faces
  }

  /** Forgets every face. */
  async reset(): Promise<void> {
    const id = this.nextId++
    await this.request(id, () => this.worker.postMessage({ kind: 'reset', id } satisfies TrackWorkerRequest))
  }

  async close(): Promise<void> {
    await this.worker.terminate()
  }
}
