/** Mean of the last `capacity` samples, in O(1) per sample, so a stats panel reflects the recent past. */
export class RollingMean {
  private readonly samples: number[] = []
  private next = 0
  private sum = 0

  constructor(private readonly capacity = 30) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1, got ${capacity}`)
  }

  /** Adds a sample, evicting the oldest once full. */
  add(value: number): void {
    if (this.samples.length < this.capacity) {
      this.samples.push(value)
    } else {
      this.sum -= this.samples[this.next] as number
      this.samples[this.next] = value
      this.next = (this.next + 1) % this.capacity
    }
    this.sum += value
  }

  /** Mean of the retained samples, or null before the first. */
  get mean(): number | null {
    return this.samples.length ? this.sum / this.samples.length : null
  }

  /** How many samples are retained (at most the capacity). */
  get count(): number {
    return this.samples.length
  }

  /** Drops all samples. */
  clear(): void {
    this.samples.length = 0
    this.next = 0
    this.sum = 0
  }
}

/** Frames per second over the last `capacity` frame timestamps. */
export class RateMeter {
  private readonly times: number[] = []

  constructor(private readonly capacity = 30) {
    if (!(capacity >= 2)) throw new RangeError(`capacity must be >= 2, got ${capacity}`)
  }

  /** Records one event at `timeMs`. */
  tick(timeMs: number): void {
    this.times.push(timeMs)
    if (this.times.length > this.capacity) this.times.shift()
  }

  /** Events per second between the oldest and newest retained timestamps; null until two exist. */
  get perSecond(): number | null {
    if (this.times.length < 2) return null
    const span = (this.times[this.times.length - 1] as number) - (this.times[0] as number)
    return span > 0 ? ((this.times.length - 1) * 1000) / span : null
  }

  /** Drops all timestamps. */
  clear(): void {
    this.times.length = 0
  }
}

/** Percentiles of the last `capacity` samples (sorted on read; a stats panel reads a few times a second). */
export class RollingPercentiles {
  private readonly samples: number[] = []
  private next = 0

  constructor(private readonly capacity = 60) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1, got ${capacity}`)
  }

  /** Adds a sample, evicting the oldest once full. */
  add(value: number): void {
    if (this.samples.length < this.capacity) this.samples.push(value)
    else {
      this.samples[this.next] = value
      this.next = (this.next + 1) % this.capacity
    }
  }

  /** The q-th percentile (0..100, nearest rank) of the retained samples, or null before the first. */
  percentile(q: number): number | null {
    if (this.samples.length === 0) return null
    const sorted = [...this.samples].sort((a, b) => a - b)
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))
    return sorted[rank] as number
  }

  /** Drops all samples. */
  clear(): void {
    this.samples.length = 0
    this.next = 0
  }
}
