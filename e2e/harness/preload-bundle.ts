import { join } from 'node:path'
import { build } from 'vite'
import { REPO_ROOT } from './repo-paths'

let bundled: Promise<string> | undefined

/**
 * page-preload.ts, with src/preload/api.ts, as one classic script for page.addInitScript. Vite (which
 * electron-vite already uses) bundles it in memory, so the app's createApi runs unchanged, not a copy.
 */
export function preloadBundle(): Promise<string> {
  bundled ??= build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(__dirname, 'page-preload.ts'), formats: ['iife'], name: 'emotionOverlayE2ePreload' }
    }
  }).then((result) => {
    const outputs = Array.isArray(result) ? result : [result]
    for (const output of outputs) {
      if (!('output' in output)) continue
      const chunk = output.output.find((o) => o.type === 'chunk')
      if (chunk && chunk.type === 'chunk') return chunk.code
    }
    throw new Error('vite produced no chunk for e2e/harness/page-preload.ts')
  })
  return bundled
}
