import { readdir } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { EMOTIONS } from '../shared/emotions'
import { IMAGE_EXTENSIONS } from './images'

/** One labelled image of a folder-layout dataset. */
export interface LabelledImage {
  path: string
  /** Index into EMOTIONS. */
  label: number
}

/**
 * The images of a folder layout `dir/<class>/*.{jpg,jpeg,png}` with the seven FER2013 class names.
 * Sorted by class then file name so every run sees the same order. Unknown class folders are an
 * error rather than silently dropped, so a typo in a --detect folder does not shrink the test set.
 */
export async function listLabelledImages(dir: string): Promise<LabelledImage[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name)
  const unknown = folders.filter((f) => !(EMOTIONS as readonly string[]).includes(f))
  if (unknown.length > 0) throw new Error(`${dir}: folders ${unknown.join(', ')} are not FER2013 classes (${EMOTIONS.join(', ')})`)
  if (folders.length === 0) throw new Error(`${dir}: no class folders (${EMOTIONS.join(', ')})`)
  const images: LabelledImage[] = []
  for (const [label, name] of EMOTIONS.entries()) {
    if (!folders.includes(name)) continue
    const files = (await readdir(join(dir, name))).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort()
    for (const f of files) images.push({ path: join(dir, name, f), label })
  }
  return images
}

/** mulberry32: a tiny seeded PRNG, so a --quick subset is the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A reproducible random subset of `limit` items (all of them when limit >= length), kept in the
 * original order. Random rather than the first N so every class is represented in proportion.
 */
export function sampleSubset<T>(items: readonly T[], limit: number, seed = 2013): T[] {
  if (limit >= items.length) return [...items]
  const rand = mulberry32(seed)
  const idx = items.map((_, i) => i)
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[idx[i], idx[j]] = [idx[j] as number, idx[i] as number]
  }
  return idx
    .slice(0, Math.max(0, limit))
    .sort((a, b) => a - b)
    .map((i) => items[i] as T)
}
