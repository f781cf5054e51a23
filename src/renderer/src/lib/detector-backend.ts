/** What the page can tell about its graphics and WebAssembly support. */
export interface BackendProbe {
  /** WebGL's unmasked renderer string, or null when WebGL is unavailable. */
  webglRenderer: string | null
  /** Whether the page is cross-origin isolated, which WASM threads need (SharedArrayBuffer). */
  crossOriginIsolated: boolean
}

/** A TF.js backend face-api can run on. */
export type DetectorBackendName = 'webgl' | 'wasm' | 'cpu'

/** The backend to use, and why, shown in the stats panel. */
export interface BackendChoice {
  backend: DetectorBackendName
  reason: string
}

/**
 * Renderer strings of software rasterisers. On these, TF.js WebGL ran 20-80x slower than WASM
 * in headless Chromium (TinyFaceDetector 2.1 s vs 0.09 s per 640x360 frame).
 */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render driver|mesa offscreen|lavapipe/i

/** True when a WebGL renderer string names a software rasteriser rather than a GPU. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer)
}

/**
 * WebGL only on a real GPU, otherwise WASM. WebGPU is not offered: face-api's bundled TF.js does
 * not include that backend.
 */
export function chooseBackend(probe: BackendProbe, override?: DetectorBackendName): BackendChoice {
  if (override) return { backend: override, reason: `forced by setting (${override})` }
  const threads = probe.crossOriginIsolated ? 'threads on' : 'no threads: page not cross-origin isolated'
  if (probe.webglRenderer === null) return { backend: 'wasm', reason: `WebGL unavailable; WASM (${threads})` }
  if (probe.webglRenderer.trim() === '') return { backend: 'wasm', reason: `WebGL renderer unidentified; WASM (${threads})` }
  if (isSoftwareRenderer(probe.webglRenderer)) {
    return { backend: 'wasm', reason: `software WebGL (${probe.webglRenderer}); WASM (${threads})` }
  }
  return { backend: 'webgl', reason: `GPU: ${probe.webglRenderer}` }
}

/** Reads the WebGL renderer string the way TF.js would see the GPU; null where WebGL is absent, '' where unnamed. */
export function readWebglRenderer(canvas: HTMLCanvasElement | OffscreenCanvas): string | null {
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null
  if (!gl) return null
  // Chromium exposes the unmasked renderer without the extension since 2023; ask for it anyway for older engines.
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)
  gl.getExtension('WEBGL_lose_context')?.loseContext()
  return typeof renderer === 'string' ? renderer : ''
}

/**
 * The thread count to ask of TF.js's WASM backend where threads can run (else one): one per core
 * but one, which is left to the screen capture, classification in main and the call itself. On
 * this project's 2-core machine the Chromium e2e labelled as many frames or more with one
 * detector thread as with two (3x3 gallery: 23.3 and 25.2 fps against 22.8 and 23.7; 5x5: 17.5
 * and 21.2 against 17.4 and 17.4), and captured more (26.8-28.1 fps against 24.5-25.2): two
 * threads on two busy cores mostly waited for each other.
 */
export function wasmThreadCount(crossOriginIsolated: boolean, hardwareConcurrency: number | undefined): number {
  const cores = Math.floor(hardwareConcurrency ?? 1) || 1
  return crossOriginIsolated ? Math.max(1, cores - 1) : 1
}

/**
 * Runs `start` (TF.js instantiating its WASM module) while `nav.hardwareConcurrency` reads twice
 * `threads`, then restores it. TF.js's WASM build caps its thread pool at half the logical cores
 * (it assumes two hyper-threads per core) whatever setThreadsCount asks, so on a 2-core machine it
 * ran one thread; the module reads the core count once, while it instantiates, so the cap follows
 * the cores only if it sees twice as many at that moment.
 */
export async function withWasmThreadCap<T>(nav: { hardwareConcurrency: number }, threads: number, start: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency')
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true })
  try {
    return await start()
  } finally {
    // Navigator's value is a prototype getter: removing the own property brings it back.
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own)
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency
  }
}
