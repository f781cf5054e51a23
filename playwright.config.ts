import { defineConfig } from '@playwright/test'

/**
 * Two suites against the built app (out/, rebuilt by e2e/global-setup.ts when stale):
 * - chromium-harness: the built renderer in Debian Chromium, with the preload API wired to the
 *   real main-process services in this Node process (e2e/harness), fed by a fake webcam video;
 * - electron: Playwright's _electron against out/main/index.js, skipped with the reason where the
 *   Electron binary is not installed.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  // One worker: face detection and two ONNX models already fill this machine's two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Detection takes 0.1-0.5 s a frame in headless WASM; the tests wait on outcomes, not on time.
  timeout: 8 * 60_000,
  expect: { timeout: 60_000 },
  projects: [
    { name: 'chromium-harness', testMatch: /\.spec\.ts$/, testIgnore: 'electron/**' },
    { name: 'electron', testDir: 'e2e/electron', testMatch: /\.spec\.ts$/ }
  ]
})
