/**
 * Builds the benchmark as plain JavaScript (out/bench/cli.mjs and speed-worker.mjs) with Vite, so
 * the Compare view works in a packaged app, which has no tsx and no devDependencies:
 *
 *     npx tsx scripts/build-bench.ts [OUT_DIR]     # npm run build:bench (part of npm run build)
 *
 * Everything is bundled (face-api, TF.js, vega, pngjs, jpeg-js, cli-progress: devDependencies)
 * except BENCH_EXTERNAL, production dependencies that electron-builder ships in node_modules.
 * face-api's weights and demo photos and TF.js's .wasm files are copied to <out>/face-api/, where
 * src/bench/face-api-assets.ts looks for them when it runs built. tests/bench/built-bench.test.ts
 * builds into a temporary folder and runs the result.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type InlineConfig, type Plugin } from 'vite'
import { bundledAssets, DEMO_PHOTO, FACE_API_NETS, packageAssets } from '../src/bench/face-api-assets'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Where `npm run build` puts the bench. */
export const BENCH_OUT_DIR = join(ROOT, 'out', 'bench')

/** Imports the bundle leaves to Node: onnxruntime-node, a native addon and a production dependency. */
export const BENCH_EXTERNAL = ['onnxruntime-node']

/** The bundle's entry points: out/bench/<name>.mjs. */
export const BENCH_ENTRIES = { cli: 'src/bench/cli.ts', 'speed-worker': 'src/bench/speed-worker.ts', 'track-worker': 'src/bench/track-worker.ts' } as const

/** The files to copy beside a bundle in `outDir`: [source, destination] pairs. */
export async function benchAssetCopies(outDir: string): Promise<[string, string][]> {
  const from = packageAssets(join(ROOT, 'package.json'))
  const to = bundledAssets(outDir)
  const copies: [string, string][] = []
  for (const stem of Object.values(FACE_API_NETS)) {
    const manifest = `${stem}-weights_manifest.json`
    const groups = JSON.parse(await readFile(join(from.modelDir, manifest), 'utf8')) as { paths: string[] }[]
    for (const file of [manifest, ...groups.flatMap((g) => g.paths)]) copies.push([join(from.modelDir, file), join(to.modelDir, file)])
  }
  for (const file of (await readdir(from.demoDir)).filter((f) => DEMO_PHOTO.test(f))) copies.push([join(from.demoDir, file), join(to.demoDir, file)])
  for (const file of (await readdir(from.wasmDir)).filter((f) => f.endsWith('.wasm'))) copies.push([join(from.wasmDir, file), join(to.wasmDir, file)])
  return copies
}

function copyFaceApiAssets(): Plugin {
  return {
    name: 'bench-face-api-assets',
    async writeBundle(options) {
      if (!options.dir) throw new Error('bench build: no output folder')
      for (const [source, destination] of await benchAssetCopies(options.dir)) {
        await mkdir(dirname(destination), { recursive: true })
        await copyFile(source, destination)
      }
    }
  }
}

/** The Vite configuration that bundles the bench into `outDir`. */
export function benchBuildConfig(outDir: string = BENCH_OUT_DIR): InlineConfig {
  return {
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    // The bundle is ES modules, where CommonJS's __dirname and __filename do not exist; bundled code
    // reads them (TF.js's WASM loader, the app's execution-provider probe).
    define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
    ssr: { noExternal: true, external: BENCH_EXTERNAL },
    plugins: [copyFaceApiAssets()],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      // import.meta.dirname needs Node 20.11+; Electron 45 runs Node 22+.
      target: 'node20',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(BENCH_ENTRIES).map(([name, file]) => [name, join(ROOT, file)])),
        // Chunks stay beside the entries: modules find face-api/ and speed-worker.mjs next to their own file.
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' }
      }
    }
  }
}

/** Builds the bench into `outDir` (out/bench by default). */
export async function buildBench(outDir: string = BENCH_OUT_DIR): Promise<void> {
  await build(benchBuildConfig(outDir))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? BENCH_OUT_DIR)
  buildBench(outDir).then(
    () => console.log(`bench: built ${join(outDir, 'cli.mjs')}`),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
