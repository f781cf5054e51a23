import { showDetails, SLOW } from './harness/app-view'
import { expectAccessible } from './harness/axe'
import { expect, test } from './harness/fixtures'

/**
 * Each main view's first screen, before anything has happened, says what is true and offers the one
 * action that helps: the live preview names the selected source, the empty library explains where
 * sessions come from, the video view is a drop zone that refuses what is not a video. Screenshots of
 * each view go to test-results, and axe finds no serious or critical violation in any of them.
 */
test('every view says what is true before anything has happened', async ({ app }, testInfo) => {
  const { page } = app
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: testInfo.outputPath(`${name}.png`) })
    await expectAccessible(page, testInfo, name)
  }

  await test.step('live: the idle preview names the selected kind of source', async () => {
    await expect(page.getByLabel('Camera')).toBeEnabled(SLOW)
    await expect(page.getByLabel('Model')).toBeEnabled(SLOW)
    await expect(page.getByText(/^Camera selected\. Press Start/)).toBeVisible()
    await expect(page.getByText(/Pick a camera/)).toHaveCount(0)
    await expect(page.getByText('Not running')).toBeVisible()
    await shot('view-live-idle')
  })

  await test.step('live: the Performance figures wait in a closed Details disclosure; each detector setting says what it does', async () => {
    await expect(page.getByLabel('Live statistics')).toBeHidden()
    for (const [label, says] of [
      ['Input size', /Larger finds smaller faces/],
      ['Min face (px)', /ignored/],
      ['Tiles', /small faces of a gallery/],
      ['Min score', /Lower finds more faces/]
    ] as const) {
      await expect(page.getByLabel(label, { exact: true })).toHaveAccessibleDescription(says)
    }
    await showDetails(page)
    await expect(page.locator('[data-stat="execution-provider"]')).toBeVisible()
    await shot('view-live-details-open')
    await page.locator('details[data-panel="panel-details"]').screenshot({ path: testInfo.outputPath('details-open.png') })
    await page.locator('details[data-panel="panel-details"] summary').click()
    await expect(page.getByLabel('Live statistics')).toBeHidden()
  })

  await test.step('sessions: an empty library says where sessions come from', async () => {
    await page.getByRole('button', { name: 'Sessions' }).click()
    const hint = page.getByTestId('sessions-empty')
    await expect(hint).toContainText('No sessions yet')
    await expect(hint).toContainText('Live')
    await shot('view-sessions-empty')
  })

  await test.step('video: a drop zone and a file picker, which refuse a file that is not a video', async () => {
    await page.getByRole('button', { name: 'Video', exact: true }).click()
    const zone = page.getByTestId('video-dropzone')
    await expect(zone).toContainText('Drop a video file here')
    await expect(page.getByText('Choose video file…')).toBeVisible()
    await shot('view-video-empty')
    const stage = page.getByRole('group', { name: 'Video preview and drop zone' })
    const drop = (name: string, type: string): Promise<void> =>
      stage.evaluate(
        (el, file) => {
          const data = new DataTransfer()
          data.items.add(new File(['not really a video'], file.name, { type: file.type }))
          el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
        },
        { name, type }
      )
    await drop('notes.txt', 'text/plain')
    await expect(page.getByRole('alert')).toContainText('“notes.txt” is not a video file')
    await expect(page.getByRole('button', { name: 'Analyse' })).toBeDisabled()
    await drop('call.mp4', 'video/mp4')
    await expect(zone).toContainText('call.mp4')
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Analyse' })).toBeEnabled()
    await shot('view-video-chosen')
  })

  await test.step('live: paused says Paused in the status, the face list and the preview, never "No face in view"', async () => {
    await page.getByRole('button', { name: 'Live' }).click()
    await page.getByRole('button', { name: 'Start' }).click()
    const pause = page.getByRole('button', { name: 'Pause' })
    await expect(pause).toBeEnabled(SLOW)
    await pause.click()
    const status = page.getByRole('definition').filter({ hasText: /^(Paused|Recording|Stopped)$/ })
    await expect(status).toHaveText('Paused')
    await expect(page.getByText('No face in view')).toHaveCount(0)
    await expect(page.getByText(/^Paused\. Press Resume/)).toBeVisible()
    await shot('view-live-paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect(status).toHaveText('Recording')
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(page.getByRole('button', { name: 'Start' })).toBeVisible(SLOW)
  })

  await test.step('sessions: with a session and none opened, the detail pane says what to do', async () => {
    await page.getByRole('button', { name: 'Sessions' }).click()
    await expect(page.getByRole('list', { name: 'Past sessions' }).getByRole('listitem')).toHaveCount(1, SLOW)
    await expect(page.getByText('Open a session to see its summary, charts and faces.')).toBeVisible()
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await expect(page.getByRole('table', { name: 'Session summary' })).toBeVisible(SLOW)
    await expect(page.getByRole('table', { name: 'Session summary' })).toContainText('Whole call')
    await shot('view-sessions-opened')
  })

  await test.step('compare: the idle view', async () => {
    await page.getByRole('button', { name: 'Compare' }).click()
    await expect(page.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByText(/^No benchmark yet/)).toBeVisible()
    await shot('view-compare-idle')
  })
})
