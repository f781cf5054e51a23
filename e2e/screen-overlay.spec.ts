/**
 * Issue 4 end to end under Xvfb: a real Chromium window on a virtual X screen shows a Zoom-like
 * gallery of real face photos; the app (the built renderer in a second, headful Chromium, wired to
 * the real main services through the harness) captures that screen with getDisplayMedia, finds and
 * classifies the faces, and main's DesktopService maps them onto the overlay page. The overlay's
 * label boxes must lie on the faces the gallery drew, within a few pixels.
 *
 * Chromium picks the screen itself (--auto-select-desktop-capture-source), where Electron's
 * display-media handler would hand it the source chosen in the picker; everything after that is
 * the app's own code. The overlay page runs in a headless browser, so it is not on the captured
 * screen (the app's overlay window is excluded with setContentProtection where the OS allows).
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, expect, test, type Browser, type Page, type TestInfo } from '@playwright/test'
import { ConsentStore } from '../src/main/app/consent'
import { DesktopService } from '../src/main/capture/desktop-service'
import type { OverlayFrame } from '../src/shared/ipc'
import { readStats } from './harness/app-view'
import { expectAccessible } from './harness/axe'
import { BASE_CHROMIUM_ARGS, CHROMIUM_PATH } from './harness/chromium'
import { startMainHost, type MainHost } from './harness/main-bridge'
import { RESNET, shippedCards } from './harness/models'
import { guardPage, type PageGuards } from './harness/page-guards'
import { preloadBundle } from './harness/preload-bundle'
import { RENDERER_DIR } from './harness/repo-paths'
import { startStaticServer, type StaticServer } from './harness/static-server'
import { createE2eDesktopHost, type OverlayRecord } from './screen/desktop-host'
import { openGallery, type Gallery, type GalleryFace } from './screen/gallery'
import { framesToLearn } from '../src/renderer/src/lib/identity-gallery'
import { startXvfb, xvfbMissing, type VirtualScreen } from './screen/xvfb'

/** The virtual screen: the 1920x1080 gallery window on the left, the app's window beside it. */
const SCREEN = { width: 2560, height: 1080 }
const SLOW = { timeout: 180_000 }
/**
 * The throughput figures average over at least this many processed frames and this many seconds,
 * in the steady state: once every face is labelled, re-identification has taken its views of every
 * face (framesToLearn frames: the page describes one face a frame until then), and a settling time
 * has passed.
 */
const MEASURED_FRAMES = 6
const MEASURED_MS = 8000
const SETTLE_MS = 2000

interface Rig {
  screen: VirtualScreen
  galleryBrowser: Browser
  appBrowser: Browser
  overlayBrowser: Browser
  server: StaticServer
  main: MainHost
  app: Page
  overlayPage: Page
  overlay: OverlayRecord
  desktop: DesktopService
  guards: PageGuards[]
  displaysGone: { value: boolean }
  userData: string
  /** Console errors a test provokes on purpose (the app reports a lost source as an error). */
  expectedErrors: RegExp[]
  /** What the renderer published to main, in frame pixels, newest last. */
  published: OverlayFrame[]
}

const missing = xvfbMissing()
test.describe.configure({ mode: 'serial' })
test.skip(missing !== null, missing ?? '')

let rig: Rig | undefined

test.beforeAll(async () => {
  test.setTimeout(180_000)
  const screen = await startXvfb(SCREEN.width, SCREEN.height)
  const env = { ...process.env, DISPLAY: screen.display }
  const galleryBrowser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: false,
    env,
    args: [...BASE_CHROMIUM_ARGS, '--window-position=0,0', '--window-size=1920,1080']
  })
  const appBrowser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: false,
    env,
    // Grants getDisplayMedia the whole X screen without the picker dialog.
    args: [...BASE_CHROMIUM_ARGS, `--window-position=1920,0`, `--window-size=${SCREEN.width - 1920},1080`, '--auto-select-desktop-capture-source=Entire screen']
  })
  const overlayBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...BASE_CHROMIUM_ARGS] })
  const server = await startStaticServer(RENDERER_DIR)
  const preload = await preloadBundle()
  const main = await startMainHost()
  const userData = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-screen-'))

  const appContext = await appBrowser.newContext({ viewport: null })
  const app = await appContext.newPage()
  const overlayContext = await overlayBrowser.newContext({ viewport: { width: 320, height: 200 } })
  const overlayPage = await overlayContext.newPage()
  const guards = [await guardPage(appContext, app, server.origin), await guardPage(overlayContext, overlayPage, server.origin)]
  await main.connect(app, server.origin, preload)
  await main.connect(overlayPage, server.origin, preload)

  const displaysGone = { value: false }
  const { host, overlay } = createE2eDesktopHost({ screen: SCREEN, overlayPage, appPage: () => app, log: (m) => main.logs.push(m) })
  const realDisplays = host.displays
  host.displays = () => (displaysGone.value ? [] : realDisplays())
  const desktop = new DesktopService(host)
  const published: OverlayFrame[] = []
  const publish = desktop.publish.bind(desktop)
  desktop.publish = (frame) => {
    published.push(frame)
    publish(frame)
  }
  // The harness builds main's services without a desktop; attach the real DesktopService to them.
  main.bundle.services.desktop = { desktop, consent: new ConsentStore(join(userData, 'consent.json')) }

  await overlayPage.goto(`${server.origin}/overlay.html`)
  await app.goto(`${server.origin}/`)
  rig = { screen, galleryBrowser, appBrowser, overlayBrowser, server, main, app, overlayPage, overlay, desktop, guards, displaysGone, userData, expectedErrors: [], published }
})

test.afterAll(async () => {
  if (!rig) return
  await rig.main.dispose()
  await Promise.all([rig.galleryBrowser.close(), rig.appBrowser.close(), rig.overlayBrowser.close()])
  await rig.server.close()
  await rig.screen.stop()
  await rm(rig.userData, { recursive: true, force: true })
})

test.afterEach(async ({}, testInfo) => {
  if (!rig) return
  await testInfo.attach('main-log.txt', { body: rig.main.logs.join('\n'), contentType: 'text/plain' })
  expect(rig.main.problems, 'IPC bridge problems').toEqual([])
  const expected = rig.expectedErrors
  const problems = rig.guards.flatMap((g) => g.problems.splice(0)).filter((p) => !(p.startsWith('console error:') && expected.some((e) => e.test(p))))
  rig.expectedErrors = []
  expect(problems, 'page errors, console errors and non-local requests').toEqual([])
})

/** Keeps an artefact as a file in the test's output folder (test-results/…) and in the report. */
async function keep(testInfo: TestInfo, name: string, body: string | Buffer, contentType: string): Promise<void> {
  const path = testInfo.outputPath(name)
  await writeFile(path, body)
  await testInfo.attach(name, { path, contentType })
}

/** The overlay page's label boxes, in its CSS pixels (= X screen pixels: the overlay sits at main's bounds). */
async function overlayLabels(page: Page): Promise<{ id: number; text: string; x: number; y: number; width: number; height: number }[]> {
  return page.locator('li[data-face-id]').evaluateAll((items) =>
    items.map((li) => {
      const r = li.getBoundingClientRect()
      return { id: Number((li as HTMLElement).dataset.faceId), text: (li.textContent ?? '').trim(), x: r.left, y: r.top, width: r.width, height: r.height }
    })
  )
}

/** How far each gallery face is from the overlay label matched to it (nearest centre), in screen pixels. */
function matchFaces(faces: GalleryFace[], labels: Awaited<ReturnType<typeof overlayLabels>>, origin: { x: number; y: number }) {
  return faces.map((face) => {
    const cx = face.box.x + face.box.width / 2
    const cy = face.box.y + face.box.height / 2
    let best: { dx: number; dy: number; dw: number; text: string } | null = null
    for (const l of labels) {
      const dx = origin.x + l.x + l.width / 2 - cx
      const dy = origin.y + l.y + l.height / 2 - cy
      if (!best || Math.hypot(dx, dy) < Math.hypot(best.dx, best.dy)) best = { dx, dy, dw: l.width - face.box.width, text: l.text }
    }
    return { tile: face.tile, width: face.box.width, ...(best ?? { dx: Infinity, dy: Infinity, dw: Infinity, text: '' }) }
  })
}

/** A composite of the gallery page and the transparent overlay page at their screen positions. */
async function keepComposite(r: Rig, gallery: Gallery, testInfo: TestInfo, name: string): Promise<void> {
  const galleryPng = await gallery.page.screenshot()
  const overlayPng = await r.overlayPage.screenshot({ omitBackground: true })
  const bounds = r.overlay.bounds ?? { x: 0, y: 0 }
  const page = await r.overlayBrowser.newPage({ viewport: { width: SCREEN.width, height: SCREEN.height } })
  try {
    const png = await page.evaluate(
      async ({ g, o, go, oo, size }) => {
        const load = async (b64: string) => {
          const img = new Image()
          img.src = `data:image/png;base64,${b64}`
          await img.decode()
          return img
        }
        const canvas = document.createElement('canvas')
        canvas.width = size.width
        canvas.height = size.height
        const ctx = canvas.getContext('2d')!
        ctx.fillStyle = '#000'
        ctx.fillRect(0, 0, size.width, size.height)
        ctx.drawImage(await load(g), go.x, go.y)
        ctx.drawImage(await load(o), oo.x, oo.y)
        return canvas.toDataURL('image/png').split(',')[1]!
      },
      { g: galleryPng.toString('base64'), o: overlayPng.toString('base64'), go: gallery.origin, oo: bounds, size: SCREEN }
    )
    await keep(testInfo, name, Buffer.from(png, 'base64'), 'image/png')
  } finally {
    await page.close()
  }
}

/** Runs one gallery: start, wait for every face labelled, check positions, measure, stop. */
async function runGallery(n: number, minFaceSize: number, testInfo: TestInfo) {
  const r = rig!
  const { app } = r
  const gallery = await openGallery(r.galleryBrowser, n)
  try {
    expect(gallery.faces, 'the gallery drew one face per tile').toHaveLength(n * n)

    await test.step('pick the screen, the model and the minimum face size', async () => {
      // A gallery test run on its own (-g) finds the first-run consent notice still up: acknowledge it, as the
      // first-run test does.
      if (!existsSync(join(r.userData, 'consent.json'))) {
        const dialog = app.getByRole('dialog', { name: /Before you analyse/ })
        await expect(dialog).toBeVisible(SLOW)
        await dialog.getByRole('button', { name: /I understand/ }).click()
        await expect(dialog).toBeHidden()
      }
      await app.getByRole('button', { name: 'Refresh sources' }).click()
      const screen = app.getByRole('radio', { name: /Entire screen/ })
      await expect(screen).toBeVisible(SLOW)
      await screen.click()
      await expect(screen).toHaveAttribute('aria-checked', 'true')
      await app.getByLabel('Model').selectOption(RESNET)
      await app.getByLabel('Min face (px)').fill(String(minFaceSize))
      // Gallery faces are small and evenly lit; a lower bar finds the weaker ones without false hits here.
      await app.getByLabel('Min score').fill('0.4')
    })

    const first = r.overlay.updates.length
    await test.step('start: the screen is captured and every face gets a label on the overlay', async () => {
      await app.getByRole('button', { name: 'Start' }).click()
      await expect(app.getByRole('button', { name: 'Stop' })).toBeEnabled(SLOW)
      await expect(app.getByRole('status').filter({ hasText: /Analysing/ }).first()).toBeVisible()
      await expect
        .poll(() => r.overlay.updates.at(-1)?.update.labels.filter((l) => l.label !== null).length ?? 0, { ...SLOW, message: `${n * n} labelled faces on the overlay` })
        .toBe(n * n)
      expect(r.overlay.bounds, 'the overlay covers the captured screen').toEqual({ x: 0, y: 0, ...SCREEN })
    })

    await test.step('the overlay draws each face exactly where the app detected it (mapping to within 1 px)', async () => {
      await expect(async () => {
        // Pair the overlay's DOM with the frame it was drawn from: the last one published.
        const frame = r.published.at(-1)!
        const labels = await overlayLabels(r.overlayPage)
        const latest = r.published.at(-1)!
        expect(latest, 'no new frame while reading the overlay').toBe(frame)
        // Computed here, independently of capture-geometry.ts: one X screen at scale 1, overlay at its origin.
        const sx = SCREEN.width / frame.sourceWidth
        const sy = SCREEN.height / frame.sourceHeight
        expect(labels.map((l) => l.id).sort()).toEqual(frame.faces.map((f) => f.id).sort())
        for (const face of frame.faces) {
          const l = labels.find((x) => x.id === face.id)!
          expect(Math.abs(l.x - face.box.x * sx), `face ${face.id} left`).toBeLessThanOrEqual(1)
          expect(Math.abs(l.y - face.box.y * sy), `face ${face.id} top`).toBeLessThanOrEqual(1)
          expect(Math.abs(l.width - face.box.width * sx), `face ${face.id} width`).toBeLessThanOrEqual(1)
          expect(Math.abs(l.height - face.box.height * sy), `face ${face.id} height`).toBeLessThanOrEqual(1)
        }
      }).toPass(SLOW)
    })

    const distances = await test.step('each overlay label lies on the face the gallery drew', async () => {
      let last: ReturnType<typeof matchFaces> = []
      // Poll: the DOM may be between two updates; the check inside is exact.
      await expect(async () => {
        const labels = await overlayLabels(r.overlayPage)
        expect(labels.length).toBe(n * n)
        last = matchFaces(gallery.faces, labels, r.overlay.bounds ?? { x: 0, y: 0 })
        for (const m of last) {
          // The mapping itself is exact (previous step); what remains is the detector's own
          // disagreement with itself: TinyFaceDetector places the same face up to about a tenth of
          // its size differently at the tile's scale (ground truth) and at the screen's (the app).
          // Centres within 4 px + 10 % of the face; sizes within ±40 %, which tells a face from a
          // neighbour's or from a part of one.
          const tolerance = 4 + 0.1 * m.width
          expect(Math.abs(m.dx), `tile ${m.tile} (${m.text}) horizontal offset`).toBeLessThanOrEqual(tolerance)
          expect(Math.abs(m.dy), `tile ${m.tile} (${m.text}) vertical offset`).toBeLessThanOrEqual(tolerance)
          expect(Math.abs(m.dw), `tile ${m.tile} (${m.text}) size difference`).toBeLessThanOrEqual(0.4 * m.width)
          expect(m.text).toMatch(/^Face \d+: \w+ \d+%$/)
        }
      }).toPass(SLOW)
      return last
    })
    await keepComposite(r, gallery, testInfo, `overlay-over-gallery-${n}x${n}.png`)
    await keep(testInfo, `app-${n}x${n}.png`, await app.screenshot(), 'image/png')

    const throughput = await test.step(`measure frames and labels per second over ${MEASURED_FRAMES} frames and ${MEASURED_MS / 1000} s`, async () => {
      const learn = framesToLearn(n * n)
      await expect.poll(() => r.overlay.updates.length - first >= learn, { ...SLOW, message: `${learn} frames for re-identification to learn every face` }).toBe(true)
      await r.app.waitForTimeout(SETTLE_MS)
      const from = r.overlay.updates.length
      const start = Date.now()
      await expect
        .poll(() => (r.overlay.updates.length - from > MEASURED_FRAMES && Date.now() - start >= MEASURED_MS ? 'done' : 'waiting'), { ...SLOW, message: 'frames processed for the measurement' })
        .toBe('done')
      const window = r.overlay.updates.slice(from)
      const seconds = (window.at(-1)!.at - window[0]!.at) / 1000
      const labels = window.slice(1).reduce((sum, u) => sum + u.update.labels.filter((l) => l.label !== null).length, 0)
      // Face ids shown while measuring: n * n when tracking keeps every face's id (a lost and re-found face shows a new one).
      const ids = new Set(window.flatMap((u) => u.update.labels.map((l) => l.id))).size
      return { gallery: `${n}x${n}`, faces: n * n, fps: (window.length - 1) / seconds, labelsPerSecond: labels / seconds, seconds, ids }
    })
    const worst = distances.reduce((m, d) => Math.max(m, Math.abs(d.dx), Math.abs(d.dy)), 0)
    // The size the app analysed: Chromium scales a screen captured without size constraints to fit 1280x720.
    const last = r.published.at(-1)
    const analysed = last ? { width: last.sourceWidth, height: last.sourceHeight } : null
    const report = { ...throughput, analysed, worstOffsetPx: worst, framesBeforeStart: first, stats: await readStats(app) }
    console.log(`[screen-overlay] ${JSON.stringify(report)}`)
    await keep(testInfo, `throughput-${n}x${n}.json`, JSON.stringify({ ...report, distances }, null, 2), 'application/json')
    return report
  } catch (error) {
    // What the overlay showed over the gallery when it failed, and the faces it was told about.
    await keepComposite(r, gallery, testInfo, `failure-overlay-over-gallery-${n}x${n}.png`).catch(() => undefined)
    await keep(testInfo, `failure-last-overlay-update-${n}x${n}.json`, JSON.stringify({ truth: gallery.faces, last: r.overlay.updates.at(-1) ?? null }, null, 2), 'application/json')
    await keep(testInfo, `failure-app-${n}x${n}.png`, await app.screenshot(), 'image/png').catch(() => undefined)
    throw error
  } finally {
    await gallery.close()
  }
}

test('first run: the consent notice is shown once and remembered', async () => {
  const r = rig!
  const dialog = r.app.getByRole('dialog', { name: /Before you analyse/ })
  await expect(dialog).toBeVisible(SLOW)
  await expect(dialog).toContainText('EU AI Act')
  await expect(r.app.getByRole('button', { name: 'Start' })).toBeDisabled()
  await dialog.getByRole('button', { name: /I understand/ }).click()
  await expect(dialog).toBeHidden()
  const stored = JSON.parse(await readFile(join(r.userData, 'consent.json'), 'utf8')) as { acknowledged: boolean }
  expect(stored.acknowledged).toBe(true)
  // Reloading while the detector's chunk is still loading would abort it (a failed local request).
  await r.app.waitForLoadState('networkidle')
  await r.app.reload()
  await expect(r.app.getByRole('heading', { name: 'Emotion Overlay' })).toBeVisible()
  await expect(r.app.getByRole('dialog', { name: /Before you analyse/ })).toHaveCount(0)
})

test('source tiles: arrow keys move the selection, focus looks unlike selection, the screen has an icon', async ({}, testInfo) => {
  const { app } = rig!
  if (!existsSync(join(rig!.userData, 'consent.json'))) await app.getByRole('dialog', { name: /Before you analyse/ }).getByRole('button', { name: /I understand/ }).click()
  await app.getByRole('button', { name: 'Refresh sources' }).click()
  const radios = app.getByRole('radiogroup', { name: 'Screens and windows' }).getByRole('radio')
  await expect(radios.first()).toBeVisible(SLOW)
  expect(await radios.count(), 'the screen and region mode at least').toBeGreaterThanOrEqual(2)
  const screen = app.getByRole('radio', { name: /Entire screen/ })
  await screen.click()
  await test.step('the idle preview names the screen, and the screen tile has a drawn icon, not an emoji', async () => {
    await expect(app.getByText(/^Screen selected\. Press Start/)).toBeVisible()
    await expect(app.getByText(/Pick a camera/)).toHaveCount(0)
    await expect(screen.locator('svg')).toHaveCount(1)
    expect(await screen.textContent()).not.toContain('\u{1F5A5}')
  })
  const first = radios.first()
  const second = radios.nth(1)
  await test.step('arrow keys move the selection and the focus; only the checked tile is in the tab order', async () => {
    await first.click()
    await first.focus()
    await app.keyboard.press('ArrowRight')
    await expect(second).toBeFocused()
    await expect(second).toHaveAttribute('aria-checked', 'true')
    await expect(first).toHaveAttribute('aria-checked', 'false')
    await expect(second).toHaveAttribute('tabindex', '0')
    await expect(first).toHaveAttribute('tabindex', '-1')
    await app.keyboard.press('ArrowLeft')
    await expect(first).toBeFocused()
    await expect(first).toHaveAttribute('aria-checked', 'true')
  })
  await test.step('a focused tile has a light ring that a selected tile without focus lacks', async () => {
    const look = () => first.evaluate((el) => ({ outline: getComputedStyle(el).outlineStyle, ring: getComputedStyle(el).outlineColor, border: getComputedStyle(el).borderTopColor }))
    const focused = await look()
    const tiles = app.getByRole('radiogroup', { name: 'Screens and windows' })
    await keep(testInfo, 'source-tiles-focused.png', await tiles.screenshot(), 'image/png')
    await app.keyboard.press('Tab')
    await expect(first).not.toBeFocused()
    const selected = await look()
    expect(focused.outline).toBe('solid')
    expect(selected.outline).toBe('none')
    expect(focused.ring).not.toBe(focused.border)
    await keep(testInfo, 'source-tiles-selected.png', await tiles.screenshot(), 'image/png')
    await keep(testInfo, 'view-live-screen.png', await app.screenshot(), 'image/png')
  })
  await expectAccessible(app, testInfo, 'live-screen-tiles')
})

test('3x3 gallery: labels on every face; an unplugged screen stops the run and keeps the log', async ({}, testInfo) => {
  expect(shippedCards().map((c) => c.id), `resources/models must hold ${RESNET}`).toContain(RESNET)
  const closedBefore = rig!.overlay.closed
  await runGallery(3, 100, testInfo)
  const r = rig!
  await test.step('the captured screen disappears: the run stops with a message, rows are kept', async () => {
    const rows = Number(await r.app.getByTestId('session-rows').textContent())
    expect(rows).toBeGreaterThan(0)
    r.expectedErrors.push(/\[Capture\] Error: The captured screen was disconnected/)
    r.displaysGone.value = true
    r.desktop.displaysChanged()
    r.displaysGone.value = false
    await expect(r.app.getByRole('button', { name: 'Start' })).toBeVisible(SLOW)
    await expect(r.app.getByText(/captured screen was disconnected/)).toBeVisible()
    expect(Number(await r.app.getByTestId('session-rows').textContent())).toBeGreaterThanOrEqual(rows)
    await expect(r.app.getByRole('button', { name: 'Export CSV' })).toBeEnabled()
    expect(r.overlay.closed, 'the overlay closed with the run').toBeGreaterThan(closedBefore)
    // Dismiss the banner so the next run starts clean.
    await r.app.getByRole('button', { name: /^Dismiss error: The captured screen/ }).click()
  })
})

test('5x5 gallery: 60-100 px faces found with tiled detection and labelled in place', async ({}, testInfo) => {
  expect(shippedCards().map((c) => c.id), `resources/models must hold ${RESNET}`).toContain(RESNET)
  const closedBefore = rig!.overlay.closed
  await runGallery(5, 60, testInfo)
  const r = rig!
  await r.app.getByRole('button', { name: 'Stop' }).click()
  await expect(r.app.getByRole('button', { name: 'Start' })).toBeVisible(SLOW)
  expect(r.overlay.closed, 'Stop closes the overlay').toBeGreaterThan(closedBefore)
})
