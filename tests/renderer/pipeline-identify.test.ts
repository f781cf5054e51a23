import { describe, expect, it } from 'vitest'
import { DEFAULT_FRAMING } from '../../src/shared/face-crop'
import { EMOTIONS } from '../../src/shared/emotions'
import type { Box, ClassifyRequest, ModelInfo } from '../../src/shared/ipc'
import { LivePipeline, type FrameSource, type PipelineSnapshot } from '../../src/renderer/src/lib/pipeline'

const model: ModelInfo = { id: 'm', name: 'm', inputWidth: 48, inputHeight: 48, framing: DEFAULT_FRAMING, labels: [...EMOTIONS], params: 1, flops: 1, metrics: {} }

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

const grabber: FrameSource = { frame: { width: 640, height: 480 } as HTMLCanvasElement, grab: () => true, grayCrop: (_b: Box, w: number, h: number) => new Uint8Array(w * h) }
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('LivePipeline with re-identification', () => {
  it('classifies, logs and shows faces under the ids identify() gives them', async () => {
    const video = new FakeVideo()
    const requests: ClassifyRequest[] = []
    const snapshots: PipelineSnapshot[] = []
    const seen: { ids: number[]; expired: number[] }[] = []
    const pipeline = new LivePipeline(video as unknown as HTMLVideoElement, {
      detect: async () => [{ box: { x: 10, y: 10, width: 100, height: 100 }, score: 0.9 }],
      classify: async (request) => {
        requests.push(request)
        return { modelId: 'm', executionProvider: 'cpu', inferenceMs: 1, results: request.faces.map((f) => ({ faceId: f.faceId, label: 'sad', confidence: 1, probabilities: EMOTIONS.map((e) => (e === 'sad' ? 1 : 0)) })) }
      },
      identify: async (_frame, faces, expired) => {
        seen.push({ ids: faces.map((f) => f.id), expired: [...expired] })
        return new Map(faces.map((f) => [f.id, 42]))
      },
      settings: () => ({ inputSize: 416, scoreThreshold: 0.5, minFaceSize: 0 }),
      onFrame: (s) => snapshots.push(s),
      onError: (e) => {
        throw e
      },
      grabber
    })
    pipeline.setModel(model)
    pipeline.setSessionId('s1')
    pipeline.start()
    video.frame(0)
    await flush()
    await flush()
    expect(seen).toEqual([{ ids: [1], expired: [] }])
    expect(requests[0]?.faces.map((f) => f.faceId)).toEqual([42])
    // Drawn before main answered; the next frame shows the answer under the same id.
    expect(snapshots[0]?.faces.map((f) => [f.id, f.label])).toEqual([[42, null]])
    video.frame(33)
    await flush()
    await flush()
    expect(snapshots[1]?.faces.map((f) => [f.id, f.label])).toEqual([[42, 'sad']])
    await pipeline.stop()
  })
})
