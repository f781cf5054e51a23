import type { AppInfo, InvokeArgs, InvokeChannel, InvokeValue, IpcResult } from '../shared/ipc'
import { AppError, describeError } from './app-error'
import type { BenchService } from './bench-service'
import { desktopImplementations, type DesktopServices } from './desktop-ipc'
import type { InferenceService } from './inference'
import { validators, type ValidationContext } from './ipc-validate'
import type { SessionLog } from './session-log'
import { toFaceRecords } from './session-rows'

/** What the handlers call; plain Node objects, so Electron and the e2e harness wire the same ones. */
export interface Services {
  appInfo(): AppInfo
  inference: Pick<InferenceService, 'listModels' | 'status' | 'classify' | 'getCard'>
  sessions: Pick<SessionLog, 'start' | 'stop' | 'reserve' | 'snapshot' | 'exportTo'>
  /** Asks where to save an export (a save dialog in the app); undefined when the user cancels. */
  chooseExportPath(defaultName: string): Promise<string | undefined>
  log?: (message: string) => void
  /** Screen/window capture and the overlay (issue 4); absent where the host has no desktop. */
  desktop?: DesktopServices
  /** The Compare view's benchmark runner (issue 5); absent where the bench CLI cannot run. */
  bench?: Pick<BenchService, 'run'>
}

/** One channel's handler: takes the raw wire arguments, always resolves to an IpcResult. */
export type Handler<K extends InvokeChannel> = (...args: unknown[]) => Promise<IpcResult<InvokeValue<K>>>

/** A handler for every invoke channel. */
export type Handlers = { [K in InvokeChannel]: Handler<K> }

type Implementations = { [K in InvokeChannel]: (...args: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K> }

function implementations(services: Services): Implementations {
  const { inference, sessions } = services
  return {
    'app:info': () => services.appInfo(),
    'models:list': () => inference.listModels(),
    'inference:status': () => inference.status(),
    'inference:classify': async (request) => {
      // Reserved before inference: a dead session fails before any inference is spent on it, and a
      // stop that arrives meanwhile waits for these rows instead of dropping them.
      const reservation = request.sessionId === undefined ? undefined : sessions.reserve(request.sessionId)
      let response
      try {
        response = await inference.classify(request)
      } catch (error) {
        reservation?.cancel()
        throw error
      }
      const card = inference.getCard(request.modelId)
      if (reservation && card) reservation.commit(toFaceRecords(request, response, card.labels))
      else reservation?.cancel()
      return response
    },
    'session:start': (options) => sessions.start(options),
    'session:stop': (sessionId) => sessions.stop(sessionId),
    'session:export': async (sessionId) => {
      await sessions.snapshot(sessionId)
      const destination = await services.chooseExportPath(`emotions-${sessionId}.csv`)
      return destination ? sessions.exportTo(sessionId, destination) : { saved: false }
    },
    ...desktopImplementations(() => services.desktop),
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
        const valid = validators[channel](args, context)
        const run = impl[channel] as (...a: InvokeArgs<K>) => Promise<InvokeValue<K>> | InvokeValue<K>
        return { ok: true, value: await run(...valid) }
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } }
        services.log?.(`[ipc] ${channel} failed: ${error instanceof Error ? error.stack : String(error)}`)
        return { ok: false, error: { code: 'internal', message: `${channel}: ${describeError(error)}` } }
      }
    }
  return {
    'app:info': wrap('app:info'),
    'models:list': wrap('models:list'),
    'inference:status': wrap('inference:status'),
    'inference:classify': wrap('inference:classify'),
    'session:start': wrap('session:start'),
    'session:stop': wrap('session:stop'),
    'session:export': wrap('session:export'),
    'capture:list-sources': wrap('capture:list-sources'),
    'capture:select': wrap('capture:select'),
    'capture:pick-region': wrap('capture:pick-region'),
    'capture:release': wrap('capture:release'),
    'region:submit': wrap('region:submit'),
    'overlay:publish': wrap('overlay:publish'),
    'analysis:set-state': wrap('analysis:set-state'),
    'consent:get': wrap('consent:get'),
    'consent:acknowledge': wrap('consent:acknowledge'),
    'bench:run': wrap('bench:run')
  }
}
