import type { ClassifyRequest, ClassifyResponse } from '../../shared/ipc'
import type { SessionLibrary } from './session-library'
import type { SessionLog } from './session-log'
import { toFaceRecords } from './session-rows'

/** What classifying with logging needs: the model run, each model's label order, and the session's log. */
export interface LoggedClassifyDeps {
  classify(request: ClassifyRequest): Promise<ClassifyResponse>
  /** The labels of a model's outputs, in order; undefined for a model that has gone. */
  labelsOf(modelId: string): readonly string[] | undefined
  sessions: Pick<SessionLog, 'reserve'>
  /** Adds names and smoothed labels to the rows, where the host keeps a session library. */
  library?: Pick<SessionLibrary, 'enrich'>
}

/**
 * Classifies a batch and, when it names a session, records one row per face in that session's log:
 * the IPC handler only routes, and the rule "rows acknowledged are rows written" lives with the log.
 */
export function loggedClassify(deps: LoggedClassifyDeps): (request: ClassifyRequest) => Promise<ClassifyResponse> {
  return async (request) => {
    // Reserved before inference: a dead session fails before any inference is spent on it, and a
    // stop that arrives meanwhile waits for these rows instead of dropping them.
    const reservation = request.sessionId === undefined ? undefined : deps.sessions.reserve(request.sessionId)
    let response: ClassifyResponse
    try {
      response = await deps.classify(request)
    } catch (error) {
      reservation?.cancel()
      throw error
    }
    const labels = deps.labelsOf(request.modelId)
    if (!reservation || !labels || request.sessionId === undefined) {
      reservation?.cancel()
      return response
    }
    // A recorded video's rows carry the video's own time; the library adds names and smoothed labels.
    const records = toFaceRecords(request, response, labels).map((r) =>
      request.mediaTimeMs === undefined ? r : { ...r, mediaTimeMs: request.mediaTimeMs }
    )
    reservation.commit(deps.library ? deps.library.enrich(request.sessionId, records, performance.now()) : records)
    return response
  }
}
