import { cpus } from 'node:os'
import { app } from 'electron'
import { getAppInfo } from './app/app-info'
import { appCpuUsage } from './app/app-metrics'
import { setupShutdown } from './app/app-setup'
import { resolvePaths } from './app/paths'
import { setupIpc, sendToWindows } from './ipc/ipc'
import { createHandlers } from './ipc/ipc-handlers'
import { createServices, type ServiceBundle } from './services'
import { chooseExportFolder, chooseExportPath } from './sessions/session-export'

/**
 * Inference and the session log with Electron as their host (the e2e harness builds the same
 * services with createServices and a plain Node host): registers the IPC handlers that call them
 * and releases them at quit.
 */
export async function setupServices(): Promise<ServiceBundle> {
  const paths = resolvePaths()
  const bundle = await createServices({
    ...paths,
    appInfo: () => getAppInfo(paths.modelsDir),
    cpuUsage: () => appCpuUsage(app.getAppMetrics(), cpus().length),
    chooseExportPath,
    chooseExportFolder,
    emit: sendToWindows
  })
  setupIpc(createHandlers(bundle.services))
  setupShutdown(() => bundle.dispose())
  return bundle
}
