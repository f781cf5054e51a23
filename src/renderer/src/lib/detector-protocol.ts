import type { DetectorBackendName } from './detector-backend'
import type { DetectorInfo } from './detector-tf'
import type { Detection, DetectorSettings } from '../../../shared/detection/detection-filter'
import type { FrameFaces, TrackSettings } from '../../../shared/detection/detect-track'

/**
 * The messages between the page and its face-detection worker. Frames cross as transferred
 * ImageBitmaps (moved, not copied); everything else is plain data.
 */

/** What the page asks of the worker. `id` pairs a request with its reply. */
export type DetectorRequest =
  | { kind: 'init'; id: number; override?: DetectorBackendName }
  /** Faces in `image`, already drawn at most `inputSize` on its longer side; boxes in its pixels. */
  | { kind: 'detect'; id: number; image: ImageBitmap; inputSize: number; scoreThreshold: number }
  /** One frame of tracker `trackerId`'s detect-then-track loop; the worker keeps its followed faces. */
  | { kind: 'track'; id: number; trackerId: number; frame: ImageBitmap; nowMs: number; detector: DetectorSettings; track: TrackSettings }
  /** Tracker `trackerId` forgets its faces. */
  | { kind: 'reset'; id: number; trackerId: number }

/** What the worker answers: one reply per request, `failed` carrying the error's message. */
export type DetectorReply =
  | { kind: 'ready'; id: number; info: DetectorInfo }
  | { kind: 'detected'; id: number; detections: Detection[] }
  | { kind: 'tracked'; id: number; faces: FrameFaces; workMs: number }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; message: string }
