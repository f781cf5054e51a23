/**
 * Classification metrics, defined exactly as training/metrics.py defines them so that the bench
 * and `python training/evaluate.py` print the same numbers for the same model and split:
 * a class with no examples has recall 0, and macro-F1 is the mean over all classes.
 */

/** Everything the report says about one model on one labelled set. */
export interface ClassificationSummary {
  /** Number of examples counted (rows of the confusion matrix summed). */
  n: number
  accuracy: number
  macroF1: number
  /** Recall per class, in `labels` order; 0 for a class with no examples, as in training/metrics.py. */
  perClassRecall: number[]
  perClassPrecision: number[]
  perClassF1: number[]
  /** Examples per true class. */
  support: number[]
  /** Rows are true classes, columns predicted classes. */
  confusion: number[][]
}

/** The n×n confusion matrix of integer class indices; rows are true classes, columns predictions. */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predictions`)
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`class count must be a positive integer, got ${classes}`)
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number
    const p = predicted[i] as number
    if (!isIndex(t, classes) || !isIndex(p, classes)) throw new Error(`label index out of range at ${i}: true ${t}, predicted ${p}`)
    ;(matrix[t] as number[])[p] = ((matrix[t] as number[])[p] as number) + 1
  }
  return matrix
}

function isIndex(value: number, classes: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < classes
}

/** 0 instead of NaN where the denominator is 0, as numpy's divide(..., where=d > 0) leaves it. */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0
}

/** Accuracy, per-class recall/precision/F1 and macro-F1 from a confusion matrix. */
export function summarizeConfusion(confusion: readonly (readonly number[])[]): ClassificationSummary {
  const k = confusion.length
  if (confusion.some((row) => row.length !== k)) throw new Error('confusion matrix must be square')
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0))
  const predicted = Array.from({ length: k }, (_, j) => confusion.reduce((sum, row) => sum + (row[j] as number), 0))
  const tp = confusion.map((row, i) => row[i] as number)
  const n = support.reduce((a, b) => a + b, 0)
  const perClassRecall = tp.map((t, i) => ratio(t, support[i] as number))
  const perClassPrecision = tp.map((t, i) => ratio(t, predicted[i] as number))
  const perClassF1 = perClassRecall.map((r, i) => {
    const p = perClassPrecision[i] as number
    return ratio(2 * p * r, p + r)
  })
  return {
    n,
    accuracy: ratio(
      tp.reduce((a, b) => a + b, 0),
      n
    ),
    macroF1: k === 0 ? 0 : perClassF1.reduce((a, b) => a + b, 0) / k,
    perClassRecall,
    perClassPrecision,
    perClassF1,
    support,
    confusion: confusion.map((row) => [...row])
  }
}

/** Metrics of predictions against truth, both as class indices in [0, classes). */
export function summarize(truth: readonly number[], predicted: readonly number[], classes: number): ClassificationSummary {
  return summarizeConfusion(confusionMatrix(truth, predicted, classes))
}

