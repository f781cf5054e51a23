/**
 * Electron's side of the in-app benchmark: finds the bench (built or sources), resolves the paths
 * it needs and builds the bench service. All logic lives in bench-service.ts and bench-utility.ts,
 * which tests run without Electron.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, utilityProcess } from 'electron'
import { runBenchProcess, spawnLauncher, type BenchLauncher } from './bench-runner'
import type { EventChannels } from '../../shared/ipc'
import { devServerUrl } from '../app/app-url'
import { benchCommand, benchExtraArgs, chooseBenchSource, createBenchService, defaultFer2013Dir, type BenchService, type BenchSource } from './bench-service'
import { utilityBenchLauncher } from './bench-utility'
import { modelsDirFor } from '../app/paths'

/** What setupBench needs from index.ts. */
export interface BenchSetup {
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  log?: (message: string) => void
}

/** tsx's loader as a file: URL, resolved from the app root; undefined where tsx is not installed (a packaged app). */
function tsxLoaderUrl(appPath: string): string | undefined {
  try {
    return pathToFileURL(createRequire(join(appPath, 'package.json')).resolve('tsx')).href
  } catch {
    return undefined
  }
}

/**
 * The built bench runs as Electron utility processes (no ELECTRON_RUN_AS_NODE, whose fuse packaged
 * builds turn off); the sources run under Electron-as-Node with tsx, which only development has.
 */
function launcherFor(source: Exclude<BenchSource, { kind: 'unavailable' }>, log: (message: string) => void): BenchLauncher {
  if (source.kind === 'built') return utilityBenchLauncher(source, { fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options), log })
  return spawnLauncher(benchCommand({ execPath: process.execPath, tsxLoaderUrl: source.tsxLoaderUrl, cli: source.cli }))
}

/** The bench service, or undefined where no bench can run (then 'bench:run' answers 'bench-unavailable'). */
export function setupBench(setup: BenchSetup): BenchService | undefined {
  const log = setup.log ?? ((message: string) => console.log(message))
  const appPath = app.getAppPath()
  const paths = { isPackaged: app.isPackaged, appPath, resourcesPath: process.resourcesPath }
  const source = chooseBenchSource({
    ...paths,
    dev: devServerUrl(process.env, app.isPackaged) !== undefined,
    tsxLoaderUrl: app.isPackaged ? undefined : tsxLoaderUrl(appPath),
    exists: existsSync
  })
  if (source.kind === 'unavailable') {
    log(`[bench] unavailable: ${source.reason}`)
    return undefined
  }
  log(`[bench] ${source.kind === 'built' ? 'built bench' : 'bench sources with tsx'}: ${source.cli}`)
  const fer2013 = defaultFer2013Dir(appPath)
  const fer2013Exists = existsSync(fer2013)
  if (!fer2013Exists) log(`[bench] ${fer2013} is missing; the Compare view skips the accuracy section`)
  return createBenchService({
    outDir: join(app.getPath('userData'), 'bench'),
    launch: launcherFor(source, log),
    extraArgs: benchExtraArgs(modelsDirFor(paths), fer2013Exists ? fer2013 : null),
    run: runBenchProcess,
    emit: setup.emit,
    log
  })
}
