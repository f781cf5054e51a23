import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { FACE_CUTS } from '../../scripts/make-fake-webcam'

/** A face as the gallery drew it: its tile and the face box, in X screen pixels. */
export interface GalleryFace {
  tile: number
  cut: number
  box: { x: number; y: number; width: number; height: number }
}

/** The gallery window and where its faces are on the virtual screen. */
export interface Gallery {
  page: Page
  faces: GalleryFace[]
  /** The page's viewport origin on the X screen. */
  origin: { x: number; y: number }
  close(): Promise<void>
}

const FACE_API_DIR = dirname(require.resolve('@vladmandic/face-api/package.json'))
const WASM_DIR = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')

/**
 * A Zoom-like n×n gallery page: dark 16:9 tiles with a gap, each showing one of the three face
 * photos the webcam suite uses (from @vladmandic/face-api's demo folder), cycled and mirrored
 * every other time. After drawing, the page finds each photo's face with face-api's
 * TinyFaceDetector on the drawn tile itself (WASM backend, never through a screen capture), which
 * is the ground truth the overlay's labels are compared with.
 */
function galleryHtml(n: number): string {
  const cuts = JSON.stringify(FACE_CUTS)
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Gallery ${n}x${n}</title>
<style>html,body{margin:0;background:#1a1a1a;overflow:hidden}#grid{position:absolute;inset:0;display:grid;gap:6px;padding:6px;box-sizing:border-box;
grid-template-columns:repeat(${n},1fr);grid-template-rows:repeat(${n},1fr)}.tile{background:#262626;border-radius:6px;display:grid;place-items:center;overflow:hidden}
canvas{display:block}</style></head><body><div id="grid"></div>
<script>window.addEventListener('error', (e) => { window.galleryError = String(e.message) }); window.addEventListener('unhandledrejection', (e) => { window.galleryError = String(e.reason && e.reason.message || e.reason) })</script>
<script type="module">
import * as faceapi from '/face-api/face-api.esm.js'
const cuts = ${cuts}
const n = ${n}
const grid = document.getElementById('grid')
const images = await Promise.all(cuts.map(async (c) => { const img = new Image(); img.src = '/demo/' + c.photo; await img.decode(); return img }))
const tiles = []
for (let i = 0; i < n * n; i++) { const div = document.createElement('div'); div.className = 'tile'; grid.appendChild(div); tiles.push(div) }
await new Promise((r) => requestAnimationFrame(() => r()))
const side = Math.floor(Math.min(tiles[0].clientWidth, tiles[0].clientHeight))
const canvases = tiles.map((div, i) => {
  const cut = cuts[i % cuts.length]
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = side
  const ctx = canvas.getContext('2d')
  ctx.imageSmoothingQuality = 'high'
  const mirror = Math.floor(i / cuts.length) % 2 === 1
  if (mirror) { ctx.translate(side, 0); ctx.scale(-1, 1) }
  ctx.drawImage(images[i % cuts.length], cut.sx, cut.sy, cut.side, cut.side, 0, 0, side, side)
  div.appendChild(canvas)
  return { canvas, cut: i % cuts.length, mirror }
})
// WASM is many times faster than the CPU backend on this kind of machine; its files are served beside the bundle.
if (!(await faceapi.tf.setBackend('wasm').catch(() => false))) await faceapi.tf.setBackend('cpu')
await faceapi.tf.ready()
await faceapi.nets.tinyFaceDetector.loadFromUri('/model')
const truth = new Map()
const faces = []
for (let i = 0; i < canvases.length; i++) {
  const { canvas, cut, mirror } = canvases[i]
  const key = cut + (mirror ? 'm' : '')
  if (!truth.has(key)) {
    // TinyFaceDetector misses a face that fills its whole input, so the tile is detected with a grey
    // margin around it, as the face appears on a screen.
    // Four times the tile's side: the face then reaches the detector at about the scale the app's
    // tiled detection gives it, where TinyFaceDetector draws its boxes the same way.
    const pad = side * 1.5
    const padded = document.createElement('canvas')
    padded.width = padded.height = side + 2 * pad
    const pctx = padded.getContext('2d')
    pctx.fillStyle = '#262626'
    pctx.fillRect(0, 0, padded.width, padded.height)
    pctx.drawImage(canvas, pad, pad)
    // The detector's sweet spot depends on the face's size: take the first input size that finds exactly one face.
    let found = []
    for (const inputSize of [416, 320, 512, 224, 608]) {
      found = await faceapi.detectAllFaces(padded, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 }))
      if (found.length === 1) break
    }
    if (found.length !== 1) throw new Error('photo ' + key + ': ' + found.length + ' faces found in the drawn ' + side + ' px tile, expected 1')
    const b = found[0].box
    truth.set(key, { x: b.x - pad, y: b.y - pad, width: b.width, height: b.height })
  }
  const b = truth.get(key)
  const r = canvas.getBoundingClientRect()
  faces.push({ tile: i, cut, box: { x: r.left + b.x, y: r.top + b.y, width: b.width, height: b.height } })
}
window.galleryFaces = faces
</script></body></html>`
}

/** Serves the gallery page, face-api's browser bundle and weights, and the demo photos on 127.0.0.1. */
async function serve(n: number): Promise<{ url: string; server: Server }> {
  const files: Record<string, [string, string]> = {
    '/face-api/face-api.esm.js': [join(FACE_API_DIR, 'dist/face-api.esm.js'), 'text/javascript'],
    '/model/tiny_face_detector_model-weights_manifest.json': [join(FACE_API_DIR, 'model/tiny_face_detector_model-weights_manifest.json'), 'application/json'],
    '/model/tiny_face_detector_model.bin': [join(FACE_API_DIR, 'model/tiny_face_detector_model.bin'), 'application/octet-stream']
  }
  for (const cut of FACE_CUTS) files[`/demo/${cut.photo}`] = [join(FACE_API_DIR, 'demo', cut.photo), 'image/jpeg']
  for (const wasm of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    files[`/face-api/${wasm}`] = [join(WASM_DIR, wasm), 'application/wasm']
  }
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path === '/gallery.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(galleryHtml(n))
      return
    }
    // TF.js asks for its .wasm relative to the page or to the bundle, depending on the build.
    const file = files[path] ?? files[`/face-api/${path.split('/').pop() ?? ''}`]
    if (!file) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'Content-Type': file[1] }).end(readFileSync(file[0]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gallery.html`, server }
}

/** Opens an n×n gallery in a page of a headful browser on the virtual screen and waits for its ground truth. */
export async function openGallery(browser: Browser, n: number): Promise<Gallery> {
  const { url, server } = await serve(n)
  const page = await browser.newPage({ viewport: null })
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(url)
  // The page either publishes its faces or fails (a photo without exactly one face): fail fast then.
  await page.waitForFunction(
    () => Array.isArray((window as unknown as { galleryFaces?: unknown }).galleryFaces) || (window as unknown as { galleryError?: unknown }).galleryError !== undefined,
    undefined,
    { timeout: 120_000 }
  )
  const error = await page.evaluate(() => (window as unknown as { galleryError?: string }).galleryError)
  if (error !== undefined || problems.length > 0) throw new Error(`gallery page failed: ${[error, ...problems].filter(Boolean).join('; ')}`)
  // Without a window manager the window sits where it was placed; the browser's toolbar is above the page.
  const origin = await page.evaluate(() => ({
    x: window.screenX + (window.outerWidth - window.innerWidth) / 2,
    y: window.screenY + (window.outerHeight - window.innerHeight)
  }))
  const local = await page.evaluate(() => (window as unknown as { galleryFaces: GalleryFace[] }).galleryFaces)
  const faces = local.map((f) => ({ ...f, box: { ...f.box, x: f.box.x + origin.x, y: f.box.y + origin.y } }))
  return {
    page,
    faces,
    origin,
    close: async () => {
      await page.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
