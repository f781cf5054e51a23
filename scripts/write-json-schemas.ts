/**
 * Writes the JSON Schema files that are generated from the valibot declarations in src/shared, so
 * tools outside TypeScript (training's Python tests) read the same rules as the app:
 *   npx tsx scripts/write-json-schemas.ts
 * tests/shared/model-card-schema.test.ts and tests/shared/bench-report-schema.test.ts fail when a file is
 * not what this script would write.
 */
import { toJsonSchema } from '@valibot/to-json-schema'
import * as v from 'valibot'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BENCH_REPORT_JSON_DEFINITIONS, BENCH_REPORT_JSON_METADATA, BenchReportSchema } from '../src/shared/bench-report-schema'
import { MODEL_CARD_JSON_METADATA, ModelCardSchema, SetMetricsSchema, SplitMetricsSchema } from '../src/shared/model-card-schema'

/** Where the model card's JSON Schema lives, beside the cards. */
export const MODEL_CARD_SCHEMA_PATH = join(__dirname, '..', 'resources', 'models', 'model-card.schema.json')

/** The model card's JSON Schema (draft 2020-12), generated from ModelCardSchema. */
export function modelCardJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(v.pipe(ModelCardSchema, v.metadata(MODEL_CARD_JSON_METADATA)), {
    target: 'draft-2020-12',
    definitions: { split: SplitMetricsSchema, set: SetMetricsSchema },
    // v.check rules have no JSON Schema equivalent (their v.metadata says what JSON Schema can), and
    // JSON numbers are always finite.
    ignoreActions: ['check', 'finite']
  })
  return schema as Record<string, unknown>
}

/** The file's text: two-space JSON and a final newline. */
export function modelCardJsonSchemaText(): string {
  return `${JSON.stringify(modelCardJsonSchema(), null, 2)}\n`
}

/** Where the bench report's JSON Schema lives, beside the bench that writes reports. */
export const BENCH_REPORT_SCHEMA_PATH = join(__dirname, '..', 'src', 'bench', 'report.schema.json')

/** The bench report's JSON Schema (draft-07, what a plain `new Ajv()` reads), generated from BenchReportSchema. */
export function benchReportJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(v.pipe(BenchReportSchema, v.metadata(BENCH_REPORT_JSON_METADATA)), {
    target: 'draft-07',
    definitions: BENCH_REPORT_JSON_DEFINITIONS,
    // As for the card: each v.check is paired with a v.metadata that says the rule in JSON Schema.
    ignoreActions: ['check']
  })
  return schema as Record<string, unknown>
}

/** The file's text: two-space JSON and a final newline. */
export function benchReportJsonSchemaText(): string {
  return `${JSON.stringify(benchReportJsonSchema(), null, 2)}\n`
}

if (process.argv[1] && process.argv[1].endsWith('write-json-schemas.ts')) {
  writeFileSync(MODEL_CARD_SCHEMA_PATH, modelCardJsonSchemaText())
  console.log(`wrote ${MODEL_CARD_SCHEMA_PATH}`)
  writeFileSync(BENCH_REPORT_SCHEMA_PATH, benchReportJsonSchemaText())
  console.log(`wrote ${BENCH_REPORT_SCHEMA_PATH}`)
}
