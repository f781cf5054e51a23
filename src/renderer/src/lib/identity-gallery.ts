import type { Box } from '../../../shared/ipc'

/** Euclidean distance of two face descriptors (face-api's measure; 0 is the same image). */
export function descriptorDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`descriptors of length ${a.length} and ${b.length}`)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2
  return Math.sqrt(sum)
}

/**
 * Below this distance two descriptors are taken for the same person. face-api's authors suggest
 * 0.6, but a wrong merge mixes two people's rows, which is worse than a face getting a new id:
 * different people in face-api's demo photos come as close as 0.47, so we stay below that. Two
 * frames of one video show a face far more alike than two photos of it taken years apart (LFW
 * pairs match only about a third of the time at this distance, see tests/renderer/face-identities.test.ts).
 */
export const SAME_PERSON_DISTANCE = 0.45

/** The square a descriptor is computed from: the face box grown so landmarks find the whole face. */
export function descriptorCrop(box: Box, frameWidth: number, frameHeight: number, scale = 1.4): Box {
  const side = Math.min(Math.max(box.width, box.height) * scale, frameWidth, frameHeight)
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const x = Math.min(Math.max(cx - side / 2, 0), frameWidth - side)
  const y = Math.min(Math.max(cy - side / 2, 0), frameHeight - side)
  return { x, y, width: side, height: side }
}

/** Descriptors kept per face: a few views match a returning face better than one. */
export const MAX_VIEWS_PER_FACE = 5
/** A face is described again every this many of its frames until the gallery has MAX_VIEWS_PER_FACE views of it. */
export const REDESCRIBE_EVERY = 10
/**
 * At most this many of those further views are taken per frame, the most overdue first. Faces that
 * appear together (a gallery, at the start) would otherwise all be due on the same frames, and each
 * description runs two nets on the page's thread: 25 faces stalled every tenth frame by over a second.
 */
export const EXTRA_VIEWS_PER_FRAME = 1

/** A face in view that the gallery could describe again. */
export interface ViewCandidate {
  trackId: number
  /** Frames this track has been seen in, this one included, and that count when it was last described. */
  seen: number
  describedAt: number
}

/** The tracks to describe again on this frame: due (REDESCRIBE_EVERY frames since their last view), most overdue first, at most EXTRA_VIEWS_PER_FRAME. */
export function extraViewsDue(candidates: readonly ViewCandidate[]): number[] {
  return candidates
    .map((c) => ({ id: c.trackId, by: c.seen - c.describedAt - REDESCRIBE_EVERY }))
    .filter((c) => c.by >= 0)
    .sort((a, b) => b.by - a.by || a.id - b.id)
    .slice(0, EXTRA_VIEWS_PER_FRAME)
    .map((c) => c.id)
}

/** Frames until a gallery that saw `faces` new faces at once has every view it wants of them (one extra view a frame). */
export function framesToLearn(faces: number): number {
  return REDESCRIBE_EVERY + Math.ceil((faces * (MAX_VIEWS_PER_FACE - 1)) / EXTRA_VIEWS_PER_FRAME)
}

/**
 * Remembers what each face looked like during one session and recognises a face that comes back.
 * The tracker gives a returning face a new track id; the first descriptor of each new track is
 * compared with the faces not in view now, and a close enough one lends the track its old id.
 * Descriptors stay in memory only and are dropped with the gallery.
 */
export class IdentityGallery {
  private readonly descriptors = new Map<number, ArrayLike<number>[]>()
  private readonly alias = new Map<number, number>()
  private readonly settled = new Set<number>()

  constructor(
    readonly threshold = SAME_PERSON_DISTANCE,
    /** Descriptors kept per face. */
    readonly maxPerFace = MAX_VIEWS_PER_FACE
  ) {}

  /** The lasting id of a track: the id of the face it was recognised as, or its own. */
  idOf(trackId: number): number {
    return this.alias.get(trackId) ?? trackId
  }

  /** True until the track was looked up once. */
  isNew(trackId: number): boolean {
    return !this.settled.has(trackId)
  }

  /** True while the face has fewer descriptors than the gallery keeps. */
  wantsMore(trackId: number): boolean {
    return (this.descriptors.get(this.idOf(trackId))?.length ?? 0) < this.maxPerFace
  }

  /** The closest remembered face not in `inView`, if it is close enough to be the same person. */
  match(descriptor: ArrayLike<number>, inView: ReadonlySet<number>): { id: number; distance: number } | null {
    let best: { id: number; distance: number } | null = null
    for (const [id, list] of this.descriptors) {
      if (inView.has(id)) continue
      for (const d of list) {
        const distance = descriptorDistance(descriptor, d)
        if (distance < this.threshold && (!best || distance < best.distance)) best = { id, distance }
      }
    }
    return best
  }

  /**
   * Adds a descriptor of a track. A new track is first looked up among the faces not in view
   * (`inView`: lasting ids on screen now); returns the track's lasting id.
   */
  add(trackId: number, descriptor: ArrayLike<number>, inView: ReadonlySet<number>): number {
    if (!this.settled.has(trackId)) {
      this.settled.add(trackId)
      const found = this.match(descriptor, inView)
      if (found) this.alias.set(trackId, found.id)
    }
    const id = this.idOf(trackId)
    const list = this.descriptors.get(id) ?? []
    if (list.length < this.maxPerFace) list.push(descriptor)
    this.descriptors.set(id, list)
    return id
  }

  /** A track whose face could not be described keeps its own id. */
  settle(trackId: number): void {
    this.settled.add(trackId)
  }
}

/**
 * Lasting ids for one frame's tracks, never two alike (main rejects such a batch). A track that keeps its own
 * id claims it first; a track whose wanted id is taken falls back to its own track id, and when even that is taken
 * (another track came back under it) to a fresh id above every id in play.
 */
export function uniqueIds(tracks: readonly { track: number; wanted: number }[]): Map<number, number> {
  const ids = new Map<number, number>()
  const used = new Set<number>()
  let fresh = tracks.reduce((m, t) => Math.max(m, t.track, t.wanted), 0) + 1
  const order = [...tracks].sort((a, b) => Number(b.wanted === b.track) - Number(a.wanted === a.track))
  for (const { track, wanted } of order) {
    const id = !used.has(wanted) ? wanted : !used.has(track) ? track : fresh++
    ids.set(track, id)
    used.add(id)
  }
  return ids
}
