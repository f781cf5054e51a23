import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { minimatch } from 'minimatch'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { isCardFileName, parseModelCard } from '../../src/main/model-card'

const root = join(__dirname, '../..')
const modelsDir = join(root, 'resources', 'models')

interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  linux?: { files?: unknown }
  win?: { files?: unknown }
  mac?: { files?: unknown }
}

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}
const toPosix = (path: string): string => relative(root, path).split(sep).join('/')

/** electron-builder expands ${platform} (process.platform values) and ${arch} in file patterns. */
const expand = (pattern: string, platform: string = process.platform): string =>
  pattern.replaceAll('${platform}', platform).replaceAll('${arch}', process.arch)

const match = (path: string, pattern: string, platform?: string): boolean => minimatch(path, expand(pattern, platform), { dot: true })

/**
 * electron-builder's rule: production node_modules are always copied, other files only when a
 * `files` pattern includes them; patterns apply in order, and a later `!pattern` excludes what an
 * earlier one included.
 */
function isPackaged(path: string, platform?: string): boolean {
  let included = path.startsWith('node_modules/')
  for (const pattern of config.files) {
    const negated = pattern.startsWith('!')
    if (match(path, negated ? pattern.slice(1) : pattern, platform)) included = !negated
  }
  return included
}

const isUnpacked = (path: string): boolean => config.asarUnpack.some((pattern) => match(path, pattern))

function runtimeModelFiles(): string[] {
  const cards = existsSync(modelsDir) ? readdirSync(modelsDir).filter(isCardFileName) : []
  return cards.flatMap((name) => {
    const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, name), 'utf8')), name)
    return [join(modelsDir, name), join(modelsDir, card.file)]
  })
}

function ortBinaries(platform: string = process.platform, arch: string = process.arch): string[] {
  const dir = join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', platform, arch)
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []
}

describe('electron-builder configuration', () => {
  it('targets AppImage and deb, NSIS, and dmg', () => {
    const raw = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, { target?: string[] }>
    expect(raw.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(raw.win?.target).toEqual(expect.arrayContaining(['nsis']))
    expect(raw.mac?.target).toEqual(expect.arrayContaining(['dmg']))
  })

  it('packages onnxruntime-node as a production dependency and Electron as a dev one', () => {
    expect(pkg.dependencies?.['onnxruntime-node']).toBeDefined()
    expect(pkg.dependencies?.electron).toBeUndefined()
    expect(pkg.devDependencies?.electron).toBeDefined()
  })

  it('ships every model card and the ONNX file it names, unpacked', () => {
    const files = runtimeModelFiles()
    expect(files.length, `no model cards in ${modelsDir}: the trained models have not landed yet`).toBeGreaterThan(0)
    for (const file of files) {
      expect(existsSync(file), `${file} is named by a card but missing`).toBe(true)
      const path = toPosix(file)
      expect(isPackaged(path), `${path} is not packaged`).toBe(true)
      expect(isUnpacked(path), `${path} would be inside the asar, where onnxruntime cannot open it`).toBe(true)
    }
  })

  it("ships onnxruntime-node's native files for this platform, unpacked", () => {
    const files = ortBinaries()
    expect(files.map((f) => f.split(sep).pop())).toContain('onnxruntime_binding.node')
    for (const file of files) {
      const path = toPosix(file)
      expect(isPackaged(path), `${path} is not packaged`).toBe(true)
      expect(isUnpacked(path), `${path} must be unpacked to load`).toBe(true)
    }
  })

  it("packages each target platform's onnxruntime binaries and leaves the others out", () => {
    const platforms = ['linux', 'win32', 'darwin']
    for (const target of platforms) {
      for (const source of platforms) {
        const files = ['x64', 'arm64'].flatMap((arch) => ortBinaries(source, arch))
        expect(files.length, `onnxruntime-node has no ${source} binaries`).toBeGreaterThan(0)
        for (const file of files) expect(isPackaged(toPosix(file), target), `${toPosix(file)} in a ${target} build`).toBe(source === target)
      }
    }
  })

  it('keeps every `files` pattern at the root, where electron-builder merges them as we model', () => {
    // A platform-level list of exclusions alone makes electron-builder add `**/*` (the whole repo).
    for (const key of ['linux', 'win', 'mac'] as const) expect(config[key]?.files, key).toBeUndefined()
    expect(config.files.some((p) => !p.startsWith('!')), 'files must include something').toBe(true)
  })

  it('ships the built main, preload and renderer entry points', () => {
    for (const path of [pkg.main.replace(/^\.\//, ''), 'out/preload/index.js', 'out/renderer/index.html']) {
      expect(isPackaged(path), `${path} is not packaged`).toBe(true)
    }
  })

  it('matches unpack globs the way electron-builder does (guards the matcher itself)', () => {
    expect(isUnpacked('node_modules/foo/build/Release/x.node')).toBe(true)
    expect(isUnpacked('node_modules/foo/lib/libx.so.1')).toBe(true)
    expect(isUnpacked('out/main/index.js')).toBe(false)
    expect(isPackaged('src/main/index.ts')).toBe(false)
    expect(isPackaged('.venv/lib/python3.11/site-packages/torch/lib/libtorch.so')).toBe(false)
    expect(isPackaged('resources/models/model-card.schema.json')).toBe(false)
  })
})
