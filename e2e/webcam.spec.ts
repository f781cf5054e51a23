import { readFile, writeFile } from 'node:fs/promises'
import { EMOTIONS } from '../src/shared/emotions'
import { expectBoxesOverFaces, keepScreenshot, LABELLED, overlayMatchesList, previewSize, readFaces, readStats, SLOW, tileAt } from './harness/app-view'
import { expect, test } from './harness/fixtures'
import { RESNET, shippedCards, VIT } from './harness/models'
import { parseCsv } from './harness/rfc4180'
import { EXPECTED_COLUMNS } from './harness/session-csv'

test('webcam: three faces labelled at the faces, model switch, session exported as CSV', async ({ app, fakeWebcam }, testInfo) => {
  const { page, main } = app
  const { layout } = fakeWebcam
  const faceList = page.getByRole('list', { name: 'Detected faces' })
  const faceItems = faceList.getByRole('listitem')
  const classifiedBy = (modelId: string): number =>
    main.calls.filter((c) => c.channel === 'inference:classify' && c.ok && c.modelId === modelId && (c.faces ?? 0) > 0).length
  const measurements: Record<string, Record<string, string>> = {}

  const cards = await test.step('the trained models are shipped in resources/models', async () => {
    const cards = shippedCards()
    const ids = cards.map((c) => c.id)
    expect(ids, `resources/models must hold ${RESNET} and ${VIT} (card + .onnx, from training/); found: [${ids.join(', ')}]`).toEqual(
      expect.arrayContaining([RESNET, VIT])
    )
    return new Map(cards.map((c) => [c.id, c]))
  })

  await test.step('the fake webcam and both models are offered', async () => {
    const camera = page.getByLabel('Camera')
    await expect(camera).toBeEnabled(SLOW)
    await expect(camera.locator('option', { hasText: 'fake-webcam.y4m' })).toHaveCount(1)
    await camera.selectOption({ label: fakeWebcam.videoPath })
    const model = page.getByLabel('Model')
    await expect(model).toBeEnabled(SLOW)
    await expect(model.locator(`option[value="${RESNET}"]`)).toHaveCount(1)
    await expect(model.locator(`option[value="${VIT}"]`)).toHaveCount(1)
    await model.selectOption(RESNET)
  })

  await test.step(`start: all three faces are found and labelled by ${RESNET}`, async () => {
    const start = page.getByRole('button', { name: 'Start' })
    await expect(start).toBeEnabled(SLOW)
    await start.click()
    await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled(SLOW)
    await expect(faceItems).toHaveCount(3, SLOW)
    await expect
      .poll(async () => (await readFaces(faceList)).filter((f) => LABELLED.test(f.text)).length, { ...SLOW, message: 'three labelled faces' })
      .toBe(3)
    expect(classifiedBy(RESNET), `classify calls answered by ${RESNET}`).toBeGreaterThan(0)
  })

  await test.step('each label box lies over its face, and the overlay draws it there', async () => {
    // Poll: a frame may be in between updates when three boxes are read; the assertion inside is exact.
    await expect(async () => {
      const faces = await readFaces(faceList)
      expect(faces).toHaveLength(3)
      expectBoxesOverFaces(faces, await previewSize(page), layout)
    }).toPass(SLOW)
    await expect
      .poll(() => overlayMatchesList(page), { ...SLOW, message: 'box strokes on the canvas at every listed face' })
      .toEqual({ faces: 3, strokedEdges: 3, clearCentres: 3 })
    // Stats settle after warm-up: read them once a few more frames have gone through.
    await expect.poll(() => classifiedBy(RESNET), SLOW).toBeGreaterThanOrEqual(15)
    await expect.poll(async () => (await readStats(page))['inference-ms'], SLOW).toMatch(/^\d+(\.\d+)? ms$/)
    measurements[RESNET] = await readStats(page)
    expect(measurements[RESNET]['detector-place'], 'face detection runs in its worker').toBe('worker')
    // What the loop costs: measured in the page here; all processes' CPU needs Electron's main.
    expect(measurements[RESNET]['page-busy']).toMatch(/^\d+ ms\/s$/)
    expect(measurements[RESNET]['detection-busy']).toMatch(/^\d+ ms\/s$/)
    // Each face's classification interval in force: 100 ms, or longer where the model is slow here.
    expect(Number.parseInt(measurements[RESNET]['classify-interval'] ?? '', 10)).toBeGreaterThanOrEqual(100)
    expect(measurements[RESNET]['app-cpu'], 'the harness has no Electron process metrics').toBe('not measurable here')
    await keepScreenshot(page, testInfo, `running-${RESNET}`)
  })

  await test.step(`switch the model to ${VIT}: labels come back from the new model`, async () => {
    const before = classifiedBy(VIT)
    expect(before, `${VIT} was not used before the switch`).toBe(0)
    // The model panel shows the selected card's FER2013 test accuracy: the ResNet's, then the ViT's.
    const testAccuracy = page.locator('dt', { hasText: 'FER2013 test' }).locator('xpath=following-sibling::dd[1]')
    const shownAccuracy = (id: string): string => {
      const accuracy = cards.get(id)?.metrics?.fer2013?.test?.accuracy
      expect(accuracy, `${id} card has metrics.fer2013.test.accuracy`).toBeDefined()
      return `${((accuracy ?? 0) * 100).toFixed(1)}%`
    }
    await expect(testAccuracy).toHaveText(shownAccuracy(RESNET))
    await page.getByLabel('Model').selectOption(VIT)
    await expect(testAccuracy).toHaveText(shownAccuracy(VIT))
    await expect.poll(() => classifiedBy(VIT), { ...SLOW, message: `classify calls answered by ${VIT}` }).toBeGreaterThan(2)
    const resnetCallsAtSwitch = classifiedBy(RESNET)
    await expect
      .poll(async () => (await readFaces(faceList)).filter((f) => LABELLED.test(f.text)).length, { ...SLOW, message: 'three labelled faces' })
      .toBe(3)
    await expect(async () => {
      const faces = await readFaces(faceList)
      expect(faces).toHaveLength(3)
      expectBoxesOverFaces(faces, await previewSize(page), layout)
    }).toPass(SLOW)
    // After the switch, new frames go to the ViT only.
    const vitCalls = classifiedBy(VIT)
    await expect.poll(() => classifiedBy(VIT), SLOW).toBeGreaterThan(vitCalls + 1)
    expect(classifiedBy(RESNET), `no ${RESNET} calls after the switch`).toBe(resnetCallsAtSwitch)
    await expect.poll(() => classifiedBy(VIT), SLOW).toBeGreaterThanOrEqual(15)
    await expect.poll(async () => (await readStats(page))['inference-ms'], SLOW).toMatch(/^\d+(\.\d+)? ms$/)
    measurements[VIT] = await readStats(page)
    await keepScreenshot(page, testInfo, `running-${VIT}`)
  })

  const exported = await test.step('stop the session and export it as CSV', async () => {
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(page.getByRole('button', { name: 'Start' })).toBeVisible(SLOW)
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const note = page.getByRole('status').filter({ hasText: /^Exported/ })
    await expect(note).toHaveText(/^Exported \d+ rows to .+\.csv$/, SLOW)
    const text = (await note.textContent()) ?? ''
    const [, rows, path] = /^Exported (\d+) rows to (.+)$/.exec(text.trim()) ?? []
    expect(path?.startsWith(main.exportDir), `export went to the harness's chosen path (${main.exportDir})`).toBe(true)
    await keepScreenshot(page, testInfo, 'after-export')
    return { rows: Number(rows), path: path ?? '' }
  })

  await test.step('the exported CSV is RFC 4180 with the session rows of both models', async () => {
    const text = await readFile(exported.path, 'utf8')
    await testInfo.attach('session.csv', { path: exported.path, contentType: 'text/csv' })
    const [header, ...rows] = parseCsv(text)
    expect(header).toEqual(EXPECTED_COLUMNS)
    expect(rows.length, 'data rows').toBeGreaterThan(0)
    expect(rows.length, 'rows the UI reported as exported').toBe(exported.rows)
    const col = (name: string): number => (EXPECTED_COLUMNS as readonly string[]).indexOf(name)
    const probCols = EMOTIONS.map((e) => col(`p_${e}`))
    const faceTiles = new Map<string, Set<number>>()
    const models = new Set<string>()
    let lastMs = -Infinity
    for (const [n, row] of rows.entries()) {
      const where = `row ${n + 2}`
      expect(row, `${where} has every column`).toHaveLength(EXPECTED_COLUMNS.length)
      const cell = (name: string): string => row[col(name)] ?? ''
      expect(Number.isNaN(Date.parse(cell('iso_time'))), `${where} iso_time`).toBe(false)
      const ms = Number(cell('ms_since_start'))
      expect(ms, `${where} ms_since_start never goes back`).toBeGreaterThanOrEqual(lastMs)
      lastMs = ms
      expect(cell('frame_index'), `${where} frame_index`).toMatch(/^\d+$/)
      expect(cell('face_id'), `${where} face_id`).toMatch(/^\d+$/)
      expect([RESNET, VIT], `${where} model_id`).toContain(cell('model_id'))
      models.add(cell('model_id'))
      expect(cell('execution_provider'), `${where} execution_provider`).not.toBe('')
      const p = probCols.map((c) => Number(row[c]))
      for (const v of p) expect(v >= 0 && v <= 1, `${where} probabilities in [0, 1]: ${p.join(' ')}`).toBe(true)
      expect(p.reduce((a, b) => a + b, 0), `${where} probabilities sum to 1`).toBeCloseTo(1, 3)
      const labelIndex = (EMOTIONS as readonly string[]).indexOf(cell('label'))
      expect(labelIndex, `${where} label is one of the seven emotions`).toBeGreaterThanOrEqual(0)
      // Compared by value, so two probabilities that round alike cannot make a correct row fail.
      expect(p[labelIndex], `${where} label is the most probable emotion`).toBe(Math.max(...p))
      expect(Number(cell('confidence')), `${where} confidence is the top probability`).toBeCloseTo(Math.max(...p), 5)
      expect(Number(cell('inference_ms')), `${where} inference_ms`).toBeGreaterThan(0)
      // Boxes are in source pixels: each must lie on one of the photos of the 640x360 frame.
      const cx = Number(cell('box_x')) + Number(cell('box_w')) / 2
      const cy = Number(cell('box_y')) + Number(cell('box_h')) / 2
      const tile = tileAt(layout, cx, cy)
      expect(tile, `${where} box centre (${cx}, ${cy}) on a photo`).toBeGreaterThanOrEqual(0)
      const tiles = faceTiles.get(cell('face_id')) ?? new Set<number>()
      tiles.add(tile)
      faceTiles.set(cell('face_id'), tiles)
    }
    expect([...models].sort(), 'both models appear in the session').toEqual([RESNET, VIT])
    // Tracking keeps ids stable: an id never jumps from one person to another.
    for (const [id, tiles] of faceTiles) expect([...tiles], `face ${id} stays on one photo`).toHaveLength(1)
    expect(new Set([...faceTiles.values()].map((t) => [...t][0])).size, 'all three photos were logged').toBe(3)
  })

  // The live stats of both models with three faces in view: the numbers issue 2's closing note asks for.
  const measurementsPath = testInfo.outputPath('measurements.json')
  await writeFile(measurementsPath, JSON.stringify(measurements, null, 2) + '\n')
  await testInfo.attach('measurements.json', { path: measurementsPath, contentType: 'application/json' })
})
