import { expect, type Locator, type Page, type TestInfo } from '@playwright/test'
import type { FakeWebcamLayout } from '../../scripts/make-fake-webcam'
import { EMOTIONS } from '../../src/shared/emotions'

// Detection runs 0.1-0.5 s a frame in headless WASM on two busy cores, and the first ONNX load of
// a ResNet50 takes seconds: wait for outcomes with generous polls, never for fixed times.
/** Timeout for anything that waits on detection or inference. */
export const SLOW = { timeout: 120_000 }

/** A face list item that carries a label: "Face 3: happy 87%". */
export const LABELLED = new RegExp(`^Face \\d+: (${EMOTIONS.join('|')}) \\d+%$`)

/** One item of the face list: its text and its box in display pixels. */
export interface FaceItem {
  text: string
  x: number
  y: number
  w: number
  h: number
}

/** The accessible face list's items with their display-pixel boxes. */
export async function readFaces(list: Locator): Promise<FaceItem[]> {
  return list.getByRole('listitem').evaluateAll((items) =>
    items.map((li) => {
      const el = li as HTMLElement
      return {
        text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        x: Number(el.dataset.x),
        y: Number(el.dataset.y),
        w: Number(el.dataset.w),
        h: Number(el.dataset.h)
      }
    })
  )
}

/** The preview's size in CSS pixels; the face list's boxes are relative to its top-left corner. */
export async function previewSize(page: Page): Promise<{ width: number; height: number }> {
  const box = await page.getByLabel('Live preview').boundingBox()
  if (!box) throw new Error('the live preview is not visible')
  return { width: box.width, height: box.height }
}

/**
 * Maps a display-pixel box back to frame pixels with object-fit: contain's letterbox, computed here
 * independently of the renderer's own containFit.
 */
export function toFrame(face: FaceItem, preview: { width: number; height: number }, layout: FakeWebcamLayout) {
  const scale = Math.min(preview.width / layout.width, preview.height / layout.height)
  const offX = (preview.width - layout.width * scale) / 2
  const offY = (preview.height - layout.height * scale) / 2
  return { x: (face.x - offX) / scale, y: (face.y - offY) / scale, w: face.w / scale, h: face.h / scale }
}

/** Index of the photo tile (drift included) that holds the point, or -1. */
export function tileAt(layout: FakeWebcamLayout, cx: number, cy: number): number {
  return layout.tiles.findIndex(
    (t) => cx >= t.x - layout.driftPx && cx <= t.x + t.width + layout.driftPx && cy >= t.y && cy <= t.y + t.height
  )
}

/** Asserts one labelled box per photo, each lying over its photo's face, in the photo's third of the frame. */
export function expectBoxesOverFaces(faces: FaceItem[], preview: { width: number; height: number }, layout: FakeWebcamLayout): void {
  const third = layout.width / layout.tiles.length
  const tilesHit = faces.map((face) => {
    const box = toFrame(face, preview, layout)
    const cx = box.x + box.w / 2
    const cy = box.y + box.h / 2
    const tile = tileAt(layout, cx, cy)
    expect(tile, `${face.text}: box centre (${cx.toFixed(0)}, ${cy.toFixed(0)}) is on a photo`).toBeGreaterThanOrEqual(0)
    const t = layout.tiles[tile]!
    expect(Math.floor(cx / third), `${face.text} lies in the third of its photo`).toBe(tile)
    // Each photo is cut so its face fills about half of it: a face box far smaller or larger than that is not this face.
    expect(box.w, `${face.text} box width vs photo side ${t.width}`).toBeGreaterThan(t.width * 0.2)
    expect(box.w, `${face.text} box width vs photo side ${t.width}`).toBeLessThan(t.width * 1.1)
    // The face is near the middle of its photo.
    expect(Math.abs(cx - (t.x + t.width / 2)), `${face.text} horizontal offset from its photo's centre`).toBeLessThan(t.width * 0.3)
    expect(Math.abs(cy - (t.y + t.height / 2)), `${face.text} vertical offset from its photo's centre`).toBeLessThan(t.height * 0.3)
    return tile
  })
  expect(new Set(tilesHit).size, 'one face per photo').toBe(layout.tiles.length)
}

/**
 * Reads, in one synchronous page turn, the face list and the overlay canvas, and answers whether the
 * canvas has box paint on each face's left edge and none at its centre: the labels are drawn at
 * the faces, not only listed.
 */
export async function overlayMatchesList(page: Page): Promise<{ faces: number; strokedEdges: number; clearCentres: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas')
    const list = document.querySelector('ul[aria-label="Detected faces"]')
    if (!canvas || !list) return { faces: 0, strokedEdges: 0, clearCentres: 0 }
    const ctx = canvas.getContext('2d')
    if (!ctx) return { faces: 0, strokedEdges: 0, clearCentres: 0 }
    const ratio = canvas.width / Math.max(1, canvas.clientWidth)
    const alphaAt = (x: number, y: number): number => ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data[3] ?? 0
    let strokedEdges = 0
    let clearCentres = 0
    const items = [...list.querySelectorAll('li')] as HTMLElement[]
    for (const li of items) {
      const x = Number(li.dataset.x)
      const y = Number(li.dataset.y)
      const w = Number(li.dataset.w)
      const h = Number(li.dataset.h)
      const midY = y + h / 2
      if ([-1, 0, 1].some((dx) => alphaAt(x + dx, midY) > 0)) strokedEdges++
      if (alphaAt(x + w / 2, midY) === 0) clearCentres++
    }
    return { faces: items.length, strokedEdges, clearCentres }
  })
}

/** Saves a screenshot under test-results/ and attaches it to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/** Opens the live view's "Details" disclosure (the Performance figures), which starts closed. */
export async function showDetails(page: Page): Promise<void> {
  const details = page.locator('details[data-panel="panel-details"]')
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click()
  await expect(page.getByLabel('Live statistics')).toBeVisible()
}

/** The live stats panel's values, for the measurements the closing note reports. */
export async function readStats(page: Page): Promise<Record<string, string>> {
  return page.getByLabel('Live statistics').evaluate((dl) => {
    const out: Record<string, string> = {}
    for (const dd of dl.querySelectorAll('dd[data-stat]')) out[(dd as HTMLElement).dataset.stat ?? ''] = (dd.textContent ?? '').trim()
    return out
  })
}
