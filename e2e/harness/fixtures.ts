import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, expect, test as base, type Browser, type Page } from '@playwright/test'
import { makeFakeWebcam, type FakeWebcamLayout } from '../../scripts/make-fake-webcam'
import { BASE_CHROMIUM_ARGS, CHROMIUM_PATH, fakeWebcamArgs } from './chromium'
import { startMainHost, type MainHost } from './main-bridge'
import { guardPage, type PageGuards } from './page-guards'
import { preloadBundle } from './preload-bundle'
import { RENDERER_DIR } from './repo-paths'
import { startStaticServer, type StaticServer } from './static-server'

/** The fake webcam video a worker's browser plays. */
export interface FakeWebcam {
  videoPath: string
  layout: FakeWebcamLayout
}

/** The app under test: the built renderer in Chromium, wired to the real main-process services. */
export interface HarnessApp {
  page: Page
  main: MainHost
  guards: PageGuards
  origin: string
}

interface WorkerFixtures {
  fakeWebcam: FakeWebcam
  webcamBrowser: Browser
  rendererServer: StaticServer
  preloadScript: string
}

interface TestFixtures {
  app: HarnessApp
}

/** Playwright Test with the harness fixtures; `app` is ready at the app's first screen. */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  fakeWebcam: [
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-webcam-'))
      const { videoPath, layout } = await makeFakeWebcam(join(dir, 'fake-webcam.y4m'), { chromiumPath: CHROMIUM_PATH })
      await use({ videoPath, layout })
      await rm(dir, { recursive: true, force: true })
    },
    { scope: 'worker' }
  ],
  webcamBrowser: [
    async ({ fakeWebcam }, use) => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [...BASE_CHROMIUM_ARGS, ...fakeWebcamArgs(fakeWebcam.videoPath)]
      })
      await use(browser)
      await browser.close()
    },
    { scope: 'worker' }
  ],
  rendererServer: [
    async ({}, use) => {
      const server = await startStaticServer(RENDERER_DIR)
      await use(server)
      await server.close()
    },
    { scope: 'worker' }
  ],
  preloadScript: [async ({}, use) => use(await preloadBundle()), { scope: 'worker' }],

  app: async ({ webcamBrowser, rendererServer, preloadScript }, use, testInfo) => {
    const origin = rendererServer.origin
    const main = await startMainHost()
    const context = await webcamBrowser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['camera'] })
    const guards: PageGuards = { problems: [], requests: [] }
    try {
      const page = await context.newPage()
      Object.assign(guards, await guardPage(context, page, origin))
      await main.connect(page, origin, preloadScript)
      await page.goto(`${origin}/`)
      await use({ page, main, guards, origin })
    } finally {
      await context.close()
      await testInfo.attach('ipc-calls.json', { body: JSON.stringify(summariseCalls(main), null, 2), contentType: 'application/json' })
      await testInfo.attach('main-log.txt', { body: main.logs.join('\n'), contentType: 'text/plain' })
      await main.dispose()
    }
    expect(main.problems, 'IPC bridge problems').toEqual([])
    expect(guards.problems, 'page errors, console errors and non-local requests').toEqual([])
  }
})

/** Counts of calls per channel, model and outcome: small enough to read in the report. */
function summariseCalls(main: MainHost): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const call of main.calls) {
    const key = [call.channel, call.modelId, call.ok ? 'ok' : call.errorCode].filter(Boolean).join(' ')
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

export { expect }
