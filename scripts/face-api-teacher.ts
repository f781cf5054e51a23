/**
 * Writes face-api's FaceExpressionNet probabilities for every image of a dataset split, for distillation in
 * training/ (train.py's `teacher` setting). The images are read in training's order (class folders
 * alphabetically, files sorted by name), each fed to the net as the bench feeds a face crop: gray copied to
 * R, G and B, enlarged to 112x112. Output: <out>/<set>-<split>.f32 (N x 7 little-endian float32, EMOTIONS order)
 * and <out>/<set>-<split>.json (image count and names, so training can check the order).
 *
 *   npx tsx scripts/face-api-teacher.ts ../shared/datasets/fer2013 train ~/.cache/fer-training/teacher
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { FaceApiNode } from '../src/bench/face-api-node'
import { readGray } from '../src/bench/images'
import { EMOTIONS } from '../src/shared/emotions'

const [root, split, out] = process.argv.slice(2)
if (!root || !split || !out) {
  console.error('usage: tsx scripts/face-api-teacher.ts DATASET_ROOT SPLIT OUT_DIR')
  process.exit(2)
}

const files: string[] = []
for (const emotion of EMOTIONS) {
  const dir = join(root, split, emotion)
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    continue // a class folder may be absent in a small split
  }
  // Python's sorted() on file names: plain code-point order.
  names = names.filter((n) => ['.jpg', '.jpeg', '.png', '.bmp'].includes(extname(n).toLowerCase())).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const n of names) files.push(join(dir, n))
}

async function main(): Promise<void> {
  const api = await FaceApiNode.create()
  const probs = new Float32Array(files.length * EMOTIONS.length)
  const BATCH = 32
  const started = performance.now()
  for (let i = 0; i < files.length; i += BATCH) {
    const grays = await Promise.all(files.slice(i, i + BATCH).map(readGray))
    const tensors = grays.map((g) => api.grayFaceTensor(g.pixels, g.width, g.height))
    const p = await api.expressions(tensors)
    for (const t of tensors) t.dispose()
    p.forEach((row, j) => probs.set(row, (i + j) * EMOTIONS.length))
    if ((i / BATCH) % 50 === 0) console.log(`${i + grays.length}/${files.length} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  mkdirSync(out, { recursive: true })
  const name = `${basename(root)}-${split}`
  writeFileSync(join(out, `${name}.f32`), Buffer.from(probs.buffer))
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ count: files.length, classes: EMOTIONS, files: files.map((f) => f.slice(root.length + 1)) }))
  console.log(`wrote ${name}: ${files.length} images in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
