/**
 * Confidence calibration measures. ECE is defined as training's calibration fit records it in model
 * cards (ece_before / ece_after), so the bench's number and the card's are comparable.
 */
import { argmax } from '../shared/box-math'

/** Bins of the top probability: 15 equal-width bins over [0, 1], as in Guo et al. 2017. */
export const ECE_BINS = 15

/**
 * Expected calibration error of the top probability: rows sorted into ECE_BINS equal bins
 * ((m-1)/15, m/15] by their largest probability (0 goes into the first), then the support-weighted
 * mean over bins of |accuracy - mean confidence|. 0 for no rows.
 */
export function expectedCalibrationError(probabilities: readonly (readonly number[])[], truth: readonly number[], bins = ECE_BINS): number {
  if (probabilities.length !== truth.length) throw new Error(`${probabilities.length} probability rows but ${truth.length} labels`)
  const count = new Array<number>(bins).fill(0)
  const correct = new Array<number>(bins).fill(0)
  const confidence = new Array<number>(bins).fill(0)
  for (const [i, row] of probabilities.entries()) {
    const best = argmax(row)
    const p = row[best] as number
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1))
    count[b] = (count[b] as number) + 1
    confidence[b] = (confidence[b] as number) + p
    if (best === truth[i]) correct[b] = (correct[b] as number) + 1
  }
  const n = probabilities.length
  if (n === 0) return 0
  let ece = 0
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number
    if (c > 0) ece += (c / n) * Math.abs((correct[b] as number) / c - (confidence[b] as number) / c)
  }
  return ece
}

/**
 * The probabilities a calibrated model would give without its temperature: the app answers
 * softmax(z / t), so softmax(t · log p) recovers softmax(z) up to rounding. Lets the bench report
 * ECE with and without the card's calibration from one run.
 */
export function withoutTemperature(row: readonly number[], temperature: number): number[] {
  // A probability that underflowed to 0 stays (practically) 0.
  const logits = row.map((p) => (p > 0 ? Math.log(p) * temperature : -1e30))
  const max = logits.reduce((m, v) => Math.max(m, v), -Infinity)
  const exps = logits.map((v) => Math.exp(v - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}
