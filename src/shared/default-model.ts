import type { ModelInfo, RealFaceMetrics } from './ipc'

/** The real-face val splits the default model is chosen on (never test: test is reported once, not chosen on). */
export const REAL_FACE_VAL_SETS = ['ckplus48', 'muxspace'] as const

/** Mean macro-F1 over the real-face val splits a card reports (CK+48, muxspace), or null when it reports none. */
export function realFaceValScore(realFaces: RealFaceMetrics | undefined): number | null {
  const scores = REAL_FACE_VAL_SETS.flatMap((set) => {
    const f1 = realFaces?.[set]?.val?.macro_f1
    return typeof f1 === 'number' && Number.isFinite(f1) ? [f1] : []
  })
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length
}

/**
 * The model the app starts with: the one best on real faces (highest realFaceValScore), because
 * FER2013 accuracy does not carry to the faces in a call; ties and models without real-face
 * metrics keep list order. Where no model has such metrics, the first in list order, as before.
 */
export function defaultModelId(models: readonly Pick<ModelInfo, 'id' | 'realFaces'>[]): string | null {
  let best: { id: string; score: number } | null = null
  for (const m of models) {
    const score = realFaceValScore(m.realFaces)
    if (score !== null && (best === null || score > best.score)) best = { id: m.id, score }
  }
  return best?.id ?? models[0]?.id ?? null
}
