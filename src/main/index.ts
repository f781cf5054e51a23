import { join } from 'node:path'
import { app } from 'electron'
import { setupApp, setupAppBeforeReady, setupMainWindow } from './app/app-setup'
import { listOurWindows, trackWindow } from './app/window'
import { setupBench } from './bench/bench-ipc'
import { setupCapture } from './capture/desktop-host'
import { sendToWindows } from './ipc/ipc'
import { setupServices } from './services-setup'
import { mainWindowPlace } from './settings/window-bounds'

// The main process is one setup call per feature folder, in the order each needs the one before:
// pages and security first, then the services behind the IPC handlers (before any page can call
// them), then the window, then capture with its overlay and the in-app bench.
if (setupAppBeforeReady()) {
  void app.whenReady().then(async () => {
    setupApp(join(__dirname, '../renderer'))
    const { services, settings } = await setupServices()
    const mainWindow = setupMainWindow(mainWindowPlace(settings))
    // Read by the IPC handlers on each call, so attaching after setupServices is fine.
    services.desktop = await setupCapture({
      emit: sendToWindows,
      trackWindow,
      overlayVisibility: { initial: settings.overlayVisible(), save: (visible) => settings.setOverlayVisible(visible) },
      mainWindow: () => (mainWindow.isDestroyed() ? listOurWindows()[0] : mainWindow)
    })
    services.bench = setupBench({ emit: sendToWindows })
  })
}
