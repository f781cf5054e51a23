/**
 * The benchmark report (docs/bench/report.json) declared once as a valibot schema: src/shared/bench-report.ts
 * derives its TypeScript types from it, and src/bench/report.schema.json is generated from it
 * (`npx tsx scripts/write-json-schemas.ts`; a test checks the file is current) for the tests and tools that
 * validate reports with ajv.
 *
 * Rules JSON Schema says with keywords the generator cannot produce (a fixed label order, required
 * per-class keys, fields that depend on `ok`) are v.check actions paired with a v.metadata carrying the
 * JSON Schema keyword; the generator skips the checks and copies the metadata. Fields stay plain strings
 * and string-keyed records in the types where the code that fills them builds them from strings.
 */
import * as v from 'valibot'
import { EMOTIONS } from './emotions'

/** Version of the report's shape; bump when a field changes meaning. */
export const REPORT_SCHEMA_VERSION = 1

const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1))
const fractionOrNull = v.nullable(fraction)
const positive = v.pipe(v.number(), v.gtValue(0))
const nonNegative = v.pipe(v.number(), v.minValue(0))
const count = v.pipe(v.number(), v.integer(), v.minValue(0))
const atLeastOne = v.pipe(v.number(), v.integer(), v.minValue(1))
const nonEmpty = v.pipe(v.string(), v.minLength(1))
const grid = v.pipe(v.string(), v.regex(/^\d+x\d+$/, 'must be COLUMNSxROWS'))
const detectorName = v.picklist(['tiny', 'ssd'])

// Every per-class table lists the seven FER2013 classes, in this order for arrays.
const emotionKey = v.pipe(v.string(), v.regex(new RegExp(`^(${EMOTIONS.join('|')})$`), `must be one of ${EMOTIONS.join(', ')}`))
const hasEveryClass = (table: Record<string, number>): boolean => EMOTIONS.every((e) => Object.hasOwn(table, e))
const everyClassMessage = `must have a value for each of ${EMOTIONS.join(', ')}`

/** The seven class names in the model card order, which is also the confusion matrix's row and column order. */
export const LabelsSchema = v.pipe(
  v.array(v.string()),
  v.check((labels) => labels.length === EMOTIONS.length && labels.every((l, i) => l === EMOTIONS[i]), `must be ${EMOTIONS.join(', ')} in this order`),
  v.metadata({ items: EMOTIONS.map((e) => ({ const: e })), minItems: EMOTIONS.length, maxItems: EMOTIONS.length })
)

/** A fraction for each of the seven classes (recall, precision). */
export const PerClassFractionSchema = v.pipe(
  v.record(emotionKey, fraction),
  v.check(hasEveryClass, everyClassMessage),
  v.metadata({ required: [...EMOTIONS] })
)

/** A count for each of the seven classes (support, missed faces). */
export const PerClassCountSchema = v.pipe(
  v.record(emotionKey, count),
  v.check(hasEveryClass, everyClassMessage),
  v.metadata({ required: [...EMOTIONS] })
)

/** A 7x7 matrix of counts: rows are true classes, columns predicted, both in label order. */
export const ConfusionSchema = v.pipe(v.array(v.pipe(v.array(count), v.length(EMOTIONS.length))), v.length(EMOTIONS.length))

/** Timing of one batch size: ms per face. */
export const BatchRowSchema = v.strictObject({
  // A number rather than 1 | 8 in the type: the bench computes it from the batch it timed.
  batch: v.pipe(
    v.number(),
    v.check((b) => b === 1 || b === 8, 'must be 1 or 8'),
    v.metadata({ enum: [1, 8] })
  ),
  medianMs: positive,
  p95Ms: positive,
  facesPerSecond: positive,
  iterations: atLeastOne
})

/** A model in the comparison: one of ours (a card) or face-api's FaceExpressionNet. */
export const ModelEntrySchema = v.strictObject({
  id: nonEmpty,
  name: nonEmpty,
  kind: v.picklist(['onnx', 'face-api']),
  arch: v.string(),
  /** "CxHxW" as fed to the model. */
  input: v.pipe(v.string(), v.regex(/^[13]x\d+x\d+$/, 'must be CxHxW with 1 or 3 channels')),
  params: v.nullable(v.pipe(v.number(), v.integer())),
  flops: v.nullable(v.pipe(v.number(), v.integer())),
  /** For an INT8 variant, the float model it was quantised from. */
  quantizedFrom: v.nullable(v.string()),
  /** Card `exported` time, when the card has one. */
  exported: v.nullable(v.string()),
  /** Accuracy the card claims (from training/evaluate.py), for comparison with what the bench measures. */
  cardAccuracy: v.strictObject({ val: fractionOrNull, test: fractionOrNull })
})

/** What one classification run scores, on crops (AccuracyRow) or on photos through the detector (DetectAccuracyRow). */
const classificationScores = {
  accuracy: fraction,
  macroF1: fraction,
  perClassRecall: PerClassFractionSchema,
  perClassPrecision: PerClassFractionSchema,
  support: PerClassCountSchema,
  /** Rows are true classes, columns predicted, both in `labels` order. */
  confusion: ConfusionSchema,
  labels: LabelsSchema,
  seconds: nonNegative
}

/** Accuracy of one model on one labelled split. */
export const AccuracyRowSchema = v.strictObject({
  model: nonEmpty,
  dataset: v.literal('fer2013'),
  split: nonEmpty,
  /** Images evaluated (a --limit or --quick subset may be fewer than `available`). */
  n: atLeastOne,
  available: atLeastOne,
  ...classificationScores
})

/** Accuracy on full-size photos through the detector (--detect). */
export const DetectAccuracyRowSchema = v.strictObject({
  model: v.string(),
  dir: v.string(),
  detector: detectorName,
  detected: count,
  missedPerClass: PerClassCountSchema,
  n: count,
  ...classificationScores
})

const setKind = v.picklist(['crops', 'photos'])

/**
 * One model on one set of real faces beyond FER2013: a dataset split of ready-made face crops (CK+48,
 * muxspace; each image classified whole) or a set of full photos through the detector, as the app sees them.
 */
export const BeyondFerRowSchema = v.strictObject({
  model: nonEmpty,
  /** Set id: 'ckplus48', 'muxspace', or 'photos:<name>' for photos through the detector. */
  set: nonEmpty,
  /** 'val' or 'test' for crops; 'photos' for photos. */
  split: nonEmpty,
  kind: setKind,
  /** Images scored (a --quick subset may be fewer than `available`); for photos every photo, found or not. */
  n: count,
  available: count,
  /** Photos whose face the detector found (a missed face counts as a wrong answer); null for crops. */
  detected: v.nullable(count),
  accuracy: fraction,
  macroF1: fraction,
  perClassRecall: PerClassFractionSchema,
  support: PerClassCountSchema,
  /** Rows are true classes, columns predicted, in `labels` order (photos: found faces only). */
  confusion: ConfusionSchema,
  labels: LabelsSchema,
  /** Expected calibration error (15 bins of the top probability) of what the app answers, card temperature included; faces found only. */
  ece: fraction,
  /** The same without the card's temperature; null when the card has none. */
  eceWithoutTemperature: fractionOrNull,
  seconds: nonNegative
})

/** A labelled set the Beyond FER2013 section read. */
export const BeyondFerSetSchema = v.strictObject({ set: nonEmpty, split: nonEmpty, kind: setKind, dir: v.string(), n: count, available: count })

/** A card's own calibration record, shown next to the ECE the bench measures. */
export const CardCalibrationRowSchema = v.strictObject({
  model: nonEmpty,
  temperature: positive,
  fittedOn: v.array(v.string()),
  eceBefore: fractionOrNull,
  eceAfter: fractionOrNull
})

/** The Beyond FER2013 section: real faces, as crops and as photos through the detector. */
export const BeyondFerSectionSchema = v.pipe(
  v.strictObject({
    sets: v.array(BeyondFerSetSchema),
    rows: v.array(BeyondFerRowSchema),
    calibration: v.array(CardCalibrationRowSchema),
    /** Sets not measured, with the reason (a dataset folder missing, a photo folder unreadable). */
    skipped: v.array(v.string())
  }),
  v.description('Real faces beyond FER2013: CK+48 and muxspace crops and labelled photos through the detector; absent in older reports.')
)

/** One execution provider onnxruntime-node lists on this platform. */
export const ProviderRowSchema = v.pipe(
  v.strictObject({
    provider: nonEmpty,
    /** Whether onnxruntime-node ships the provider's library in its npm package. */
    bundled: v.boolean(),
    /** Whether any model loaded and ran on it. */
    ok: v.boolean(),
    /** The first error it gave, verbatim (clipped), when it failed. */
    error: v.nullable(v.string())
  }),
  // A provider that failed says why.
  v.check((row) => row.ok || (row.error !== null && row.error.length > 0), 'a provider that failed must give its error'),
  v.metadata({ if: { properties: { ok: { const: false } } }, then: { properties: { error: { type: 'string', minLength: 1 } } } })
)

const speedEntries = {
  model: nonEmpty,
  provider: nonEmpty,
  ok: v.boolean(),
  error: v.nullable(v.string()),
  loadMs: v.nullable(nonNegative),
  batch1: v.nullable(BatchRowSchema),
  batch8: v.nullable(BatchRowSchema),
  /** Peak resident memory of the process that loaded and ran only this model. */
  peakRssMb: v.nullable(positive)
}

type SpeedFields = { ok: boolean; error: string | null; loadMs: number | null; batch1: unknown; batch8: unknown; peakRssMb: number | null }

// A run that worked has every timing and no error; one that failed says why and has no timings.
const speedConsistent = (row: SpeedFields): boolean =>
  row.ok
    ? row.error === null && row.loadMs !== null && row.batch1 !== null && row.batch8 !== null && row.peakRssMb !== null
    : row.error !== null && row.error.length > 0 && row.batch1 === null && row.batch8 === null
const speedMessage = 'a run that worked must have its load time, both batches and its memory and no error; one that failed, its error and no batches'
// The same rule in JSON Schema; batch1/batch8 are already null or a batch row, so "object" means a batch row.
const speedMetadata = {
  if: { properties: { ok: { const: true } } },
  then: {
    properties: {
      error: { type: 'null' },
      loadMs: { type: 'number' },
      batch1: { type: 'object' },
      batch8: { type: 'object' },
      peakRssMb: { type: 'number' }
    }
  },
  else: { properties: { error: { type: 'string', minLength: 1 }, batch1: { type: 'null' }, batch8: { type: 'null' } } }
}

const speedObject = v.strictObject(speedEntries)
/** Speed of one model on one provider (or face-api on TF.js WASM). */
export const SpeedRowSchema = v.pipe(
  speedObject,
  v.check<v.InferOutput<typeof speedObject>, string>(speedConsistent, speedMessage),
  v.metadata(speedMetadata)
)

const optionObject = v.strictObject({
  ...speedEntries,
  option: v.picklist(['graph-optimization', 'intra-op-threads', 'quantization']),
  value: nonEmpty
})
/** One performance option's effect (CPU provider): a speed row with the option and its value. */
export const OptionRowSchema = v.pipe(
  optionObject,
  v.check<v.InferOutput<typeof optionObject>, string>(speedConsistent, speedMessage),
  v.metadata(speedMetadata)
)

/** Face detection ms per frame. */
export const DetectionReportRowSchema = v.strictObject({
  detector: detectorName,
  width: atLeastOne,
  height: atLeastOne,
  backend: v.string(),
  medianMs: positive,
  p95Ms: positive,
  iterations: atLeastOne,
  faces: nonNegative
})

/** End-to-end throughput on the synthetic gallery. */
export const GalleryReportRowSchema = v.strictObject({
  model: v.string(),
  grid,
  width: atLeastOne,
  height: atLeastOne,
  frames: atLeastOne,
  facesPerFrame: nonNegative,
  fps: positive,
  labelsPerSecond: nonNegative,
  detectMedianMs: positive,
  classifyMedianMs: nonNegative
})

/** The INT8 decision training/quantize.py recorded (docs/bench/quantization.json). */
export const QuantizationRowSchema = v.strictObject({
  model: v.string(),
  int8Model: v.string(),
  shipped: v.boolean(),
  valAccuracyFloat: fraction,
  valAccuracyInt8: fraction,
  /** int8 − float, in percentage points. */
  deltaPoints: v.number(),
  sizeMbFloat: nonNegative,
  sizeMbInt8: nonNegative,
  note: v.string()
})

/** Per-epoch log of one of our models (Figure 3 left). */
export const TrainingLogSummarySchema = v.strictObject({
  model: v.string(),
  epochs: atLeastOne,
  bestValAccuracy: fraction,
  bestEpoch: v.number(),
  rows: v.pipe(
    v.array(v.strictObject({ epoch: v.number(), trainAccuracy: fraction, valAccuracy: fraction, trainLoss: v.number(), valLoss: v.number() })),
    v.minLength(1)
  )
})

/** A chart written beside the report. */
export const ChartEntrySchema = v.strictObject({
  id: v.string(),
  title: v.string(),
  /** Path relative to the Markdown report. */
  file: v.pipe(v.string(), v.regex(/^bench\/[A-Za-z0-9._-]+\.svg$/, 'must be an .svg file name in bench/'))
})

/** The study's published numbers (shared/study/README.md). */
export const StudyRowSchema = v.strictObject({
  arch: v.string(),
  model: v.string(),
  accuracy: fraction,
  accuracyApprox: v.boolean(),
  msPerImage: positive,
  msSetting: v.string()
})

/**
 * One pipeline on a moving synthetic gallery (people sway, turn, one leaves and another comes):
 * the app's detect-then-track scheduling, its earlier full scan on every frame, or face-api's own
 * pipeline, measured in the same run.
 */
export const LiveGalleryReportRowSchema = v.strictObject({
  grid,
  width: atLeastOne,
  height: atLeastOne,
  /** 'realtime': a 30 fps source, busy frames dropped; 'every-frame': every frame in turn (CPU cost and recall). */
  mode: v.picklist(['realtime', 'every-frame']),
  pipeline: v.string(),
  classifier: v.string(),
  offered: count,
  labelled: count,
  fps: nonNegative,
  labelsPerSecond: nonNegative,
  truthPerFrame: nonNegative,
  foundPerFrame: nonNegative,
  allFoundShare: fraction,
  latencyP50Ms: v.nullable(nonNegative),
  latencyP95Ms: v.nullable(nonNegative),
  cpuMsPerFrame: nonNegative,
  /** From a new person's arrival to their first label; null when never labelled. */
  newFaceMs: v.nullable(nonNegative),
  /** From a person's leaving to their label's removal; null when never removed. */
  dropMs: v.nullable(nonNegative)
})

/** Faces that fill most of a webcam frame, found by one detector set-up, and what it cost. */
export const CloseUpReportRowSchema = v.strictObject({
  /** The face's height as a share of the 640x480 frame's height. */
  faceShare: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)),
  detector: v.string(),
  found: count,
  total: atLeastOne,
  cpuMsPerFrame: nonNegative
})

/** One operation of the session library on made-up logs (an hour of a 3x3 gallery among many short sessions). */
export const SessionLibraryRowSchema = v.strictObject({
  operation: nonEmpty,
  /** Sessions in the folder. */
  sessions: atLeastOne,
  /** Rows of the session the operation reads or writes (all sessions' for a list). */
  rows: count,
  ms: nonNegative,
  /** MB of CSV read or written per second, where the operation streams one. */
  mbPerSecond: v.nullable(nonNegative),
  /** The bench process's largest resident memory while the operation ran, MB. */
  peakRssMb: nonNegative
})

/** One model on one labelled set shown at call size (face box `facePx` px on a call tile, JPEG round trip), through the detector. */
export const CallConditionRowSchema = v.strictObject({
  set: v.string(),
  split: v.string(),
  facePx: atLeastOne,
  model: v.string(),
  n: count,
  /** Faces found at the known spot (the rest count as wrong answers). */
  found: count,
  accuracy: fraction,
  macroF1: fraction,
  perClassRecall: PerClassFractionSchema
})

/** The whole report. */
export const BenchReportSchema = v.strictObject({
  schemaVersion: v.literal(REPORT_SCHEMA_VERSION),
  generatedAt: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be an ISO 8601 UTC time')),
  command: nonEmpty,
  quick: v.boolean(),
  machine: v.strictObject({
    platform: nonEmpty,
    arch: nonEmpty,
    cpu: v.string(),
    cores: atLeastOne,
    memoryGb: positive,
    node: nonEmpty,
    onnxruntime: nonEmpty,
    faceApi: nonEmpty,
    tfjs: nonEmpty,
    tfjsBackend: nonEmpty
  }),
  /** Things a reader must know to trust the numbers (other load on the machine, subsets). */
  caveats: v.array(v.string()),
  dataset: v.strictObject({ name: v.string(), dir: v.string(), splits: v.array(v.strictObject({ name: v.string(), n: count, available: count })) }),
  models: v.pipe(v.array(ModelEntrySchema), v.minLength(1)),
  accuracy: v.array(AccuracyRowSchema),
  detectAccuracy: v.array(DetectAccuracyRowSchema),
  /** Real faces beyond FER2013; absent in reports written before the section existed. */
  beyondFer: v.optional(BeyondFerSectionSchema),
  providers: v.array(ProviderRowSchema),
  speed: v.array(SpeedRowSchema),
  detection: v.array(DetectionReportRowSchema),
  gallery: v.array(GalleryReportRowSchema),
  /** Moving galleries through the app's scheduling and face-api's own pipeline (absent in reports made before it existed). */
  liveGallery: v.optional(v.array(LiveGalleryReportRowSchema)),
  /** Recall on close-ups beside its cost (absent in reports made before it existed). */
  closeUps: v.optional(v.array(CloseUpReportRowSchema)),
  /** Labelled faces at call sizes through a lossy round trip and the detector (absent in reports made before it existed). */
  callConditions: v.optional(v.array(CallConditionRowSchema)),
  options: v.array(OptionRowSchema),
  /** The session library at the size of an hour-long call (absent in reports made before it existed). */
  sessionLibrary: v.optional(v.array(SessionLibraryRowSchema)),
  quantization: v.array(QuantizationRowSchema),
  trainingLogs: v.array(TrainingLogSummarySchema),
  charts: v.array(ChartEntrySchema),
  study: v.pipe(v.array(StudyRowSchema), v.minLength(2)),
  /** Sections not measured in this run, with the reason. */
  skipped: v.array(v.string()),
  /** Cards in the models folder the app would also reject, with the reason. */
  modelErrors: v.array(v.string()),
  seconds: nonNegative
})

/** The metadata of the generated JSON Schema file's root. */
export const BENCH_REPORT_JSON_METADATA = { $id: 'bench-report.schema.json', title: 'npm run bench report (docs/bench/report.json)' } as const

/** Named parts of the generated JSON Schema file, written once under $defs and referenced from each use. */
export const BENCH_REPORT_JSON_DEFINITIONS = {
  fraction,
  fractionOrNull,
  positive,
  labels: LabelsSchema,
  perClassFraction: PerClassFractionSchema,
  perClassCount: PerClassCountSchema,
  confusion: ConfusionSchema,
  accuracyRow: AccuracyRowSchema,
  batchRow: BatchRowSchema
}
