import { describe, expect, it, vi } from 'vitest'
import { EMOTIONS } from '../../src/shared/emotions'
import type { ClassifyRequest, ModelInfo } from '../../src/shared/ipc'
import type { FrameSource } from '../../src/renderer/src/lib/pipeline'
import { VideoAnalysis, type VideoProgress } from '../../src/renderer/src/lib/video-analysis'

const model: ModelInfo = { id: 'm', name: 'M', inputWidth: 4, inputHeight: 4, labels: [...EMOTIONS], params: 1, flops: 1, metrics: {} }

/** A <video> stand-in: seeking sets currentTime and fires 'seeked' a moment later, as Chromium does. */
class FakeVideo extends EventTarget {
  readyState = 4
  videoWidth = 64
  videoHeight = 48
  seeks: number[] = []
  private time = 0
  constructor(readonly duration: number) {
    super()
  }
  get currentTime(): number {
    return this.time
  }
  set currentTime(value: number) {
    this.time = value
    this.seeks.push(value)
    setTimeout(() => this.dispatchEvent(new Event('seeked')), 0)
  }
}

const grabber: FrameSource = {
  frame: { width: 64, height: 48 } as HTMLCanvasElement,
  grab: () => true,
  grayCrop: (_box, w, h) => new Uint8Array(w * h)
}

/** Face 1 in view the whole time, face 2 only in the first second of video. */
function setup(durationS: number, extra: Partial<ConstructorParameters<typeof VideoAnalysis>[1]> = {}) {
  const video = new FakeVideo(durationS)
  const requests: ClassifyRequest[] = []
  const progress: VideoProgress[] = []
  const analysis = new VideoAnalysis(video as unknown as HTMLVideoElement, {
    detect: async () => {
      const boxes = [{ box: { x: 2, y: 2, width: 20, height: 20 }, score: 0.9 }]
      if (video.currentTime < 1) boxes.push({ box: { x: 40, y: 2, width: 20, height: 20 }, score: 0.9 })
      return boxes
    },
    classify: async (request) => {
      requests.push(request)
      return { modelId: 'm', executionProvider: 'cpu', inferenceMs: 1, results: request.faces.map((f) => ({ faceId: f.faceId, label: 'happy', confidence: 0.9, probabilities: EMOTIONS.map((e) => (e === 'happy' ? 0.9 : 0.1 / 6)) })) }
    },
    settings: () => ({ inputSize: 128, scoreThreshold: 0.5, minFaceSize: 0 }),
    model,
    sessionId: 's-1',
    grabber,
    onProgress: (p) => progress.push(p),
    ...extra
  })
  return { video, analysis, requests, progress }
}

describe('VideoAnalysis', () => {
  it('seeks frame by frame at the step and logs each frame with the video time', async () => {
    const { video, analysis, requests, progress } = setup(2)
    expect(await analysis.run()).toBe('done')
    expect(video.seeks.map((s) => Math.round(s * 1000))).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800])
    expect(requests.map((r) => r.mediaTimeMs)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800])
    expect(requests.every((r) => r.sessionId === 's-1')).toBe(true)
    expect(requests.map((r) => r.faces.length)).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1])
    expect(requests.map((r) => r.frameIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const last = progress.at(-1)!
    expect(last.doneMs).toBe(2000)
    expect(last.durationMs).toBe(2000)
    expect(last.framesAnalysed).toBe(10)
    expect(last.leftMs).toBe(0)
    expect(last.speed).toBeGreaterThan(0)
  })

  it('hands the ids of identify() to the log', async () => {
    const identify = vi.fn(async (_frame: HTMLCanvasElement, faces: readonly { id: number }[]) => new Map(faces.map((f) => [f.id, f.id + 100])))
    const { analysis, requests } = setup(0.4, { identify })
    await analysis.run()
    expect(requests.flatMap((r) => r.faces.map((f) => f.faceId)).sort()).toEqual([101, 101, 102, 102])
  })

  it('pauses between frames, resumes, and cancels keeping what was logged', async () => {
    let analysis!: VideoAnalysis
    let frames = 0
    const paused = new Promise<void>((resolve) => {
      const s = setup(10, {
        onProgress: () => {
          frames++
          if (frames === 3) {
            analysis.pause()
            resolve()
          }
        }
      })
      analysis = s.analysis
    })
    const outcome = analysis.run()
    await paused
    await new Promise((r) => setTimeout(r, 30))
    expect(frames).toBe(3)
    analysis.unpause()
    await new Promise((r) => setTimeout(r, 30))
    expect(frames).toBeGreaterThan(3)
    analysis.cancel()
    expect(await outcome).toBe('cancelled')
    expect(frames).toBeLessThan(50)
  })
})
