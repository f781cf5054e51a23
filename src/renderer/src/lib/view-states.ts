import type { SourceKind } from './capture-sources'

/**
 * What each state of the app says, as plain functions so a test can hold every state to the truth:
 * paused is "Paused", an idle preview names the source kind that is selected, a file that is not a
 * video is refused before it is opened.
 */

/** The live session's phase, as live.svelte.ts keeps it. */
export type LivePhase = 'idle' | 'starting' | 'running' | 'stopping'

/** The session's status line: paused says so, rather than "Recording". */
export function liveStatusText(phase: LivePhase, paused: boolean): string {
  if (phase === 'starting') return 'Starting…'
  if (phase === 'stopping') return 'Stopping…'
  if (phase === 'running') return paused ? 'Paused' : 'Recording'
  return 'Stopped'
}

/** The face list when it has no face: a paused session is not looking, so it cannot say no face is in view. */
export function noFacesText(phase: LivePhase, paused: boolean): string {
  if (phase === 'running') return paused ? 'Paused: faces are not analysed until you resume' : 'No face in view'
  if (phase === 'starting') return 'Starting…'
  return 'Not running'
}

const SELECTED: Record<SourceKind, { what: string; does: string }> = {
  webcam: { what: 'Camera selected.', does: 'Press Start to label the faces it sees.' },
  screen: { what: 'Screen selected.', does: 'Press Start to label the faces on it.' },
  window: { what: 'Window selected.', does: 'Press Start to label the faces in it.' },
  region: { what: 'Region mode selected.', does: 'Press Start, then drag over the part of the screen to analyse.' }
}

/** What the idle live preview says for the selected source's kind (null: nothing to select yet). */
export function idlePreviewHint(kind: SourceKind | null, hasModel: boolean): string {
  if (kind === null) return 'No camera or screen found. Connect a camera, then refresh the sources (↻).'
  const { what, does } = SELECTED[kind]
  return hasModel ? `${what} ${does}` : `${what} Pick a model, then press Start.`
}

/** File name endings of the videos the app can open (Chromium decodes these). */
export const VIDEO_EXTENSIONS = ['.mp4', '.m4v', '.webm', '.mkv', '.mov', '.ogv'] as const

/** Whether a dropped or picked file is a video by its type, or by its name when the system gives no type. */
export function isVideoFile(name: string, type: string): boolean {
  if (type) return type.startsWith('video/')
  const lower = name.toLowerCase()
  return VIDEO_EXTENSIONS.some((ext) => lower.endsWith(ext))
}
