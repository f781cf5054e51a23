/**
 * The renderer's Content-Security-Policy. Every page (index.html, overlay.html, selector.html)
 * carries it in a meta tag and main sets it as a response header for production loads;
 * tests/main/csp.test.ts checks they all say the same thing.
 * 'wasm-unsafe-eval' lets TensorFlow.js compile its WebAssembly backend; blob: workers serve its
 * threaded build, and those workers load the backend's script from a blob: URL the page made
 * (script-src blob:); mediastream: is the webcam.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:"
].join('; ')
