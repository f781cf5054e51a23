import { errors } from './errors.svelte'

/** Names the user gives faces of the running session; main keeps them and logs them in face_name. */
class FaceNamesState {
  /** Face id → name, for this session. */
  names = $state<Record<number, string>>({})
  /** The face being named, or null. */
  naming = $state<number | null>(null)
  draft = $state('')

  /** Starts naming a face (a click in the preview or the face list). */
  start(faceId: number): void {
    this.naming = faceId
    this.draft = this.names[faceId] ?? ''
  }

  /** Stops naming without a change. */
  cancel(): void {
    this.naming = null
  }

  /** Saves the draft as the face's name in the session; an empty draft removes the name. */
  async save(sessionId: string | undefined): Promise<void> {
    const faceId = this.naming
    if (faceId === null || !sessionId) return
    try {
      const faces = await window.api.nameFace({ sessionId, faceId, name: this.draft })
      this.names = Object.fromEntries(Object.entries(faces.names).map(([id, name]) => [Number(id), name]))
      this.naming = null
    } catch (error) {
      errors.report('Name face', error)
    }
  }

  /** Forgets the names: a new session starts without any. */
  clear(): void {
    this.names = {}
    this.naming = null
  }
}

/** The live session's face names. */
export const faceNames = new FaceNamesState()
