/**
 * The golden crop test, renderer side: the app's FrameGrabber (src/renderer/src/lib/frame-grabber.ts,
 * bundled unchanged) in Debian Chromium draws face-api's demo photo as a video frame on its canvas and
 * cuts the golden boxes; the bytes must equal, within 1 grey level, what the bench computes from the
 * same photo in Node (jpeg-js decode + the shared crop code). tests/bench/face-crop-golden.test.ts ties
 * the bench to training/face_crop.py the same way.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, expect, test, type Browser } from '@playwright/test'
import { build } from 'vite'
import { cropFace, PAD_GRAY } from '../src/shared/face-crop'
import { readRgba } from '../src/bench/images'
import { GOLDEN_CASES, GOLDEN_PHOTO } from '../tests/golden-crops'
import { BASE_CHROMIUM_ARGS, CHROMIUM_PATH } from './harness/chromium'
import { REPO_ROOT } from './harness/repo-paths'

/** frame-grabber.ts (and the shared crop code it imports) as one classic script exposing `FrameGrabberBundle`. */
async function frameGrabberBundle(): Promise<string> {
  const result = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    build: { write: false, minify: false, emptyOutDir: false, lib: { entry: join(REPO_ROOT, 'src/renderer/src/lib/frame-grabber.ts'), formats: ['iife'], name: 'FrameGrabberBundle' } }
  })
  for (const output of Array.isArray(result) ? result : [result]) {
    if (!('output' in output)) continue
    const chunk = output.output.find((o) => o.type === 'chunk')
    if (chunk && chunk.type === 'chunk') return chunk.code
  }
  throw new Error('vite produced no chunk for frame-grabber.ts')
}

let browser: Browser

test.beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...BASE_CHROMIUM_ARGS] })
})
test.afterAll(async () => {
  await browser?.close()
})

test('the renderer cuts the golden crops as the bench and training do, within 1 grey level', async () => {
  const page = await browser.newPage()
  await page.setContent('<!doctype html><title>crop</title>')
  await page.addScriptTag({ content: await frameGrabberBundle() })
  const jpeg = readFileSync(GOLDEN_PHOTO).toString('base64')
  const renderer = await page.evaluate(
    async ({ jpeg, cases }) => {
      const img = new Image()
      img.src = `data:image/jpeg;base64,${jpeg}`
      await img.decode()
      // The grabber reads a video's size and draws it; a decoded photo stands in for the video frame.
      const frame = Object.assign(img, { videoWidth: img.naturalWidth, videoHeight: img.naturalHeight }) as unknown as HTMLVideoElement
      const { FrameGrabber } = (window as unknown as { FrameGrabberBundle: { FrameGrabber: new () => { grab(v: HTMLVideoElement): boolean; grayCrop(b: unknown, w: number, h: number): Uint8Array } } }).FrameGrabberBundle
      const grabber = new FrameGrabber()
      if (!grabber.grab(frame)) throw new Error('the grabber took no frame')
      return cases.map((c) => Array.from(grabber.grayCrop(c.box, c.size, c.size)))
    },
    { jpeg, cases: GOLDEN_CASES }
  )
  const rgba = await readRgba(GOLDEN_PHOTO)
  for (const [i, c] of GOLDEN_CASES.entries()) {
    const bench = cropFace({ width: rgba.width, height: rgba.height, channels: 4, data: rgba.data }, c.box, c.size)
    const got = renderer[i] as number[]
    expect(got, c.name).toHaveLength(c.size * c.size)
    const diff = Math.max(...got.map((v, k) => Math.abs(v - (bench[k] as number))))
    test.info().annotations.push({ type: 'max grey-level difference', description: `${c.name}: ${diff}` })
    expect(diff, `${c.name}: renderer vs bench`).toBeLessThanOrEqual(1)
  }
  // The padded case really is padded with mid-grey in the renderer too (black padding would fail above as well).
  const padded = renderer[GOLDEN_CASES.findIndex((c) => c.name === 'face filling the frame')] as number[]
  expect(new Set(padded.slice(0, 48))).toEqual(new Set([PAD_GRAY]))
  await page.close()
})
