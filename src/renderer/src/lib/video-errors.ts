/**
 * What went wrong with a video file, in words for the user: a file that cannot be opened, and one
 * that stops being readable partway (truncated or damaged), with what was analysed before.
 */

/** Why a video could not be opened, in words for the user. */
export function mediaErrorMessage(name: string, error: MediaError | null): string {
  const why =
    error?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED
      ? 'its format or codec is not supported, or the file is incomplete'
      : error?.code === MediaError.MEDIA_ERR_DECODE
        ? 'its video data is damaged'
        : error?.code === MediaError.MEDIA_ERR_NETWORK
          ? 'it could not be read'
          : 'it holds no playable video'
  return `Cannot analyse "${name}": ${why}${error?.message ? ` (${error.message})` : ''}. Try an MP4 (H.264), WebM (VP8/VP9/AV1) or another file this app can play.`
}

/** A video time as the player shows it: "0:12", "1:02:03", with tenths where there are any ("0:03.8"). */
export function formatVideoTime(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100)
  const s = Math.floor(tenths / 10)
  const clock = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
  const text = clock[0] ? `${clock[0]}:${String(clock[1]).padStart(2, '0')}:${String(clock[2]).padStart(2, '0')}` : `${clock[1]}:${String(clock[2]).padStart(2, '0')}`
  return tenths % 10 ? `${text}.${tenths % 10}` : text
}

/**
 * The video could not be read at `atMs`: the seek there failed (Chromium's decoder or demuxer
 * errored, or the seek never finished). A truncated or damaged file does this at the point where
 * its data stops; every frame before it can still be analysed.
 */
export class VideoReadError extends Error {
  /** Frames analysed (and logged) before the failure; set when the analysis stops on it. */
  framesAnalysed = 0

  constructor(
    readonly atMs: number,
    /** Chromium's words ("PIPELINE_ERROR_DECODE: video decode error!"), for the message's detail. */
    readonly detail: string
  ) {
    super(`the video cannot be read at ${formatVideoTime(atMs)} (${detail})`)
    this.name = 'VideoReadError'
  }
}

/** Why a video analysis stopped, in words for the user, saying what was kept. */
export function describeVideoFailure(name: string, error: unknown): string {
  if (error instanceof VideoReadError) {
    if (error.framesAnalysed === 0) return `Cannot read "${name}": its video data is damaged or missing (${error.detail}). Nothing could be analysed.`
    const frames = error.framesAnalysed === 1 ? 'the 1 frame before it was' : `the ${error.framesAnalysed} frames before it were`
    return `The video file "${name}" ends early or is damaged at ${formatVideoTime(error.atMs)}; ${frames} analysed and kept (${error.detail}).`
  }
  return `The analysis stopped: ${error instanceof Error ? error.message : String(error)}. The rows so far are kept.`
}

/** Chromium's words for a video element's failure, or undefined while it has none. */
export function mediaFailure(video: HTMLVideoElement): string | undefined {
  return video.error ? video.error.message || `media error ${video.error.code}` : undefined
}
