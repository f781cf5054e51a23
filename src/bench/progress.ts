import cliProgress from 'cli-progress'
import { PROGRESS_MARKER } from '../main/bench/bench-output'

/** Where long phases report how far they are; the CLI draws a bar, the app could forward events. */
export interface Progress {
  /** Starts a phase of `total` steps. */
  start(phase: string, total: number): void
  /** Advances the current phase by `n` steps. */
  tick(n?: number): void
  /** Ends the current phase. */
  stop(): void
}

/** A progress sink that ignores everything (tests, library use). */
export const silentProgress: Progress = { start() {}, tick() {}, stop() {} }

/**
 * A cli-progress bar on stderr where stderr is a terminal and CI is not set; elsewhere one plain
 * line per phase, so logs of CI runs stay readable instead of filling with redraw sequences.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  const interactive = stream.isTTY === true && !env.CI
  if (!interactive) {
    let phase = ''
    let began = 0
    return {
      start(name, total) {
        phase = name
        began = performance.now()
        stream.write(`[bench] ${name} (${total})\n`)
      },
      tick() {},
      stop() {
        if (phase) stream.write(`[bench] ${phase}: done in ${((performance.now() - began) / 1000).toFixed(1)} s\n`)
        phase = ''
      }
    }
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total} | {duration_formatted} elapsed | eta {eta_formatted}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic
  )
  let running = false
  return {
    start(name, total) {
      if (running) bar.stop()
      bar.start(Math.max(total, 1), 0, { phase: name.padEnd(28) })
      running = true
    },
    tick(n = 1) {
      if (running) bar.increment(n)
    },
    stop() {
      if (running) bar.stop()
      running = false
    }
  }
}

export { PROGRESS_MARKER }

/**
 * One JSON line per step, `BENCH_PROGRESS {"phase":…,"done":…,"total":…}`, for a parent process
 * (the app's main process, which forwards them to the Compare view's progress bar).
 */
export function jsonLinesProgress(stream: NodeJS.WritableStream = process.stdout): Progress {
  let phase = ''
  let done = 0
  let total = 0
  const emit = (): void => {
    stream.write(`${PROGRESS_MARKER}${JSON.stringify({ phase, done, total })}\n`)
  }
  return {
    start(name, n) {
      phase = name
      done = 0
      total = n
      emit()
    },
    tick(n = 1) {
      done += n
      emit()
    },
    stop() {}
  }
}
