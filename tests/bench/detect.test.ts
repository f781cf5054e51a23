/**
 * --detect on real photos: face-api's demo pictures (real people) plus a blank image in which no
 * face can be found, through the real detector and face-api's own expression net.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { EMOTIONS } from '../../src/shared/emotions'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { demoPhotoPaths, loadSourceFaces } from '../../src/bench/gallery-frames'
import { closeUpFrames } from '../../src/bench/close-ups'
import { detectLikeApp, evaluateDetected, faceApiFrameClassifier } from '../../src/bench/pipelines'
import { silentProgress } from '../../src/bench/progress'

describe('evaluateDetected', () => {
  let api: FaceApiNode
  let dir: string

  beforeAll(async () => {
    api = await FaceApiNode.create()
    dir = await mkdtemp(join(os.tmpdir(), 'bench-detect-'))
    await mkdir(join(dir, 'happy'))
    await mkdir(join(dir, 'neutral'))
    const photos = await demoPhotoPaths()
    expect(photos.length).toBeGreaterThanOrEqual(2)
    await copyFile(photos[0] as string, join(dir, 'happy', 'a.jpg'))
    await copyFile(photos[1] as string, join(dir, 'happy', 'b.jpg'))
    const blank = new PNG({ width: 320, height: 240 })
    blank.data.fill(128)
    await writeFile(join(dir, 'neutral', 'blank.png'), PNG.sync.write(blank))
  }, 120_000)

  it('classifies the photos whose face is found and counts the blank image as a wrong answer', async () => {
    const [row] = await evaluateDetected(api, dir, [faceApiFrameClassifier(api)], 'tiny', undefined, silentProgress)
    expect(row?.summary.n).toBe(3)
    expect(row?.detected).toBe(2)
    const missed = Object.fromEntries(EMOTIONS.map((e, i) => [e, row?.missedPerClass[i]]))
    expect(missed).toMatchObject({ happy: 0, neutral: 1 })
    // The blank image's true class (neutral) can have no correct answer, so its recall is 0 ...
    expect(row?.summary.perClassRecall[EMOTIONS.indexOf('neutral')]).toBe(0)
    // ... and the confusion matrix holds only the two classified photos, in the happy row.
    expect(row?.summary.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2)
    expect(row?.summary.confusion[EMOTIONS.indexOf('happy')]?.reduce((a, b) => a + b, 0)).toBe(2)
    expect(row?.summary.accuracy).toBeLessThanOrEqual(2 / 3)
  })
})

describe('detectLikeApp', () => {
  it("runs the app's camera scan: close-ups that one pass at 416 misses are found by the close-up pass", async () => {
    const api = await FaceApiNode.create()
    const { faces, images } = await loadSourceFaces(api)
    const frames = closeUpFrames(api, faces, 0.85)
    try {
      let onePass = 0
      let app = 0
      for (const { frame } of frames) {
        if ((await api.detect(frame, 'tiny', 416)).length > 0) onePass++
        if ((await detectLikeApp(api, frame)).length > 0) app++
      }
      expect(app).toBeGreaterThan(onePass)
      expect(app).toBeGreaterThanOrEqual(frames.length * 0.8)
    } finally {
      for (const f of frames) f.frame.dispose()
      for (const t of images) t.dispose()
    }
  }, 120_000)
})
