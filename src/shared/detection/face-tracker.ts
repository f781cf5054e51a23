import { iou } from '../box-math'
import type { Box } from '../ipc'

/** Tuning of the tracker. */
export interface TrackerOptions {
  /** A detection continues a track only when their IoU is at least this. */
  iouThreshold: number
  /** A track survives this many consecutive frames without a match, then expires. */
  maxMissedFrames: number
}

/** Defaults that hold a face through a few detector misses without gluing two people together. */
export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { iouThreshold: 0.3, maxMissedFrames: 5 }

/** A detection with the stable id the tracker gave it. */
export interface TrackedFace {
  id: number
  box: Box
  /** Index into the detections passed to update(). */
  detectionIndex: number
}

/** What one update() changed. */
export interface TrackerUpdate {
  /** Every detection of this frame, in input order, with its track id. */
  faces: TrackedFace[]
  /** Ids whose track expired in this update; they are never handed out again. */
  expired: number[]
}

interface Track {
  id: number
  box: Box
  missed: number
}

/**
 * Gives faces stable ids across frames by greedy IoU matching. Greedy (best pair first) rather
 * than Hungarian because faces in a call rarely overlap, and it keeps per-frame cost trivial.
 */
export class FaceTracker {
  private tracks: Track[] = []
  private nextId = 1
  private readonly options: TrackerOptions

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options }
  }

  /** Matches this frame's detections to live tracks, starts new tracks, ages and expires the rest. */
  update(detections: readonly Box[]): TrackerUpdate {
    const pairs: { t: number; d: number; score: number }[] = []
    this.tracks.forEach((track, t) => {
      detections.forEach((box, d) => {
        const score = iou(track.box, box)
        if (score >= this.options.iouThreshold) pairs.push({ t, d, score })
      })
    })
    // Ties broken by index so the result does not depend on sort stability.
    pairs.sort((a, b) => b.score - a.score || a.t - b.t || a.d - b.d)

    const trackOfDetection = new Map<number, Track>()
    const matchedTracks = new Set<number>()
    for (const { t, d } of pairs) {
      const track = this.tracks[t]
      if (!track || matchedTracks.has(t) || trackOfDetection.has(d)) continue
      matchedTracks.add(t)
      trackOfDetection.set(d, track)
    }

    const expired: number[] = []
    const survivors: Track[] = []
    this.tracks.forEach((track, t) => {
      if (matchedTracks.has(t)) {
        track.missed = 0
        survivors.push(track)
      } else if (track.missed + 1 > this.options.maxMissedFrames) {
        expired.push(track.id)
      } else {
        track.missed += 1
        survivors.push(track)
      }
    })

    const faces = detections.map((box, d): TrackedFace => {
      let track = trackOfDetection.get(d)
      if (!track) {
        track = { id: this.nextId++, box, missed: 0 }
        survivors.push(track)
      }
      track.box = { ...box }
      return { id: track.id, box: { ...box }, detectionIndex: d }
    })
    this.tracks = survivors
    return { faces, expired }
  }

  /** Ids of all live tracks, including those missed for a few frames. */
  liveIds(): number[] {
    return this.tracks.map((t) => t.id)
  }

  /** Forgets every track (the source changed); ids keep counting up so none is reused. */
  clear(): number[] {
    const ids = this.liveIds()
    this.tracks = []
    return ids
  }
}
