/**
 * Capture sources behind one interface. Webcams are the only kind for now; screens, windows and
 * screen regions (issue 4) plug in as further SourceProviders, listed through window.api from
 * Electron's desktopCapturer, without the picker or the pipeline changing.
 */

/** What kind of thing a source captures. */
export type SourceKind = 'webcam' | 'screen' | 'window' | 'region'

/** One pickable source. `id` is unique across providers. */
export interface CaptureSource {
  id: string
  kind: SourceKind
  label: string
}

/** Lists sources of one kind and opens one as a MediaStream. */
export interface SourceProvider {
  kind: SourceKind
  list(): Promise<CaptureSource[]>
  open(source: CaptureSource): Promise<MediaStream>
}

const WEBCAM_PREFIX = 'webcam:'

/** Webcams through navigator.mediaDevices. */
export const webcamProvider: SourceProvider = {
  kind: 'webcam',
  async list() {
    let devices = await navigator.mediaDevices.enumerateDevices()
    // Device labels stay empty until the page has camera permission once; ask, then list again.
    if (devices.some((d) => d.kind === 'videoinput' && d.label === '')) {
      const probe = await navigator.mediaDevices.getUserMedia({ video: true })
      probe.getTracks().forEach((t) => t.stop())
      devices = await navigator.mediaDevices.enumerateDevices()
    }
    return devices
      .filter((d) => d.kind === 'videoinput')
      .map((d, i) => ({ id: WEBCAM_PREFIX + d.deviceId, kind: 'webcam' as const, label: d.label || `Camera ${i + 1}` }))
  },
  async open(source) {
    const deviceId = source.id.slice(WEBCAM_PREFIX.length)
    return navigator.mediaDevices.getUserMedia({
      audio: false,
      // 1280x720 is ideal, not required: any camera opens, and detection cost is set by the detector's input size.
      video: { deviceId: deviceId ? { exact: deviceId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 } }
    })
  }
}

/** Every provider the picker offers, in display order; issue 4 appends the desktop ones here. */
export const SOURCE_PROVIDERS: readonly SourceProvider[] = [webcamProvider]

/** The provider that owns a source. */
export function providerFor(source: CaptureSource): SourceProvider {
  const provider = SOURCE_PROVIDERS.find((p) => p.kind === source.kind)
  if (!provider) throw new Error(`no capture provider for ${source.kind} sources`)
  return provider
}

/** Stops every track of a stream, releasing the camera light and the device. */
export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop())
}
