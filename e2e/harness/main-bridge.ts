import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { builtBenchCommand, runBenchProcess, spawnLauncher } from '../../src/main/bench/bench-runner'
import { benchExtraArgs, chooseBenchSource, createBenchService, defaultFer2013Dir, type BenchService } from '../../src/main/bench/bench-service'
import { createHandlers, type Handlers } from '../../src/main/ipc/ipc-handlers'
import { createServices, type ServiceBundle } from '../../src/main/services'
import { INVOKE_CHANNELS, type EventChannel, type EventChannels, type InvokeChannel, type IpcResult } from '../../src/shared/ipc'
import { EMIT_FUNCTION, INVOKE_BINDING } from './bridge-names'
import { MODELS_DIR, REPO_ROOT } from './repo-paths'

/** One invoke the page made, as the harness saw it cross the bridge. */
export interface IpcCall {
  channel: string
  ok: boolean
  errorCode?: string
  /** For inference:classify: the model asked for, and how many faces. */
  modelId?: string
  faces?: number
}

/** The real main-process services, running in the Playwright process for one test. */
export interface MainHost {
  bundle: ServiceBundle
  handlers: Handlers
  userDataDir: string
  /** Where 'session:export' writes; the harness's stand-in for the save dialog's answer. */
  exportDir: string
  calls: IpcCall[]
  logs: string[]
  /** Transport faults (wrong sender, a crop that did not arrive as a Uint8Array); each fails the test. */
  problems: string[]
  /** Delivers a main → renderer event to the connected pages, as webContents.send does in the app. */
  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void
  /**
   * (Re)attaches the Compare view's bench service, as src/main/bench/bench-ipc.ts builds it: the built
   * bench (out/bench), <userData>/bench, the models folder and the FER2013 rule. `extraArgs`
   * replaces the arguments main fixes, for tests that provoke a failing run.
   */
  useBench(extraArgs?: string[]): BenchService
  /** Connects a page the way src/preload/index.ts connects a window: binding plus init script. */
  connect(page: Page, trustedOrigin: string, preloadScript: string): Promise<void>
  dispose(): Promise<void>
}

const isChannel = (value: unknown): value is InvokeChannel => (INVOKE_CHANNELS as readonly unknown[]).includes(value)

/** Summarises a call for the log without copying pixel data. */
function describeCall(channel: InvokeChannel, args: unknown[], result: IpcResult<unknown>): IpcCall {
  const call: IpcCall = { channel, ok: result.ok }
  if (!result.ok) call.errorCode = result.error.code
  if (channel === 'inference:classify') {
    const request = args[0] as { modelId?: unknown; faces?: unknown } | undefined
    if (typeof request?.modelId === 'string') call.modelId = request.modelId
    if (Array.isArray(request?.faces)) call.faces = request.faces.length
  }
  return call
}

/**
 * Crops must cross as Uint8Array, as they do over Electron's structured-clone IPC. Playwright's
 * binding serialiser carries typed arrays (base64 inside, kind 'ui8'); if a future Playwright stops
 * doing that, this says so instead of the validator's generic 'invalid-argument'.
 */
function cropTransportProblem(args: unknown[]): string | undefined {
  const faces = (args[0] as { faces?: unknown } | undefined)?.faces
  if (!Array.isArray(faces)) return undefined
  const bad = faces.find((f) => !((f as { pixels?: unknown } | null)?.pixels instanceof Uint8Array))
  if (bad === undefined) return undefined
  const pixels = (bad as { pixels?: unknown } | null)?.pixels
  return `inference:classify: a crop's pixels arrived as ${Object.prototype.toString.call(pixels)}, not Uint8Array`
}

/** Options of startMainHost. */
export interface MainHostOptions {
  /**
   * A user-data folder to start on, as an app restarted on its profile does (settings, sessions);
   * the caller owns it and dispose() leaves it. Without it the host makes a fresh one and removes it.
   */
  userDataDir?: string
}

/** Starts the real services with a fresh (or the given) user-data folder and a fresh export folder. */
export async function startMainHost(options: MainHostOptions = {}): Promise<MainHost> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-userdata-')))
  const exportDir = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-export-'))
  const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
  const calls: IpcCall[] = []
  const logs: string[] = []
  const problems: string[] = []
  const pages: Page[] = []

  const emit = <E extends EventChannel>(channel: E, payload: EventChannels[E]): void => {
    for (const page of pages) {
      page
        .evaluate(([name, c, p]) => (window as unknown as Record<string, (c: string, p: unknown) => void>)[name]?.(c, p), [EMIT_FUNCTION, channel, payload] as const)
        .catch((error: unknown) => logs.push(`[harness] could not deliver ${channel}: ${String(error)}`))
    }
  }

  const bundle = await createServices({
    modelsDir: MODELS_DIR,
    userDataDir,
    appInfo: () => ({ version, platform: `${process.platform}-${process.arch}`, userDataPath: userDataDir, modelsPath: MODELS_DIR }),
    chooseExportPath: async (defaultName) => join(exportDir, defaultName),
    chooseExportFolder: async () => exportDir,
    emit,
    log: (message) => logs.push(message)
  })
  const handlers = createHandlers(bundle.services)

  const useBench = (extraArgs?: string[]): BenchService => {
    // As main chooses in a built app (npm start, packaged): the bundle, never the TypeScript sources.
    const source = chooseBenchSource({ isPackaged: false, appPath: REPO_ROOT, resourcesPath: '', dev: false, tsxLoaderUrl: undefined, exists: existsSync })
    if (source.kind !== 'built') throw new Error(`the harness runs the built bench: ${source.kind === 'unavailable' ? source.reason : source.cli}`)
    const fer2013 = defaultFer2013Dir(REPO_ROOT)
    const bench = createBenchService({
      outDir: join(userDataDir, 'bench'),
      // The app forks it as an Electron utility process; this Node is what such a process amounts to.
      launch: spawnLauncher(builtBenchCommand(source.cli)),
      extraArgs: extraArgs ?? benchExtraArgs(MODELS_DIR, existsSync(fer2013) ? fer2013 : null),
      run: runBenchProcess,
      emit,
      log: (message) => logs.push(message)
    })
    bundle.services.bench = bench
    return bench
  }
  useBench()

  return {
    bundle,
    handlers,
    userDataDir,
    exportDir,
    calls,
    logs,
    problems,
    emit,
    useBench,
    async connect(page, trustedOrigin, preloadScript) {
      pages.push(page)
      await page.exposeBinding(INVOKE_BINDING, async (source, channel: unknown, args: unknown): Promise<IpcResult<unknown>> => {
        // The same rule as src/main/ipc/ipc.ts isTrustedSender: our page, top frame, our origin.
        const trusted = source.page === page && source.frame === page.mainFrame() && new URL(source.frame.url()).origin === trustedOrigin
        if (!trusted) {
          problems.push(`invoke from an untrusted frame ${source.frame.url()}`)
          return { ok: false, error: { code: 'invalid-sender', message: 'the sender is not the app page' } }
        }
        if (!isChannel(channel) || !Array.isArray(args)) {
          problems.push(`malformed invoke ${String(channel)}`)
          return { ok: false, error: { code: 'invalid-argument', message: `unknown channel ${String(channel)}` } }
        }
        if (channel === 'inference:classify') {
          const problem = cropTransportProblem(args)
          if (problem) problems.push(problem)
        }
        const result = await (handlers[channel] as (...a: unknown[]) => Promise<IpcResult<unknown>>)(...args)
        calls.push(describeCall(channel, args, result))
        return result
      })
      await page.addInitScript({ content: preloadScript })
    },
    async dispose() {
      await bundle.dispose()
      if (!options.userDataDir) await rm(userDataDir, { recursive: true, force: true })
      await rm(exportDir, { recursive: true, force: true })
    }
  }
}
