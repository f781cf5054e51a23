import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './src/shared/isolation'

// `dependencies` (onnxruntime-node, a native addon) stay external in main and preload by
// electron-vite's default; the sandboxed preload imports only `electron` and bundled local code.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') }
      }
    }
  },
  preload: {
    build: {
      // One preload per window kind, each exposing only that window's channels. A sandboxed preload
      // cannot require a shared chunk, so each is bundled whole.
      isolatedEntries: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/preload/index.ts'),
          overlay: resolve(__dirname, 'src/preload/overlay.ts'),
          selector: resolve(__dirname, 'src/preload/selector.ts')
        }
      }
    }
  },
  renderer: {
    plugins: [svelte()],
    // The dev server's pages are cross-origin isolated like the app's app:// pages (threaded WASM).
    server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    // The face-detection worker is a module worker (new Worker(new URL(...), { type: 'module' })).
    worker: { format: 'es' },
    build: {
      rollupOptions: {
        // The main window, the click-through labels overlay and the region selector (issue 4).
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          overlay: resolve(__dirname, 'src/renderer/overlay.html'),
          selector: resolve(__dirname, 'src/renderer/selector.html')
        }
      }
    }
  }
})
