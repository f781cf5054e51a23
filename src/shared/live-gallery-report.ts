/** The live-gallery and close-up sections of the report as tables (their row types are in bench-report.ts, with the rest of the report). */
import type { CloseUpReportRow, LiveGalleryReportRow } from './bench-report'
import type { ReportTable } from './bench-tables'
import { ms, num, pct } from './bench-tables'

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
