import type { ReportTable } from './bench-tables'
import { ms, num, pct } from './bench-tables'

/**
 * One pipeline on a moving synthetic gallery (people sway, turn, one leaves and another comes):
 * the app's detect-then-track scheduling, its earlier full scan on every frame, or face-api's own
 * pipeline, measured in the same run.
 */
export interface LiveGalleryReportRow {
  grid: string
  width: number
  height: number
  /** 'realtime': a 30 fps source, busy frames dropped; 'every-frame': every frame in turn (CPU cost and recall). */
  mode: 'realtime' | 'every-frame'
  pipeline: string
  classifier: string
  offered: number
  labelled: number
  fps: number
  labelsPerSecond: number
  truthPerFrame: number
  foundPerFrame: number
  allFoundShare: number
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  cpuMsPerFrame: number
  /** From a new person's arrival to their first label; null when never labelled. */
  newFaceMs: number | null
  /** From a person's leaving to their label's removal; null when never removed. */
  dropMs: number | null
}

/** The moving-gallery rows as a report table; null when not measured. */
export function liveGalleryTable(rows: readonly LiveGalleryReportRow[] | undefined): ReportTable | null {
  if (!rows || rows.length === 0) return null
  return {
    id: 'live-gallery',
    title: 'Moving galleries: the app’s scheduling beside face-api’s own pipeline',
    headers: ['gallery', 'played', 'pipeline', 'classifier', 'labelled frames/s', 'labels/s', 'faces found', 'all found', 'latency p50 / p95 ms', 'CPU ms / frame', 'new face ms', 'left face dropped ms'],
    rows: rows.map((r) => [
      `${r.grid} ${r.width}x${r.height}`,
      r.mode === 'realtime' ? '30 fps, real time' : 'every frame',
      r.pipeline,
      r.classifier,
      num(r.fps, 1),
      num(r.labelsPerSecond, 0),
      `${num(r.foundPerFrame, 1)} / ${num(r.truthPerFrame, 1)}`,
      pct(r.allFoundShare),
      `${ms(r.latencyP50Ms)} / ${ms(r.latencyP95Ms)}`,
      ms(r.cpuMsPerFrame),
      ms(r.newFaceMs),
      ms(r.dropMs)
    ])
  }
}

/** Faces that fill most of a webcam frame, found by one detector set-up, and what it cost. */
export interface CloseUpReportRow {
  /** The face's height as a share of the 640x480 frame's height. */
  faceShare: number
  detector: string
  found: number
  total: number
  cpuMsPerFrame: number
}

/** The close-up rows as a report table; null when not measured. */
export function closeUpTable(rows: readonly CloseUpReportRow[] | undefined): ReportTable | null {
  if (!rows || rows.length === 0) return null
  return {
    id: 'close-ups',
    title: 'Close-ups: faces that fill most of a webcam frame',
    headers: ['face height / frame height', 'detector', 'found', 'CPU ms / frame'],
    rows: rows.map((r) => [pct(r.faceShare), r.detector, `${r.found} / ${r.total}`, ms(r.cpuMsPerFrame)])
  }
}
