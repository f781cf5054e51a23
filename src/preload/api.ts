import type { BenchRunRequest } from '../shared/bench-report'
import type {
  AnalysisState,
  Box,
  CaptureSelection,
  ClassifyRequest,
  EventChannel,
  EventChannels,
  FaceMergeRequest,
  FaceNameRequest,
  FolderExportRequest,
  InvokeArgs,
  InvokeChannel,
  InvokeValue,
  IpcResult,
  OverlayFrame,
  SessionStartOptions
} from '../shared/ipc'

/** Sends one invoke and resolves to main's IpcResult (ipcRenderer.invoke in the app). */
export type Invoke = <K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>) => Promise<IpcResult<InvokeValue<K>>>

/** Listens to one main → renderer event; returns the function that stops listening. */
export type Subscribe = <E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void) => () => void

/** Unwraps main's answer: the value, or an Error whose message starts with the error code. */
function invoker<K extends InvokeChannel>(invoke: Invoke, channel: K) {
  return async (...args: InvokeArgs<K>): Promise<InvokeValue<K>> => {
    const result = await invoke(channel, ...args)
    if (result.ok) return result.value
    // Only the message survives contextBridge reliably, so the code goes into it.
    throw new Error(`${result.error.code}: ${result.error.message}`)
  }
}

/**
 * The main window's view of main: narrow, named methods over one transport. This module does not
 * import electron, so the e2e harness builds the identical API over a Playwright binding. Each
 * window kind has its own API with only the channels src/shared/window-channels.ts gives it.
 */
export function createApi(invoke: Invoke, subscribe: Subscribe) {
  const getAppInfo = invoker(invoke, 'app:info')
  const listModels = invoker(invoke, 'models:list')
  const getInferenceStatus = invoker(invoke, 'inference:status')
  const getCpuUsage = invoker(invoke, 'app:cpu-usage')
  const classify = invoker(invoke, 'inference:classify')
  const start = invoker(invoke, 'session:start')
  const stop = invoker(invoke, 'session:stop')
  const exportCsv = invoker(invoke, 'session:export')
  const listSources = invoker(invoke, 'capture:list-sources')
  const select = invoker(invoke, 'capture:select')
  const pickRegion = invoker(invoke, 'capture:pick-region')
  const release = invoker(invoke, 'capture:release')
  const publish = invoker(invoke, 'overlay:publish')
  const setAnalysis = invoker(invoke, 'analysis:set-state')
  const getConsent = invoker(invoke, 'consent:get')
  const acknowledgeConsent = invoker(invoke, 'consent:acknowledge')
  const runBench = invoker(invoke, 'bench:run')
  const listSessions = invoker(invoke, 'session:list')
  const openSession = invoker(invoke, 'session:open')
  const deleteSession = invoker(invoke, 'session:delete')
  const nameFace = invoker(invoke, 'session:name-face')
  const mergeFaces = invoker(invoke, 'session:merge-faces')
  const exportFolder = invoker(invoke, 'session:export-folder')
  return {
    getAppInfo: () => getAppInfo(),
    listModels: () => listModels(),
    getInferenceStatus: () => getInferenceStatus(),
    getCpuUsage: () => getCpuUsage(),
    classifyFaces: (request: ClassifyRequest) => classify(request),
    startSession: (options: SessionStartOptions) => start(options),
    stopSession: (sessionId: string) => stop(sessionId),
    exportSession: (sessionId: string) => exportCsv(sessionId),
    onSessionError: (callback: (event: EventChannels['session:error']) => void) => subscribe('session:error', callback),
    // Desktop capture and the overlay (issue 4).
    listDesktopSources: () => listSources(),
    selectCaptureSource: (selection: CaptureSelection) => select(selection),
    pickRegion: () => pickRegion(),
    releaseCapture: () => release(),
    publishOverlay: (frame: OverlayFrame) => publish(frame),
    setAnalysisState: (state: AnalysisState) => setAnalysis(state),
    getConsent: () => getConsent(),
    acknowledgeConsent: () => acknowledgeConsent(),
    onSourceLost: (callback: (event: EventChannels['capture:source-lost']) => void) => subscribe('capture:source-lost', callback),
    onFollowChange: (callback: (event: EventChannels['capture:follow']) => void) => subscribe('capture:follow', callback),
    onPausedChange: (callback: (event: EventChannels['analysis:paused']) => void) => subscribe('analysis:paused', callback),
    // The Compare view (issue 5).
    runBench: (request: BenchRunRequest) => runBench(request),
    onBenchProgress: (callback: (progress: EventChannels['bench:progress']) => void) => subscribe('bench:progress', callback),
    // The session library, names and folder exports.
    listSessions: () => listSessions(),
    openSession: (sessionId: string) => openSession(sessionId),
    deleteSession: (sessionId: string) => deleteSession(sessionId),
    nameFace: (request: FaceNameRequest) => nameFace(request),
    mergeFaces: (request: FaceMergeRequest) => mergeFaces(request),
    exportSessionFolder: (request: FolderExportRequest) => exportFolder(request)
  }
}

/** The overlay window's view of main: it only listens for the labels to draw. */
export function createOverlayApi(subscribe: Subscribe) {
  return {
    onOverlayUpdate: (callback: (update: EventChannels['overlay:update']) => void) => subscribe('overlay:update', callback)
  }
}

/** A region selector's view of main: it only answers the dragged rectangle (null when cancelled). */
export function createSelectorApi(invoke: Invoke) {
  const submitRegion = invoker(invoke, 'region:submit')
  return {
    submitRegion: (rect: Box | null) => submitRegion(rect)
  }
}

/** The API the main window's preload exposes as window.api. */
export type Api = ReturnType<typeof createApi>
/** The API the overlay's preload exposes as window.overlayApi. */
export type OverlayApi = ReturnType<typeof createOverlayApi>
/** The API a region selector's preload exposes as window.selectorApi. */
export type SelectorApi = ReturnType<typeof createSelectorApi>
