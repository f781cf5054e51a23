/**
 * The one IPC contract between the windows and main, declared once. Each channel is one entry of
 * INVOKE_CONTRACT (renderer → main calls) or EVENT_CONTRACT (main → renderer events) saying which
 * window kinds use it, the preload method that exposes it, and its arguments as valibot schemas.
 * Everything else is derived from these two tables: the argument types below (v.InferOutput), main's
 * validators (src/main/ipc/ipc-validate.ts), the per-window allowlists (src/shared/window-channels.ts)
 * and each window's preload API (src/preload/api.ts). How to add a channel: docs/ipc.md.
 *
 * What main receives is checked against the schemas; what main sends (answers and events) is our
 * own code's output, so the contract names its TypeScript type without a runtime check.
 */
import * as v from 'valibot'
import { BenchRunRequestSchema, type BenchProgressEvent, type BenchRunResult } from './bench-report'
import { DetectorSettingsSchema } from './detection/detector-settings'
import { SESSION_LIBRARY_LIMITS, type ChartFile, type FolderExportResult, type SessionEntry, type SessionFaces, type SessionRecord } from './session-data'
import type { FaceFraming } from './face-crop'
import { bool, boundedString, denseArray, finite, integer, plainObject, uint8Array, unique } from './schema-rules'

/** The kinds of window the app opens. */
export type WindowKind = 'main' | 'overlay' | 'selector'

/** Every window kind, for checks that go over all of them. */
export const WINDOW_KINDS = ['main', 'overlay', 'selector'] as const satisfies readonly WindowKind[]

/** Limits main enforces on classify requests. */
export const IPC_LIMITS = {
  maxFacesPerRequest: 64,
  maxCropSide: 256,
  maxModelIdLength: 64,
  maxSourceLength: 256,
  /** Box coordinates and sizes must lie within ±this many source pixels (8K is 7680 wide). */
  maxBoxCoordinate: 65_536,
  maxSessionIdLength: 64,
  /** Longest file path main accepts back from a window ("Show in folder"); Linux's PATH_MAX. */
  maxPathLength: 4096
} as const

/** Limits main enforces on desktop-capture calls. */
export const DESKTOP_LIMITS = {
  maxSourceIdLength: 128,
  maxOverlayFaces: 256,
  maxLabelLength: 64
} as const

/** Model ids are also file names and CSV cells, so they stay plain. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i

/** Session ids are file names and IPC arguments: letters, digits and dashes only. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/

// desktopCapturer ids: "screen:0:0", "window:12345:0"; nothing else reaches the display-media handler.
const SOURCE_ID_PATTERN = /^(screen|window):[0-9A-Za-z_-]+:[0-9]+$/

// ---- Argument schemas: what main accepts, and (by v.InferOutput) the types both sides use. ----

const ModelIdSchema = boundedString(IPC_LIMITS.maxModelIdLength, MODEL_ID_PATTERN)
const SessionIdSchema = boundedString(IPC_LIMITS.maxSessionIdLength, SESSION_ID_PATTERN)
const FaceIdSchema = integer(0, Number.MAX_SAFE_INTEGER)
const coordinate = finite(-IPC_LIMITS.maxBoxCoordinate, IPC_LIMITS.maxBoxCoordinate)
const size = finite(0, IPC_LIMITS.maxBoxCoordinate)

/** An axis-aligned box with a positive size, in source (capture) pixels or desktop DIP. */
export const BoxSchema = v.pipe(
  plainObject({ x: coordinate, y: coordinate, width: size, height: size }),
  v.check((box) => box.width > 0 && box.height > 0, 'must have a positive width and height')
)
/** An axis-aligned box in source (capture) pixels. */
export type Box = v.InferOutput<typeof BoxSchema>

/**
 * One face of a frame: a grayscale crop already resized to the model's input size. Its
 * width/height must also equal the model's input (main checks that against the loaded cards).
 */
export const FaceCropSchema = v.pipe(
  plainObject({
    /** Stable tracker id of the face. */
    faceId: FaceIdSchema,
    /** Where the face is in the source frame, in source pixels. */
    box: BoxSchema,
    /** Width and height of `pixels`. */
    width: integer(1, IPC_LIMITS.maxCropSide),
    height: integer(1, IPC_LIMITS.maxCropSide),
    /** Gray values 0..255, row-major, length width*height. */
    pixels: uint8Array
  }),
  v.check(
    (face) => face.pixels.length === face.width * face.height,
    (issue) => {
      const face = issue.input as { width: number; height: number; pixels: Uint8Array }
      return `.pixels has ${face.pixels.length} values, expected ${face.width * face.height}`
    }
  )
)
/** One face of a frame: a grayscale crop already resized to the model's input size. */
export type FaceCrop = v.InferOutput<typeof FaceCropSchema>

/** All faces of one frame, classified as one batch. */
export const ClassifyRequestSchema = plainObject({
  modelId: ModelIdSchema,
  frameIndex: integer(0, Number.MAX_SAFE_INTEGER),
  /** When set, main appends one session-log row per face to this session. */
  sessionId: v.optional(SessionIdSchema),
  /** A recorded video's frame time in ms; the session log's time column then follows the video. */
  mediaTimeMs: v.optional(finite(0, SESSION_LIBRARY_LIMITS.maxMediaTimeMs)),
  // Rows and labels are keyed by face id, so a batch names each face once.
  faces: v.pipe(
    denseArray(FaceCropSchema, IPC_LIMITS.maxFacesPerRequest),
    unique((face: FaceCrop) => face.faceId)
  )
})
/** All faces of one frame, classified as one batch. */
export type ClassifyRequest = v.InferOutput<typeof ClassifyRequestSchema>

/** Options for a new session log. */
export const SessionStartOptionsSchema = plainObject({
  /** A human-readable description of the source ("Webcam: HD Camera", "Screen 1"). */
  source: boundedString(IPC_LIMITS.maxSourceLength),
  modelId: ModelIdSchema
})
/** Options for a new session log. */
export type SessionStartOptions = v.InferOutput<typeof SessionStartOptionsSchema>

// Control characters (C0, DEL, C1) would break a CSV row or the UI; line and paragraph separators
// start a new line; bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) reorder
// how the name and the text after it display ("\u202Eevil" shows as "live"); a lone surrogate is no
// character at all and becomes U+FFFD in a UTF-8 file.
const UNSAFE_NAME_CHARACTER = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u

/** What makes a face name unsafe to show or store ("a lone surrogate U+D83D"), or undefined for a plain name. */
export function unsafeNameCharacter(name: string): string | undefined {
  const found = UNSAFE_NAME_CHARACTER.exec(name)?.[0]
  if (found === undefined) return undefined
  const code = found.codePointAt(0) ?? 0
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  if (code >= 0xd800 && code <= 0xdfff) return `a lone surrogate ${hex}`
  if (code === 0x2028 || code === 0x2029) return `a line break ${hex}`
  if (code <= 0x9f) return `a control character ${hex}`
  return `a text-direction control ${hex}, which can make a name display reversed`
}

/** Names one face of a session; an empty name removes the name. */
export const FaceNameRequestSchema = plainObject({
  sessionId: SessionIdSchema,
  faceId: FaceIdSchema,
  name: v.pipe(
    v.string('must be a string'),
    v.maxLength(SESSION_LIBRARY_LIMITS.maxFaceNameLength, `must be at most ${SESSION_LIBRARY_LIMITS.maxFaceNameLength} characters long`),
    v.check(
      (name) => unsafeNameCharacter(name) === undefined,
      (issue) => `has ${unsafeNameCharacter(String(issue.input)) ?? 'a character that is not allowed'}; a name is plain text on one line`
    )
  )
})
/** Names one face of a session; an empty name removes the name. */
export type FaceNameRequest = v.InferOutput<typeof FaceNameRequestSchema>

/** Merges face `from` into face `into` (one person the tracker gave two ids). */
export const FaceMergeRequestSchema = v.pipe(
  plainObject({ sessionId: SessionIdSchema, from: FaceIdSchema, into: FaceIdSchema }),
  v.check((request) => request.from !== request.into, 'must name two different faces in from and into')
)
/** Merges face `from` into face `into` (one person the tracker gave two ids). */
export type FaceMergeRequest = v.InferOutput<typeof FaceMergeRequestSchema>

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** One chart of a folder export, as an SVG document and a PNG image (session-data.ts's ChartFile). */
export const ChartFileSchema: v.GenericSchema<unknown, ChartFile> = plainObject({
  name: v.pipe(
    boundedString(SESSION_LIBRARY_LIMITS.maxChartNameLength, /^[A-Za-z0-9_-]+$/),
    // The two names the export writes itself must not be overwritten by a chart.
    v.check((name) => name !== 'session' && name !== 'summary', (issue) => `"${String(issue.input)}" is reserved`)
  ),
  svg: v.pipe(
    boundedString(SESSION_LIBRARY_LIMITS.maxSvgLength),
    v.regex(/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/, 'is not an SVG document')
  ),
  png: v.pipe(
    uint8Array,
    v.check((png) => png.length <= SESSION_LIBRARY_LIMITS.maxPngBytes, `is larger than ${SESSION_LIBRARY_LIMITS.maxPngBytes} bytes`),
    v.check((png) => PNG_SIGNATURE.every((b, i) => png[i] === b), 'is not a PNG image')
  )
})

/** Exports a session into a folder the user picks: raw CSV, summary CSV and these charts. */
export const FolderExportRequestSchema = plainObject({
  sessionId: SessionIdSchema,
  charts: v.pipe(
    denseArray(ChartFileSchema, SESSION_LIBRARY_LIMITS.maxCharts),
    // Without regard to case: "Timeline" and "timeline" would be one file on macOS and Windows.
    unique((chart: ChartFile) => chart.name.toLowerCase(), 'name')
  )
})
/** Exports a session into a folder the user picks: raw CSV, summary CSV and these charts. */
export type FolderExportRequest = v.InferOutput<typeof FolderExportRequestSchema>

/** What the renderer asks main to capture next; getDisplayMedia then delivers exactly this source. */
export const CaptureSelectionSchema = plainObject({
  sourceId: boundedString(DESKTOP_LIMITS.maxSourceIdLength, SOURCE_ID_PATTERN, 'is not a screen or window source id'),
  /** For region mode: the dragged rectangle in desktop DIP; the source must be a screen. */
  region: v.optional(BoxSchema)
})
/** What the renderer asks main to capture next; getDisplayMedia then delivers exactly this source. */
export type CaptureSelection = v.InferOutput<typeof CaptureSelectionSchema>

/** The rates the Video view offers: frames analysed per second of video. */
export const VIDEO_FRAME_RATES = [1, 2, 5, 10] as const

/** The kinds of capture source the picker offers (src/renderer/src/lib/capture-sources.ts). */
export const SOURCE_KINDS = ['webcam', 'screen', 'window', 'region'] as const

// Picker ids: "webcam:<deviceId>", or a desktopCapturer id for screens, windows and regions.
const SOURCE_CHOICE_ID_PATTERN = /^(webcam:[A-Za-z0-9._=+/-]*|(screen|window):[0-9A-Za-z_-]+:[0-9]+|region:select)$/

/** The last capture source: its kind, and the picker id to select again while that source still exists. */
export const SourceChoiceSchema = plainObject({
  kind: v.picklist(SOURCE_KINDS, `must be one of ${SOURCE_KINDS.join(', ')}`),
  id: boundedString(DESKTOP_LIMITS.maxSourceIdLength, SOURCE_CHOICE_ID_PATTERN, 'is not a webcam, screen or window id')
})
/** The last capture source: its kind, and the picker id to select again while that source still exists. */
export type SourceChoice = v.InferOutput<typeof SourceChoiceSchema>

/**
 * What the main window remembers between runs (main keeps it in <userData>/settings.json,
 * src/main/settings). Every key is optional: a save sends what it has, main keeps the rest.
 */
export const UserSettingsSchema = plainObject({
  modelId: v.optional(ModelIdSchema),
  source: v.optional(SourceChoiceSchema),
  detector: v.optional(DetectorSettingsSchema),
  videoFramesPerSecond: v.optional(v.picklist(VIDEO_FRAME_RATES, `must be one of ${VIDEO_FRAME_RATES.join(', ')}`))
})
/** What the main window remembers between runs. */
export type UserSettings = v.InferOutput<typeof UserSettingsSchema>

/** The saved settings at start, and a sentence for the user when the settings file could not be used. */
export interface SettingsState {
  settings: UserSettings
  notice: string | null
}

/** One face as the overlay shows it, in frame pixels of the analysed (cropped) frame. */
export const OverlayFaceSchema = plainObject({
  id: FaceIdSchema,
  box: BoxSchema,
  label: v.nullable(boundedString(DESKTOP_LIMITS.maxLabelLength)),
  confidence: finite(0, 1)
})
/** One face as the overlay shows it, in frame pixels of the analysed (cropped) frame. */
export type OverlayFace = v.InferOutput<typeof OverlayFaceSchema>

/** One processed frame for the overlay. */
export const OverlayFrameSchema = plainObject({
  /** Size of the stream's frames before any region crop. */
  sourceWidth: finite(1, IPC_LIMITS.maxBoxCoordinate),
  sourceHeight: finite(1, IPC_LIMITS.maxBoxCoordinate),
  // The overlay page keys its labels by id; a repeated id would leave a stale label behind.
  faces: v.pipe(
    denseArray(OverlayFaceSchema, DESKTOP_LIMITS.maxOverlayFaces),
    unique((face: OverlayFace) => face.id)
  )
})
/** One processed frame for the overlay. */
export type OverlayFrame = v.InferOutput<typeof OverlayFrameSchema>

/** What the renderer tells main about the run, for the tray menu and the analysing indicator. */
export const AnalysisStateSchema = plainObject({ running: bool, paused: bool })
/** What the renderer tells main about the run, for the tray menu and the analysing indicator. */
export type AnalysisState = v.InferOutput<typeof AnalysisStateSchema>

// ---- Types of what main sends: answers and event payloads (not checked at run time). ----

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
  /** How the renderer cuts the crop around a detector box (from the model's card). */
  framing: FaceFraming
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
  /** Mean of accuracy and macro-F1 on the card's call-conditions val rows at 70 and 100 px (faces as small as a call shows them), when it has them. */
  smallFaceScore?: number
}

/** One face's result; `probabilities` follow the model's `labels` order and sum to 1. */
export interface FaceResult {
  faceId: number
  label: string
  confidence: number
  probabilities: number[]
  /**
   * The face's smoothed probabilities after this result, in the same order, when the call logs to a
   * session: the session's one smoothing, whose top label is the row's smoothed_label.
   */
  smoothed?: number[]
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

/** A provider the chain leaves out though this machine could run it, and why (e.g. CUDA libraries not installed). */
export interface SkippedProvider {
  provider: string
  reason: string
}

/** Which execution provider inference runs on, and why the ones before it failed or were not tried. */
export interface InferenceStatus {
  /** Provider in use for loaded models, or null before the first model loads. */
  executionProvider: string | null
  attempts: ProviderAttempt[]
  /** Providers not in the chain, with the reason and the fix. */
  skipped: SkippedProvider[]
  /** True when the chain fell back to CPU though a faster provider was tried. */
  fellBackToCpu: boolean
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

/** Whether the user acknowledged the first-run consent notice. */
export interface ConsentState {
  acknowledged: boolean
  /** ISO time of the acknowledgement. */
  acknowledgedAt: string | null
  /** Version of the notice text; a new text asks again. */
  version: number
}

// ---- The contract. ----

/** A type the contract names but main does not check at run time: answers and events main sends. */
export interface Typed<T> {
  readonly type?: T
}

/** Names a type in the contract (see Typed). */
export const typed = <T>(): Typed<T> => ({})

/** One named argument of an invoke channel; the name heads main's error messages ("request.faces[1] is a hole"). */
export interface Arg<S extends v.GenericSchema = v.GenericSchema> {
  name: string
  schema: S
}

/** Declares one argument of an invoke channel. */
export const arg = <S extends v.GenericSchema>(name: string, schema: S): Arg<S> => ({ name, schema })

/** One renderer → main call: who may call it, its preload method, its arguments and its answer. */
export interface InvokeEntry {
  /** The window kinds whose preload exposes the call; main refuses it from any other window. */
  windows: readonly WindowKind[]
  /** The method's name on the window's preload API (window.api.classifyFaces). */
  method: string
  args: readonly Arg[]
  returns: Typed<unknown>
}

/** One main → renderer event: who hears it, its preload subscription method and its payload. */
export interface EventEntry {
  /** The window kinds main sends it to and whose preload can subscribe to it. */
  windows: readonly WindowKind[]
  /** The subscription's name on the window's preload API (window.api.onSessionError). */
  method: string
  payload: Typed<unknown>
}

/** Every renderer → main call (ipcRenderer.invoke / ipcMain.handle). */
export const INVOKE_CONTRACT = {
  'app:info': { windows: ['main'], method: 'getAppInfo', args: [], returns: typed<AppInfo>() },
  'models:list': { windows: ['main'], method: 'listModels', args: [], returns: typed<ModelInfo[]>() },
  'inference:status': { windows: ['main'], method: 'getInferenceStatus', args: [], returns: typed<InferenceStatus>() },
  // null where the host cannot measure its processes (the e2e harness has no Electron).
  'app:cpu-usage': { windows: ['main'], method: 'getCpuUsage', args: [], returns: typed<AppCpuUsage | null>() },
  'inference:classify': { windows: ['main'], method: 'classifyFaces', args: [arg('request', ClassifyRequestSchema)], returns: typed<ClassifyResponse>() },
  'session:start': { windows: ['main'], method: 'startSession', args: [arg('options', SessionStartOptionsSchema)], returns: typed<SessionInfo>() },
  'session:stop': { windows: ['main'], method: 'stopSession', args: [arg('sessionId', SessionIdSchema)], returns: typed<SessionSummary>() },
  'session:export': { windows: ['main'], method: 'exportSession', args: [arg('sessionId', SessionIdSchema)], returns: typed<ExportResult>() },
  // Desktop capture and the overlay; implemented in src/main/ipc/desktop-ipc.ts.
  'capture:list-sources': { windows: ['main'], method: 'listDesktopSources', args: [], returns: typed<DesktopSource[]>() },
  'capture:select': { windows: ['main'], method: 'selectCaptureSource', args: [arg('selection', CaptureSelectionSchema)], returns: typed<CaptureTarget>() },
  'capture:pick-region': { windows: ['main'], method: 'pickRegion', args: [], returns: typed<Box | null>() },
  'capture:release': { windows: ['main'], method: 'releaseCapture', args: [], returns: typed<void>() },
  // The region selector's one call: the dragged rectangle, or null when cancelled.
  'region:submit': { windows: ['selector'], method: 'submitRegion', args: [arg('rect', v.nullable(BoxSchema))], returns: typed<void>() },
  'overlay:publish': { windows: ['main'], method: 'publishOverlay', args: [arg('frame', OverlayFrameSchema)], returns: typed<void>() },
  'analysis:set-state': { windows: ['main'], method: 'setAnalysisState', args: [arg('state', AnalysisStateSchema)], returns: typed<void>() },
  'consent:get': { windows: ['main'], method: 'getConsent', args: [], returns: typed<ConsentState>() },
  'consent:acknowledge': { windows: ['main'], method: 'acknowledgeConsent', args: [], returns: typed<ConsentState>() },
  // Settings that persist (src/main/settings/settings-store.ts): read once at start, saved on change.
  'settings:get': { windows: ['main'], method: 'getSettings', args: [], returns: typed<SettingsState>() },
  'settings:update': { windows: ['main'], method: 'updateSettings', args: [arg('settings', UserSettingsSchema)], returns: typed<UserSettings>() },
  // The in-app Compare view: runs the benchmark in Electron utility processes; one run at a time.
  'bench:run': { windows: ['main'], method: 'runBench', args: [arg('request', BenchRunRequestSchema)], returns: typed<BenchRunResult>() },
  // The session library: logged sessions in the user-data folder, their faces' names, folder exports.
  'session:list': { windows: ['main'], method: 'listSessions', args: [], returns: typed<SessionEntry[]>() },
  'session:open': { windows: ['main'], method: 'openSession', args: [arg('sessionId', SessionIdSchema)], returns: typed<SessionRecord>() },
  'session:delete': { windows: ['main'], method: 'deleteSession', args: [arg('sessionId', SessionIdSchema)], returns: typed<void>() },
  'session:name-face': { windows: ['main'], method: 'nameFace', args: [arg('request', FaceNameRequestSchema)], returns: typed<SessionFaces>() },
  'session:merge-faces': { windows: ['main'], method: 'mergeFaces', args: [arg('request', FaceMergeRequestSchema)], returns: typed<SessionFaces>() },
  'session:export-folder': { windows: ['main'], method: 'exportSessionFolder', args: [arg('request', FolderExportRequestSchema)], returns: typed<FolderExportResult>() },
  // Reveals an export in the OS file manager; main accepts only a path it exported to in this run (src/main/ipc/export-ipc.ts).
  'app:show-in-folder': { windows: ['main'], method: 'showInFolder', args: [arg('path', boundedString(IPC_LIMITS.maxPathLength))], returns: typed<void>() }
} as const satisfies Record<string, InvokeEntry>

/** Every main → renderer event (webContents.send / ipcRenderer.on). */
export const EVENT_CONTRACT = {
  /** A session log could not be written (disk full, path gone); the session stopped, rows so far are kept. */
  'session:error': { windows: ['main'], method: 'onSessionError', payload: typed<{ sessionId: string; message: string }>() },
  /** The captured window closed, a screen was unplugged or capture was revoked; the run must stop, its log kept. */
  'capture:source-lost': { windows: ['main'], method: 'onSourceLost', payload: typed<{ sourceId: string; message: string }>() },
  /** Window following changed: following, hidden (minimised), or unavailable (bounds unreadable). */
  'capture:follow': {
    windows: ['main'],
    method: 'onFollowChange',
    payload: typed<{ sourceId: string; phase: 'waiting' | 'following' | 'hidden' | 'closed' | 'unavailable'; message?: string }>()
  },
  /** The tray or the global shortcut paused or resumed analysis. */
  'analysis:paused': { windows: ['main'], method: 'onPausedChange', payload: typed<{ paused: boolean }>() },
  /** Labels for the overlay window, already in its CSS pixels. */
  'overlay:update': { windows: ['overlay'], method: 'onOverlayUpdate', payload: typed<OverlayUpdate>() },
  /** One progress step of the benchmark that 'bench:run' started. */
  'bench:progress': { windows: ['main'], method: 'onBenchProgress', payload: typed<BenchProgressEvent>() }
} as const satisfies Record<string, EventEntry>

/** The invoke table's type, for code that derives from it. */
export type InvokeContract = typeof INVOKE_CONTRACT
/** The event table's type, for code that derives from it. */
export type EventContract = typeof EVENT_CONTRACT

/** Name of a renderer → main channel. */
export type InvokeChannel = keyof InvokeContract
/** Name of a main → renderer event. */
export type EventChannel = keyof EventContract

type ArgValues<A extends readonly Arg[]> = { -readonly [I in keyof A]: A[I] extends Arg<infer S> ? v.InferOutput<S> : never }
type TypeOf<T> = T extends Typed<infer U> ? U : never

/** The arguments a renderer → main channel takes (the outputs of its argument schemas). */
export type InvokeArgs<K extends InvokeChannel> = ArgValues<InvokeContract[K]['args']>

/** The value a renderer → main channel answers with (inside an IpcResult). */
export type InvokeValue<K extends InvokeChannel> = TypeOf<InvokeContract[K]['returns']>

/** Renderer → main calls: channel → signature. */
export type InvokeChannels = { [K in InvokeChannel]: (...args: InvokeArgs<K>) => InvokeValue<K> }

/** Main → renderer events: channel → payload. */
export type EventChannels = { [E in EventChannel]: TypeOf<EventContract[E]['payload']> }

/** Every renderer → main channel, in the contract's order. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.keys(INVOKE_CONTRACT) as InvokeChannel[]

/** Every main → renderer event, in the contract's order. */
export const EVENT_CHANNELS: readonly EventChannel[] = Object.keys(EVENT_CONTRACT) as EventChannel[]

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

/**
 * The message of the 'capture-unavailable' error a host without desktop services answers (the
 * Chromium e2e harness of issue 2); the renderer then hides desktop sources instead of reporting it.
 */
export const NO_DESKTOP_MESSAGE = 'screen and window capture are not available in this host'

/** True for the error a host without desktop services answers, as the preload rethrows it. */
export function isNoDesktopError(error: unknown): boolean {
  return error instanceof Error && error.message === `capture-unavailable: ${NO_DESKTOP_MESSAGE}`
}
