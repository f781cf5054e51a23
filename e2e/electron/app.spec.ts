import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { makeFakeWebcam, type FakeWebcamLayout } from '../../scripts/make-fake-webcam'
import { expectBoxesOverFaces, keepScreenshot, LABELLED, previewSize, readFaces, SLOW } from '../harness/app-view'
import { fakeWebcamArgs } from '../harness/chromium'
import { RESNET, shippedCards, VIT } from '../harness/models'
import { MAIN_ENTRY, REPO_ROOT } from '../harness/repo-paths'
import { findElectron } from './electron-binary'
import { parseCsv } from '../harness/rfc4180'
import { EXPECTED_COLUMNS } from '../harness/session-csv'

const electronBinary = findElectron()

/** The main window's page in the built app. */
const MAIN_PAGE = /^app:\/\/bundle\/index\.html$/

/** URLs the app may load: its own files and in-memory data; anything else is a network request. */
const isLocalUrl = (url: string): boolean => /^(app:\/\/bundle\/|data:|blob:|devtools:|chrome-extension:)/.test(url)

test.describe('Electron app', () => {
  test.skip('skip' in electronBinary, 'skip' in electronBinary ? electronBinary.skip : '')

  let app: ElectronApplication
  let mainWindow: Page
  let userDataDir: string
  let workDir: string
  let layout: FakeWebcamLayout
  const requests: string[] = []
  const pageProblems: string[] = []

  test.beforeAll(async () => {
    if (!('path' in electronBinary)) return
    expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run npm run build`).toBe(true)
    workDir = await mkdtemp(join(tmpdir(), 'emotion-overlay-electron-e2e-'))
    // A fresh user-data folder per run (as Bruno's playwright/index.ts does), so sessions and
    // settings of one run never leak into the next; Electron honours --user-data-dir.
    userDataDir = join(workDir, 'user-data')
    const webcam = await makeFakeWebcam(join(workDir, 'fake-webcam.y4m'))
    layout = webcam.layout
    const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
    expect(display, 'Electron needs a display on Linux: run the suite under xvfb-run').toBe(true)
    app = await electron.launch({
      executablePath: electronBinary.path,
      // The repository root: Electron reads package.json "main", which is the built out/main/index.js,
      // and app.getAppPath() is the root, so resources/models resolves as in development.
      args: [
        REPO_ROOT,
        `--user-data-dir=${userDataDir}`,
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...fakeWebcamArgs(webcam.videoPath)
      ],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' }
    })
    // Record every window's requests and errors, the overlay windows of later features included.
    const watched = new WeakSet<Page>()
    const watch = (page: Page): void => {
      if (watched.has(page)) return
      watched.add(page)
      page.on('request', (request) => requests.push(request.url()))
      page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error') pageProblems.push(`console error: ${message.text()}`)
      })
    }
    app.on('window', watch)
    await app.firstWindow()
    app.windows().forEach(watch)
    // Later features add windows of their own (the overlay); the main window is the one showing index.html.
    await expect.poll(() => app.windows().some((w) => MAIN_PAGE.test(w.url())), SLOW).toBe(true)
    mainWindow = app.windows().find((w) => MAIN_PAGE.test(w.url()))!
    await mainWindow.waitForLoadState('domcontentloaded')
  })

  test.afterAll(async () => {
    await app?.close()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  test('the main window shows with its title', async () => {
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => /^app:\/\/bundle\/index\.html$/.test(w.webContents.getURL()))?.isVisible() ?? false), SLOW).toBe(true)
    await expect(mainWindow).toHaveTitle('Emotion Overlay')
    await expect(mainWindow.getByRole('heading', { name: 'Emotion Overlay' })).toBeVisible()
  })

  test('a fresh user-data folder shows the first-run consent notice until it is acknowledged', async () => {
    const notice = mainWindow.getByRole('dialog', { name: /emotions/ })
    await expect(notice).toBeVisible(SLOW)
    await expect(mainWindow.getByRole('button', { name: 'Start' })).toBeDisabled()
    await notice.getByRole('button', { name: /I understand/ }).click()
    await expect(notice).toBeHidden()
    // Stored in this run's user-data folder, so the next start does not ask again.
    expect(existsSync(join(userDataDir, 'consent.json'))).toBe(true)
  })

  test('keeps Electron security defaults and a temporary user-data folder', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // getLastWebPreferences() is what Electron itself reads the options back with; it is not in electron.d.ts.
      const window = BrowserWindow.getAllWindows().find((w) => /^app:\/\/bundle\/index\.html$/.test(w.webContents.getURL()))
      const contents = window?.webContents as { getLastWebPreferences?: () => Electron.WebPreferences } | undefined
      const prefs = contents?.getLastWebPreferences?.()
      return prefs
        ? { contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration, webSecurity: prefs.webSecurity }
        : null
    })
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(await app.evaluate(({ app }) => app.getPath('userData'))).toBe(userDataDir)
    const page = await mainWindow.evaluate(() => ({
      api: typeof window.api,
      // The overlay's and the selectors' APIs live in their own preloads only.
      overlayApi: typeof (globalThis as { overlayApi?: unknown }).overlayApi,
      selectorApi: typeof (globalThis as { selectorApi?: unknown }).selectorApi,
      process: typeof (globalThis as { process?: unknown }).process,
      require: typeof (globalThis as { require?: unknown }).require
    }))
    expect(page).toEqual({ api: 'object', overlayApi: 'undefined', selectorApi: 'undefined', process: 'undefined', require: 'undefined' })
    // window.open is denied by the window-open handler: no window appears.
    const windowsBefore = app.windows().length
    expect(await mainWindow.evaluate(() => window.open('https://example.com/') === null)).toBe(true)
    expect(app.windows()).toHaveLength(windowsBefore)
  })

  test('webcam flow: faces labelled, session exported as CSV, no network', async ({}, testInfo) => {
    const ids = shippedCards().map((c) => c.id)
    expect(ids, `resources/models must hold ${RESNET} and ${VIT}`).toEqual(expect.arrayContaining([RESNET, VIT]))
    const exportPath = join(workDir, 'exported.csv')
    // The save dialog is native; answer it from main the way a user would, with a path.
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog
    }, exportPath)

    await test.step('start with the fake webcam', async () => {
      const camera = mainWindow.getByLabel('Camera')
      await expect(camera.locator('option', { hasText: 'fake-webcam.y4m' })).toHaveCount(1, SLOW)
      await camera.selectOption({ label: join(workDir, 'fake-webcam.y4m') })
      await mainWindow.getByLabel('Model').selectOption(RESNET)
      await mainWindow.getByRole('button', { name: 'Start' }).click()
    })

    await test.step('three faces are labelled where they are', async () => {
      const faceList = mainWindow.getByRole('list', { name: 'Detected faces' })
      await expect(faceList.getByRole('listitem')).toHaveCount(3, SLOW)
      await expect.poll(async () => (await readFaces(faceList)).filter((f) => LABELLED.test(f.text)).length, SLOW).toBe(3)
      await expect(async () => expectBoxesOverFaces(await readFaces(faceList), await previewSize(mainWindow), layout)).toPass(SLOW)
      await mainWindow.getByLabel('Model').selectOption(VIT)
      await expect.poll(async () => (await readFaces(faceList)).filter((f) => LABELLED.test(f.text)).length, SLOW).toBe(3)
      await keepScreenshot(mainWindow, testInfo, 'electron-running')
    })

    await test.step('stop and export', async () => {
      await mainWindow.getByRole('button', { name: 'Stop' }).click()
      await mainWindow.getByRole('button', { name: 'Export CSV' }).click()
      await expect(mainWindow.getByRole('status').filter({ hasText: /^Exported/ })).toHaveText(/^Exported \d+ rows to /, SLOW)
      const [header, ...rows] = parseCsv(await readFile(exportPath, 'utf8'))
      expect(header).toEqual(EXPECTED_COLUMNS)
      expect(rows.length).toBeGreaterThan(0)
      const modelCol = EXPECTED_COLUMNS.indexOf('model_id')
      expect(new Set(rows.map((r) => r[modelCol]))).toEqual(new Set([RESNET, VIT]))
      // The session log was written in the temporary user-data folder.
      expect((await readdir(join(userDataDir, 'sessions'))).some((name) => name.endsWith('.csv'))).toBe(true)
    })

    expect(requests.filter((url) => !isLocalUrl(url)), 'requests that left the app').toEqual([])
    expect(pageProblems, 'page and console errors').toEqual([])
  })

  test('compare: a quick check runs the built bench as Electron utility processes', async ({}, testInfo) => {
    // Run from out/ (not the dev server), main picks the built bench (out/bench) and forks it with
    // utilityProcess, as a packaged app must: its runAsNode fuse is off (src/main/bench/bench-utility.ts).
    const names = [...shippedCards().map((c) => c.name), 'face-api FaceExpressionNet']
    await mainWindow.getByRole('button', { name: 'Compare', exact: true }).click()
    await mainWindow.getByRole('button', { name: 'Quick check' }).click()
    await expect(mainWindow.locator('#bench-progress')).toBeVisible(SLOW)
    const benchProcesses = () =>
      app.evaluate(({ app }) => app.getAppMetrics().filter((m) => m.type === 'Utility' && m.name === 'Emotion Overlay benchmark').length)
    await expect.poll(benchProcesses, SLOW).toBe(1)
    const table2 = mainWindow.getByRole('table', { name: 'Table 2: inference time per face (CPU; face-api on TF.js WASM)' })
    await expect(table2).toBeVisible({ timeout: 6 * 60_000 })
    await expect(mainWindow.getByRole('alert')).toHaveCount(0)
    for (const name of names) {
      const row = table2.getByRole('row').filter({ has: mainWindow.getByRole('rowheader', { name, exact: true }) })
      // ms per face at batch 1, "median / p95", measured by a speed worker main forked for the bench.
      await expect(row, name).toContainText(/\d+(\.\d+)? \/ \d+(\.\d+)?/)
    }
    await keepScreenshot(mainWindow, testInfo, 'electron-compare')
    // Main ended the bench's processes once they had reported.
    await expect.poll(benchProcesses, SLOW).toBe(0)
    expect(requests.filter((url) => !isLocalUrl(url)), 'requests that left the app').toEqual([])
    expect(pageProblems, 'page and console errors').toEqual([])
  })
})
