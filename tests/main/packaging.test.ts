import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { isCardFileName, parseModelCard } from '../../src/main/inference/model-card'
import { BENCH_ENTRIES, BENCH_EXTERNAL, benchAssetCopies } from '../../scripts/build-bench'
import { builderConfig as config, isPackaged, isUnpacked, ROOT as root, toPosix } from '../electron-builder'

const modelsDir = join(root, 'resources', 'models')

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

function runtimeModelFiles(): string[] {
  const cards = existsSync(modelsDir) ? readdirSync(modelsDir).filter(isCardFileName) : []
  return cards.flatMap((name) => {
    const card = parseModelCard(JSON.parse(readFileSync(join(modelsDir, name), 'utf8')), name)
    return [join(modelsDir, name), join(modelsDir, card.file)]
  })
}

/** The package folder (`node_modules/name` or `node_modules/@scope/name`, innermost) a path lies in. */
function packageRoot(path: string): string | undefined {
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]
}

const TRACER = join(root, 'tests', 'bench', 'fixtures', 'trace-loads.cjs')

/** Every CommonJS module and addon a Node process loads when it imports `specifier`, as the built bench does. */
function filesLoadedByImport(specifier: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-trace-'))
  try {
    const trace = join(dir, 'loads.jsonl')
    const run = spawnSync(process.execPath, ['--require', TRACER, '-e', `import(${JSON.stringify(specifier)}).then((m) => { if (!m) process.exit(3) })`], {
      cwd: root,
      env: { ...process.env, TRACE_LOADS: trace },
      encoding: 'utf8'
    })
    expect(run.status, run.stderr).toBe(0)
    return readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .flatMap((line) => (JSON.parse(line) as { files: string[] }).files)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean } | undefined> }

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

  it("ships each card's per-epoch training log, which the Compare view charts", () => {
    const logs = readdirSync(modelsDir).filter(isCardFileName).flatMap((name) => {
      const raw = JSON.parse(readFileSync(join(modelsDir, name), 'utf8')) as { log?: unknown }
      return typeof raw.log === 'string' ? [join(modelsDir, raw.log)] : []
    })
    expect(logs.length, 'no card names a training log').toBeGreaterThan(0)
    for (const file of logs) {
      expect(existsSync(file), `${file} is named by a card but missing`).toBe(true)
      expect(isPackaged(toPosix(file)), `${toPosix(file)} is not packaged`).toBe(true)
    }
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

describe('electron-builder configuration: the built bench (Compare view)', () => {
  it('packages the bundle and unpacks it whole, with the face-api files it reads', async () => {
    const bundle = 'out/bench'
    const files = [
      ...Object.keys(BENCH_ENTRIES).map((name) => `${bundle}/${name}.mjs`),
      `${bundle}/shared-chunk-abc123.mjs`,
      ...(await benchAssetCopies(join(root, bundle))).map(([, destination]) => toPosix(destination))
    ]
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true)
    expect(files.some((f) => f.endsWith('face_expression_model.bin'))).toBe(true)
    for (const path of files) {
      expect(isPackaged(path), `${path} is not packaged`).toBe(true)
      // It runs as a utility process from plain files in app.asar.unpacked (src/main/bench/bench-service.ts builtBenchDir).
      expect(isUnpacked(path), `${path} would be inside the asar`).toBe(true)
    }
  })

  it('leaves only production dependencies to node_modules', () => {
    for (const name of BENCH_EXTERNAL) expect(pkg.dependencies?.[name], `${name} is left out of the bench bundle but is no production dependency`).toBeDefined()
  })

  it('unpacks every file the bundle loads from node_modules, and each package it comes from is a production one', () => {
    // Resolved from app.asar.unpacked/out/bench, node_modules must hold these as plain files too.
    const loaded = BENCH_EXTERNAL.flatMap(filesLoadedByImport).map(toPosix)
    expect(loaded).toContain('node_modules/onnxruntime-node/dist/index.js')
    expect(loaded.some((f) => f.endsWith('onnxruntime_binding.node'))).toBe(true)
    const packages = [...new Set(loaded.map((f) => packageRoot(f) ?? f))]
    for (const root of packages) {
      expect(root.startsWith('node_modules/'), `${root} is loaded from outside node_modules`).toBe(true)
      expect(lock.packages[root], `${root} is not in package-lock.json`).toBeDefined()
      expect(lock.packages[root]?.dev, `${root} is a devDependency: electron-builder will not ship it`).not.toBe(true)
    }
    for (const path of [...loaded, ...packages.map((p) => `${p}/package.json`)]) {
      expect(isPackaged(path), `${path} is not packaged`).toBe(true)
      expect(isUnpacked(path), `${path} would be inside the asar, out of reach of the unpacked bench`).toBe(true)
    }
  })

  it('ships with the node CLI inspect fuse off and asar integrity checked', () => {
    const raw = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> }
    expect(raw.electronFuses).toMatchObject({
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false
    })
  })

  it('builds on a supported Electron major, whose install script npm does not run', () => {
    const raw = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> }
    // Upstream supports the latest three majors; 45 was the newest when this was last raised.
    expect(Number(/^\^?(\d+)\./.exec(pkg.devDependencies?.electron ?? '')?.[1])).toBeGreaterThanOrEqual(45)
    expect((lock.packages['node_modules/electron'] as { version?: string } | undefined)?.version).toBe(pkg.devDependencies?.electron)
    expect(raw.allowScripts?.electron).toBe(false)
  })

  it('turns off the fuse that gives file:// pages extra privileges (the pages come from app://)', () => {
    const raw = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> }
    expect(raw.electronFuses?.grantFileProtocolExtraPrivileges).toBe(false)
  })

  it('signs the macOS app and its helpers with allow-jit and the camera only, keeping library validation', () => {
    const raw = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { mac?: { hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string } }
    expect(raw.mac?.hardenedRuntime).toBe(true)
    for (const file of [raw.mac?.entitlements, raw.mac?.entitlementsInherit]) {
      expect(file).toBe('build/entitlements.mac.plist')
      const plist = readFileSync(join(root, file ?? ''), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
      // Each key is followed by <true/> or <false/>; only the true ones are granted.
      const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]).sort()
      expect(granted).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.device.camera'])
    }
  })

  it('keeps the runAsNode fuse off, which is why the bench runs as utility processes', () => {
    const raw = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: { runAsNode?: boolean } }
    expect(raw.electronFuses?.runAsNode).toBe(false)
  })
})
