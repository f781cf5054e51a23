import type { Box } from '../ipc'
import { filterDetections, type Detection, type DetectorSettings } from './detection-filter'
import { iou, squareWithin } from '../box-math'
import { mergeDetections } from './detection-tiles'
import { lookPass, planScan, runScanPass, type RegionDetector, type ScanPass } from './frame-scan'
import { faceTemplate, followBox, type FaceTemplate, type FollowResult, type GrayImage } from './box-follower'
import { changedOutside, changedRegion, refreshedReference } from './frame-change'

/**
 * Detect, then track. A full scan of the frame (whole frame plus tiles) costs 60-500 ms on a
 * CPU, so its passes are spread over consecutive frames, a few per frame, and a new scan starts
 * at a cadence. On every frame the known faces are also looked for again, each in a small square
 * around its last box at a small detector input (a few ms a face). Every frame thus gets boxes
 * at most a few frames old, a new face is found within one scan cycle, and a face whose square
 * comes up empty is dropped after `dropAfterMs`.
 *
 * Where the detector can hand over a gray copy of the frame (`RegionDetector.grayFrame`), every
 * known face is also followed from the last frame by template matching (box-follower.ts), well
 * under a millisecond a face: its box is fresh on every frame, and a face followed with confidence
 * is searched by the detector only once every `searchIntervalMs`. A face the follower loses (it
 * turned, left or was covered) is searched first. And while nothing changes away from the
 * followed faces, full scans wait up to `quietScanIntervalMs`: they are most of the work, and a
 * new face only appears where the picture changes. Where it does change, on a frame without scan
 * passes, the detector looks at that change alone (frame-change.ts, frame-scan.ts lookPass): one
 * pass at a small input finds a newcomer between full scans, however far apart the scan share puts them.
 */
export interface TrackSettings {
  /** Least time between the starts of two full scans. */
  scanIntervalMs: number
  /**
   * Time a full scan may be spread over: each frame runs just enough passes (the whole frame, or
   * one tile) to finish by then at the frame rate seen so far.
   */
  scanCycleMs: number
  /**
   * Cap on scan passes per frame. When frames come slowly (a busy machine) the cycle stretches
   * rather than each frame growing slower still, which would slow the frames further. Where
   * scanShare < 1 (live sources), a frame also runs a further pass only while its passes so far took
   * under LIVE_FRAME_DETECTOR_MS.
   */
  maxScanPassesPerFrame: number
  /** Side of a face's search square, as a multiple of its box's longer side. */
  regionScale: number
  /** Detector input size for a search square (a multiple of 32). */
  regionInputSize: number
  /** At most this many faces are looked for per frame; the others keep their box until their turn. */
  maxRegionsPerFrame: number
  /** A face whose last search came up empty and that no scan or search found for this long is dropped. */
  dropAfterMs: number
  /** Minimum detector score inside a search square, lower than a scan's since the face is expected there. */
  regionScoreThreshold: number
  /**
   * Where faces are followed between frames (the detector gives gray frames): a face followed with
   * confidence on this frame is searched by the detector only when its last search is this old.
   * 0: every face is searched in its turn, followed or not.
   */
  searchIntervalMs: number
  /**
   * Where faces are followed: while nothing in the frame changed away from the followed faces since
   * the last scan began (box-follower.ts changedOutside), the next scan waits this long instead of
   * scanIntervalMs. A new face changes the picture where it appears, so it is still scanned for at
   * once; a still gallery is not scanned over and over (on an unchanged picture the detector finds
   * what it found before). A face dropped since the last scan also ends the wait.
   */
  quietScanIntervalMs: number
  /**
   * Share of the time full scans and looks at changes may take: after a scan whose passes (and the
   * looks since it began) took C ms, the next starts no sooner than C / scanShare after it began,
   * and after a look of L ms the next look waits L / scanShare. On a machine where a scan takes
   * longer than its interval allows, scans then come less often instead of leaving no time for the
   * frames; a fast machine keeps scanIntervalMs. 1: no limit.
   */
  scanShare: number
  /**
   * Least time between two looks at a change (frame-change.ts), on the frames' own clock. 0: as often
   * as scanShare allows. Video analysis, whose clock runs as fast as it goes (no wall-time share),
   * sets it so that a moving scene does not cost a detector pass on every frame.
   */
  lookIntervalMs: number
}

/**
 * On a live source, the detector time a frame spends on scan passes beyond its first, and again on
 * searches of faces the follower already placed beyond its first: half a frame at 30 fps.
 */
export const LIVE_FRAME_DETECTOR_MS = 1000 / 60

/** Least template match (normalised cross-correlation) at which the follower moves a box. */
export const FOLLOW_MIN_SCORE = 0.6

/**
 * Webcam: few, large faces; the scan's two passes (the whole frame at the detector's input size and
 * at 160 px for close-ups) run on consecutive frames; every face is looked for on every frame. TinyFaceDetector's boxes drift once a face is below ~50 px at its input: a 96 px input on
 * a square of 1.8 face sides shows the face at about 53 px.
 */
export const WEBCAM_TRACK_SETTINGS: TrackSettings = {
  scanIntervalMs: 300,
  scanCycleMs: 100,
  maxScanPassesPerFrame: 1,
  regionScale: 1.8,
  regionInputSize: 96,
  maxRegionsPerFrame: 6,
  dropAfterMs: 300,
  regionScoreThreshold: 0.4,
  searchIntervalMs: 500,
  quietScanIntervalMs: 3000,
  scanShare: 0.5,
  lookIntervalMs: 0
}

/**
 * Gallery screens: many small faces that rarely move. A few tiles and a few face searches per
 * frame keep each frame's cost flat (a face keeps its box until its turn); a face whose search
 * came up empty is searched again first, and back-to-back scans spread over 400 ms find a new
 * face within half a second.
 */
export const GALLERY_TRACK_SETTINGS: TrackSettings = {
  scanIntervalMs: 0,
  scanCycleMs: 400,
  maxScanPassesPerFrame: 2,
  regionScale: 1.8,
  regionInputSize: 96,
  maxRegionsPerFrame: 3,
  dropAfterMs: 400,
  regionScoreThreshold: 0.4,
  searchIntervalMs: 1000,
  quietScanIntervalMs: 10_000,
  scanShare: 0.35,
  lookIntervalMs: 0
}

/** A face the tracker follows: its last box and when it was last found and last looked for. */
export interface TrackedBox {
  box: Box
  score: number
  lastSeenMs: number
  lastVisitedMs: number
  /** The frame time at which the follower last moved its box with confidence (-Infinity: never). */
  followedMs: number
  /** Its pixels where the detector last found it, for the follower; null until cut or where flat. */
  template: FaceTemplate | null
}

function newFace(box: Box, score: number, nowMs: number): TrackedBox {
  return { box: { ...box }, score, lastSeenMs: nowMs, lastVisitedMs: nowMs, followedMs: -Infinity, template: null }
}

/**
 * The scheduling of detect-then-track, without pixels: which frame scans, which faces are looked
 * for, how results update the followed boxes, when a face is dropped. Pure, so it is unit tested
 * with made-up detections and clock values.
 */
export class TrackSchedule {
  private faces: TrackedBox[] = []
  private cycleStartMs = -Infinity
  // Index of the next scan pass of the current cycle; Infinity when the cycle is complete.
  private nextPass = Infinity
  private cyclePasses = 0
  // Smoothed time between the frames handed to planScan, to spread a scan's passes evenly.
  private frameMs: number | null = null
  private lastFrameMs: number | null = null
  // A face was dropped since the current scan began: the next one does not wait for a change.
  private droppedSinceScan = false
  // Time the current scan's passes took so far, and what the last complete scan's took (scanShare).
  private cycleScanMs = 0
  private lastCycleScanMs = 0
  // Time the looks at changes took since the current scan began, and when the next look may run.
  private looksMs = 0
  private nextLookMs = -Infinity

  constructor(private settings: TrackSettings) {}

  /** Replaces the settings (source change or the user's edit); followed faces are kept. */
  configure(settings: TrackSettings): void {
    this.settings = settings
  }

  /** The settings in force. */
  current(): TrackSettings {
    return this.settings
  }

  /** The faces followed now. */
  tracked(): readonly TrackedBox[] {
    return this.faces
  }

  /** Forgets every face and scans on the next frame. */
  reset(): void {
    this.faces = []
    this.cycleStartMs = -Infinity
    this.nextPass = Infinity
    this.frameMs = this.lastFrameMs = null
    this.droppedSinceScan = false
    this.cycleScanMs = this.lastCycleScanMs = this.looksMs = 0
    this.nextLookMs = -Infinity
  }

  /**
   * Puts back the passes of this frame's plan from `index` on, not run (the frame's first passes
   * took long enough): the next frame runs them.
   */
  deferPasses(index: number): void {
    if (index >= 0 && index < this.nextPass) this.nextPass = index
  }

  /** Records the time a frame's scan passes took (scanShare spaces the next scan by it). */
  recordScan(ms: number): void {
    if (ms > 0 && Number.isFinite(ms)) this.cycleScanMs += ms
  }

  /** Whether a look at a change may run on the frame at `nowMs` (the scan share spaces them). */
  lookDue(nowMs: number): boolean {
    return nowMs >= this.nextLookMs
  }

  /** Records a look at a change on the frame at `nowMs` and the detector time it took. */
  recordLook(nowMs: number, ms: number): void {
    if (!(ms > 0 && Number.isFinite(ms))) return
    const share = this.settings.scanShare
    this.looksMs += ms
    this.nextLookMs = nowMs + Math.max(this.settings.lookIntervalMs, share > 0 && share < 1 ? ms / share : 0)
  }

  /**
   * The scan passes (indices into a scan of `passCount` passes) to run on the frame captured at
   * `nowMs`: the next ones of the current cycle, as many as it takes to end the cycle within
   * scanCycleMs at the frame rate seen so far, or the first of a new cycle once the last is
   * complete and the interval has passed; none otherwise. `quiet` says whether nothing changed away
   * from the followed faces since the last scan began (asked only when a new scan is due); while it
   * holds, and no face was dropped, the interval is quietScanIntervalMs.
   */
  planScan(nowMs: number, passCount: number, quiet?: () => boolean): number[] {
    if (this.lastFrameMs !== null && nowMs > this.lastFrameMs) {
      // A gap of more than a quarter second is a pause, not the frame rate.
      const delta = Math.min(nowMs - this.lastFrameMs, 250)
      this.frameMs = this.frameMs === null ? delta : 0.8 * this.frameMs + 0.2 * delta
    }
    this.lastFrameMs = nowMs
    // A different number of passes means the frame size or the settings changed: scan afresh now.
    const changed = passCount !== this.cyclePasses
    if (changed || this.nextPass >= passCount) {
      if (this.nextPass >= this.cyclePasses && this.cycleScanMs > 0) {
        this.lastCycleScanMs = this.cycleScanMs
        this.cycleScanMs = 0
      }
      const since = nowMs - this.cycleStartMs
      const share = this.settings.scanShare
      const interval = Math.max(this.settings.scanIntervalMs, share > 0 && share < 1 ? (this.lastCycleScanMs + this.looksMs) / share : 0)
      if (!changed && since < interval) return []
      if (!changed && quiet && !this.droppedSinceScan && since < this.settings.quietScanIntervalMs && quiet()) return []
      this.cycleStartMs = nowMs
      this.looksMs = 0
      this.droppedSinceScan = false
      this.nextPass = 0
      this.cyclePasses = passCount
    }
    const first = this.nextPass
    // This frame and the ones that still fit before the cycle's deadline share the remaining passes.
    const framesLeft = this.frameMs === null ? 1 : 1 + Math.max(0, Math.floor((this.cycleStartMs + this.settings.scanCycleMs - nowMs) / this.frameMs) - 1)
    const wanted = Math.ceil((passCount - first) / framesLeft)
    const last = Math.min(passCount, first + Math.max(1, Math.min(wanted, this.settings.maxScanPassesPerFrame)))
    this.nextPass = last
    return Array.from({ length: last - first }, (_, k) => first + k)
  }

  /**
   * The faces (indices into tracked()) to search on the frame at `nowMs`, at most
   * maxRegionsPerFrame: first those whose last search missed (to confirm they left), then those the
   * follower did not follow on this frame, then those looked at longest ago. A face followed on
   * this frame whose last search is younger than searchIntervalMs is not searched, nor one a scan
   * pass or a look found on this frame.
   */
  planSearch(nowMs = Number.POSITIVE_INFINITY): number[] {
    const interval = this.settings.searchIntervalMs
    const order = this.faces
      .map((f, i) => ({ i, f, rank: f.lastVisitedMs > f.lastSeenMs ? 0 : f.followedMs === nowMs ? 2 : 1, visited: f.lastVisitedMs }))
      .filter((o) => o.f.lastSeenMs !== nowMs && (o.rank < 2 || nowMs - o.f.lastVisitedMs >= interval))
      .sort((a, b) => a.rank - b.rank || a.visited - b.visited || a.i - b.i)
    return order.slice(0, Math.max(0, this.settings.maxRegionsPerFrame)).map((o) => o.i)
  }

  /**
   * The follower's results for every face, in tracked() order (null: not followed). A match of at
   * least FOLLOW_MIN_SCORE moves the box; a weaker one leaves it where it was, unconfirmed, so the
   * face is searched first.
   */
  applyFollow(nowMs: number, results: readonly (FollowResult | null)[]): void {
    results.forEach((r, i) => {
      const face = this.faces[i]
      if (!face || !r || r.score < FOLLOW_MIN_SCORE) return
      face.box = { ...face.box, x: face.box.x + r.dx, y: face.box.y + r.dy }
      face.followedMs = nowMs
    })
  }

  /** The square to search for face `index`, clipped to the frame (shifted inward so it keeps its size where it can). */
  searchRegion(index: number, frameWidth: number, frameHeight: number): Box {
    const { box } = this.faces[index] as TrackedBox
    return squareWithin(box.x + box.width / 2, box.y + box.height / 2, Math.max(box.width, box.height) * this.settings.regionScale, frameWidth, frameHeight)
  }

  /**
   * A scan pass's faces: each one continues the followed face it overlaps most (IoU ≥ 0.3) or
   * starts a new one. Followed faces a pass missed stay until `dropAfterMs` passes without a search
   * finding them, since a coarse pass misses small faces that a search at their own scale still sees.
   */
  applyScan(nowMs: number, detections: readonly Detection[]): void {
    const matched = new Set<number>()
    for (const d of [...detections].sort((a, b) => b.score - a.score)) {
      let best = -1
      let bestIou = 0.3
      this.faces.forEach((f, i) => {
        const overlap = iou(f.box, d.box)
        if (!matched.has(i) && overlap >= bestIou) {
          best = i
          bestIou = overlap
        }
      })
      if (best >= 0) {
        matched.add(best)
        const followedMs = (this.faces[best] as TrackedBox).followedMs
        this.faces[best] = { ...newFace(d.box, d.score, nowMs), followedMs }
      } else {
        matched.add(this.faces.length)
        this.faces.push(newFace(d.box, d.score, nowMs))
      }
    }
    this.expire(nowMs)
  }

  /**
   * Search results: `found[k]` is what the square of face `visited[k]` showed (null: nothing).
   * A found face takes the new box; a face not found keeps its last box until it expires.
   */
  applyTrack(nowMs: number, visited: readonly number[], found: readonly (Detection | null)[]): void {
    visited.forEach((index, k) => {
      const face = this.faces[index]
      if (!face) return
      face.lastVisitedMs = nowMs
      const hit = found[k]
      if (hit) {
        face.box = { ...hit.box }
        face.score = hit.score
        face.lastSeenMs = nowMs
      }
    })
    this.expire(nowMs)
  }

  /**
   * Drops faces whose last search missed and that were not found for longer than dropAfterMs (a
   * face merely waiting for its turn stays), and of two followed boxes that came to cover the same
   * face (IoU > 0.5) keeps the one seen last.
   */
  private expire(nowMs: number): void {
    const alive = this.faces.filter((f) => f.lastVisitedMs <= f.lastSeenMs || nowMs - f.lastSeenMs <= this.settings.dropAfterMs)
    if (alive.length < this.faces.length) this.droppedSinceScan = true
    alive.sort((a, b) => b.lastSeenMs - a.lastSeenMs || b.score - a.score)
    const kept: TrackedBox[] = []
    for (const f of alive) if (kept.every((k) => iou(k.box, f.box) <= 0.5)) kept.push(f)
    // Keep a stable order (by position) so the visiting order does not depend on the dedupe sort.
    this.faces = kept.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)
  }
}

/**
 * The one detection in a search square that continues the face: the best-scoring hit whose centre
 * lies inside the face's previous box grown by half, and whose size is within half to twice the old.
 */
export function pickContinuation(previous: Box, hits: readonly Detection[]): Detection | null {
  const cx = previous.x + previous.width / 2
  const cy = previous.y + previous.height / 2
  let best: Detection | null = null
  for (const h of hits) {
    const hx = h.box.x + h.box.width / 2
    const hy = h.box.y + h.box.height / 2
    const near = Math.abs(hx - cx) <= previous.width * 0.75 && Math.abs(hy - cy) <= previous.height * 0.75
    const ratio = h.box.width / previous.width
    if (near && ratio >= 0.5 && ratio <= 2 && (!best || h.score > best.score)) best = h
  }
  return best
}

/** What one frame of detect-then-track found, and what it did. */
export interface FrameFaces {
  detections: Detection[]
  /** Scan passes (a look at a change counts as one) and face searches run on this frame (detector calls). */
  scanPasses: number
  searches: number
  /** Faces the follower moved on this frame without the detector. */
  followed: number
  /** Wall time of this frame's scan passes and looks, face searches, and following (gray frame included), in ms. */
  scanMs: number
  searchMs: number
  followMs: number
}

/** Where a frame's detection time went (ms): full scans, per-face detector searches, following faces by their pixels. */
export type DetectionParts = Pick<FrameFaces, 'scanMs' | 'searchMs' | 'followMs'>

/** A frame's faces with the tracker's own timing of its parts, as the live loop and video analysis read them. */
export type TimedDetections = Pick<FrameFaces, 'detections'> & DetectionParts

/** A detector's answer as its faces and, where the tracker timed them, the parts of its time (else null). */
export function splitTimed(found: Detection[] | TimedDetections): { detections: Detection[]; parts: DetectionParts | null } {
  if (Array.isArray(found)) return { detections: found, parts: null }
  return { detections: found.detections, parts: { scanMs: found.scanMs, searchMs: found.searchMs, followMs: found.followMs } }
}

/** Detect-then-track as its users see it, whether it runs on this thread or in the detection worker. */
export interface FrameTracker<F> {
  /** Faces in the frame captured at `nowMs`: every followed face, with fresh boxes for those scanned or searched. */
  next(frame: F, width: number, height: number, nowMs: number, detector: DetectorSettings): Promise<FrameFaces>
  /** New track settings (e.g. webcam → screen); followed faces are kept. */
  configure(settings: TrackSettings): void
  /** Forgets every face (the source changed or the run stopped). */
  reset(): void
}

/**
 * Detect-then-track over a RegionDetector: the app's live loop and the bench's gallery run this
 * same class, so the bench measures the scheduling the app uses.
 */
export class DetectThenTrack<F> implements FrameTracker<F> {
  private readonly schedule: TrackSchedule
  // The gray frame on which the current scan began: what "nothing changed" is measured against.
  private scanReference: GrayImage | null = null

  constructor(
    private readonly detector: RegionDetector<F>,
    settings: TrackSettings
  ) {
    this.schedule = new TrackSchedule(settings)
  }

  /** New track settings (e.g. webcam → screen); followed faces are kept. */
  configure(settings: TrackSettings): void {
    this.schedule.configure(settings)
  }

  /** Forgets every face (the source changed or the run stopped). */
  reset(): void {
    this.schedule.reset()
    this.scanReference = null
  }

  /** Faces in the frame captured at `nowMs`: every followed face, with fresh boxes for those scanned or searched. */
  async next(frame: F, width: number, height: number, nowMs: number, detector: DetectorSettings): Promise<FrameFaces> {
    let mark = performance.now()
    const lap = (): number => {
      const now = performance.now()
      const ms = now - mark
      mark = now
      return ms
    }
    const gray = this.detector.grayFrame ? await this.detector.grayFrame(frame, width, height) : null
    if (gray) {
      this.schedule.applyFollow(
        nowMs,
        this.schedule.tracked().map((f) => (f.template ? followBox(gray, f.box, f.template) : null))
      )
    }
    let followMs = lap()
    const passes = planScan(width, height, detector)
    const quietSince = this.scanReference
    // Whether the quiet check found nothing changed on this frame: then there is no change to look at either.
    let foundQuiet = false
    const quiet = gray && quietSince ? () => (foundQuiet = !changedOutside(quietSince, gray, this.schedule.tracked().map((f) => f.box))) : undefined
    const scanned = this.schedule.planScan(nowMs, passes.length, quiet)
    const settings = this.schedule.current()
    if (scanned[0] === 0) this.scanReference = gray
    // Live sources (a wall-time scanShare): a further pass on this frame only while the passes so far
    // took less than half a 30 fps frame, so where one pass is slow (a CPU) the frame is not held up
    // by a second; the next frame runs it.
    const scanStarted = performance.now()
    const halfFrame = settings.scanShare < 1 ? LIVE_FRAME_DETECTOR_MS : Number.POSITIVE_INFINITY
    let ran = 0
    for (const index of scanned) {
      if (ran > 0 && performance.now() - scanStarted >= halfFrame) {
        this.schedule.deferPasses(index)
        break
      }
      const found = await runScanPass(this.detector, frame, width, height, passes[index] as ScanPass, detector.scoreThreshold)
      this.schedule.applyScan(nowMs, filterDetections(mergeDetections(found), width, height, detector.minFaceSize))
      ran++
    }
    let scanMs = lap()
    if (ran > 0) this.schedule.recordScan(scanMs)
    // No pass on this frame: where the picture changed away from the followed faces since the scan
    // began, and the share allows, the detector looks at the largest change alone.
    const reference = this.scanReference
    if (ran === 0 && !foundQuiet && gray && reference && this.schedule.lookDue(nowMs)) {
      const change = changedRegion(reference, gray, this.schedule.tracked().map((f) => f.box))
      const look = change ? lookPass(change, width, height, detector) : null
      if (look) {
        const found = await runScanPass(this.detector, frame, width, height, look, detector.scoreThreshold)
        this.schedule.applyScan(nowMs, filterDetections(mergeDetections(found), width, height, detector.minFaceSize))
        // What the look saw is no longer a change.
        this.scanReference = refreshedReference(reference, gray, look.region)
        ran++
      }
      const lookMs = lap()
      if (look) this.schedule.recordLook(nowMs, lookMs)
      scanMs += lookMs
    }
    const planned = this.schedule.planSearch(nowMs)
    const previous = this.schedule.tracked()
    const visited: number[] = []
    const results: (Detection | null)[] = []
    const searchStarted = performance.now()
    for (const index of planned) {
      const face = previous[index] as TrackedBox
      // A face followed on this frame is searched only to refresh its box: on a live source that
      // waits for a later frame once this frame's searches took LIVE_FRAME_DETECTOR_MS (as scan passes do).
      // Faces the follower lost, or whose last search missed, are always searched (they come first).
      const followedNow = face.followedMs === nowMs && face.lastVisitedMs <= face.lastSeenMs
      if (followedNow && visited.length > 0 && performance.now() - searchStarted >= halfFrame) break
      const region = this.schedule.searchRegion(index, width, height)
      const hits = await this.detector.detectRegion(frame, region, settings.regionInputSize, settings.regionScoreThreshold)
      visited.push(index)
      results.push(pickContinuation(face.box, hits))
    }
    this.schedule.applyTrack(nowMs, visited, results)
    const searchMs = lap()
    // A face's template is cut where the detector found it and kept until it finds it again: matching
    // every frame against that anchor bounds the follower's error, where re-cutting it every frame
    // would add up each frame's sub-pixel error into drift.
    if (gray) for (const f of this.schedule.tracked()) if (!f.template || f.lastSeenMs === nowMs) f.template = faceTemplate(gray, f.box)
    followMs += lap()
    const detections = filterDetections(
      this.schedule.tracked().map((f) => ({ box: f.box, score: f.score })),
      width,
      height,
      detector.minFaceSize
    )
    const followed = this.schedule.tracked().filter((f) => f.followedMs === nowMs && f.lastVisitedMs !== nowMs).length
    return { detections, scanPasses: ran, searches: visited.length, followed, scanMs, searchMs, followMs }
  }
}
