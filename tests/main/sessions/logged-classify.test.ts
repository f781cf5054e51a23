import { describe, expect, it, vi } from 'vitest'
import { EMOTIONS } from '../../../src/shared/emotions'
import type { ClassifyRequest, ClassifyResponse } from '../../../src/shared/ipc'
import { loggedClassify, type LoggedClassifyDeps } from '../../../src/main/sessions/logged-classify'
import type { FaceRecord } from '../../../src/main/sessions/session-rows'

const crop = (faceId: number) => ({ faceId, box: { x: 10 * faceId, y: 5, width: 40, height: 40 }, width: 2, height: 2, pixels: new Uint8Array(4) })
const request = (extra: Partial<ClassifyRequest> = {}): ClassifyRequest => ({ modelId: 'm', frameIndex: 7, faces: [crop(1), crop(2)], ...extra })
const answer = (req: ClassifyRequest): ClassifyResponse => ({
  modelId: req.modelId,
  executionProvider: 'cpu',
  inferenceMs: 3,
  results: req.faces.map((f) => ({ faceId: f.faceId, label: 'happy', confidence: 0.9, probabilities: EMOTIONS.map((e) => (e === 'happy' ? 0.9 : 0.1 / 6)) }))
})

function deps(over: Partial<LoggedClassifyDeps> = {}) {
  const committed: FaceRecord[][] = []
  const cancel = vi.fn()
  // Like the session log: answers the rows as logged, here with a made-up smoothing (probabilities reversed).
  const reserve = vi.fn(() => ({
    commit: (rows: readonly FaceRecord[]) => {
      committed.push([...rows])
      return rows.map((r) => ({ ...r, smoothed: [...r.probabilities].reverse() }))
    },
    cancel
  }))
  const d: LoggedClassifyDeps = { classify: async (r) => answer(r), labelsOf: () => EMOTIONS, sessions: { reserve }, ...over }
  return { d, committed, cancel, reserve }
}

describe('loggedClassify', () => {
  it('answers a batch without a session and logs nothing', async () => {
    const { d, reserve } = deps()
    const res = await loggedClassify(d)(request())
    expect(res.results.map((r) => r.faceId)).toEqual([1, 2])
    expect(reserve).not.toHaveBeenCalled()
  })

  it('writes one row per face of a session batch, in the model label order, with the video time when given', async () => {
    const { d, committed, cancel } = deps()
    await loggedClassify(d)(request({ sessionId: 's1', mediaTimeMs: 1500 }))
    expect(cancel).not.toHaveBeenCalled()
    expect(committed).toHaveLength(1)
    expect(committed[0]!.map((r) => [r.faceId, r.frameIndex, r.mediaTimeMs, r.box.x])).toEqual([
      [1, 7, 1500, 10],
      [2, 7, 1500, 20]
    ])
    expect(committed[0]![0]!.probabilities[EMOTIONS.indexOf('happy')]).toBeCloseTo(0.9)
  })

  it('gives the reservation back when inference fails, and the error reaches the caller', async () => {
    const { d, committed, cancel } = deps({ classify: async () => Promise.reject(new Error('model crashed')) })
    await expect(loggedClassify(d)(request({ sessionId: 's1' }))).rejects.toThrow('model crashed')
    expect(cancel).toHaveBeenCalledOnce()
    expect(committed).toHaveLength(0)
  })

  it('gives the reservation back when the model went away before its rows could be labelled', async () => {
    const { d, committed, cancel } = deps({ labelsOf: () => undefined })
    await loggedClassify(d)(request({ sessionId: 's1' }))
    expect(cancel).toHaveBeenCalledOnce()
    expect(committed).toHaveLength(0)
  })

  it("answers each face's smoothing as the log smoothed it, in the model's label order", async () => {
    // A model whose labels run in another order than EMOTIONS, with a distinct value per label.
    const labels = ['surprise', 'angry', 'neutral', 'disgust', 'sad', 'fear', 'happy']
    const probabilities = [0.3, 0.02, 0.2, 0.05, 0.1, 0.13, 0.2]
    const classify = async (req: ClassifyRequest): Promise<ClassifyResponse> => ({
      ...answer(req),
      results: req.faces.map((f) => ({ faceId: f.faceId, label: 'surprise', confidence: 0.3, probabilities }))
    })
    const { d } = deps({ labelsOf: () => labels, classify })
    const res = await loggedClassify(d)(request({ sessionId: 's1' }))
    // The log saw them in EMOTIONS order and (this fake) smoothed them into that vector reversed.
    const logged = EMOTIONS.map((e) => probabilities[labels.indexOf(e)] as number)
    const smoothedInEmotions = [...logged].reverse()
    expect(res.results[0]!.smoothed).toEqual(labels.map((l) => smoothedInEmotions[EMOTIONS.indexOf(l as never)]))
    const plain = await loggedClassify(d)(request())
    expect(plain.results.every((r) => r.smoothed === undefined)).toBe(true)
  })
})
