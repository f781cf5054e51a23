import { join } from 'node:path'
import type { AppCpuUsage, AppInfo, EventChannels } from '../shared/ipc'
import { InferenceService } from './inference/inference'
import type { Services } from './ipc/ipc-handlers'
import { SessionLibrary } from './sessions/session-library'
import { SettingsStore } from './settings/settings-store'
import { SessionLog } from './sessions/session-log'

/** Everything the services need from their host (Electron in the app, plain Node in the e2e harness). */
export interface ServiceHost {
  modelsDir: string
  userDataDir: string
  appInfo(): AppInfo
  /** CPU of the app's processes since the last call (Electron's app metrics); absent in plain Node. */
  cpuUsage?(): AppCpuUsage
  chooseExportPath(defaultName: string): Promise<string | undefined>
  /** Asks where to export a session (a new folder named after it is made there); undefined when cancelled. */
  chooseExportFolder?(): Promise<string | undefined>
  /** Delivers a main → renderer event. */
  emit<E extends keyof EventChannels>(channel: E, payload: EventChannels[E]): void
  log?: (message: string) => void
}

/** The main-process services with their disposal; no Electron import, so any host can run them. */
export interface ServiceBundle {
  services: Services
  inference: InferenceService
  sessions: SessionLog
  library: SessionLibrary
  settings: SettingsStore
  dispose(): Promise<void>
}

/** Builds inference, the session log and the settings store for a host. */
export async function createServices(host: ServiceHost): Promise<ServiceBundle> {
  const log = host.log ?? ((message: string) => console.log(message))
  const inference = await InferenceService.open({ modelsDir: host.modelsDir, log })
  const sessionsDir = join(host.userDataDir, 'sessions')
  const sessions = new SessionLog({
    dir: sessionsDir,
    onError: (event) => {
      log(`[session] ${event.sessionId}: ${event.message}`)
      host.emit('session:error', event)
    }
  })
  const library = new SessionLibrary(sessionsDir, sessions)
  const settings = await SettingsStore.open({ userDataDir: host.userDataDir, log })
  const services: Services = {
    appInfo: () => host.appInfo(),
    ...(host.cpuUsage ? { cpuUsage: () => host.cpuUsage!() } : {}),
    inference,
    sessions,
    chooseExportPath: (name) => host.chooseExportPath(name),
    library,
    ...(host.chooseExportFolder ? { chooseExportFolder: () => host.chooseExportFolder!() } : {}),
    settings,
    log
  }
  return {
    services,
    inference,
    sessions,
    library,
    settings,
    dispose: async () => {
      await settings.flush()
      await sessions.stopAll()
      await inference.dispose()
    }
  }
}
