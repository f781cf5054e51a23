import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultFer2013Dir } from '../src/main/bench/bench-service'
import { keepScreenshot } from './harness/app-view'
import { expect, test } from './harness/fixtures'
import { shippedCards } from './harness/models'
import { MODELS_DIR, REPO_ROOT } from './harness/repo-paths'
import type { Page } from '@playwright/test'

/**
 * The Compare view (issue 5) against the real bench: the built bench CLI (out/bench) started by the
 * real bench service, as main starts it, behind the harness's IPC bridge. A quick check takes about
 * 40 s on an idle 2-core machine; the waits leave room for a busy one.
 */
const RUN = { timeout: 6 * 60_000 }

/** face-api's expression net, compared beside our models. */
const FACE_API = { id: 'face-api-expression', name: 'face-api FaceExpressionNet' }

/** A cell of a time per face: "12.3 / 15.0" (median / p95). */
const MS_PAIR = /^\d+(\.\d+)? \/ \d+(\.\d+)?$/
const PERCENT = /^\d+\.\d %$/
const NUMBER = /^\d+(\.\d+)?$/

/** The cells of the row a Compare table has for a model, found by its row header. */
async function rowOf(page: Page, tableTitle: string | RegExp, model: string): Promise<string[]> {
  const table = page.getByRole('table', { name: tableTitle })
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: model, exact: true }) })
  await expect(row, `a row for ${model} in "${String(tableTitle)}"`).toHaveCount(1)
  return row.locator('td').allTextContents()
}

/** Records every state the progress bar shows, from the page itself, so no step between two polls is missed. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { phase: string; value: number; max: number }[] = []
    ;(window as unknown as { progressSeen: typeof seen }).progressSeen = seen
    const read = (): void => {
      const bar = document.querySelector<HTMLProgressElement>('#bench-progress')
      const label = document.querySelector('label[for="bench-progress"]')?.textContent ?? ''
      if (!bar) return
      const last = seen.at(-1)
      const phase = label.replace(/: \d+ \/ \d+$/, '')
      if (!last || last.phase !== phase || last.value !== bar.value || last.max !== bar.max) seen.push({ phase, value: bar.value, max: bar.max })
    }
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })
}

const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { progressSeen: { phase: string; value: number; max: number }[] }).progressSeen)

async function openCompare(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Compare', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Compare models on this machine' })).toBeVisible()
}

test('compare: a quick check runs the real bench and shows numbers for every model', async ({ app }, testInfo) => {
  const { page, main } = app
  const cards = shippedCards()
  const models = [...cards.map((c) => ({ id: c.id, name: c.name })), FACE_API]
  const fer2013 = existsSync(defaultFer2013Dir(REPO_ROOT))
  expect(cards.length, `no model cards in ${MODELS_DIR}`).toBeGreaterThan(0)

  await test.step('open Compare: nothing measured yet', async () => {
    await openCompare(page)
    await expect(page.getByText('No benchmark yet.')).toBeVisible()
    await recordProgress(page)
  })

  const quick = page.getByRole('button', { name: 'Quick check' })
  const full = page.getByRole('button', { name: 'Full benchmark' })

  await test.step('start a quick check: both buttons wait for it, and the progress bar advances', async () => {
    await quick.click()
    await expect(quick).toBeDisabled()
    await expect(full).toBeDisabled()
    const bar = page.locator('#bench-progress')
    await expect(bar).toBeVisible(RUN)
    // Advancing: within one phase, the bar shows at least two different values, the later one larger.
    await expect
      .poll(
        async () => {
          const seen = await progressSeen(page)
          return seen.some((s, i) => seen.slice(i + 1).some((t) => t.phase === s.phase && t.value > s.value))
        },
        { ...RUN, message: 'the progress bar moved forward within a phase' }
      )
      .toBe(true)
  })

  await test.step('a second run while one is running answers bench-busy, and the first goes on', async () => {
    const second = await page.evaluate(() => window.api.runBench({ quick: true }).then(() => 'started', (e: unknown) => String(e)))
    expect(second).toMatch(/bench-busy: a benchmark is already running/)
    expect(main.calls.filter((c) => c.channel === 'bench:run').map((c) => c.errorCode ?? 'ok')).toEqual(['bench-busy'])
    await expect(page.locator('#bench-progress')).toBeVisible()
  })

  await test.step('the report shows: tables with numbers for every model card and for face-api', async () => {
    const table2 = 'Table 2: inference time per face (CPU; face-api on TF.js WASM)'
    await expect(page.getByRole('table', { name: table2 })).toBeVisible(RUN)
    await expect(quick).toBeEnabled()
    await expect(page.locator('#bench-progress')).toHaveCount(0)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.getByText(/^Quick check of /)).toBeVisible()
    const seen = await progressSeen(page)
    expect(seen.map((s) => s.phase)).toEqual(expect.arrayContaining(['speed per provider', 'performance options']))

    for (const m of models) {
      // Table 2: ms per face at batch 1 and 8, faces/s, load time.
      const [, batch1, batch8, facesPerSecond] = await rowOf(page, table2, m.name)
      expect(batch1, `${m.name}: batch 1 ms/face`).toMatch(MS_PAIR)
      expect(batch8, `${m.name}: batch 8 ms/face`).toMatch(MS_PAIR)
      expect(facesPerSecond, `${m.name}: faces/s`).toMatch(NUMBER)
      // The 3x3 gallery end to end: frames per second.
      const [, facesPerFrame, fps] = await rowOf(page, 'End to end: a 3x3 call gallery', m.name)
      expect(Number(facesPerFrame), `${m.name}: faces per frame in the 3x3 gallery`).toBeGreaterThanOrEqual(5)
      expect(fps).toMatch(NUMBER)
      if (fer2013) {
        // Table 1 and the per-split table: accuracy on FER2013 val (the quick subset).
        const [, ours] = await rowOf(page, 'Table 1: accuracy on FER2013 val', m.name)
        expect(ours, `${m.name}: accuracy`).toMatch(PERCENT)
        const [accuracy, macroF1] = await rowOf(page, /^FER2013 val: 300 of \d+ images$/, m.name)
        expect(accuracy).toMatch(PERCENT)
        expect(macroF1).toMatch(/^0\.\d{3}$/)
      }
    }
    // Beyond FER2013: every model and face-api on the e2e faces through the detector (and CK+48 / muxspace where present).
    const beyond = 'Beyond FER2013: accuracy / macro-F1 on real faces'
    await expect(page.getByRole('table', { name: beyond })).toBeVisible()
    for (const m of models) {
      const cells = await rowOf(page, beyond, m.name)
      expect(cells.length, `${m.name}: a cell per real-face set`).toBeGreaterThanOrEqual(1)
      for (const cell of cells) expect(cell, `${m.name}: accuracy / macro-F1`).toMatch(/^\d+\.\d % \/ \d+\.\d %$/)
    }
    // Every provider onnxruntime-node lists is tried for each card, and a failure says why.
    const speed = page.getByRole('table', { name: 'Speed per execution provider' })
    for (const c of cards) await expect(speed.getByRole('row').filter({ has: page.getByRole('rowheader', { name: c.name, exact: true }) }).filter({ hasText: 'cpu' })).toHaveCount(1)
    await expect(page.getByRole('table', { name: 'Face detection per frame (face-api, TF.js WASM backend)' })).toBeVisible()
  })

  await test.step('and charts: ms per face, and a confusion matrix per model', async () => {
    const chart = (title: string) => page.getByRole('img', { name: title, exact: true })
    const titles = ['Figure 3 (right): ms per face per model and execution provider', ...(fer2013 ? models.map((m) => `Confusion matrix: ${m.id}, FER2013 val`) : [])]
    for (const title of titles) {
      await expect(chart(title)).toBeVisible()
      // Decoded: a real SVG image, not a broken one.
      expect(await chart(title).evaluate((img) => (img as HTMLImageElement).naturalWidth), title).toBeGreaterThan(100)
    }
    await keepScreenshot(page, testInfo, 'compare-quick-check')
  })

  expect(main.calls.filter((c) => c.channel === 'bench:run').map((c) => c.errorCode ?? 'ok')).toEqual(['bench-busy', 'ok'])
})

test('compare: a failed run says why, and the app keeps working', async ({ app }) => {
  const { page, main } = app
  const cards = shippedCards()
  const noData = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-no-fer2013-'))
  try {
    await test.step('a run that cannot find its data fails with the reason, and the buttons come back', async () => {
      // Main's fixed arguments pointed at an empty FER2013 folder, accuracy not skipped: the CLI stops at once.
      main.useBench(['--models', MODELS_DIR, '--data', noData])
      await openCompare(page)
      await page.getByRole('button', { name: 'Quick check' }).click()
      const alert = page.getByRole('alert')
      await expect(alert).toContainText('bench-failed: benchmark failed (exit code 1)', RUN)
      await expect(alert).toContainText(`FER2013 split folder ${join(noData, 'val')} does not exist`)
      await expect(page.getByRole('button', { name: 'Quick check' })).toBeEnabled()
      await expect(page.getByText('No benchmark yet.')).toBeVisible()
    })

    await test.step('the live view still works: its model list is there', async () => {
      await page.getByRole('button', { name: 'Live', exact: true }).click()
      const model = page.getByLabel('Model')
      await expect(model).toBeEnabled()
      for (const c of cards) await expect(model.locator(`option[value="${c.id}"]`)).toHaveCount(1)
      await page.getByRole('button', { name: 'Compare', exact: true }).click()
      // The view kept the failure's message.
      await expect(page.getByRole('alert')).toContainText('FER2013 split folder')
    })

    await test.step('the next run is accepted and replaces the message with its report', async () => {
      // A small real run: speed only, one iteration.
      main.useBench(['--models', MODELS_DIR, '--skip', 'accuracy,beyond,options,detection,gallery', '--iterations', '1'])
      await page.getByRole('button', { name: 'Quick check' }).click()
      await expect(page.getByRole('alert')).toHaveCount(0)
      const table2 = 'Table 2: inference time per face (CPU; face-api on TF.js WASM)'
      await expect(page.getByRole('table', { name: table2 })).toBeVisible(RUN)
      for (const name of [...cards.map((c) => c.name), FACE_API.name]) expect((await rowOf(page, table2, name))[1]).toMatch(MS_PAIR)
    })
    expect(main.calls.filter((c) => c.channel === 'bench:run').map((c) => c.errorCode ?? 'ok')).toEqual(['bench-failed', 'ok'])
  } finally {
    await rm(noData, { recursive: true, force: true })
  }
})
