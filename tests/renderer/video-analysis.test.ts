import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_FRAMING } from '../../src/shared/face-crop'
import { EMOTIONS } from '../../src/shared/emotions'
import type { Box, ClassifyRequest, ClassifyResponse, ModelInfo } from '../../src/shared/ipc'
import type { FrameSource } from '../../src/renderer/src/lib/pipeline'
import type { Detection } from '../../src/shared/detection/detection-filter'
import { DetectThenTrack } from '../../src/shared/detection/detect-track'
import type { RegionDetector } from '../../src/shared/detection/frame-scan'
import { VideoAnalysis, videoTrackSettings, type VideoProgress } from '../../src/renderer/src/lib/video-analysis'
import { describeVideoFailure, formatVideoTime, VideoReadError } from '../../src/renderer/src/lib/video-errors'

const model: ModelInfo = { id: 'm', name: 'M', inputWidth: 4, inputHeight: 4, framing: DEFAULT_FRAMING, labels: [...EMOTIONS], params: 1, flops: 1, metrics: {} }

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

/**
 * A video whose data stops at `damagedAtS`, as Chromium plays a truncated file: a seek there fires
 * 'error' with a decode error, and from then on the element never seeks again (no 'seeked', no new
 * 'error'), so a seek on it would wait for its timeout.
 */
class TruncatedVideo extends FakeVideo {
  error: { code: number; message: string } | null = null
  constructor(
    duration: number,
    private readonly damagedAtS: number
  ) {
    super(duration)
  }
  override set currentTime(value: number) {
    this.seeks.push(value)
    if (this.error) return
    if (value >= this.damagedAtS - 1e-9) {
      setTimeout(() => {
        this.error = { code: 3, message: 'PipelineStatus::PIPELINE_ERROR_DECODE: video decode error!' }
        this.dispatchEvent(new Event('error'))
      }, 0)
      return
    }
    super.currentTime = value
  }
  override get currentTime(): number {
    return super.currentTime
  }
}

const grabber: FrameSource = {
  frame: { width: 64, height: 48 } as HTMLCanvasElement,
  grab: () => true,
  grayCrop: (_box, w, h) => new Uint8Array(w * h)
}

function answer(request: ClassifyRequest): ClassifyResponse {
  return {
    modelId: 'm',
    executionProvider: 'cpu',
    inferenceMs: 1,
    results: request.faces.map((f) => ({
      faceId: f.faceId,
      label: 'happy',
      confidence: 0.9,
      probabilities: EMOTIONS.map((e) => (e === 'happy' ? 0.9 : 0.1 / 6))
    }))
  }
}

/** Face 1 in view the whole time, face 2 only in the first second of video. */
function setup(durationS: number, extra: Partial<ConstructorParameters<typeof VideoAnalysis>[1]> = {}) {
  const video = new FakeVideo(durationS)
  const requests: ClassifyRequest[] = []
  const progress: VideoProgress[] = []
  const analysis = new VideoAnalysis(video as unknown as HTMLVideoElement, {
    detect: async (_frame, _settings, mediaTimeMs) => {
      const boxes = [{ box: { x: 2, y: 2, width: 20, height: 20 }, score: 0.9 }]
      if (mediaTimeMs < 1000) boxes.push({ box: { x: 40, y: 2, width: 20, height: 20 }, score: 0.9 })
      return boxes
    },
    classify: async (request) => {
      requests.push(request)
      return answer(request)
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

  it('classifies a frame while the next one is sought and detected, one classification in flight, in frame order', async () => {
    const events: string[] = []
    let inFlight = 0
    let mostInFlight = 0
    const { analysis } = setup(1, {
      detect: async (_frame, _settings, mediaTimeMs) => {
        events.push(`detect ${mediaTimeMs}`)
        return [{ box: { x: 2, y: 2, width: 20, height: 20 }, score: 0.9 }]
      },
      classify: async (request) => {
        inFlight++
        mostInFlight = Math.max(mostInFlight, inFlight)
        events.push(`classify ${request.mediaTimeMs}`)
        // Main answers later than the next frame's seek and detection take.
        await new Promise((r) => setTimeout(r, 5))
        events.push(`answer ${request.mediaTimeMs}`)
        inFlight--
        return answer(request)
      }
    })
    expect(await analysis.run()).toBe('done')
    expect(mostInFlight).toBe(1)
    // Frame 200's detection ran before frame 0's answer came back.
    expect(events.indexOf('detect 200')).toBeLessThan(events.indexOf('answer 0'))
    expect(events.filter((e) => e.startsWith('classify'))).toEqual([0, 200, 400, 600, 800].map((t) => `classify ${t}`))
    // Every answer arrives before the next classification is sent, and the last before run() resolves.
    for (const t of [0, 200, 400, 600]) expect(events.indexOf(`answer ${t}`)).toBeLessThan(events.indexOf(`classify ${t + 200}`))
    expect(events.at(-1)).toBe('answer 800')
  })

  it('reports the faces in id order, whichever is larger in this frame', async () => {
    const orders: number[][] = []
    const { analysis } = setup(0.6, {
      detect: async (_frame, _settings, mediaTimeMs) => [
        { box: { x: 2, y: 2, width: 20 + (mediaTimeMs === 200 ? 2 : 0), height: 20 }, score: 0.9 },
        { box: { x: 40, y: 2, width: 21, height: 20 }, score: 0.9 }
      ],
      onFrame: (faces) => orders.push(faces.map((f) => f.id))
    })
    await analysis.run()
    expect(orders).toEqual([
      [1, 2],
      [1, 2],
      [1, 2]
    ])
  })

  it('seeks to the next frame while this one is detected, never past the end', async () => {
    const seekWhileDetecting: number[] = []
    const s = setup(1, {
      detect: async () => {
        seekWhileDetecting.push(Math.round(s.video.seeks.at(-1)! * 1000))
        return []
      }
    })
    await s.analysis.run()
    // Frame 0 needs no seek (the video starts there); at frame t the video already heads for t + 200.
    expect(seekWhileDetecting).toEqual([200, 400, 600, 800, 800])
    expect(s.video.seeks.map((x) => Math.round(x * 1000))).toEqual([200, 400, 600, 800])
  })

  it('with a second decoder, takes frames from each in turn, each seeking two frames ahead', async () => {
    const second = new FakeVideo(1)
    const grabbedFrom: string[] = []
    const s = setup(1, {
      moreDecoders: [second as unknown as HTMLVideoElement],
      grabber: { ...grabber, grab: (video: HTMLVideoElement) => (grabbedFrom.push(video === (second as unknown) ? 'B' : 'A'), true) }
    })
    await s.analysis.run()
    expect(grabbedFrom).toEqual(['A', 'B', 'A', 'B', 'A'])
    // A shows 0, 400, 800; B shows 200, 600: each seeks to its next frame as soon as it is copied.
    expect(s.video.seeks.map((x) => Math.round(x * 1000))).toEqual([400, 800])
    expect(second.seeks.map((x) => Math.round(x * 1000))).toEqual([200, 600])
    expect(s.requests.map((r) => r.mediaTimeMs)).toEqual([0, 200, 400, 600, 800])
  })

  it('reports each frame after its answer, with that frame and its video time; the progress ends at the full length', async () => {
    const shown: number[] = []
    const { analysis, progress } = setup(1, {
      onFrame: (faces, _frame, mediaTimeMs) => {
        if (faces.every((f) => f.label === 'happy')) shown.push(mediaTimeMs)
      }
    })
    await analysis.run()
    expect(shown).toEqual([0, 200, 400, 600, 800])
    expect(progress.map((p) => p.doneMs)).toEqual([200, 400, 600, 800, 1000])
    const spans = progress.at(-1)!.spans
    expect(Object.keys(spans).sort()).toEqual(['classify', 'crop', 'detect', 'follow', 'grab', 'identify', 'inference', 'scan', 'search', 'seek'])
    // Main's reported run time, 1 ms a frame in the stub.
    expect(spans.inference).toBe(5)
    expect(Object.values(spans).every((ms) => ms >= 0)).toBe(true)
  })

  it('adds the tracker’s own timing of scans, searches and following to the spans', async () => {
    const { analysis, progress } = setup(1, {
      detect: async () => ({ detections: [{ box: { x: 100, y: 100, width: 120, height: 120 }, score: 0.9 }], scanMs: 4, searchMs: 3, followMs: 0.5 })
    })
    await analysis.run()
    const spans = progress.at(-1)!.spans
    expect([spans.scan, spans.search, spans.follow]).toEqual([20, 15, 2.5])
  })

  it('stops with the classification error once the frame in flight is answered, sending no more frames', async () => {
    let calls = 0
    const { analysis } = setup(2, {
      classify: async (request) => {
        calls++
        if (request.mediaTimeMs === 400) throw new Error('model gone')
        return answer(request)
      }
    })
    await expect(analysis.run()).rejects.toThrow('model gone')
    expect(calls).toBe(3)
  })

  it('a cancel while paused drops the frame that was waiting and logs nothing more', async () => {
    const requests: ClassifyRequest[] = []
    const { analysis } = setup(10, {
      classify: async (request) => {
        requests.push(request)
        if (request.mediaTimeMs === 400) analysis.pause()
        return answer(request)
      }
    })
    const outcome = analysis.run()
    await new Promise((r) => setTimeout(r, 30))
    expect(requests.map((r) => r.mediaTimeMs)).toEqual([0, 200, 400])
    analysis.cancel()
    expect(await outcome).toBe('cancelled')
    expect(requests.map((r) => r.mediaTimeMs)).toEqual([0, 200, 400])
  })
})

describe('a truncated or damaged video file', () => {
  function truncated(durationS: number, damagedAtS: number, decoders = 1) {
    const video = new TruncatedVideo(durationS, damagedAtS)
    const more = Array.from({ length: decoders - 1 }, () => new TruncatedVideo(durationS, damagedAtS))
    const requests: ClassifyRequest[] = []
    const analysis = new VideoAnalysis(video as unknown as HTMLVideoElement, {
      detect: async () => [{ box: { x: 2, y: 2, width: 20, height: 20 }, score: 0.9 }],
      classify: async (request) => (requests.push(request), answer(request)),
      settings: () => ({ inputSize: 128, scoreThreshold: 0.5, minFaceSize: 0 }),
      model,
      sessionId: 's-1',
      grabber,
      moreDecoders: more as unknown as HTMLVideoElement[]
    })
    return { analysis, requests }
  }

  async function failureOf(analysis: VideoAnalysis): Promise<unknown> {
    try {
      await analysis.run()
    } catch (error) {
      return error
    }
    throw new Error('expected the analysis to stop')
  }

  it.each([1, 2])('analyses and logs every frame before the damage, then says where the file ends (%i decoders)', async (decoders) => {
    const { analysis, requests } = truncated(4, 1.2, decoders)
    const error = await failureOf(analysis)
    expect(requests.map((r) => r.mediaTimeMs)).toEqual([0, 200, 400, 600, 800, 1000])
    expect(error).toBeInstanceOf(VideoReadError)
    expect(error).toMatchObject({ atMs: 1200, framesAnalysed: 6 })
    expect(describeVideoFailure('call.mp4', error)).toBe(
      'The video file "call.mp4" ends early or is damaged at 0:01.2; the 6 frames before it were analysed and kept (PipelineStatus::PIPELINE_ERROR_DECODE: video decode error!).'
    )
  })

  it('says the file cannot be read when not one frame could be analysed', async () => {
    const video = new TruncatedVideo(4, 0)
    // The first frame is already broken: the element errored while loading.
    video.error = { code: 2, message: 'PipelineStatus::PIPELINE_ERROR_READ: FFmpegDemuxer: demuxer seek failed' }
    video.readyState = 1
    const requests: ClassifyRequest[] = []
    const analysis = new VideoAnalysis(video as unknown as HTMLVideoElement, {
      detect: async () => [],
      classify: async (request) => (requests.push(request), answer(request)),
      settings: () => ({ inputSize: 128, scoreThreshold: 0.5, minFaceSize: 0 }),
      model,
      sessionId: 's-1',
      grabber
    })
    const error = await failureOf(analysis)
    expect(requests).toEqual([])
    expect(describeVideoFailure('call.webm', error)).toBe(
      'Cannot read "call.webm": its video data is damaged or missing (PipelineStatus::PIPELINE_ERROR_READ: FFmpegDemuxer: demuxer seek failed). Nothing could be analysed.'
    )
  })

  it('counts one frame in the singular', () => {
    const error = Object.assign(new VideoReadError(200, 'PIPELINE_ERROR_READ'), { framesAnalysed: 1 })
    expect(describeVideoFailure('a.webm', error)).toBe('The video file "a.webm" ends early or is damaged at 0:00.2; the 1 frame before it was analysed and kept (PIPELINE_ERROR_READ).')
  })

  it('a classification error still reads as before', () => {
    expect(describeVideoFailure('a.mp4', new Error('model gone'))).toBe('The analysis stopped: model gone. The rows so far are kept.')
  })

  it('formats video times as the player does', () => {
    expect([0, 3800, 12_000, 61_000, 3_723_000].map(formatVideoTime)).toEqual(['0:00', '0:03.8', '0:12', '1:01', '1:02:03'])
  })
})

/** Faces on a 1280x720 frame found by any region that holds them whole (a stand-in for the detector); calls are counted. */
class Scene implements RegionDetector<null> {
  faces: Box[] = []
  scans = 0
  searches = 0
  async detectRegion(_frame: null, region: Box): Promise<Detection[]> {
    if (region.width === 1280) this.scans++
    else this.searches++
    return this.faces
      .filter((f) => f.x >= region.x && f.y >= region.y && f.x + f.width <= region.x + region.width && f.y + f.height <= region.y + region.height)
      .map((f) => ({ box: { ...f }, score: 0.9 }))
  }
}

describe('videoTrackSettings', () => {
  const detector = { inputSize: 416, scoreThreshold: 0.5, minFaceSize: 24, tiles: 1 } as const

  it('scans the whole frame once a video second and searches every known face on every frame between scans', async () => {
    const scene = new Scene()
    scene.faces = [0, 1, 2].map((k) => ({ x: 100 + k * 400, y: 300, width: 120, height: 120 }))
    const tracking = new DetectThenTrack(scene, videoTrackSettings(200))
    for (let t = 0; t < 2000; t += 200) {
      const { detections } = await tracking.next(null, 1280, 720, t, detector)
      expect(detections.map((d) => d.box.x)).toEqual([100, 500, 900])
    }
    // Two passes (416 and 160) at 0 ms and 1000 ms; three searches on each of the eight frames between (the
    // faces a scan found are not searched again on its frame).
    expect(scene.scans).toBe(4)
    expect(scene.searches).toBe(24)
  })

  it('drops a face on the first frame its search misses, and finds a new one at the next scan', async () => {
    const scene = new Scene()
    const stay = { x: 100, y: 300, width: 120, height: 120 }
    const leave = { x: 900, y: 300, width: 120, height: 120 }
    scene.faces = [stay, leave]
    const tracking = new DetectThenTrack(scene, videoTrackSettings(200))
    const seen: number[][] = []
    for (let t = 0; t < 2000; t += 200) {
      if (t === 400) scene.faces = [stay]
      if (t === 600) scene.faces = [stay, { ...leave, x: 600 }]
      seen.push((await tracking.next(null, 1280, 720, t, detector)).detections.map((d) => d.box.x))
    }
    expect(seen.slice(0, 5)).toEqual([[100, 900], [100, 900], [100], [100], [100]])
    // The face that came in at 600 ms is found by the scan at 1000 ms.
    expect(seen.slice(5)).toEqual([
      [100, 600],
      [100, 600],
      [100, 600],
      [100, 600],
      [100, 600]
    ])
  })

  it('scans every frame when frames are a second or more apart', async () => {
    const scene = new Scene()
    scene.faces = [{ x: 100, y: 300, width: 120, height: 120 }]
    const tracking = new DetectThenTrack(scene, videoTrackSettings(1000))
    for (let t = 0; t < 5000; t += 1000) await tracking.next(null, 1280, 720, t, detector)
    expect(scene.scans).toBe(10)
  })
})
