/**
 * What only the real Electron app can show, on the built app (out/, started the way `npm start`
 * starts it): the main window comes from app:// with its CSP enforced; desktopCapturer lists the
 * screens; a screen capture opens the overlay, which is transparent, click-through, always on top
 * and content-protected; the tray menu and the global shortcut show and hide it, and the settings
 * file keeps that wish. Skipped with the
 * reason where the Electron binary is not installed (E2E_REQUIRE_ELECTRON=1 in CI fails instead).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { DEFAULT_OVERLAY_SHORTCUT } from '../../src/main/app/shortcuts'
import { SLOW } from '../harness/app-view'
import { RESNET } from '../harness/models'
import { REPO_ROOT } from '../harness/repo-paths'
import { findElectron } from './electron-binary'

const electronBinary = findElectron()
const MAIN_PAGE = /^app:\/\/bundle\/index\.html$/
const OVERLAY_TITLE = 'Emotion Overlay labels'

/** Main-process globals this spec's probes leave behind (recorded calls, the tray's last menu). */
interface Probes {
  ignoreMouse?: { title: string; ignore: boolean; forward: boolean }[]
  trayMenu?: Electron.Menu
}

test.describe('Electron desktop integration', () => {
  test.describe.configure({ mode: 'serial' })
  test.skip('skip' in electronBinary, 'skip' in electronBinary ? electronBinary.skip : '')

  let app: ElectronApplication
  let page: Page
  let workDir: string

  /** Whether the overlay window exists and shows. */
  const overlayVisible = (): Promise<boolean | null> =>
    app.evaluate(
      ({ BrowserWindow }, title) =>
        BrowserWindow.getAllWindows()
          .find((w) => w.getTitle() === title)
          ?.isVisible() ?? null,
      OVERLAY_TITLE
    )

  test.beforeAll(async () => {
    if (!('path' in electronBinary)) return
    workDir = await mkdtemp(join(tmpdir(), 'emotion-overlay-electron-desktop-'))
    app = await electron.launch({
      executablePath: electronBinary.path,
      // The repository root, as `npm start`: Electron reads package.json "main", the built out/main/index.js.
      args: [REPO_ROOT, `--user-data-dir=${join(workDir, 'user-data')}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]
    })
    // Record how windows are made click-through, and each tray menu, before any is created.
    await app.evaluate(({ BrowserWindow, Tray }) => {
      const probes = globalThis as unknown as Probes
      probes.ignoreMouse = []
      const ignore = BrowserWindow.prototype.setIgnoreMouseEvents
      BrowserWindow.prototype.setIgnoreMouseEvents = function (
        this: Electron.BrowserWindow,
        value: boolean,
        options?: Electron.IgnoreMouseEventsOptions
      ) {
        probes.ignoreMouse?.push({ title: this.getTitle(), ignore: value, forward: options?.forward === true })
        return ignore.call(this, value, options)
      }
      const setMenu = Tray.prototype.setContextMenu
      Tray.prototype.setContextMenu = function (this: Electron.Tray, menu: Electron.Menu | null) {
        if (menu) probes.trayMenu = menu
        return setMenu.call(this, menu)
      }
    })
    await expect.poll(() => app.windows().some((w) => MAIN_PAGE.test(w.url())), SLOW).toBe(true)
    page = app.windows().find((w) => MAIN_PAGE.test(w.url()))!
    await page.waitForLoadState('domcontentloaded')
  })

  test.afterAll(async () => {
    await app?.close()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  test('starts from the built out/ and loads the main window from app:// with the CSP enforced', async () => {
    expect(await app.evaluate(({ app }) => app.getAppPath())).toBe(REPO_ROOT)
    expect(page.url()).toBe('app://bundle/index.html')
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
    expect(csp).toContain("default-src 'self'")
    // script-src allows WebAssembly compilation only: eval and new Function are refused.
    const evalResult = await page.evaluate(() => {
      try {
        return String(new Function('return "ran"')())
      } catch (error) {
        return (error as Error).name
      }
    })
    expect(evalResult).toBe('EvalError')
  })

  test('desktopCapturer lists the screens', async () => {
    const ids = await app.evaluate(async ({ desktopCapturer }) =>
      (await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } })).map((s) => s.id)
    )
    expect(ids.length).toBeGreaterThan(0)
    for (const id of ids) expect(id).toMatch(/^screen:/)
  })

  test('a screen capture opens a transparent, click-through, always-on-top, content-protected overlay', async () => {
    await page.getByRole('button', { name: /I understand/ }).click()
    const screen = page.getByRole('radio', { name: /screen/i }).first()
    await expect(screen).toBeVisible(SLOW)
    await screen.click()
    await page.getByLabel('Model').selectOption(RESNET)
    await page.getByRole('button', { name: 'Start' }).click()
    await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled(SLOW)
    await expect.poll(overlayVisible, SLOW).toBe(true)

    const overlay = await app.evaluate(async ({ BrowserWindow }, title) => {
      const w = BrowserWindow.getAllWindows().find((x) => x.getTitle() === title)!
      // The page's own pixels: a transparent window's background has alpha 0 wherever no label is drawn.
      const bitmap = (await w.webContents.capturePage()).toBitmap()
      let clear = 0
      for (let i = 3; i < bitmap.length; i += 4) if (bitmap[i] === 0) clear += 1
      return {
        onTop: w.isAlwaysOnTop(),
        focusable: w.isFocusable(),
        contentProtected: w.isContentProtected(),
        clearShare: clear / (bitmap.length / 4)
      }
    }, OVERLAY_TITLE)
    expect(overlay).toMatchObject({ onTop: true, focusable: false })
    // setContentProtection has no effect on Linux (README), so only Windows and macOS report it.
    if (process.platform !== 'linux') expect(overlay.contentProtected).toBe(true)
    expect(overlay.clearShare).toBeGreaterThan(0.5)
    const calls = await app.evaluate(() => (globalThis as unknown as Probes).ignoreMouse ?? [])
    expect(calls).toContainEqual({ title: OVERLAY_TITLE, ignore: true, forward: true })
  })

  test("the tray menu's overlay item hides and shows the overlay", async () => {
    const click = (): Promise<boolean> =>
      app.evaluate(() => {
        const item = (globalThis as unknown as Probes).trayMenu?.items.find((i) => i.label === 'Show labels overlay')
        if (!item) return false
        // MenuItem.click runs the item's handler as a click in the tray would (and flips the checkbox).
        ;(item.click as () => void)()
        return true
      })
    // The wish is kept in the settings file, so the next start shows or hides the overlay the same way.
    const savedVisibility = async (): Promise<unknown> =>
      existsSync(join(workDir, 'user-data', 'settings.json'))
        ? (JSON.parse(await readFile(join(workDir, 'user-data', 'settings.json'), 'utf8')) as { overlayVisible?: unknown }).overlayVisible
        : undefined
    expect(await click(), 'the tray was not created or has no overlay item').toBe(true)
    await expect.poll(overlayVisible, SLOW).toBe(false)
    await expect.poll(savedVisibility, SLOW).toBe(false)
    expect(await click()).toBe(true)
    await expect.poll(overlayVisible, SLOW).toBe(true)
    await expect.poll(savedVisibility, SLOW).toBe(true)
  })

  test('the global shortcut hides and shows the overlay', async () => {
    expect(await app.evaluate(({ globalShortcut }, accelerator) => globalShortcut.isRegistered(accelerator), DEFAULT_OVERLAY_SHORTCUT)).toBe(true)
    // A system-wide key press: xdotool sends it to the X server (Xvfb), which hands it to Electron's grab.
    const xdotool = process.platform === 'linux' && spawnSync('xdotool', ['--version']).status === 0
    test.skip(!xdotool, 'pressing a system-wide key needs xdotool on X11 (scripts/install.sh installs it); the registration is checked above')
    const press = (): void => {
      expect(spawnSync('xdotool', ['key', '--clearmodifiers', 'ctrl+shift+e']).status).toBe(0)
    }
    press()
    await expect.poll(overlayVisible, SLOW).toBe(false)
    press()
    await expect.poll(overlayVisible, SLOW).toBe(true)
  })
})
