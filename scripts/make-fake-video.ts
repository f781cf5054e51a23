/**
 * Builds a recorded video of real faces for the video-source tests and the speed measurement: the
 * demo-photo faces of make-fake-webcam.ts on a grid, each shown only during its time windows (so a
 * face can leave and come back), encoded by Chromium itself (canvas → MediaRecorder → WebM/VP8),
 * so no encoder needs installing. Recording runs in real time: a 12 s video takes 12 s to make.
 *
 *   npx tsx scripts/make-fake-video.ts [out.webm] [--hd9]    (writes out.webm and out.webm.json)
 *
 * --hd9 makes the one-minute 1280x720 video of nine faces that README's speed figure is measured on.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { FACE_CUTS, renderTiles, TILE_SIDE } from './make-fake-webcam'

/** One face on the video: where, which photo, and when it is in view (ms). */
export interface FakeVideoFace {
  photo: string
  x: number
  y: number
  width: number
  height: number
  visible: { fromMs: number; toMs: number }[]
}

/** What is where and when in a fake video. */
export interface FakeVideoLayout {
  width: number
  height: number
  fps: number
  durationMs: number
  faces: FakeVideoFace[]
}

/**
 * The e2e video: three faces side by side for 12 s at 640x360; the right-hand face leaves the
 * frame from 4 s to 8 s and comes back.
 */
export function leaveAndReturnLayout(): FakeVideoLayout {
  const width = 640
  const height = 360
  const third = width / FACE_CUTS.length
  return {
    width,
    height,
    fps: 10,
    durationMs: 12_000,
    faces: FACE_CUTS.map((cut, i) => ({
      photo: cut.photo,
      x: Math.round(third * i + (third - TILE_SIDE) / 2),
      y: Math.round((height - TILE_SIDE) / 2),
      width: TILE_SIDE,
      height: TILE_SIDE,
      visible: i === 2 ? [{ fromMs: 0, toMs: 4000 }, { fromMs: 8000, toMs: 12_000 }] : [{ fromMs: 0, toMs: 12_000 }]
    }))
  }
}

/** The speed-measurement video: nine faces on a 3x3 grid, 1280x720, one minute, always in view. */
export function nineFacesLayout(): FakeVideoLayout {
  const width = 1280
  const height = 720
  const faces: FakeVideoFace[] = []
  for (let row = 0; row < 3; row++)
    for (let col = 0; col < 3; col++) {
      const cut = FACE_CUTS[(row + col) % FACE_CUTS.length]!
      faces.push({
        photo: cut.photo,
        x: Math.round((width / 3) * col + (width / 3 - TILE_SIDE) / 2),
        y: Math.round((height / 3) * row + (height / 3 - TILE_SIDE) / 2),
        width: TILE_SIDE,
        height: TILE_SIDE,
        visible: [{ fromMs: 0, toMs: 60_000 }]
      })
    }
  return { width, height, fps: 15, durationMs: 60_000, faces }
}

/** The in-page recorder (plain JavaScript: it runs in Chromium as written). */
const RECORD_IN_PAGE = String.raw`async ({ layout, photos, side }) => {
  const canvas = document.createElement('canvas')
  canvas.width = layout.width
  canvas.height = layout.height
  document.body.append(canvas)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2D canvas')
  const images = new Map(Object.entries(photos).map(([name, rgba]) => [name, new ImageData(Uint8ClampedArray.from(rgba), side, side)]))
  const draw = (ms) => {
    ctx.fillStyle = 'rgb(96,104,112)'
    ctx.fillRect(0, 0, layout.width, layout.height)
    for (const face of layout.faces) {
      if (!face.visible.some((v) => ms >= v.fromMs && ms < v.toMs)) continue
      const image = images.get(face.photo)
      if (image) ctx.putImageData(image, face.x, face.y)
    }
  }
  draw(0)
  const stream = canvas.captureStream(layout.fps)
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 4_000_000 })
  const chunks = []
  recorder.ondataavailable = (e) => chunks.push(e.data)
  const stopped = new Promise((resolve) => (recorder.onstop = () => resolve()))
  recorder.start(1000)
  const started = performance.now()
  // Redraw on a timer at the frame rate; the recorder timestamps frames by the clock.
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const ms = performance.now() - started
      if (ms >= layout.durationMs) {
        clearInterval(timer)
        resolve()
        return
      }
      draw(ms)
    }, 1000 / layout.fps)
  })
  recorder.stop()
  await stopped
  const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}`

/** Records the layout into a WebM file; returns its path. */
export async function makeFakeVideo(
  outPath: string,
  layout: FakeVideoLayout,
  { chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }: { chromiumPath?: string } = {}
): Promise<{ videoPath: string; layout: FakeVideoLayout }> {
  const tiles = await renderTiles(chromiumPath)
  const byPhoto = new Map(FACE_CUTS.map((cut, i) => [cut.photo, Array.from(tiles[i]!)]))
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required']
  })
  try {
    const page = await browser.newPage()
    // Passed as source text: tsx's helpers (__name) do not exist inside the page.
    const args = JSON.stringify({ layout, photos: Object.fromEntries(byPhoto), side: TILE_SIDE })
    const base64 = (await page.evaluate(`(${RECORD_IN_PAGE})(${args})`)) as string
    writeFileSync(outPath, Buffer.from(base64, 'base64'))
    writeFileSync(`${outPath}.json`, JSON.stringify(layout, null, 2) + '\n')
    return { videoPath: outPath, layout }
  } finally {
    await browser.close()
  }
}

if (require.main === module) {
  const hd = process.argv.includes('--hd9')
  const out = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? (hd ? 'test-results/nine-faces-720p.webm' : 'test-results/leave-and-return.webm'))
  makeFakeVideo(out, hd ? nineFacesLayout() : leaveAndReturnLayout()).then(
    ({ videoPath }) => console.log(`wrote ${videoPath}`),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
