import type { FaceResult } from '../shared/ipc'

/** Numerically stable softmax of one row. */
export function softmax(row: ArrayLike<number>): number[] {
  let max = -Infinity
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i] as number)
  const exps = Array.from(row, (v) => Math.exp(v - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}

/**
 * Turns a [faces, labels] output into per-face results, applying softmax when the model outputs
 * logits. Probabilities stay in the card's label order.
 */
export function toFaceResults(
  output: ArrayLike<number>,
  faceIds: readonly number[],
  labels: readonly string[],
  kind: 'logits' | 'probabilities'
): FaceResult[] {
  const width = labels.length
  if (output.length !== faceIds.length * width) {
    throw new Error(`model output has ${output.length} values, expected ${faceIds.length} faces x ${width} labels`)
  }
  return faceIds.map((faceId, n) => {
    const row = Array.from({ length: width }, (_, j) => output[n * width + j] as number)
    if (row.some((v) => !Number.isFinite(v))) throw new Error(`model output for face ${faceId} is not finite`)
    const probabilities = kind === 'logits' ? softmax(row) : row
    let best = 0
    for (let j = 1; j < width; j++) if ((probabilities[j] as number) > (probabilities[best] as number)) best = j
    return { faceId, label: labels[best] as string, confidence: probabilities[best] as number, probabilities }
  })
}
