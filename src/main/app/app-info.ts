import { app } from 'electron'
import type { AppInfo } from '../../shared/ipc'

/** Application facts for the UI's about line. */
export function getAppInfo(modelsPath: string): AppInfo {
  return {
    version: app.getVersion(),
    platform: `${process.platform}-${process.arch}`,
    userDataPath: app.getPath('userData'),
    modelsPath
  }
}
