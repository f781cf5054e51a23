import type { Emotion } from './emotions'

/** A square cut (source pixels) from one of @vladmandic/face-api's demo photos, and the emotion its face shows. */
export interface FaceCut {
  photo: string
  sx: number
  sy: number
  side: number
  /** Labelled by eye from the photo (all three smile), so the bench can score the e2e faces. */
  label: Emotion
}

/**
 * The three faces the e2e suites show as a webcam and a call gallery, left to right, chosen so each
 * cut holds one frontal face filling about half of it, the margin FER2013's crops have. The bench
 * scores every model on them through the detector, as the app sees them.
 */
export const FACE_CUTS: readonly FaceCut[] = [
  { photo: 'sample3.jpg', sx: 934, sy: 100, side: 480, label: 'happy' },
  // Open mouth with raised corners: read as a smile while speaking, not surprise.
  { photo: 'sample5.jpg', sx: 230, sy: 780, side: 480, label: 'happy' },
  { photo: 'sample6.jpg', sx: 160, sy: 390, side: 440, label: 'happy' }
]
