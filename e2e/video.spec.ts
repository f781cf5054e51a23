import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { leaveAndReturnLayout, makeFakeVideo, type FakeVideoLayout } from '../scripts/make-fake-video'
import { EMOTIONS } from '../src/shared/emotions'
import { keepScreenshot, SLOW } from './harness/app-view'
import { CHROMIUM_PATH } from './harness/chromium'
import { expect, test } from './harness/fixtures'
import { RESNET } from './harness/models'
import { EXPECTED_COLUMNS } from './harness/session-csv'

/** Analysing 12 s of video at 5 frames a second takes a minute on two busy cores, and five when they are very busy. */
const ANALYSIS = { timeout: 12 * 60_000 }

/** The face (by tile) whose centre lies at x in the layout, or -1. */
function tileAt(layout: FakeVideoLayout, cx: number, cy: number): number {
  return layout.faces.findIndex((f) => cx >= f.x && cx <= f.x + f.width && cy >= f.y && cy <= f.y + f.height)
}

test('recorded video: analysed frame by frame (not at playback speed), timeline, summary, folder export, a returning face keeps its id, names, library', async ({ app }, testInfo) => {
  test.setTimeout(20 * 60_000)
  const { page, main } = app
  const dir = await mkdtemp(join(tmpdir(), 'emotion-overlay-e2e-video-'))
  try {
    const { videoPath, layout } = await test.step('record the leave-and-return video in Chromium', () =>
      makeFakeVideo(join(dir, 'leave-and-return.webm'), leaveAndReturnLayout(), { chromiumPath: CHROMIUM_PATH })
    )
    const returning = 2

    await test.step('pick the model, then open the video file', async () => {
      const model = page.getByLabel('Model')
      await expect(model).toBeEnabled(SLOW)
      await model.selectOption(RESNET)
      await page.getByRole('button', { name: 'Video', exact: true }).click()
      await page.getByLabel('Video file').setInputFiles(videoPath)
    })

    const named = await test.step('analyse: the progress bar advances; a face is named from the face list', async () => {
      const analyse = page.getByRole('button', { name: 'Analyse' })
      await expect(analyse).toBeEnabled(SLOW)
      await analyse.click()
      const progress = page.getByRole('progressbar', { name: 'Analysis progress' })
      await expect.poll(async () => Number(await progress.getAttribute('value')), { ...SLOW, message: 'progress above 0' }).toBeGreaterThan(0)
      const first = Number(await progress.getAttribute('value'))
      // Name the leftmost face while the analysis runs: later rows carry the name.
      const faceButton = page.getByRole('list', { name: 'Faces in the video' }).getByRole('button').first()
      await expect(faceButton).toBeVisible(SLOW)
      const faceId = Number(await page.getByRole('list', { name: 'Faces in the video' }).getByRole('listitem').first().getAttribute('data-face-id'))
      await faceButton.click()
      await page.getByLabel(`Name for face ${faceId}`).fill('Ada')
      await page.getByRole('button', { name: 'Save name' }).first().click()
      await expect.poll(async () => Number(await progress.getAttribute('value')), SLOW).toBeGreaterThan(first)
      await expect(page.getByTestId('video-status')).toContainText('left', SLOW)
      // The timeline grows while the video is analysed, not only afterwards.
      await expect(page.locator('figure[data-chart^="Timeline of face"] svg').first()).toBeVisible(SLOW)
      expect(await page.getByTestId('video-status').textContent()).not.toContain('done')
      await keepScreenshot(page, testInfo, 'video-analysing')
      await expect(page.getByTestId('video-status')).toContainText('done', ANALYSIS)
      await expect(progress).toHaveAttribute('value', '100')
      return faceId
    })

    const speed = await test.step('the status reports the speed against real time', async () => {
      const text = (await page.getByTestId('video-status').textContent()) ?? ''
      const match = /([\d.]+)x real time/.exec(text)
      expect(match, text).not.toBeNull()
      return Number(match?.[1])
    })

    await test.step('the summary and a timeline per face render', async () => {
      const summary = page.getByRole('table', { name: 'Session summary' })
      await expect(summary.getByRole('row')).toHaveCount(1 + 1 + layout.faces.length, SLOW)
      await expect(summary.getByRole('rowheader', { name: 'Ada (face ' + named + ')' })).toBeVisible()
      for (const chart of await page.locator('figure[data-chart^="Timeline of face"]').all()) await expect(chart.locator('svg')).toBeVisible(SLOW)
      await expect(page.locator('figure[data-chart^="Timeline of face"]')).toHaveCount(layout.faces.length)
      await page.getByRole('table', { name: 'Session summary' }).scrollIntoViewIfNeeded()
      await keepScreenshot(page, testInfo, 'video-summary')
      await page.locator('figure[data-chart^="Timeline of face"]').first().scrollIntoViewIfNeeded()
      await page.screenshot({ path: testInfo.outputPath('video-timeline.png'), fullPage: true })
    })

    const folder = await test.step('Export writes raw CSV, summary CSV and the charts into the chosen folder', async () => {
      await page.getByRole('button', { name: 'Export', exact: true }).click()
      const note = page.getByRole('status').filter({ hasText: /^Exported \d+ files to / })
      await expect(note).toBeVisible(SLOW)
      const folder = /to (.+)$/.exec(((await note.textContent()) ?? '').trim())?.[1] ?? ''
      expect(folder.startsWith(main.exportDir)).toBe(true)
      const files = (await readdir(folder)).sort()
      expect(files).toEqual(expect.arrayContaining(['session.csv', 'summary.csv', 'summary-shares.svg', 'summary-shares.png']))
      expect(files.filter((f) => /^timeline-face-\d+\.svg$/.test(f))).toHaveLength(layout.faces.length)
      expect(files.filter((f) => /^timeline-face-\d+\.png$/.test(f))).toHaveLength(layout.faces.length)
      const png = await readFile(join(folder, 'summary-shares.png'))
      expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
      for (const f of files) await testInfo.attach(f, { path: join(folder, f) })
      return folder
    })

    await test.step('the CSVs parse; times follow the video; the returning face keeps its id; the name is logged', async () => {
      const [header, ...rows] = parse(await readFile(join(folder, 'session.csv'), 'utf8')) as string[][]
      expect(header).toEqual([...EXPECTED_COLUMNS])
      const col = (name: string): number => header!.indexOf(name)
      const idsByTile = new Map<number, Set<string>>()
      const timesByTile = new Map<number, number[]>()
      for (const row of rows) {
        const t = Number(row[col('ms_since_start')])
        // Every analysed frame is a multiple of 200 ms of video time within the video.
        expect(t % 200, `ms_since_start ${t} is a video time`).toBe(0)
        expect(t).toBeLessThan(layout.durationMs)
        expect(row[col('source')]).toBe('video: leave-and-return.webm')
        expect(EMOTIONS).toContain(row[col('smoothed_label')])
        const cx = Number(row[col('box_x')]) + Number(row[col('box_w')]) / 2
        const cy = Number(row[col('box_y')]) + Number(row[col('box_h')]) / 2
        const tile = tileAt(layout, cx, cy)
        expect(tile, `box centre ${cx},${cy} on a face`).toBeGreaterThanOrEqual(0)
        idsByTile.set(tile, (idsByTile.get(tile) ?? new Set()).add(row[col('face_id')]!))
        timesByTile.set(tile, [...(timesByTile.get(tile) ?? []), t])
      }
      expect([...idsByTile.keys()].sort()).toEqual([0, 1, 2])
      for (const [tile, ids] of idsByTile) expect([...ids], `face ids of tile ${tile}`).toHaveLength(1)
      const back = timesByTile.get(returning) ?? []
      expect(back.some((t) => t < 4000), 'the returning face was seen before it left').toBe(true)
      expect(back.some((t) => t >= 8000), 'and after it came back').toBe(true)
      expect(back.filter((t) => t >= 4400 && t < 7800), 'and not while it was away').toEqual([])
      const namedRows = rows.filter((r) => r[col('face_id')] === String(named))
      expect(namedRows.length).toBeGreaterThan(0)
      expect(new Set(namedRows.map((r) => r[col('face_name')]))).toEqual(new Set(['Ada']))

      const [summaryHeader, ...summaryRows] = parse(await readFile(join(folder, 'summary.csv'), 'utf8')) as string[][]
      expect(summaryHeader?.slice(0, 3)).toEqual(['scope', 'face_id', 'face_name'])
      expect(summaryRows.map((r) => r[0])).toEqual(['call', 'face', 'face', 'face'])
      const returningId = [...idsByTile.get(returning)!][0]
      const returningRow = summaryRows.find((r) => r[1] === returningId)
      expect(Number(returningRow?.[summaryHeader!.indexOf('returns')]), 'the summary counts the return').toBe(1)
      expect(Number(returningRow?.[summaryHeader!.indexOf('seen_s')])).toBeLessThan(9.5)
      expect(summaryRows.find((r) => r[1] === String(named))?.[2]).toBe('Ada')
    })

    await test.step('the session library lists the session, reopens it and deletes it after confirmation', async () => {
      await page.getByRole('button', { name: 'Sessions', exact: true }).click()
      const list = page.getByRole('list', { name: 'Past sessions' })
      const item = list.getByRole('listitem').filter({ hasText: 'video: leave-and-return.webm' })
      await expect(item).toHaveCount(1, SLOW)
      await expect(item).toContainText(/0:1[12]\.\d/)
      await expect(item).toContainText('3 faces')
      await item.getByRole('button', { name: 'Open' }).click()
      await expect(page.getByRole('table', { name: 'Session summary' })).toBeVisible()
      await keepScreenshot(page, testInfo, 'library-reopened')
      // Merge two ids by hand: the summary then has one face fewer.
      const opened = page.getByRole('region', { name: 'Opened session' })
      const summaryRows = opened.getByRole('table', { name: 'Session summary' }).getByRole('row')
      await expect(summaryRows).toHaveCount(5)
      const ids = (await opened.getByLabel('Merge face').locator('option:not([disabled])').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).label)))
      await opened.getByLabel('Merge face').selectOption({ label: ids[2]! })
      await opened.getByLabel('into', { exact: true }).selectOption({ label: ids[1]! })
      await opened.getByRole('button', { name: 'Merge' }).click()
      await expect(summaryRows).toHaveCount(4, SLOW)
      await expect(item).toContainText('2 faces', SLOW)
      await item.getByRole('button', { name: 'Delete…' }).click()
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click()
      await expect(item).toHaveCount(0, SLOW)
      const left = existsSync(join(main.userDataDir, 'sessions')) ? await readdir(join(main.userDataDir, 'sessions')) : []
      expect(left).toEqual([])
    })

    await test.step('a file that is not a video gets a clear message', async () => {
      const bad = join(dir, 'broken.mp4')
      await writeFile(bad, Buffer.from('this is not a video'.repeat(100)))
      await page.getByRole('button', { name: 'Video', exact: true }).click()
      await page.getByLabel('Video file').setInputFiles(bad)
      await page.getByRole('button', { name: 'Analyse' }).click()
      await expect(page.getByRole('alert').filter({ hasText: 'Cannot analyse "broken.mp4"' })).toBeVisible(SLOW)
    })

    const measurementsPath = testInfo.outputPath('video-measurements.json')
    await writeFile(measurementsPath, JSON.stringify({ video: 'leave-and-return 640x360 12 s', speedVsRealTime: speed }, null, 2) + '\n')
    await testInfo.attach('video-measurements.json', { path: measurementsPath, contentType: 'application/json' })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
