/**
 * The bench's moving-gallery run end to end on a short gallery: the app's pipeline with detection in
 * a worker thread (track-worker.ts, started from the sources as `npm run bench` starts it), the
 * app's FrameScheduler and a shipped classifier; face-api's own pipeline on this thread beside it.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DetectorSettings } from '../../src/shared/detection/detection-filter'
import { GALLERY_TRACK_SETTINGS } from '../../src/shared/detection/detect-track'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { loadSourceFaces } from '../../src/bench/gallery-frames'
import { EVERY_FACE_EVERY_FRAME, everyFrameFinder, runLiveGallery, workerTrackFinder } from '../../src/bench/live-gallery'
import { discoverModels } from '../../src/bench/model-cards'
import { movingGallery, type MovingGallery } from '../../src/bench/moving-gallery'
import { faceApiFrameClassifier, onnxFrameClassifier } from '../../src/bench/pipelines'
import { TrackWorkerClient } from '../../src/bench/track-worker-client'
import { InferenceService } from '../../src/main/inference/inference'

const MODELS = join(__dirname, '..', '..', 'resources', 'models')
const DETECTOR: DetectorSettings = { inputSize: 416, scoreThreshold: 0.4, minFaceSize: 100, tiles: 'auto' }
const quiet = { start() {}, tick() {}, stop() {} }

describe('runLiveGallery', () => {
  let api: FaceApiNode
  let gallery: MovingGallery
  let service: InferenceService
  let worker: TrackWorkerClient

  beforeAll(async () => {
    api = await FaceApiNode.create()
    const { faces } = await loadSourceFaces(api)
    gallery = movingGallery(api, faces, { cols: 3, rows: 3, width: 1280, height: 720 }, 30)
    service = await InferenceService.open({ modelsDir: MODELS, providers: ['cpu'], log: () => {} })
    worker = await TrackWorkerClient.start(GALLERY_TRACK_SETTINGS)
  }, 120_000)
  afterAll(async () => {
    await worker?.close()
  })

  it('labels every counted frame of the gallery with the app pipeline in a worker, finding its faces', async () => {
    const model = (await discoverModels(MODELS)).models.find((m) => m.card.id === 'resnet50-fer.int8')
    expect(model).toBeDefined()
    const finder = workerTrackFinder('app', worker, DETECTOR)
    const r = await runLiveGallery(api, gallery, finder, onnxFrameClassifier(api, service, model!), quiet, 'every-frame', { intervalMs: 100, budget: null }, 200)
    // Frames from 200 ms on (30 fps): 30 - 6.
    expect(r.labelled).toBe(24)
    expect(r.truthPerFrame).toBeGreaterThan(8)
    expect(r.foundPerFrame).toBeGreaterThanOrEqual(r.truthPerFrame - 0.5)
    expect(r.latencyP50).toBeGreaterThan(0)
    expect(r.cpuMsPerFrame).toBeGreaterThan(0)
  }, 120_000)

  it('in real time drops the frames that arrive while detection is busy, and counts only what it labelled', async () => {
    const r = await runLiveGallery(api, gallery, everyFrameFinder('face-api', api, 416, 0), faceApiFrameClassifier(api), quiet, 'realtime', EVERY_FACE_EVERY_FRAME, 200)
    expect(r.offered).toBe(24)
    expect(r.labelled).toBeGreaterThan(0)
    expect(r.labelled).toBeLessThanOrEqual(r.offered)
  }, 120_000)

  it('a worker that fails answers with the error instead of hanging', async () => {
    const broken = workerTrackFinder('app', worker, { ...DETECTOR, inputSize: -1 as DetectorSettings['inputSize'] })
    const model = (await discoverModels(MODELS)).models[0]!
    await expect(runLiveGallery(api, gallery, broken, onnxFrameClassifier(api, service, model), quiet, 'every-frame', { intervalMs: 100, budget: null }, 200)).rejects.toThrow(/track worker/)
  }, 120_000)
})
