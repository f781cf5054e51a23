import type { ModelInfo, RealFaceMetrics } from './ipc'

/** A card's call-conditions row (metrics.call_conditions): a labelled set at a face size through the detector. */
export interface CallConditionMetrics {
  set: string
  split: 'val' | 'test'
  face_px: number
  accuracy: number
  macro_f1: number
  found: number
}

/** The face sizes small-face scores are taken at: a typical and a large call tile's face (40 px is where every model fails alike). */
export const SMALL_FACE_SIZES = [70, 100] as const

/** Mean of accuracy and macro-F1 over a card's call-conditions val rows at SMALL_FACE_SIZES, or null when it has none. */
export function smallFaceValScore(rows: readonly CallConditionMetrics[] | undefined): number | null {
  const val = (rows ?? []).filter((r) => r.split === 'val' && (SMALL_FACE_SIZES as readonly number[]).includes(r.face_px))
  if (val.length === 0) return null
  return val.reduce((s, r) => s + (r.accuracy + r.macro_f1) / 2, 0) / val.length
}

/**
 * Small-face scores closer than this count as a tie: the bench measures them on a few hundred val faces, where
 * half a point is noise.
 */
export const SMALL_FACE_TIE = 0.005

/**
 * The model best on small faces (highest smallFaceScore; among models within SMALL_FACE_TIE of the best, the one
 * best on real-face crops, then list order), or null when no model has call-conditions metrics.
 */
export function bestSmallFaceModelId(models: readonly Pick<ModelInfo, 'id' | 'smallFaceScore' | 'realFaces'>[]): string | null {
  const scored = models.filter((m): m is typeof m & { smallFaceScore: number } => m.smallFaceScore !== undefined)
  if (scored.length === 0) return null
  const top = scored.reduce((m, x) => Math.max(m, x.smallFaceScore), -Infinity)
  let best: { id: string; crops: number } | null = null
  for (const m of scored) {
    if (m.smallFaceScore < top - SMALL_FACE_TIE) continue
    const crops = realFaceValScore(m.realFaces) ?? Number.NEGATIVE_INFINITY
    if (best === null || crops > best.crops) best = { id: m.id, crops }
  }
  return best?.id ?? null
}

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
 * The model the app starts with: the one best on faces as a call shows them (bestSmallFaceModelId:
 * small, compressed, through the detector), where cards carry call-conditions metrics; otherwise the
 * one best on real face crops (highest realFaceValScore), because FER2013 accuracy does not carry to
 * the faces in a call; ties and models without such metrics keep list order. Where no model has
 * either, the first in list order, as before.
 */
export function defaultModelId(models: readonly Pick<ModelInfo, 'id' | 'realFaces' | 'smallFaceScore'>[]): string | null {
  const small = bestSmallFaceModelId(models)
  if (small !== null) return small
  let best: { id: string; score: number } | null = null
  for (const m of models) {
    const score = realFaceValScore(m.realFaces)
    if (score !== null && (best === null || score > best.score)) best = { id: m.id, score }
  }
  return best?.id ?? models[0]?.id ?? null
}
