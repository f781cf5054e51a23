/**
 * The model card format (resources/models/<id>.json, written by training/export_onnx.py), declared
 * once as a valibot schema. resources/models/model-card.schema.json is generated from it
 * (`npx tsx scripts/write-json-schemas.ts`; a test checks the file is current), so the exporter's
 * Python tests and the app's parser (src/main/inference/model-card.ts) read the same rules.
 *
 * Rules JSON Schema cannot say (each label once, one mean and std per input channel) are v.check
 * actions paired with a v.metadata keyword where JSON Schema has one; the generator skips the checks.
 */
import * as v from 'valibot'
import { EMOTIONS } from './emotions'
import { IPC_LIMITS } from './ipc'

/** One card file name pattern: lowercase ids, so ids are also safe file names and CSV cells on any OS. */
export const CARD_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/

const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1))
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'))
const nonEmpty = v.pipe(v.string(), v.minLength(1))
const positive = v.pipe(v.number(), v.gtValue(0))
const count = v.pipe(v.number(), v.integer(), v.minValue(1))

function distinct<T>(items: T[]): boolean {
  return new Set(items).size === items.length
}

/** One split's metrics (accuracy, macro-F1, per-class recall, optional confusion matrix and ECE). */
export const SplitMetricsSchema = v.object({
  accuracy: fraction,
  macro_f1: fraction,
  per_class_recall: v.record(v.string(), fraction),
  confusion_matrix: v.optional(v.array(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))))),
  ece: v.optional(v.pipe(fraction, v.description('Expected calibration error: 15 equal bins of the top probability')))
})

/** A labelled set's metrics: its val and test splits, where measured. */
export const SetMetricsSchema = v.object({ val: v.optional(SplitMetricsSchema), test: v.optional(SplitMetricsSchema) })

/** The card format; every key is required in a card the exporter writes (see MODEL_CARD_READ_SCHEMA). */
export const ModelCardSchema = v.object({
  id: v.pipe(v.string(), v.regex(CARD_ID_PATTERN, 'must be a lowercase id of at most 64 letters, digits, dots, dashes and underscores')),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(120)),
  arch: nonEmpty,
  // A file name beside the card: no directories, no parent paths, no hidden files.
  file: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.onnx$/, 'must be an .onnx file name beside the card')),
  // Each of the seven names exactly once, as strings: the session log maps columns by name.
  labels: v.pipe(
    v.array(v.picklist(EMOTIONS, `must be one of the FER2013 classes (${EMOTIONS.join(', ')})`)),
    v.length(EMOTIONS.length, `must be the ${EMOTIONS.length} FER2013 classes (${EMOTIONS.join(', ')}), each once`),
    v.check(distinct, `must be the ${EMOTIONS.length} FER2013 classes (${EMOTIONS.join(', ')}), each once`),
    v.metadata({ uniqueItems: true })
  ),
  input: v.pipe(
    v.object({
      name: nonEmpty,
      channels: v.picklist([1, 3], 'must be 1 or 3'),
      // The app sends crops of at most this side over IPC.
      height: v.pipe(count, v.maxValue(IPC_LIMITS.maxCropSide)),
      width: v.pipe(count, v.maxValue(IPC_LIMITS.maxCropSide)),
      mean: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1), v.maxLength(3)),
      std: v.pipe(v.array(v.pipe(positive, v.finite())), v.minLength(1), v.maxLength(3))
    }),
    v.check((input) => input.mean.length === input.channels && input.std.length === input.channels, '.mean and .std must have one value per channel')
  ),
  framing: v.pipe(
    v.object({
      box_scale: v.pipe(v.number(), v.gtValue(0), v.maxValue(4)),
      box_shift_x: v.pipe(v.number(), v.minValue(-1), v.maxValue(1)),
      box_shift_y: v.pipe(v.number(), v.minValue(-1), v.maxValue(1)),
      resize: v.picklist(['area', 'bilinear'], 'must be "area" or "bilinear"'),
      pad: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))
    }),
    v.description(
      "How the model's training faces were framed, so every caller cuts the same crop (src/shared/face-crop.ts, training/face_crop.py): a square of box_scale x the detector box's longer side L, its centre box_shift_x L right and box_shift_y L below the box's centre, resampled to input.width x input.height ('area': area-averaged when shrinking; 'bilinear': plain bilinear), pad gray outside the frame. Colour is input.channels (1: BT.601 gray)."
    )
  ),
  output: v.object({ name: nonEmpty, kind: v.picklist(['logits', 'probabilities'], 'must be "logits" or "probabilities"') }),
  metrics: v.object({
    fer2013: v.object({ val: SplitMetricsSchema, test: v.optional(SplitMetricsSchema) }),
    ckplus48: v.optional(SetMetricsSchema),
    muxspace: v.optional(SetMetricsSchema),
    call_conditions: v.optional(
      v.pipe(
        v.array(
          v.object({
            set: nonEmpty,
            split: v.picklist(['val', 'test'], 'must be "val" or "test"'),
            face_px: count,
            accuracy: fraction,
            macro_f1: fraction,
            found: fraction
          })
        ),
        v.description(
          "npm run bench's call-conditions rows for this model: each labelled set shown with a face box of face_px pixels on a call tile, JPEG round trip, through the app's detector and this card's crop; found is the share of faces the detector found. The default model is chosen on the val rows at 70 and 100 px."
        )
      )
    )
  }),
  summary: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(200),
      v.regex(/^[^\r\n]+$/, 'must be one line'),
      v.description('One line saying what this model is good at; the model picker shows it.')
    )
  ),
  calibration: v.optional(
    v.pipe(
      v.object({
        method: v.literal('temperature'),
        temperature: v.pipe(positive, v.maxValue(100)),
        fitted_on: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9+_-]+\/(train|val)$/)))),
        ece_before: v.optional(fraction),
        ece_after: v.optional(fraction)
      }),
      v.description(
        'Temperature scaling fitted on val sets: the app answers softmax(logits / temperature). ECE is over 15 equal bins of the top probability.'
      )
    )
  ),
  params: count,
  flops: count,
  training: v.pipe(
    v.object({
      epochs: v.optional(count),
      recipe: v.string(),
      seconds: v.pipe(v.number(), v.minValue(0)),
      hardware: v.string()
    }),
    v.description('How the weights came to be; epochs and a per-epoch log only for models this project trained.')
  ),
  log: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9._-]+\.csv$/),
      v.description('Per-epoch training log beside the card; absent for weights this project did not train.')
    )
  ),
  members: v.optional(
    v.pipe(
      v.array(v.object({ id: v.string(), file: v.optional(v.string()), sha256, weight: positive })),
      v.minLength(2),
      v.description("An ensemble's members: the ONNX file holds all of them; their weighted logits are summed.")
    )
  ),
  sha256: v.optional(sha256)
})

/** A card as the app reads it: the fields it does not use may be absent (hand-made cards in tests, older exports). */
export const MODEL_CARD_READ_SCHEMA = v.partial(ModelCardSchema, ['arch', 'metrics', 'params', 'flops', 'training', 'framing'])

/** A card as the app reads it. */
export type ModelCardFile = v.InferOutput<typeof MODEL_CARD_READ_SCHEMA>

/** The metadata of the generated JSON Schema file's root. */
export const MODEL_CARD_JSON_METADATA = {
  $id: 'model-card.schema.json',
  title: 'Emotion model card',
  description:
    'Describes one ONNX emotion model beside it: what to feed it, what it returns, and how good it is. The app and every tool read preprocessing from here.'
} as const
