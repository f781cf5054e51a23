import { join } from 'node:path'
import { app, BrowserWindow, dialog } from 'electron'

/** Asks where to save a session CSV with the system save dialog; undefined when cancelled. */
export async function chooseExportPath(defaultName: string): Promise<string | undefined> {
  const options: Electron.SaveDialogOptions = {
    title: 'Export session as CSV',
    defaultPath: join(app.getPath('downloads'), defaultName),
    filters: [{ name: 'CSV', extensions: ['csv'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation']
  }
  const parent = BrowserWindow.getFocusedWindow()
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? undefined : result.filePath
}

/** Asks where to export a session (a new folder named after it is made there); undefined when cancelled. */
export async function chooseExportFolder(): Promise<string | undefined> {
  const options: Electron.OpenDialogOptions = {
    title: 'Export session: choose where its folder goes',
    defaultPath: app.getPath('downloads'),
    buttonLabel: 'Export here',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate']
  }
  const parent = BrowserWindow.getFocusedWindow()
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  return result.canceled ? undefined : result.filePaths[0]
}
