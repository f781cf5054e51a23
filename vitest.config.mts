import { defineConfig } from 'vitest/config'

// Main-process specs run in plain Node with the real onnxruntime-node; `electron` is mocked once
// in tests/setup.ts because `require('electron')` outside Electron only gives the binary's path.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Loading a ResNet50 on two busy cores takes seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})
