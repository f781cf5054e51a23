/**
 * Builds the fake webcam video the e2e tests feed to Chromium: three real faces side by side, cut
 * from the demo photos that ship in @vladmandic/face-api, as an uncompressed YUV4MPEG2 (I420) file
 * that Chromium plays with --use-file-for-fake-video-capture.
 *
 *   npx tsx scripts/make-fake-webcam.ts [out.y4m]      (writes out.y4m and out.y4m.json, the layout)
 *
 * The e2e fixtures import makeFakeWebcam() and build a fresh video per worker in a temp folder.
 *
 * The photos are decoded and resampled by Chromium itself (canvas drawImage), so no image library is
 * needed; the frames are composed and converted RGBA → I420 (BT.601, limited range) here in Node.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { FACE_CUTS } from '../src/shared/demo-faces'

/** One photo tile's square in frame pixels, before drift. */
export interface FakeWebcamTile {
  photo: string
  x: number
  y: number
  width: number
  height: number
}

/** Where the faces are in the fake webcam video. */
export interface FakeWebcamLayout {
  width: number
  height: number
  fps: number
  frames: number
  /** Tiles move at most this many pixels left and right of their layout position. */
  driftPx: number
  tiles: FakeWebcamTile[]
}

/** Frame size: the 640x360 the issue measures detection at. */
export const FRAME_WIDTH = 640
/** Frame height. */
export const FRAME_HEIGHT = 360
/** Frames in the file (a two-second loop); Chromium loops it. */
export const FRAME_COUNT = 60
/** Frame rate written in the header: a call camera's rate, so measurements are not capped by the source. */
export const FPS = 30
/** Side of each square photo tile in frame pixels. */
export const TILE_SIDE = 200
/** The faces drift this many pixels left and right over the loop, so tracking sees motion. */
export const DRIFT_PX = 6

/** The three faces, left to right (src/shared/demo-faces.ts, which the bench also scores). */
export { FACE_CUTS }

const BACKGROUND_RGB = [96, 104, 112] as const

/**
 * Where each photo tile lies in the frame (before drift): centred in its third of the width and
 * vertically. The tests derive the expected face positions from this.
 */
export function fakeWebcamLayout(): FakeWebcamLayout {
  const third = FRAME_WIDTH / FACE_CUTS.length
  return {
    width: FRAME_WIDTH,
    height: FRAME_HEIGHT,
    fps: FPS,
    frames: FRAME_COUNT,
    driftPx: DRIFT_PX,
    tiles: FACE_CUTS.map((cut, i) => ({
      photo: cut.photo,
      x: Math.round(third * i + (third - TILE_SIDE) / 2),
      y: Math.round((FRAME_HEIGHT - TILE_SIDE) / 2),
      width: TILE_SIDE,
      height: TILE_SIDE
    }))
  }
}

/** The demo photo folder of the installed @vladmandic/face-api. */
function demoDir(): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo')
}

/** Decodes and resamples each cut to TILE_SIDE² RGBA in Chromium. */
export async function renderTiles(chromiumPath: string): Promise<Uint8Array[]> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  try {
    const page = await browser.newPage()
    const dir = demoDir()
    const cuts = FACE_CUTS.map((cut) => ({ ...cut, jpeg: readFileSync(join(dir, cut.photo)).toString('base64') }))
    const tiles = await page.evaluate(
      async ({ cuts, side }) => {
        const out: number[][] = []
        for (const cut of cuts) {
          const img = new Image()
          img.src = `data:image/jpeg;base64,${cut.jpeg}`
          await img.decode()
          const canvas = document.createElement('canvas')
          canvas.width = side
          canvas.height = side
          const ctx = canvas.getContext('2d')
          if (!ctx) throw new Error('no 2D canvas')
          ctx.imageSmoothingQuality = 'high'
          ctx.drawImage(img, cut.sx, cut.sy, cut.side, cut.side, 0, 0, side, side)
          // Plain arrays cross the Playwright boundary the same way in every version.
          out.push(Array.from(ctx.getImageData(0, 0, side, side).data))
        }
        return out
      },
      { cuts, side: TILE_SIDE }
    )
    return tiles.map((t) => Uint8Array.from(t))
  } finally {
    await browser.close()
  }
}

/** One RGB frame with the tiles drawn at their layout position shifted by dx. */
function composeFrame(tiles: readonly Uint8Array[], layout: FakeWebcamLayout, dx: number): Uint8Array {
  const { width, height } = layout
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) rgb.set(BACKGROUND_RGB, i * 3)
  layout.tiles.forEach((tile, t) => {
    const src = tiles[t]
    if (!src) throw new Error(`tile ${t} was not rendered`)
    for (let y = 0; y < tile.height; y++) {
      const fy = tile.y + y
      if (fy < 0 || fy >= height) continue
      for (let x = 0; x < tile.width; x++) {
        const fx = tile.x + dx + x
        if (fx < 0 || fx >= width) continue
        const s = (y * tile.width + x) * 4
        const d = (fy * width + fx) * 3
        rgb[d] = src[s]!
        rgb[d + 1] = src[s + 1]!
        rgb[d + 2] = src[s + 2]!
      }
    }
  })
  return rgb
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v)

/** RGB → I420 with BT.601 limited-range coefficients, chroma averaged over each 2x2 block. */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const ySize = width * height
  const cw = width >> 1
  const ch = height >> 1
  const out = new Uint8Array(ySize + 2 * cw * ch)
  for (let i = 0; i < ySize; i++) {
    const r = rgb[i * 3]!
    const g = rgb[i * 3 + 1]!
    const b = rgb[i * 3 + 2]!
    out[i] = clamp(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16)
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0
      let g = 0
      let b = 0
      for (const [ox, oy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = ((2 * y + oy) * width + 2 * x + ox) * 3
        r += rgb[p]!
        g += rgb[p + 1]!
        b += rgb[p + 2]!
      }
      r /= 4
      g /= 4
      b /= 4
      out[ySize + y * cw + x] = clamp(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128)
      out[ySize + cw * ch + y * cw + x] = clamp(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128)
    }
  }
  return out
}

/**
 * Writes the .y4m video and a .json layout beside it; returns both paths and the layout.
 * `chromiumPath` is the browser that decodes the photos (Debian's /usr/bin/chromium by default).
 */
export async function makeFakeWebcam(
  outPath: string,
  { chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }: { chromiumPath?: string } = {}
): Promise<{ videoPath: string; layoutPath: string; layout: FakeWebcamLayout }> {
  const layout = fakeWebcamLayout()
  const tiles = await renderTiles(chromiumPath)
  const header = Buffer.from(`YUV4MPEG2 W${layout.width} H${layout.height} F${layout.fps}:1 Ip A1:1 C420jpeg\n`, 'ascii')
  const frameTag = Buffer.from('FRAME\n', 'ascii')
  const parts: Uint8Array[] = [header]
  for (let f = 0; f < layout.frames; f++) {
    const dx = Math.round(layout.driftPx * Math.sin((2 * Math.PI * f) / layout.frames))
    parts.push(frameTag, rgbToI420(composeFrame(tiles, layout, dx), layout.width, layout.height))
  }
  mkdirSync(dirname(outPath), { recursive: true })
  writeFileSync(outPath, Buffer.concat(parts))
  const layoutPath = `${outPath}.json`
  writeFileSync(layoutPath, JSON.stringify(layout, null, 2) + '\n')
  return { videoPath: outPath, layoutPath, layout }
}

if (require.main === module) {
  makeFakeWebcam(resolve(process.argv[2] ?? 'test-results/fake-webcam.y4m')).then(
    ({ videoPath, layoutPath }) => console.log(`wrote ${videoPath} and ${layoutPath}`),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
