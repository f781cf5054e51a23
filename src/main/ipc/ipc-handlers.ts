import { INVOKE_CHANNELS, type AppCpuUsage, type AppInfo, type InvokeArgs, type InvokeChannel, type InvokeValue, type IpcResult } from '../../shared/ipc'
import { AppError, describeError } from '../app/app-error'
import type { BenchService } from '../bench/bench-service'
import { desktopImplementations, type DesktopServices } from './desktop-ipc'
import { exportImplementations } from './export-ipc'
import type { InferenceService } from '../inference/inference'
import { validateArgs, type ValidationContext } from './ipc-validate'
import type { SessionLibrary } from '../sessions/session-library'
import type { SessionLog } from '../sessions/session-log'
import type { SettingsStore } from '../settings/settings-store'
import { loggedClassify } from '../sessions/logged-classify'

/** What the handlers call; plain Node objects, so Electron and the e2e harness wire the same ones. */
export interface Services {
  appInfo(): AppInfo
  /** CPU of the app's processes since the last call; absent where the host cannot measure it. */
  cpuUsage?(): AppCpuUsage
  inference: Pick<InferenceService, 'listModels' | 'status' | 'classify' | 'getCard'>
  /** The owner of the live sessions: their files, names and smoothing. */
  sessions: Pick<SessionLog, 'start' | 'stop' | 'reserve'>
  /** Asks where to save an export (a save dialog in the app); undefined when the user cancels. */
  chooseExportPath(defaultName: string): Promise<string | undefined>
  /** Logged sessions in the user-data folder, running or not: list, open, name, export, delete. */
  library: Pick<SessionLibrary, 'list' | 'open' | 'delete' | 'nameFace' | 'mergeFaces' | 'assertExportable' | 'exportCsv' | 'exportFolder'>
  /** Asks where to export a session (a folder dialog in the app; a new folder named after the session is made there); undefined when the user cancels. */
  chooseExportFolder?(): Promise<string | undefined>
  log?: (message: string) => void
  /** Screen/window capture and the overlay; absent where the host has no desktop. */
  desktop?: DesktopServices
  /** The settings that persist (<userData>/settings.json); absent in hosts that test other parts alone. */
  settings?: Pick<SettingsStore, 'state' | 'update'>
  /** The Compare view's benchmark runner; absent where the bench CLI cannot run. */
  bench?: Pick<BenchService, 'run'>
}

/** One channel's handler: takes the raw wire arguments, always resolves to an IpcResult. */
export type Handler<K extends InvokeChannel> = (...args: unknown[]) => Promise<IpcResult<InvokeValue<K>>>

/** A handler for every invoke channel. */
export type Handlers = { [K in InvokeChannel]: Handler<K> }

type Implementations = { [K in InvokeChannel]: (...args: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K> }

function implementations(services: Services): Implementations {
  const { inference, sessions } = services
  const { library } = services
  const classifyAndLog = loggedClassify({
    classify: (request) => inference.classify(request),
    labelsOf: (modelId) => inference.getCard(modelId)?.labels,
    sessions
  })
  const settings = (): Pick<SettingsStore, 'state' | 'update'> => {
    if (!services.settings) throw new AppError('internal', 'settings are not available in this host')
    return services.settings
  }
  return {
    'app:info': () => services.appInfo(),
    'settings:get': () => settings().state(),
    'settings:update': (patch) => settings().update(patch),
    'models:list': () => inference.listModels(),
    'inference:status': () => inference.status(),
    'app:cpu-usage': () => services.cpuUsage?.() ?? null,
    'inference:classify': classifyAndLog,
    'session:start': (options) => sessions.start(options),
    'session:stop': (sessionId) => sessions.stop(sessionId),
    'session:export': async (sessionId) => {
      // The library reads the file, so sessions of earlier runs export too, with names and merges applied.
      await library.assertExportable(sessionId)
      const destination = await services.chooseExportPath(`emotions-${sessionId}.csv`)
      if (!destination) return { saved: false }
      return library.exportCsv(sessionId, destination)
    },
    'session:list': () => library.list(),
    'session:open': (sessionId) => library.open(sessionId),
    'session:delete': (sessionId) => library.delete(sessionId),
    'session:name-face': ({ sessionId, faceId, name }) => library.nameFace(sessionId, faceId, name),
    'session:merge-faces': ({ sessionId, from, into }) => library.mergeFaces(sessionId, from, into),
    'session:export-folder': async ({ sessionId, charts }) => {
      await library.assertExportable(sessionId)
      if (!services.chooseExportFolder) throw new AppError('internal', 'folder export is not available in this host')
      const folder = await services.chooseExportFolder()
      return folder ? library.exportFolder(sessionId, folder, charts) : { saved: false }
    },
    ...desktopImplementations(() => services.desktop),
    ...exportImplementations(() => services.desktop),
    'bench:run': (request) => {
      if (!services.bench) throw new AppError('bench-unavailable', 'the benchmark is not available in this build: neither the built bench (out/bench) nor its sources with tsx were found')
      return services.bench.run(request)
    }
  }
}

/**
 * The transport-agnostic handler registry: each handler validates its arguments, calls the
 * services and answers an IpcResult. It never throws: unknown failures become code 'internal'.
 */
export function createHandlers(services: Services): Handlers {
  const impl = implementations(services)
  const context: ValidationContext = {
    modelInput: (id) => {
      const card = services.inference.getCard(id)
      return card ? { width: card.input.width, height: card.input.height } : undefined
    }
  }
  const wrap = <K extends InvokeChannel>(channel: K): Handler<K> =>
    async (...args: unknown[]) => {
      try {
        const valid = validateArgs(channel, args, context)
        const run = impl[channel] as (...a: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K>
        return { ok: true, value: await run(...valid) }
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } }
        services.log?.(`[ipc] ${channel} failed: ${error instanceof Error ? error.stack : String(error)}`)
        return { ok: false, error: { code: 'internal', message: `${channel}: ${describeError(error)}` } }
      }
    }
  return Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, wrap(channel)])) as Handlers
}
