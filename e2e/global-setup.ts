import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { BENCH_CLI, MAIN_ENTRY, OUT_DIR, REPO_ROOT, RENDERER_DIR, newestMtime } from './harness/repo-paths'

/** Inputs of `electron-vite build` and of the bench bundle; out/ older than any of them is stale. */
const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'scripts/build-bench.ts', 'package.json', 'tsconfig.node.json', 'tsconfig.web.json']

/**
 * Both suites test the built app (out/), as a user runs it: rebuild it with electron-vite and the
 * bench bundle (out/bench, the Compare view's) when it is missing or older than its sources, as
 * `npm run build` does without the typecheck. E2E_SKIP_BUILD=1 skips this (CI that has just run
 * `npm run build`).
 */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return
  const built = existsSync(join(RENDERER_DIR, 'index.html')) && existsSync(MAIN_ENTRY) && existsSync(BENCH_CLI) ? newestMtime(OUT_DIR) : 0
  const sources = Math.max(
    ...BUILD_INPUTS.map((p) => join(REPO_ROOT, p)).map((p) => (existsSync(p) ? (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs) : 0))
  )
  if (built >= sources) return
  console.log(built === 0 ? '[e2e] out/ is missing: building with electron-vite and build:bench' : '[e2e] out/ is older than src/: rebuilding with electron-vite and build:bench')
  execFileSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
  execFileSync('npm', ['run', 'build:bench'], { cwd: REPO_ROOT, stdio: 'inherit' })
}
