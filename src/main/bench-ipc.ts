/**
 * Electron's side of the in-app benchmark: resolves the paths the bench CLI needs and builds the
 * bench service. All logic lives in bench-service.ts, which tests run without Electron.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app } from 'electron'
import { runBenchProcess } from '../bench/app-runner'
import type { EventChannels } from '../shared/ipc'
import { benchCommand, benchExtraArgs, createBenchService, type BenchService } from './bench-service'

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

/** The bench service, or undefined where the bench CLI cannot run (then 'bench:run' answers 'bench-unavailable'). */
export function setupBench(setup: BenchSetup): BenchService | undefined {
  const log = setup.log ?? ((message: string) => console.log(message))
  const appPath = app.getAppPath()
  const cli = join(appPath, 'src', 'bench', 'cli.ts')
  const loader = tsxLoaderUrl(appPath)
  if (!loader || !existsSync(cli)) {
    log(`[bench] unavailable: ${loader ? `${cli} is missing` : 'tsx is not installed'}`)
    return undefined
  }
  // The CLI's default --data folder, relative to the repository root (see src/bench/cli.ts).
  const fer2013 = resolve(appPath, '../shared/datasets/fer2013')
  const fer2013Exists = existsSync(fer2013)
  if (!fer2013Exists) log(`[bench] ${fer2013} is missing; the Compare view skips the accuracy section`)
  return createBenchService({
    outDir: join(app.getPath('userData'), 'bench'),
    command: benchCommand({ execPath: process.execPath, tsxLoaderUrl: loader, appPath }),
    extraArgs: benchExtraArgs(fer2013Exists),
    run: runBenchProcess,
    emit: setup.emit,
    log
  })
}
