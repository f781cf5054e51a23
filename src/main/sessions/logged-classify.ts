import { EMOTIONS } from '../../shared/emotions'
import type { ClassifyRequest, ClassifyResponse } from '../../shared/ipc'
import type { SessionLog } from './session-log'
import { toFaceRecords } from './session-rows'

/** What classifying with logging needs: the model run, each model's label order, and the session's log. */
export interface LoggedClassifyDeps {
  classify(request: ClassifyRequest): Promise<ClassifyResponse>
  /** The labels of a model's outputs, in order; undefined for a model that has gone. */
  labelsOf(modelId: string): readonly string[] | undefined
  sessions: Pick<SessionLog, 'reserve'>
}

/**
 * Classifies a batch and, when it names a session, records one row per face in that session's log
 * and answers each face's smoothed probabilities as the log smoothed them, so the overlay shows the
 * label the CSV records. The IPC handler only routes; "rows acknowledged are rows written" lives with the log.
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
    // A recorded video's rows carry the video's own time; the log adds names and smoothed labels.
    const records = toFaceRecords(request, response, labels).map((r) =>
      request.mediaTimeMs === undefined ? r : { ...r, mediaTimeMs: request.mediaTimeMs }
    )
    const logged = reservation.commit(records)
    // The log smooths in EMOTIONS order; the answer follows the model's label order like its probabilities.
    const fromEmotions = labels.map((label) => (EMOTIONS as readonly string[]).indexOf(label))
    return {
      ...response,
      results: response.results.map((result, n) => {
        const smoothed = logged[n]?.smoothed
        return smoothed && fromEmotions.every((i) => i >= 0) ? { ...result, smoothed: fromEmotions.map((i) => smoothed[i] as number) } : result
      })
    }
  }
}
