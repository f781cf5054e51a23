import { isNoDesktopError, type AppCpuUsage, type Box, type CaptureTarget, type ExportResult, type InferenceStatus, type ModelInfo, type SessionInfo, type SessionSummary } from '../../../shared/ipc'
import { providerFor, stopStream, targetCrop, type CaptureSource } from '../lib/capture-sources'
import { overlayMasks, ownWindowMask } from '../lib/overlay-mask'
import type { DetectorInfo, FaceDetection } from '../lib/detector'
import { GALLERY_TRACK_SETTINGS, WEBCAM_TRACK_SETTINGS } from '../../../shared/detection/detect-track'
import { settingsForSource } from '../../../shared/detection/detection-filter'
import type { SchedulerStats } from '../../../shared/frame-scheduler'
import { LivePipeline, type LiveFace } from '../lib/pipeline'
import { errors } from './errors.svelte'
import { detectorSettings } from './settings.svelte'

/** Where the app is in a run. */
export type Phase = 'idle' | 'starting' | 'running' | 'stopping'

class LiveState {
  phase = $state<Phase>('idle')
  detector = $state<DetectorInfo | null>(null)
  detectorLoading = $state(false)
  faces = $state.raw<LiveFace[]>([])
  frameWidth = $state(0)
  frameHeight = $state(0)
  stats = $state.raw<SchedulerStats | null>(null)
  /** Time between two classifications of a face in the live loop now (classify-pacing.ts). */
  classifyIntervalMs = $state<number | null>(null)
  executionProvider = $state<string | null>(null)
  inference = $state.raw<InferenceStatus | null>(null)
  /** CPU of all the app's processes over the last second; null until read, or where main cannot measure it. */
  cpu = $state.raw<AppCpuUsage | null>(null)
  /** False where the host has no process metrics (the e2e harness), so the panel says so rather than '–'. */
  cpuMeasurable = $state(true)
  session = $state.raw<SessionInfo | null>(null)
  rows = $state(0)
  lastSummary = $state.raw<SessionSummary | null>(null)
  lastExport = $state.raw<ExportResult | null>(null)
  exporting = $state(false)
  /** What a screen, window or region capture shows (null for webcams); the overlay follows it. */
  target = $state.raw<CaptureTarget | null>(null)
  /** Why labels cannot follow the captured window, shown with the region-mode suggestion. */
  followMessage = $state<string | null>(null)
  /** Paused from the UI or the tray: capture stays open, nothing is analysed or logged. */
  paused = $state(false)
  /** Size of the video frames before a region crop, and the crop's origin in them. */
  sourceWidth = $state(0)
  sourceHeight = $state(0)
  cropX = $state(0)
  cropY = $state(0)
  /** Size of the preview element in CSS pixels, which overlay and face list map boxes into. */
  displayWidth = $state(0)
  displayHeight = $state(0)

  private video: HTMLVideoElement | null = null
  private stream: MediaStream | null = null
  private pipeline: LivePipeline | null = null
  private model: ModelInfo | null = null
  private detectorInstance: Promise<FaceDetection> | null = null
  private statsTimer: ReturnType<typeof setInterval> | null = null

  /** The preview's <video>; the pipeline reads frames from it. */
  attachVideo(video: HTMLVideoElement | null): void {
    this.video = video
  }

  /** Loads face detection once (in its worker, else in the page); later calls share the same promise. */
  loadDetector(): Promise<FaceDetection> {
    if (!this.detectorInstance) {
      this.detectorLoading = true
      // face-api bundles all of TF.js (over 1 MB); a separate chunk lets the window paint first.
      this.detectorInstance = import('../lib/detector-worker-client')
        .then(({ startFaceDetection }) => startFaceDetection())
        .then((d) => {
          this.detector = d.info
          return d
        })
        .catch((error: unknown) => {
          // Forget the failed attempt so the next Start tries again.
          this.detectorInstance = null
          throw error
        })
        .finally(() => {
          this.detectorLoading = false
        })
    }
    return this.detectorInstance
  }

  /** Switches the classifier, mid-run included; the pipeline drops smoothed state of the old model. */
  setModel(model: ModelInfo | null): void {
    this.model = model
    this.pipeline?.setModel(model)
    this.faces = this.faces.map((f) => ({ ...f, label: null, confidence: 0, probabilities: null }))
  }

  /** Opens the source, starts a session log and the live loop. */
  async start(source: CaptureSource): Promise<void> {
    if (this.phase !== 'idle') return
    const video = this.video
    const model = this.model
    if (!video) return errors.report('Start', new Error('preview is not ready'))
    if (!model) return errors.report('Start', new Error('no model available: resources/models holds no model card'))
    this.phase = 'starting'
    this.lastSummary = null
    this.lastExport = null
    try {
      const detector = await this.loadDetector()
      const opened = await providerFor(source).open(source)
      this.stream = opened.stream
      this.target = opened.target
      this.paused = false
      this.followMessage = opened.target?.follow === 'unavailable' ? (opened.target.followMessage ?? null) : null
      // Screen captures show galleries of small faces: tile detection unless the user chose a grid.
      if (opened.target) detectorSettings.tiles = settingsForSource('screen', detectorSettings).tiles ?? 1
      // An unplugged camera or a revoked permission ends the track; stop cleanly and keep the log so far.
      this.stream.getVideoTracks()[0]?.addEventListener('ended', () => {
        if (this.phase !== 'running') return
        errors.report('Capture', new Error(`${source.label} stopped delivering video (unplugged, closed or permission revoked)`))
        void this.stop()
      })
      video.srcObject = this.stream
      await video.play()
      const session = await window.api.startSession({ source: `${source.kind}: ${source.label}`, modelId: model.id })
      this.session = session
      this.rows = 0
      // Re-identification of faces that leave and return; the run goes on without it if its nets fail to load.
      const identities = await import('../lib/face-identities')
        .then(({ FaceIdentities }) => FaceIdentities.create())
        .catch((error: unknown) => (errors.report('Face recognition', error), null))
      // Full scans at a cadence (waiting while nothing changes), faces followed by their pixels and searched now and then (detect-track.ts).
      const tracking = detector.tracker(opened.target ? GALLERY_TRACK_SETTINGS : WEBCAM_TRACK_SETTINGS)
      const pipeline = new LivePipeline(video, {
        detect: (frame, settings) => tracking.next(frame, frame.width, frame.height, performance.now(), settings),
        ...(identities ? { identify: (frame: HTMLCanvasElement, faces: readonly { id: number; box: Box }[], expired: readonly number[]) => identities.identify(frame, faces, expired) } : {}),
        classify: (request) => window.api.classifyFaces(request),
        settings: () => $state.snapshot(detectorSettings),
        crop: (w, h) => targetCrop(this.target, w, h),
        masks: (boxes, w, h) => this.overlayMasks(boxes, w, h),
        onFrame: (s) => {
          this.faces = s.faces
          this.frameWidth = s.frameWidth
          this.frameHeight = s.frameHeight
          this.sourceWidth = s.sourceWidth
          this.sourceHeight = s.sourceHeight
          this.cropX = s.cropX
          this.cropY = s.cropY
          if (this.target) this.publishOverlay()
          this.stats = s.stats
          this.rows = s.rowsLogged
          this.classifyIntervalMs = s.classifyIntervalMs
          if (s.executionProvider !== this.executionProvider) {
            this.executionProvider = s.executionProvider
            void this.refreshInferenceStatus()
          }
        },
        onError: (error) => errors.report('Analyse frame', error)
      })
      pipeline.setModel(model)
      pipeline.setSessionId(session.id)
      pipeline.start()
      this.pipeline = pipeline
      let ticks = 0
      this.statsTimer = setInterval(() => {
        if (this.pipeline) this.stats = this.pipeline.stats()
        // Electron's figures cover the time since the previous reading: read them once a second.
        if (++ticks % 2 === 0) void this.refreshCpu()
      }, 500)
      this.phase = 'running'
      this.reportAnalysis()
    } catch (error) {
      errors.report('Start', error)
      await this.teardown()
    }
  }

  /** Stops the loop, closes the session log and releases the source. */
  async stop(): Promise<void> {
    if (this.phase !== 'running') return
    this.phase = 'stopping'
    await this.teardown()
  }

  /** Exports the current or last session as CSV through main's save dialog. */
  async exportCsv(): Promise<void> {
    const id = this.session?.id ?? this.lastSummary?.id
    if (!id) return
    this.exporting = true
    try {
      this.lastExport = await window.api.exportSession(id)
    } catch (error) {
      errors.report('Export CSV', error)
    } finally {
      this.exporting = false
    }
  }

  /** Main stopped the session because its log could not be written; stop the run and say so. */
  async onSessionError(sessionId: string, message: string): Promise<void> {
    errors.report('Session log', new Error(message))
    if (this.session?.id === sessionId) await this.stop()
  }

  /** Asks main which execution provider runs inference and why others failed. */
  async refreshInferenceStatus(): Promise<void> {
    try {
      this.inference = await window.api.getInferenceStatus()
    } catch (error) {
      errors.report('Inference status', error)
    }
  }

  /** Reads the app's CPU use over the last second from main. */
  private async refreshCpu(): Promise<void> {
    if (!this.cpuMeasurable) return
    try {
      this.cpu = await window.api.getCpuUsage()
      if (this.cpu === null) this.cpuMeasurable = false
    } catch (error) {
      // Reported once; the panel then says it cannot be measured rather than repeating the error.
      this.cpuMeasurable = false
      errors.report('CPU usage', error)
    }
  }

  /** Pauses or resumes analysis; the capture stays open, so resuming is instant. */
  async setPaused(paused: boolean): Promise<void> {
    if (this.phase !== 'running' || paused === this.paused) return
    this.paused = paused
    if (paused) {
      await this.pipeline?.stop()
      this.faces = []
    } else this.pipeline?.start()
    this.reportAnalysis()
  }

  /** Main lost the captured source (window closed, screen unplugged): stop, keep the log, say why. */
  async onSourceLost(message: string): Promise<void> {
    if (this.phase !== 'running') return
    errors.report('Capture', new Error(`${message} The session stopped; its log is kept.`))
    await this.stop()
  }

  /** Window following changed; unavailable bounds leave a message suggesting region mode. */
  onFollowChange(phase: string, message: string | undefined): void {
    if (phase === 'unavailable') this.followMessage = message ?? 'The captured window’s position cannot be read; use region mode.'
    else if (phase === 'following') this.followMessage = null
  }

  /** Our overlay's label areas in the analysed frame, where the OS captures the overlay too. */
  private overlayMasks(boxes: readonly Box[], frameWidth: number, frameHeight: number): Box[] {
    const target = this.target
    if (!target) return []
    // Frame pixels per overlay CSS pixel: the display's scale for screens and regions; windows are
    // captured at their display's scale too, which the target does not carry, so assume the primary's.
    const framePxPerCss = target.display ? this.sourceWidth / target.display.bounds.width || 1 : window.devicePixelRatio || 1
    const masks = target.overlayExcludedFromCapture || this.paused || boxes.length === 0 ? [] : overlayMasks(boxes, framePxPerCss, frameWidth, frameHeight)
    // A screen or region capture that shows this window: its preview and panel are not the call.
    if (target.display && target.kind !== 'window') {
      const origin = target.region ?? target.display.bounds
      const own = ownWindowMask({ x: window.screenX, y: window.screenY, width: window.outerWidth, height: window.outerHeight }, origin, framePxPerCss, frameWidth, frameHeight)
      if (own) masks.push(own)
    }
    return masks
  }

  private publishOverlay(): void {
    const faces = this.faces.map((f) => ({ id: f.id, box: f.box, label: f.label, confidence: f.confidence }))
    window.api
      .publishOverlay({ sourceWidth: this.sourceWidth, sourceHeight: this.sourceHeight, faces })
      .catch((error: unknown) => errors.report('Overlay', error))
  }

  /** Tells main the run state, for the tray menu and its analysing indicator. */
  private reportAnalysis(): void {
    window.api
      .setAnalysisState({ running: this.phase === 'running', paused: this.paused })
      .catch((error: unknown) => {
        if (!isNoDesktopError(error)) errors.report('Analysis state', error)
      })
  }

  private async teardown(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer)
    this.statsTimer = null
    const pipeline = this.pipeline
    this.pipeline = null
    if (pipeline) {
      await pipeline.stop()
      this.stats = pipeline.stats()
    }
    const session = this.session
    this.session = null
    if (session) {
      try {
        const summary = await window.api.stopSession(session.id)
        this.lastSummary = summary
        this.rows = summary.rows
      } catch (error) {
        errors.report('Stop session', error)
        // Keep the id so the rows written so far can still be exported.
        this.lastSummary = { id: session.id, rows: this.rows, path: session.path }
      }
    }
    stopStream(this.stream)
    this.stream = null
    if (this.target) {
      this.target = null
      // Closes the overlay and stops window following; a failure here must not keep the run alive.
      await window.api.releaseCapture().catch((error: unknown) => errors.report('Release capture', error))
    }
    this.paused = false
    if (this.video) this.video.srcObject = null
    this.faces = []
    this.phase = 'idle'
    this.reportAnalysis()
  }
}

/** The live run: capture, detection, classification, session log. */
export const live = new LiveState()
