import { regionCrop } from '../../../shared/capture-geometry'
import { isNoDesktopError, type Box, type CaptureTarget } from '../../../shared/ipc'

/**
 * Capture sources behind one interface: webcams through getUserMedia; screens and windows from
 * Electron's desktopCapturer (listed by main) through getDisplayMedia, which main's display-media
 * handler answers with the source picked here; and a dragged screen region, which is a screen
 * capture that the pipeline crops.
 */

/** What kind of thing a source captures. */
export type SourceKind = 'webcam' | 'screen' | 'window' | 'region'

/** One pickable source. `id` is unique across providers. */
export interface CaptureSource {
  id: string
  kind: SourceKind
  label: string
  /** A preview image (data: URL) for screens and windows. */
  thumbnail?: string
  appIcon?: string | null
}

/** An opened source: its stream, and for desktop sources what main says the stream shows. */
export interface OpenedCapture {
  stream: MediaStream
  /** Null for webcams; for screens, windows and regions the overlay's target. */
  target: CaptureTarget | null
}

/** Lists sources of one kind and opens one. */
export interface SourceProvider {
  kind: SourceKind
  list(): Promise<CaptureSource[]>
  open(source: CaptureSource): Promise<OpenedCapture>
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
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      // 1280x720 is ideal, not required: any camera opens, and detection cost is set by the detector's input size.
      video: { deviceId: deviceId ? { exact: deviceId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 } }
    })
    return { stream, target: null }
  }
}

// Screens and windows come from one desktopCapturer call; the two providers share it per refresh.
let desktopListing: Promise<CaptureSource[]> | null = null

function desktopSources(): Promise<CaptureSource[]> {
  desktopListing ??= window.api
    .listDesktopSources()
    .then((list) => list.map((s) => ({ id: s.id, kind: s.kind, label: s.name, thumbnail: s.thumbnail, appIcon: s.appIcon })))
    // A host without a desktop (the webcam e2e harness) simply has no screens or windows to offer.
    .catch((error: unknown) => (isNoDesktopError(error) ? [] : Promise.reject(error)))
    .finally(() => setTimeout(() => (desktopListing = null), 1000))
  return desktopListing
}

/** Opens what main selected through getDisplayMedia; main's display-media handler picks the source, not a dialog. */
async function openDisplayMedia(): Promise<MediaStream> {
  return navigator.mediaDevices.getDisplayMedia({
    audio: false,
    // Native resolution (faces in a gallery are small) at a rate the detector can keep up with.
    video: { frameRate: { ideal: 30, max: 30 } }
  })
}

function desktopProvider(kind: 'screen' | 'window'): SourceProvider {
  return {
    kind,
    async list() {
      return (await desktopSources()).filter((s) => s.kind === kind)
    },
    async open(source) {
      const target = await window.api.selectCaptureSource({ sourceId: source.id })
      try {
        return { stream: await openDisplayMedia(), target }
      } catch (error) {
        await window.api.releaseCapture()
        throw error
      }
    }
  }
}

/** Id of the one pickable entry that starts region selection. */
export const REGION_SOURCE_ID = 'region:select'

/** A region of a screen: dragged on main's selector windows when opened, then captured as a cropped screen. */
export const regionProvider: SourceProvider = {
  kind: 'region',
  async list() {
    // Region mode needs at least one capturable screen.
    const screens = (await desktopSources()).filter((s) => s.kind === 'screen')
    return screens.length > 0 ? [{ id: REGION_SOURCE_ID, kind: 'region', label: 'Select region…' }] : []
  },
  async open() {
    const region = await window.api.pickRegion()
    if (!region) throw new Error('region selection cancelled')
    const screen = (await window.api.listDesktopSources()).find((s) => s.kind === 'screen')
    if (!screen) throw new Error('no screen to capture the region from')
    // Any screen id will do: main swaps in the screen that holds most of the region (DesktopService.select).
    const target = await window.api.selectCaptureSource({ sourceId: screen.id, region })
    try {
      return { stream: await openDisplayMedia(), target }
    } catch (error) {
      await window.api.releaseCapture()
      throw error
    }
  }
}

/** The part of each video frame a region target analyses, in video pixels; null for whole frames. */
export function targetCrop(target: CaptureTarget | null, videoWidth: number, videoHeight: number): Box | null {
  if (!target?.region || !target.display) return null
  return regionCrop({ id: '', bounds: target.display.bounds, scaleFactor: target.display.scaleFactor }, target.region, videoWidth, videoHeight)
}

/** Every provider the picker offers, in display order. */
export const SOURCE_PROVIDERS: readonly SourceProvider[] = [desktopProvider('screen'), desktopProvider('window'), regionProvider, webcamProvider]

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
