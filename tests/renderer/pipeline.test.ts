import { describe, expect, it } from 'vitest'
import { DEFAULT_FRAMING } from '../../src/shared/face-crop'
import { LIVE_CLASSIFY_INTERVAL_MS } from '../../src/shared/classify-pacing'
import { EMOTIONS } from '../../src/shared/emotions'
import type { Box, ClassifyRequest, ClassifyResponse, ModelInfo } from '../../src/shared/ipc'
import type { Detection } from '../../src/shared/detection/detection-filter'
import { faceCrops, LivePipeline, type FrameSource, type PipelineSnapshot } from '../../src/renderer/src/lib/pipeline'

const model = (id: string): ModelInfo => ({ id, name: id, inputWidth: 48, inputHeight: 48, framing: DEFAULT_FRAMING, labels: [...EMOTIONS], params: 1, flops: 1, metrics: {} })
const oneHot = (i: number): number[] => EMOTIONS.map((_, j) => (j === i ? 1 : 0))

/** A video whose frames the test delivers by hand through requestVideoFrameCallback. */
class FakeVideo {
  private callback: ((now: number) => void) | null = null
  requestVideoFrameCallback(cb: (now: number) => void): number {
    this.callback = cb
    return 1
  }
  cancelVideoFrameCallback(): void {
    this.callback = null
  }
  frame(now: number): void {
    const cb = this.callback
    this.callback = null
    cb?.(now)
  }
}

const fakeGrabber: FrameSource = {
  frame: { width: 640, height: 480 } as HTMLCanvasElement,
  grab: () => true,
  grayCrop: (_box: Box, w: number, h: number) => new Uint8Array(w * h)
}

/** A promise the test settles by hand. */
function gateOpenedByHand(): { wait: () => Promise<void>; open: () => void } {
  const waiting: (() => void)[] = []
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    open: () => waiting.splice(0).forEach((resolve) => resolve())
  }
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

interface Pending {
  request: ClassifyRequest
  /** Main answers one-hot `probabilityIndex`; with `smoothedIndex`, as a session log that smoothed the face to that one-hot. */
  answer: (probabilityIndex: number, modelId?: string, smoothedIndex?: number) => void
}

/**
 * Every face on every frame unless a test asks for pacing ('live': the app's default, at
 * LIVE_CLASSIFY_INTERVAL_MS within LIVE_CLASSIFY_BUDGET); main answers `msPerFace` of inference a face.
 */
function setup(detections: Detection[], classifyIntervalMs: number | 'live' = 0, msPerFace = 2, gate?: () => Promise<void>) {
  const video = new FakeVideo()
  const requests: Pending[] = []
  const snapshots: PipelineSnapshot[] = []
  const errors: unknown[] = []
  let detects = 0
  const pipeline = new LivePipeline(video as unknown as HTMLVideoElement, {
    detect: async () => {
      detects++
      await gate?.()
      return detections
    },
    classify: (request) =>
      new Promise<ClassifyResponse>((resolve) => {
        requests.push({
          request,
          answer: (k, modelId = request.modelId, smoothedIndex) =>
            resolve({
              modelId,
              executionProvider: 'cpu',
              inferenceMs: msPerFace * request.faces.length,
              results: request.faces.map((f) => ({
                faceId: f.faceId,
                label: EMOTIONS[k],
                confidence: 1,
                probabilities: oneHot(k),
                ...(smoothedIndex === undefined ? {} : { smoothed: oneHot(smoothedIndex) })
              }))
            })
        })
      }),
    settings: () => ({ inputSize: 416, scoreThreshold: 0.5, minFaceSize: 0 }),
    onFrame: (s) => snapshots.push(s),
    onError: (e) => errors.push(e),
    grabber: fakeGrabber,
    ...(classifyIntervalMs === 'live' ? {} : { classifyIntervalMs })
  })
  return { video, pipeline, requests, snapshots, errors, detectCalls: () => detects, setDetections: (d: Detection[]) => (detections = d) }
}

const face = (x: number, size = 100): Detection => ({ box: { x, y: 50, width: size, height: size }, score: 0.9 })

describe('LivePipeline', () => {
  it('by default classifies each face every 100 ms, and less often where main reports a slow model', async () => {
    for (const [msPerFace, expected] of [
      [2, LIVE_CLASSIFY_INTERVAL_MS],
      // 20 ms a face, three faces: 60 ms a round is a quarter of 240 ms.
      [20, 240]
    ] as const) {
      const { video, pipeline, requests, snapshots } = setup([face(0), face(200), face(400)], 'live', msPerFace)
      pipeline.setModel(model('resnet50-fer'))
      pipeline.start()
      video.frame(0)
      await flush()
      requests[0]!.answer(3)
      await flush()
      video.frame(33)
      await flush()
      expect(snapshots.at(-1)?.classifyIntervalMs).toBeCloseTo(expected, 5)
      await pipeline.stop()
    }
  })

  it('classifies a face again only once its interval has passed; between, it keeps its label and its box moves', async () => {
    const { video, pipeline, requests, snapshots, setDetections } = setup([face(0)], 60_000)
    pipeline.setModel(model('resnet50-fer'))
    pipeline.setSessionId('s1')
    pipeline.start()
    video.frame(0)
    await flush()
    requests[0]!.answer(3)
    await flush()
    // The face moved and a second one arrived: only the newcomer is classified; the first shows
    // main's answer, the newcomer has none yet.
    setDetections([face(20), face(300)])
    video.frame(33)
    await flush()
    expect(requests).toHaveLength(2)
    expect(requests[1]!.request.faces.map((f) => f.faceId)).toEqual([2])
    expect(snapshots.at(-1)?.faces.map((f) => [f.id, f.box.x, f.label])).toEqual([
      [1, 20, 'happy'],
      [2, 300, null]
    ])
    requests[1]!.answer(5)
    await flush()
    // Nothing is due: the frame is labelled from the smoothed labels without asking main.
    video.frame(66)
    await flush()
    expect(requests).toHaveLength(2)
    expect(snapshots.at(-1)?.faces.map((f) => f.label)).toEqual(['happy', 'sad'])
    expect(snapshots.at(-1)?.rowsLogged).toBe(2)
    // A model switch classifies every face afresh.
    pipeline.setModel(model('vit-fer'))
    video.frame(99)
    await flush()
    expect(requests).toHaveLength(3)
    expect(requests[2]!.request.faces.map((f) => f.faceId).sort()).toEqual([1, 2])
    requests[2]!.answer(4)
    await pipeline.stop()
  })

  it("classifies each frame's faces as one batch, labels them with stable ids once main answers, and counts main's time per face", async () => {
    const { video, pipeline, requests, snapshots } = setup([face(0), face(300)])
    pipeline.setModel(model('resnet50-fer'))
    pipeline.setSessionId('s1')
    pipeline.start()

    video.frame(0)
    await flush()
    expect(requests).toHaveLength(1)
    expect(requests[0].request).toMatchObject({ modelId: 'resnet50-fer', frameIndex: 0, sessionId: 's1' })
    expect(requests[0].request.faces.map((f) => [f.faceId, f.width, f.height, f.pixels.length])).toEqual([
      [1, 48, 48, 2304],
      [2, 48, 48, 2304]
    ])
    // The frame was drawn without waiting for main: boxes now, labels with the answer.
    expect(snapshots.at(-1)?.faces.map((f) => [f.id, f.label])).toEqual([
      [1, null],
      [2, null]
    ])
    expect(pipeline.stats().inferenceMsPerFace).toBeNull()
    requests[0].answer(3)
    await flush()

    video.frame(100)
    await flush()
    expect(snapshots.at(-1)?.faces.map((f) => [f.id, f.label])).toEqual([
      [1, 'happy'],
      [2, 'happy']
    ])
    expect(snapshots.at(-1)?.rowsLogged).toBe(2)
    expect(pipeline.stats().inferenceMsPerFace).toBe(2)
    expect(requests[1].request.frameIndex).toBe(1)
    requests[1].answer(3)
    await pipeline.stop()
    expect(snapshots.at(-1)?.faces.map((f) => f.id)).toEqual([1, 2])
  })

  it("shows the session's smoothing that main answered (the label the CSV records), not a smoothing of its own", async () => {
    const { video, pipeline, requests, snapshots } = setup([face(0)])
    pipeline.setModel(model('resnet50-fer'))
    pipeline.setSessionId('s1')
    pipeline.start()
    video.frame(0)
    await flush()
    // The raw answer says happy; main's session smoothing still says neutral.
    requests[0]!.answer(EMOTIONS.indexOf('happy'), undefined, EMOTIONS.indexOf('neutral'))
    await flush()
    video.frame(33)
    await flush()
    expect(snapshots.at(-1)?.faces.map((f) => [f.label, f.probabilities])).toEqual([['neutral', oneHot(EMOTIONS.indexOf('neutral'))]])
    requests[1]?.answer(3)
    await pipeline.stop()
  })

  it('goes on labelling frames while main answers, with one classify call at a time; the faces stay due for the next call', async () => {
    const { video, pipeline, requests, snapshots } = setup([face(0)])
    pipeline.setModel(model('vit-fer'))
    pipeline.start()
    video.frame(0)
    await flush()
    for (let t = 1; t <= 3; t++) {
      video.frame(t * 33)
      await flush()
    }
    expect(snapshots).toHaveLength(4)
    expect(requests).toHaveLength(1)
    requests[0].answer(4)
    await flush()
    video.frame(133)
    await flush()
    expect(requests).toHaveLength(2)
    expect(requests[1].request.frameIndex).toBe(4)
    expect(snapshots.at(-1)?.faces[0]?.label).toBe('neutral')
    // stop() waits for the call in flight, so no answer outlives the run.
    const stopped = pipeline.stop()
    let done = false
    void stopped.then(() => (done = true))
    await flush()
    expect(done).toBe(false)
    requests[1].answer(4)
    await stopped
    expect(pipeline.stats()).toMatchObject({ framesProcessed: 5, busy: false })
  })

  it('detects the newest frame that came while detection was busy as soon as it is free, and drops the rest', async () => {
    const gate = gateOpenedByHand()
    const { video, pipeline, snapshots, detectCalls } = setup([face(0)], 0, 2, gate.wait)
    pipeline.start()
    video.frame(0)
    await flush()
    for (let t = 1; t <= 4; t++) {
      video.frame(t * 33)
      await flush()
    }
    // Frame 0 is still being detected: of frames 1-4, the newest (4) is kept and the others dropped.
    expect(detectCalls()).toBe(1)
    expect(pipeline.stats()).toMatchObject({ framesSeen: 5, framesDropped: 3 })
    gate.open()
    await flush()
    // Frame 0 was labelled and frame 4 is detected without waiting for another video frame.
    expect(snapshots).toHaveLength(1)
    expect(detectCalls()).toBe(2)
    gate.open()
    await flush()
    expect(snapshots).toHaveLength(2)
    await pipeline.stop()
    expect(pipeline.stats()).toMatchObject({ framesProcessed: 2, framesDropped: 3, busy: false })
  })

  it('drops the frame kept for detection when the run stops', async () => {
    const gate = gateOpenedByHand()
    const { video, pipeline, detectCalls } = setup([face(0)], 0, 2, gate.wait)
    pipeline.start()
    video.frame(0)
    await flush()
    video.frame(33)
    await flush()
    expect(detectCalls()).toBe(1)
    const stopped = pipeline.stop()
    gate.open()
    await stopped
    // Frame 1 was kept behind frame 0; stopping dropped it instead of detecting it.
    expect(detectCalls()).toBe(1)
    expect(pipeline.stats()).toMatchObject({ framesSeen: 2, framesDropped: 1, busy: false })
  })

  it('ignores an answer from the previous model after a switch and uses the new model next frame', async () => {
    const { video, pipeline, requests, snapshots } = setup([face(0)])
    pipeline.setModel(model('resnet50-fer'))
    pipeline.start()
    video.frame(0)
    await flush()
    pipeline.setModel(model('vit-fer'))
    requests[0].answer(0)
    await flush()

    video.frame(100)
    await flush()
    expect(snapshots.at(-1)?.faces[0].label).toBeNull()
    expect(requests[1].request.modelId).toBe('vit-fer')
    requests[1].answer(6)
    await flush()
    video.frame(200)
    await flush()
    // Smoothing restarted with the new model, so the first answer shows as is.
    expect(snapshots.at(-1)?.faces[0]).toMatchObject({ label: 'surprise', confidence: 1 })
    requests[2]?.answer(6)
    await pipeline.stop()
  })

  it('sends at most 64 faces per request, the largest ones', async () => {
    const many = Array.from({ length: 70 }, (_, i) => face(i * 200, 20 + i))
    const { video, pipeline, requests, snapshots } = setup(many)
    pipeline.setModel(model('resnet50-fer'))
    pipeline.start()
    video.frame(0)
    await flush()
    const sent = requests[0].request.faces
    expect(sent).toHaveLength(64)
    expect(Math.min(...sent.map((f) => f.box.width))).toBe(26)
    requests[0].answer(1)
    await flush()
    video.frame(33)
    await flush()
    expect(snapshots.at(-1)?.faces.filter((f) => f.label === null)).toHaveLength(6)
    requests[1]?.answer(1)
    await pipeline.stop()
  })

  it('does not call classify without a model, but still reports tracked faces', async () => {
    const { video, pipeline, requests, snapshots } = setup([face(0)])
    pipeline.start()
    video.frame(0)
    await flush()
    expect(requests).toHaveLength(0)
    expect(snapshots.at(-1)?.faces).toEqual([{ id: 1, box: face(0).box, label: null, confidence: 0, probabilities: null }])
    await pipeline.stop()
  })

  it('reports a failed classify through onError and keeps running', async () => {
    const video = new FakeVideo()
    const errors: unknown[] = []
    let calls = 0
    const pipeline = new LivePipeline(video as unknown as HTMLVideoElement, {
      detect: async () => [face(0)],
      classify: async () => {
        calls++
        throw new Error('[inference-failed] boom')
      },
      settings: () => ({ inputSize: 416, scoreThreshold: 0.5, minFaceSize: 0 }),
      onFrame: () => {},
      onError: (e) => errors.push(e),
      grabber: fakeGrabber,
      classifyIntervalMs: 0
    })
    pipeline.setModel(model('resnet50-fer'))
    pipeline.start()
    video.frame(0)
    await flush()
    video.frame(100)
    await flush()
    expect(calls).toBe(2)
    expect(errors).toHaveLength(2)
    expect(String(errors[0])).toContain('boom')
    // The frames themselves were labelled (boxes, no emotion).
    expect(pipeline.stats()).toMatchObject({ framesProcessed: 2, framesFailed: 0 })
    await pipeline.stop()
  })
})

describe('faceCrops', () => {
  it("cuts each face with the model card's framing, at its input size", () => {
    const seen: unknown[] = []
    const grabber = { grayCrop: (_b: Box, w: number, h: number, framing: unknown) => (seen.push(framing), new Uint8Array(w * h)) }
    const framing = { scale: 1, shiftY: 0, shiftX: 0, resize: 'bilinear' as const, pad: 0 }
    const crops = faceCrops([{ id: 7, box: { x: 1, y: 2, width: 30, height: 30 } }], { inputWidth: 48, inputHeight: 40, framing }, grabber)
    expect(seen).toEqual([framing])
    expect(crops[0]).toMatchObject({ faceId: 7, width: 48, height: 40 })
    expect(crops[0]?.pixels.length).toBe(48 * 40)
  })
})
