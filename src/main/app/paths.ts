import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'

/** The facts that decide where the app's files are. */
export interface PathInputs {
  isPackaged: boolean
  /** app.getAppPath(): the project root in development, <resources>/app.asar when packaged. */
  appPath: string
  /** process.resourcesPath. */
  resourcesPath: string
}

/**
 * The models folder. In development it is the repository's resources/models; packaged, the models
 * are unpacked beside the asar (electron-builder.yml asarUnpack) because onnxruntime-node reads
 * the files with native code, which cannot look inside an asar archive.
 */
export function modelsDirFor(inputs: PathInputs): string {
  return inputs.isPackaged
    ? join(inputs.resourcesPath, 'app.asar.unpacked', 'resources', 'models')
    : join(inputs.appPath, 'resources', 'models')
}

/**
 * The icons main loads (window icon, tray), rendered from build/icon.svg by `npm run icons`. They
 * stay inside the asar when packaged: nativeImage reads through it, unlike native code.
 */
export function iconsDirFor(inputs: Pick<PathInputs, 'appPath'>): string {
  return join(inputs.appPath, 'resources', 'icons')
}

/** The path of one of the app's icons (resources/icons/<name>); nativeImage picks up a `@2x` sibling by itself. */
export function iconPath(name: string): string {
  return join(iconsDirFor({ appPath: app.getAppPath() }), name)
}

/** The folders main uses at run time. */
export interface AppPaths {
  modelsDir: string
  userDataDir: string
}

/** Resolves the app's folders and logs them, so a packaging mistake shows in the first lines. */
export function resolvePaths(log: (message: string) => void = console.log): AppPaths {
  const modelsDir = modelsDirFor({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath })
  const userDataDir = app.getPath('userData')
  log(`[paths] packaged=${app.isPackaged} models=${modelsDir}${existsSync(modelsDir) ? '' : ' (MISSING)'} userData=${userDataDir}`)
  return { modelsDir, userDataDir }
}
