/** How the e2e suites start Debian's Chromium; `npx playwright install` is never used here. */

/** Debian's Chromium; CHROMIUM_PATH overrides it on machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags for a quiet, offline, GPU-less headless Chromium. */
export const BASE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
] as const

/** Flags that make getUserMedia open `videoPath` as a camera without a permission prompt. */
export function fakeWebcamArgs(videoPath: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${videoPath}`]
}
