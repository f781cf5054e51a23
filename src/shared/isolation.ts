/**
 * Headers that make the app's pages cross-origin isolated, so SharedArrayBuffer exists and TF.js's
 * WebAssembly backend runs its multi-threaded SIMD build. The app serves only its own files, so
 * same-origin everywhere costs nothing. Sent by main's app:// handler, the dev server and the e2e
 * static server alike.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin'
}
