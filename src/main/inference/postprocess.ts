import type { FaceResult } from '../../shared/ipc'

/** Numerically stable softmax of one row. */
export function softmax(row: ArrayLike<number>): number[] {
  let max = -Infinity
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i] as number)
  const exps = Array.from(row, (v) => Math.exp(v - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}

/**
 * Temperature scaling of a probability row: softmax(log(p) / t), which is softmax(logits / t) for a
 * model that outputs probabilities. A zero probability stays zero.
 */
function sharpen(row: readonly number[], temperature: number): number[] {
  const logs = row.map((p) => (p > 0 ? Math.log(p) / temperature : -Infinity))
  return softmax(logs.map((v) => (Number.isFinite(v) ? v : -1e30)))
}

/**
 * Turns a [faces, labels] output into per-face results, applying softmax(logits / temperature) when
 * the model outputs logits (temperature 1 unless the card is calibrated). Probabilities stay in the
 * card's label order.
 */
export function toFaceResults(
  output: ArrayLike<number>,
  faceIds: readonly number[],
  labels: readonly string[],
  kind: 'logits' | 'probabilities',
  temperature = 1
): FaceResult[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a positive number, got ${temperature}`)
  const width = labels.length
  if (output.length !== faceIds.length * width) {
    throw new Error(`model output has ${output.length} values, expected ${faceIds.length} faces x ${width} labels`)
  }
  return faceIds.map((faceId, n) => {
    const row = Array.from({ length: width }, (_, j) => output[n * width + j] as number)
    if (row.some((v) => !Number.isFinite(v))) throw new Error(`model output for face ${faceId} is not finite`)
    const probabilities = kind === 'logits' ? softmax(temperature === 1 ? row : row.map((v) => v / temperature)) : temperature === 1 ? row : sharpen(row, temperature)
    let best = 0
    for (let j = 1; j < width; j++) if ((probabilities[j] as number) > (probabilities[best] as number)) best = j
    return { faceId, label: labels[best] as string, confidence: probabilities[best] as number, probabilities }
  })
}
