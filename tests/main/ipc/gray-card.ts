import { parseModelCard } from '../../../src/main/inference/model-card'
import { EMOTIONS } from '../../../src/shared/emotions'

/** A 4x4 gray model's card, parsed as main parses cards: the handler tests' stand-in for a shipped model. */
export const GRAY_CARD = parseModelCard(
  {
    id: 'gray-4',
    name: 'Gray 4x4',
    file: 'gray-4.onnx',
    labels: [...EMOTIONS],
    input: { name: 'input', channels: 1, height: 4, width: 4, mean: [0.5], std: [0.5] },
    output: { name: 'logits', kind: 'logits' },
    params: 1,
    flops: 1
  },
  'gray-4.json'
)
