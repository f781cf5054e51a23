import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import { getAppInfo } from './app/app-info'
import { registerAppScheme, serveAppProtocol } from './app/app-protocol'
import { setupIpc, sendToWindows } from './ipc'
import { createHandlers } from './ipc-handlers'
import { resolvePaths } from './app/paths'
import { setupSecurity } from './app/security'
import { chooseExportFolder, chooseExportPath } from './sessions/session-export'
import { createServices, type ServiceBundle } from './services'
import { setupBench } from './bench/bench-ipc'
import { setupDesktop } from './capture/desktop-host'
import { createMainWindow, listOurWindows, trackWindow } from './app/window'

async function setupServices(): Promise<ServiceBundle> {
  const paths = resolvePaths()
  const bundle = await createServices({
    ...paths,
    appInfo: () => getAppInfo(paths.modelsDir),
    chooseExportPath,
    chooseExportFolder,
    emit: sendToWindows
  })
  setupIpc(createHandlers(bundle.services))
  return bundle
}

/** Flushes session logs and releases models before the process exits. */
function setupShutdown(bundle: ServiceBundle): void {
  let disposed = false
  app.on('before-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    disposed = true
    void bundle.dispose().finally(() => app.quit())
  })
}

// Electron accepts privileged schemes only before the app is ready.
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  void app.whenReady().then(async () => {
    serveAppProtocol(join(__dirname, '../renderer'))
    setupSecurity()
    const bundle = await setupServices()
    setupShutdown(bundle)
    const mainWindow = createMainWindow()
    // Read by the IPC handlers on each call, so attaching after setupIpc is fine.
    bundle.services.desktop = await setupDesktop({
      emit: sendToWindows,
      trackWindow,
      mainWindow: () => (mainWindow.isDestroyed() ? listOurWindows()[0] : mainWindow)
    })
    bundle.services.bench = setupBench({ emit: sendToWindows })
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
    })
  })
}
