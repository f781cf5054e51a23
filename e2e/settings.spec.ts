import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { DEFAULT_DETECTOR_SETTINGS } from '../src/shared/detection/detector-settings'
import { keepScreenshot, SLOW } from './harness/app-view'
import { expect, test } from './harness/fixtures'
import { startMainHost, type MainHost } from './harness/main-bridge'
import { VIT } from './harness/models'
import { guardPage, type PageGuards } from './harness/page-guards'

/**
 * Settings that persist: the renderer in Chromium changes the model, the detector's minimum face
 * size and the video rate; the app is then restarted (main's services stopped, then started again
 * on the same user-data folder, a new page loaded) and shows the same choices. A settings file that
 * is not JSON gives defaults, a notice naming the kept file, and no error.
 */
test.describe('settings survive a restart', () => {
  let userDataDir: string
  test.beforeEach(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-settings-'))
  })
  test.afterEach(async () => {
    await rm(userDataDir, { recursive: true, force: true })
  })

  /** One run of the app on `userDataDir`: main's services, and the built renderer in a new page connected to them. */
  interface Run {
    main: MainHost
    context: BrowserContext
    page: Page
    guards: PageGuards
    stop(): Promise<void>
  }

  const startApp = async (browser: Browser, origin: string, preloadScript: string): Promise<Run> => {
    const main = await startMainHost({ userDataDir })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['camera'] })
    const page = await context.newPage()
    const guards = await guardPage(context, page, origin)
    await main.connect(page, origin, preloadScript)
    await page.goto(`${origin}/`)
    return {
      main,
      context,
      page,
      guards,
      async stop() {
        await context.close()
        await main.dispose()
        expect(main.problems, 'IPC bridge problems').toEqual([])
        expect(guards.problems, 'page errors, console errors and non-local requests').toEqual([])
      }
    }
  }

  const settingsFile = (): string => join(userDataDir, 'settings.json')
  const savedSettings = async (): Promise<Record<string, unknown>> =>
    existsSync(settingsFile()) ? (JSON.parse(await readFile(settingsFile(), 'utf8')) as Record<string, unknown>) : {}

  test('a changed model, detector setting and video rate are there after a restart', async ({ webcamBrowser, rendererServer, preloadScript }) => {
    const first = await startApp(webcamBrowser, rendererServer.origin, preloadScript)
    await test.step('first run: change three settings', async () => {
      const model = first.page.getByLabel('Model')
      await expect(model).toBeEnabled(SLOW)
      expect(await model.inputValue(), `${VIT} must not be the default for this test to mean anything`).not.toBe(VIT)
      await model.selectOption(VIT)
      const minFace = first.page.getByLabel('Min face (px)')
      expect(await minFace.inputValue()).not.toBe('40')
      await minFace.fill('40')
      await first.page.getByRole('button', { name: 'Video', exact: true }).click()
      await first.page.getByLabel('Frames per video second').selectOption('10')
      // Saved a moment after the last change, into the user-data folder.
      await expect.poll(savedSettings, SLOW).toMatchObject({ version: 1, modelId: VIT, detector: { minFaceSize: 40 }, videoFramesPerSecond: 10 })
    })
    await first.stop()

    const second = await startApp(webcamBrowser, rendererServer.origin, preloadScript)
    await test.step('second run on the same user-data folder: the same choices', async () => {
      await expect(second.page.getByLabel('Model')).toHaveValue(VIT, SLOW)
      await expect(second.page.getByLabel('Min face (px)')).toHaveValue('40')
      await second.page.getByRole('button', { name: 'Video', exact: true }).click()
      await expect(second.page.getByLabel('Frames per video second')).toHaveValue('10')
      await expect(second.page.getByRole('status', { name: 'Settings notice' })).toHaveCount(0)
    })
    await second.stop()
  })

  test('a settings file that is not JSON: defaults, a notice naming the kept file, the app runs', async ({
    webcamBrowser,
    rendererServer,
    preloadScript
  }, testInfo) => {
    await writeFile(settingsFile(), '{"modelId": "vit-fer", "detector": ')
    const run = await startApp(webcamBrowser, rendererServer.origin, preloadScript)
    const notice = run.page.getByRole('status', { name: 'Settings notice' })
    await expect(notice).toContainText('is not valid JSON', SLOW)
    const kept = (await readdir(userDataDir)).find((name) => name.startsWith('settings.json.corrupt-'))
    expect(kept, 'the bad file is kept aside').toBeDefined()
    await expect(notice).toContainText(kept ?? '')
    expect(await readFile(join(userDataDir, kept ?? ''), 'utf8')).toBe('{"modelId": "vit-fer", "detector": ')
    await expect(run.page.getByLabel('Min face (px)')).toHaveValue(String(DEFAULT_DETECTOR_SETTINGS.minFaceSize))
    await expect(run.page.getByLabel('Model')).toBeEnabled(SLOW)
    await keepScreenshot(run.page, testInfo, 'settings-notice')
    await run.stop()
  })
})
