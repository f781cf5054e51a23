/**
 * The one IPC contract between renderer and main. Every channel is a key of one of the two
 * interfaces below; nothing else may call ipcMain/ipcRenderer directly. Main validates every
 * argument of every invoke channel (see src/main/ipc-validate.ts) before a handler sees it.
 */

import type { BenchProgressEvent, BenchRunRequest, BenchRunResult } from './bench-report'
import type { ChartFile, FolderExportResult, SessionEntry, SessionFaces, SessionRecord } from './session-data'

/** An axis-aligned box in source (capture) pixels. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Per-split metrics from a model card. */
export interface SplitMetrics {
  accuracy: number
  macro_f1: number
  per_class_recall: Record<string, number>
  /** Expected calibration error (15 bins of the top probability), when the card measured it. */
  ece?: number
}

/** A card's metrics on the sets of real faces beyond FER2013 (CK+48, muxspace), per split, where it measured them. */
export type RealFaceMetrics = Partial<Record<'ckplus48' | 'muxspace', { val?: SplitMetrics; test?: SplitMetrics }>>

/** What the renderer needs to know about a model; derived from its JSON card in resources/models. */
export interface ModelInfo {
  id: string
  name: string
  /** Input size the renderer must crop faces to (grayscale, row-major). */
  inputWidth: number
  inputHeight: number
  /** Output order of the probabilities the model returns. */
  labels: string[]
  params: number
  flops: number
  metrics: { val?: SplitMetrics; test?: SplitMetrics }
  /** One line saying what the model is good at, when its card has one. */
  summary?: string
  /** Metrics on real faces beyond FER2013, where the card has them (the default model is chosen on their val splits). */
  realFaces?: RealFaceMetrics
  /** The temperature the app divides the logits by (calibrated confidence), when the card has one. */
  temperature?: number
}

/** One face of a frame: a grayscale crop already resized to the model's input size. */
export interface FaceCrop {
  /** Stable tracker id of the face. */
  faceId: number
  /** Where the face is in the source frame, in source pixels. */
  box: Box
  /** Width and height of `pixels`; must equal the model's input width and height. */
  width: number
  height: number
  /** Gray values 0..255, row-major, length width*height. */
  pixels: Uint8Array
}

/** All faces of one frame, classified as one batch. */
export interface ClassifyRequest {
  modelId: string
  frameIndex: number
  /** When set, main appends one session-log row per face to this session. */
  sessionId?: string
  /** A recorded video's frame time in ms; the session log's time column then follows the video. */
  mediaTimeMs?: number
  faces: FaceCrop[]
}

/** One face's result; `probabilities` follow the model's `labels` order and sum to 1. */
export interface FaceResult {
  faceId: number
  label: string
  confidence: number
  probabilities: number[]
}

/** The answer to a classify request. */
export interface ClassifyResponse {
  modelId: string
  executionProvider: string
  /** Wall time of the batch's preprocessing and session.run, in ms. */
  inferenceMs: number
  results: FaceResult[]
}

/** One execution provider attempt, in the order the fallback chain tried them. */
export interface ProviderAttempt {
  provider: string
  ok: boolean
  error?: string
}

/** Which execution provider inference runs on, and why the ones before it failed. */
export interface InferenceStatus {
  /** Provider in use for loaded models, or null before the first model loads. */
  executionProvider: string | null
  attempts: ProviderAttempt[]
  /** True when the chain fell back to CPU though a faster provider was tried. */
  fellBackToCpu: boolean
}

/** Options for a new session log. */
export interface SessionStartOptions {
  /** A human-readable description of the source ("Webcam: HD Camera", "Screen 1"). */
  source: string
  modelId: string
}

/** A session log being written. */
export interface SessionInfo {
  id: string
  startedAt: string
  path: string
}

/** A finished session log. */
export interface SessionSummary {
  id: string
  rows: number
  path: string
}

/** The result of exporting a session log through the save dialog. */
export interface ExportResult {
  saved: boolean
  path?: string
  rows?: number
}

/** Application facts shown in the UI. */
export interface AppInfo {
  version: string
  platform: string
  userDataPath: string
  modelsPath: string
}

/**
 * CPU the app's processes used since the previous reading (Electron's app.getAppMetrics()), so a
 * user sees what analysis costs beside their call.
 */
export interface AppCpuUsage {
  /** Sum over the app's processes, in percent of one core (200 means two cores fully busy). */
  totalPercent: number
  /** Each process's share, by Electron's process type (Browser is main, Tab a window, GPU, Utility). */
  processes: { type: string; percent: number }[]
  /** Logical cores of the machine, to read the total against. */
  cores: number
}

/** Renderer → main calls (ipcRenderer.invoke / ipcMain.handle): channel → signature. */
export interface InvokeChannels {
  'app:info': () => AppInfo
  'models:list': () => ModelInfo[]
  'inference:status': () => InferenceStatus
  /** null where the host cannot measure its processes (the e2e harness has no Electron). */
  'app:cpu-usage': () => AppCpuUsage | null
  'inference:classify': (request: ClassifyRequest) => ClassifyResponse
  'session:start': (options: SessionStartOptions) => SessionInfo
  'session:stop': (sessionId: string) => SessionSummary
  'session:export': (sessionId: string) => ExportResult
  // Desktop capture and the overlay (issue 4); types below, validation in src/main/desktop-ipc.ts.
  'capture:list-sources': () => DesktopSource[]
  'capture:select': (selection: CaptureSelection) => CaptureTarget
  'capture:pick-region': () => Box | null
  'capture:release': () => void
  'region:submit': (rect: Box | null) => void
  'overlay:publish': (frame: OverlayFrame) => void
  'analysis:set-state': (state: AnalysisState) => void
  'consent:get': () => ConsentState
  'consent:acknowledge': () => ConsentState
  // The in-app Compare view (issue 5): runs the benchmark in Electron utility processes; one run at a time.
  'bench:run': (request: BenchRunRequest) => BenchRunResult
  // The session library: logged sessions in the user-data folder, their faces' names, folder exports.
  'session:list': () => SessionEntry[]
  'session:open': (sessionId: string) => SessionRecord
  'session:delete': (sessionId: string) => void
  'session:name-face': (request: FaceNameRequest) => SessionFaces
  'session:merge-faces': (request: FaceMergeRequest) => SessionFaces
  'session:export-folder': (request: FolderExportRequest) => FolderExportResult
}

/** Names one face of a session; an empty name removes the name. */
export interface FaceNameRequest {
  sessionId: string
  faceId: number
  name: string
}

/** Merges face `from` into face `into` (one person the tracker gave two ids). */
export interface FaceMergeRequest {
  sessionId: string
  from: number
  into: number
}

/** Exports a session into a folder the user picks: raw CSV, summary CSV and these charts. */
export interface FolderExportRequest {
  sessionId: string
  charts: ChartFile[]
}

/** Main → renderer events (webContents.send / ipcRenderer.on): channel → payload. */
export interface EventChannels {
  /** A session log could not be written (disk full, path gone); the session stopped, rows so far are kept. */
  'session:error': { sessionId: string; message: string }
  /** The captured window closed, a screen was unplugged or capture was revoked; the run must stop, its log kept. */
  'capture:source-lost': { sourceId: string; message: string }
  /** Window following changed: following, hidden (minimised), or unavailable (bounds unreadable). */
  'capture:follow': { sourceId: string; phase: 'waiting' | 'following' | 'hidden' | 'closed' | 'unavailable'; message?: string }
  /** The tray or the global shortcut paused or resumed analysis. */
  'analysis:paused': { paused: boolean }
  /** Labels for the overlay window, already in its CSS pixels. */
  'overlay:update': OverlayUpdate
  /** One progress step of the benchmark that 'bench:run' started. */
  'bench:progress': BenchProgressEvent
}

/** Name of a renderer → main channel. */
export type InvokeChannel = keyof InvokeChannels
/** Name of a main → renderer event. */
export type EventChannel = keyof EventChannels

/** The arguments a renderer → main channel takes. */
export type InvokeArgs<K extends InvokeChannel> = Parameters<InvokeChannels[K]>

/** The value a renderer → main channel answers with (inside an IpcResult). */
export type InvokeValue<K extends InvokeChannel> = ReturnType<InvokeChannels[K]>

/** Every renderer → main channel, so registries can prove at compile time that they cover all of them. */
export const INVOKE_CHANNELS = [
  'app:info',
  'models:list',
  'inference:status',
  'app:cpu-usage',
  'inference:classify',
  'session:start',
  'session:stop',
  'session:export',
  'capture:list-sources',
  'capture:select',
  'capture:pick-region',
  'capture:release',
  'region:submit',
  'overlay:publish',
  'analysis:set-state',
  'consent:get',
  'consent:acknowledge',
  'bench:run',
  'session:list',
  'session:open',
  'session:delete',
  'session:name-face',
  'session:merge-faces',
  'session:export-folder'
] as const satisfies readonly InvokeChannel[]

/** What crosses the wire for every invoke: main never rejects, it answers a result. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } }

/** Machine-readable error codes main answers with. */
export type IpcErrorCode =
  | 'invalid-sender'
  | 'invalid-argument'
  | 'unknown-model'
  | 'model-load-failed'
  | 'inference-failed'
  | 'unknown-session'
  | 'session-write-failed'
  /** The session is still running; stop it before deleting it. */
  | 'session-busy'
  | 'unknown-source'
  | 'capture-unavailable'
  /** A benchmark is already running; the Compare view runs one at a time. */
  | 'bench-busy'
  /** The benchmark process failed; the message carries its last error line. */
  | 'bench-failed'
  /** This host cannot run the benchmark (no bench service attached). */
  | 'bench-unavailable'
  /** A file the app keeps in its user-data folder (consent.json) cannot be written, e.g. a folder stands in its place. */
  | 'storage-failed'
  | 'internal'

/** Limits main enforces on classify requests. */
export const IPC_LIMITS = {
  maxFacesPerRequest: 64,
  maxCropSide: 256,
  maxModelIdLength: 64,
  maxSourceLength: 256,
  /** Box coordinates and sizes must lie within ±this many source pixels (8K is 7680 wide). */
  maxBoxCoordinate: 65_536,
  maxSessionIdLength: 64
} as const

// ---- Desktop capture and the overlay window (issue 4) ----

/** A screen or window that desktopCapturer can capture. */
export interface DesktopSource {
  /** desktopCapturer's id: "screen:<n>:0" or "window:<native id>:0". */
  id: string
  kind: 'screen' | 'window'
  name: string
  /** The display a screen source shows (Electron's display id), null for windows. */
  displayId: string | null
  /** A small preview as a data: URL (PNG). */
  thumbnail: string
  /** The owning application's icon as a data: URL, where the OS gives one. */
  appIcon: string | null
}

/** What the renderer asks main to capture next; getDisplayMedia then delivers exactly this source. */
export interface CaptureSelection {
  sourceId: string
  /** For region mode: the dragged rectangle in desktop DIP; the source must be a screen. */
  region?: Box
}

/** Main's answer to a selection: what the stream will show and how the overlay follows it. */
export interface CaptureTarget {
  sourceId: string
  kind: 'screen' | 'window' | 'region'
  name: string
  /** For region mode: the region actually captured (clipped to one display), in desktop DIP. */
  region: Box | null
  /** For region mode: the scale factor of its display, for the renderer's crop. */
  display: { bounds: Box; scaleFactor: number } | null
  /** Whether the overlay can follow a window source; 'not-needed' for screens and regions. */
  follow: 'following' | 'unavailable' | 'not-needed'
  /** Why following is unavailable, for the UI ("use region mode instead"). */
  followMessage?: string
  /** True when the overlay window is excluded from capture (setContentProtection) on this OS. */
  overlayExcludedFromCapture: boolean
}

/** One face as the overlay shows it, in frame pixels of the analysed (cropped) frame. */
export interface OverlayFace {
  id: number
  box: Box
  label: string | null
  confidence: number
}

/** One processed frame for the overlay. */
export interface OverlayFrame {
  /** Size of the stream's frames before any region crop. */
  sourceWidth: number
  sourceHeight: number
  faces: OverlayFace[]
}

/** One label as the overlay page draws it, in the overlay window's CSS pixels. */
export interface OverlayLabel {
  id: number
  box: Box
  label: string | null
  confidence: number
}

/** What the overlay page shows. */
export interface OverlayUpdate {
  labels: OverlayLabel[]
  paused: boolean
}

/** What the renderer tells main about the run, for the tray menu and the analysing indicator. */
export interface AnalysisState {
  running: boolean
  paused: boolean
}

/** Whether the user acknowledged the first-run consent notice. */
export interface ConsentState {
  acknowledged: boolean
  /** ISO time of the acknowledgement. */
  acknowledgedAt: string | null
  /** Version of the notice text; a new text asks again. */
  version: number
}

/** Limits main enforces on desktop-capture calls. */
export const DESKTOP_LIMITS = {
  maxSourceIdLength: 128,
  maxOverlayFaces: 256,
  maxLabelLength: 64
} as const

/**
 * The message of the 'capture-unavailable' error a host without desktop services answers (the
 * Chromium e2e harness of issue 2); the renderer then hides desktop sources instead of reporting it.
 */
export const NO_DESKTOP_MESSAGE = 'screen and window capture are not available in this host'

/** True for the error a host without desktop services answers, as the preload rethrows it. */
export function isNoDesktopError(error: unknown): boolean {
  return error instanceof Error && error.message === `capture-unavailable: ${NO_DESKTOP_MESSAGE}`
}
