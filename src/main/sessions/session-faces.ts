import type { SessionFaces } from '../../shared/session-data'
import { resolveMerge } from '../../shared/session-digest'
import { AppError } from '../app/app-error'

/** The faces with `faceId` (or the face it was merged into) named `name`; an empty name removes it. New objects, the input untouched. */
export function applyFaceName(faces: SessionFaces, faceId: number, name: string): SessionFaces {
  const names = { ...faces.names }
  const key = String(resolveMerge(faces.merges, faceId))
  const trimmed = name.trim()
  if (trimmed === '') delete names[key]
  else names[key] = trimmed
  return { names, merges: { ...faces.merges } }
}

/** The faces with `from` treated as `into` (a person the tracker split in two); everything merged into `from` follows it. */
export function applyMerge(faces: SessionFaces, from: number, into: number): SessionFaces {
  const names = { ...faces.names }
  const merges = { ...faces.merges }
  const target = resolveMerge(merges, into)
  const source = resolveMerge(merges, from)
  if (source === target) throw new AppError('invalid-argument', `faces ${from} and ${into} are already one face`)
  merges[String(source)] = target
  for (const [k, v] of Object.entries(merges)) if (v === source) merges[k] = target
  const sourceName = names[String(source)]
  if (sourceName && !names[String(target)]) names[String(target)] = sourceName
  delete names[String(source)]
  return { names, merges }
}
