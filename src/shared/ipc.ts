/**
 * The one IPC contract between renderer and main. Every channel is a key of one of the two
 * interfaces below; nothing else may call ipcMain/ipcRenderer directly. Main validates every
 * argument of every invoke channel (see src/main/ipc-validate.ts) before a handler sees it.
 */

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
}

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

/** Renderer → main calls (ipcRenderer.invoke / ipcMain.handle): channel → signature. */
export interface InvokeChannels {
  'app:info': () => AppInfo
  'models:list': () => ModelInfo[]
  'inference:status': () => InferenceStatus
  'inference:classify': (request: ClassifyRequest) => ClassifyResponse
  'session:start': (options: SessionStartOptions) => SessionInfo
  'session:stop': (sessionId: string) => SessionSummary
  'session:export': (sessionId: string) => ExportResult
}

/** Main → renderer events (webContents.send / ipcRenderer.on): channel → payload. */
export interface EventChannels {
  /** A session log could not be written (disk full, path gone); the session stopped, rows so far are kept. */
  'session:error': { sessionId: string; message: string }
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
  'inference:classify',
  'session:start',
  'session:stop',
  'session:export'
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
