import type { SessionInfo } from '../../../shared/ipc'
import type { LiveFace } from '../lib/pipeline'
import { openVideo, VideoAnalysis, videoTrackSettings, type VideoProgress } from '../lib/video-analysis'
import { describeVideoFailure } from '../lib/video-errors'
import { errors } from './errors.svelte'
import { library } from './library.svelte'
import { live } from './live.svelte'
import { models } from './models.svelte'
import { detectorSettings } from './settings.svelte'

/** Where a video analysis is. */
export type VideoPhase = 'idle' | 'opening' | 'running' | 'paused' | 'done' | 'cancelled' | 'failed'

class VideoState {
  phase = $state<VideoPhase>('idle')
  fileName = $state<string | null>(null)
  progress = $state.raw<VideoProgress | null>(null)
  faces = $state.raw<LiveFace[]>([])
  /** The last analysed frame, for the preview. */
  frame = $state.raw<ImageBitmap | null>(null)
  frameWidth = $state(0)
  frameHeight = $state(0)
  session = $state.raw<SessionInfo | null>(null)
  /** A file that could not be opened or analysed, in words. */
  message = $state<string | null>(null)
  /** Frames analysed per second of video: fewer is faster, more catches shorter expressions. */
  framesPerSecond = $state(5)

  private analysis: VideoAnalysis | null = null
  private url: string | null = null

  /** True while a video is being analysed or paused. */
  get busy(): boolean {
    return this.phase === 'opening' || this.phase === 'running' || this.phase === 'paused'
  }

  /** Opens a local file and analyses it into a new session. */
  async analyse(file: File): Promise<void> {
    if (this.busy) return
    const model = models.selected
    if (!model) return errors.report('Analyse video', new Error('no model available'))
    if (live.phase !== 'idle') return errors.report('Analyse video', new Error('stop the live session first: both would share the face detector'))
    this.phase = 'opening'
    this.fileName = file.name
    this.message = null
    this.progress = null
    this.faces = []
    this.session = null
    this.release()
    this.url = URL.createObjectURL(file)
    let video: HTMLVideoElement
    try {
      const detector = await live.loadDetector()
      video = await openVideo(this.url, file.name)
      // A second decoder on the same file seeks to every other frame, so seeking overlaps two frames' work.
      const moreDecoders = await openVideo(this.url, file.name).then(
        (second) => [second],
        () => []
      )
      const session = await window.api.startSession({ source: `video: ${file.name}`, modelId: model.id })
      this.session = session
      const { FaceIdentities } = await import('../lib/face-identities')
      const identities = await FaceIdentities.create()
      const stepMs = 1000 / this.framesPerSecond
      // Full scans once a video second; in between, known faces followed by their pixels and searched now and then; its clock is the video's.
      // The whole loop runs where the detector does (its worker), one message per frame.
      const tracking = detector.tracker(videoTrackSettings(stepMs))
      this.analysis = new VideoAnalysis(video, {
        detect: (frame, settings, mediaTimeMs) => tracking.next(frame, frame.width, frame.height, mediaTimeMs, settings),
        classify: (request) => window.api.classifyFaces(request),
        settings: () => $state.snapshot(detectorSettings),
        model,
        sessionId: session.id,
        stepMs,
        moreDecoders,
        identify: (frame, faces, expired) => identities.identify(frame, faces, expired),
        onFrame: (faces, frame) => {
          this.faces = faces
          this.frameWidth = frame.width
          this.frameHeight = frame.height
          void createImageBitmap(frame).then((bitmap) => {
            this.frame?.close()
            this.frame = bitmap
          })
        },
        onProgress: (p) => (this.progress = p)
      })
      this.phase = 'running'
      void library.open(session.id)
    } catch (error) {
      this.phase = 'failed'
      this.message = error instanceof Error ? error.message : String(error)
      await this.finish()
      return
    }
    try {
      const outcome = await this.analysis.run()
      this.phase = outcome
    } catch (error) {
      this.phase = 'failed'
      this.message = describeVideoFailure(file.name, error)
    }
    await this.finish()
  }

  /** Holds the analysis after the current frame. */
  pause(): void {
    if (this.phase !== 'running') return
    this.analysis?.pause()
    this.phase = 'paused'
  }

  /** Continues a paused analysis. */
  resume(): void {
    if (this.phase !== 'paused') return
    this.analysis?.unpause()
    this.phase = 'running'
  }

  /** Stops the analysis; the rows logged so far stay in the session. */
  cancel(): void {
    this.analysis?.cancel()
  }

  /** Names a face of the session being analysed; later rows carry the name. */
  async nameFace(faceId: number, name: string): Promise<void> {
    const id = this.session?.id
    if (!id) return
    try {
      await window.api.nameFace({ sessionId: id, faceId, name })
      if (library.opened?.entry.id === id) await library.open(id)
    } catch (error) {
      errors.report('Name face', error)
    }
  }

  private async finish(): Promise<void> {
    this.analysis = null
    const session = this.session
    if (session) {
      try {
        await window.api.stopSession(session.id)
      } catch (error) {
        errors.report('Stop session', error)
      }
      await library.open(session.id)
      void library.refresh()
    }
    this.release()
  }

  private release(): void {
    if (this.url) URL.revokeObjectURL(this.url)
    this.url = null
  }
}

/** The recorded-video source: one file analysed at a time into its own session. */
export const video = new VideoState()
