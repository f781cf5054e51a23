/**
 * A model of what electron-builder packs from electron-builder.yml, for the tests that check the
 * configuration against the files the app and the built bench load (tests/main/packaging.test.ts,
 * tests/bench/built-bench.test.ts).
 */
import { readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { minimatch } from 'minimatch'
import { parse } from 'yaml'

export const ROOT = resolve(__dirname, '..')

export interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  linux?: { files?: unknown }
  win?: { files?: unknown }
  mac?: { files?: unknown }
}

export const builderConfig = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig

/** A path relative to the repository root, with forward slashes (as electron-builder's patterns see it). */
export const toPosix = (path: string): string => relative(ROOT, path).split(sep).join('/')

/** electron-builder expands ${platform} (process.platform values) and ${arch} in file patterns. */
const expand = (pattern: string, platform: string = process.platform): string => pattern.replaceAll('${platform}', platform).replaceAll('${arch}', process.arch)

const match = (path: string, pattern: string, platform?: string): boolean => minimatch(path, expand(pattern, platform), { dot: true })

/**
 * electron-builder's rule: production node_modules are always copied, other files only when a
 * `files` pattern includes them; patterns apply in order, and a later `!pattern` excludes what an
 * earlier one included.
 */
export function isPackaged(path: string, platform?: string): boolean {
  let included = path.startsWith('node_modules/')
  for (const pattern of builderConfig.files) {
    const negated = pattern.startsWith('!')
    if (match(path, negated ? pattern.slice(1) : pattern, platform)) included = !negated
  }
  return included
}

/** Whether a packaged file lands in app.asar.unpacked rather than inside the asar. */
export const isUnpacked = (path: string): boolean => builderConfig.asarUnpack.some((pattern) => match(path, pattern))
