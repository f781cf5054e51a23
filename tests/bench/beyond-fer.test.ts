/**
 * The Beyond FER2013 section: its rows (metrics, ECE with and without a card's temperature, missed
 * faces), its tables in docs/benchmarks.md and the Compare view, its schema, and a run over small
 * real folders (CK+48 images copied to a temp dir, the e2e faces through the real detector) where a
 * missing dataset is skipped with its reason.
 */
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import Ajv from 'ajv'
import { beforeAll, describe, expect, it } from 'vitest'
import { EMOTIONS } from '../../src/shared/emotions'
import { beyondFerTables } from '../../src/shared/bench-tables'
import type { BenchReport, BeyondFerSection } from '../../src/shared/bench-report'
import { softmax } from '../../src/main/inference/postprocess'
import { beyondFerRow, e2ePhotoSet, labelledFace, photoSetId, runBeyondFer, type ProbabilityClassifier } from '../../src/bench/beyond-fer'
import { FaceApiNode } from '../../src/bench/face-api-node'
import { renderMarkdown } from '../../src/bench/markdown'
import { silentProgress } from '../../src/bench/progress'
import schema from '../../src/bench/report.schema.json'
import { sampleReport } from './report-fixture'

const HAPPY = EMOTIONS.indexOf('happy')
const SAD = EMOTIONS.indexOf('sad')
const onehot = (k: number, p: number): number[] => EMOTIONS.map((_, i) => (i === k ? p : (1 - p) / (EMOTIONS.length - 1)))

describe('beyondFerRow', () => {
  it('scores crops: accuracy, macro-F1, recall and the ECE of the top probability', () => {
    // Two happy faces answered happy at 0.9, one sad face answered happy at 0.9: accuracy 2/3 at confidence 0.9.
    const row = beyondFerRow({ id: 'm', temperature: null }, { set: 'ckplus48', split: 'val', kind: 'crops', available: 10 }, [HAPPY, HAPPY, SAD], [onehot(HAPPY, 0.9), onehot(HAPPY, 0.9), onehot(HAPPY, 0.9)], 1)
    expect(row).toMatchObject({ model: 'm', set: 'ckplus48', split: 'val', kind: 'crops', n: 3, available: 10, detected: null, eceWithoutTemperature: null })
    expect(row.accuracy).toBeCloseTo(2 / 3, 12)
    expect(row.perClassRecall).toMatchObject({ happy: 1, sad: 0 })
    expect(row.support).toMatchObject({ happy: 2, sad: 1, angry: 0 })
    expect(row.ece).toBeCloseTo(0.9 - 2 / 3, 12)
    // happy F1 = 2·(2/3)·1/(2/3+1) = 0.8; the other six classes 0.
    expect(row.macroF1).toBeCloseTo(0.8 / 7, 12)
  })

  it('counts a missed face as wrong for accuracy but leaves it out of the ECE (it has no probability)', () => {
    const row = beyondFerRow({ id: 'm', temperature: null }, { set: 'photos:x', split: 'photos', kind: 'photos', available: 2 }, [HAPPY, SAD], [onehot(HAPPY, 1), null], 0)
    expect(row.n).toBe(2)
    expect(row.detected).toBe(1)
    expect(row.accuracy).toBe(0.5)
    expect(row.ece).toBeCloseTo(0, 12)
    expect(row.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1)
  })

  it("reports the ECE with and without the card's temperature", () => {
    // Logits that make the model 95 % sure; the temperature 3 softens that. Half of the answers are right.
    const z = [4, 0, 0, 0, 0, 0, 1]
    const calibrated = softmax(z.map((v) => v / 3))
    const truth = [0, 0, 3, 3]
    const row = beyondFerRow({ id: 'm', temperature: 3 }, { set: 'muxspace', split: 'val', kind: 'crops', available: 4 }, truth, truth.map(() => calibrated), 0)
    expect(row.ece).toBeCloseTo(Math.abs(0.5 - (calibrated[0] as number)), 9)
    expect(row.eceWithoutTemperature).toBeCloseTo(Math.abs(0.5 - (softmax(z)[0] as number)), 9)
  })
})

/** A report with a Beyond FER2013 section for the table, Markdown and schema tests. */
function reportWithBeyond(): BenchReport {
  const report = sampleReport()
  // Four faces (two happy, two sad); the second is missed on photos; the last is right when `right`.
  const row = (model: string, set: string, split: string, kind: 'crops' | 'photos', right: boolean, ece: number, t: number | null) => ({
    ...beyondFerRow({ id: model, temperature: t }, { set, split, kind, available: 4 }, [HAPPY, HAPPY, SAD, SAD], [onehot(HAPPY, 0.8), kind === 'photos' ? null : onehot(HAPPY, 0.8), onehot(SAD, 0.8), onehot(right ? SAD : HAPPY, 0.8)], 0.5),
    ece
  })
  const section: BeyondFerSection = {
    sets: [
      { set: 'ckplus48', split: 'val', kind: 'crops', dir: '/d/ckplus48/val', n: 4, available: 4 },
      { set: 'photos:e2e', split: 'photos', kind: 'photos', dir: '/demo', n: 4, available: 4 }
    ],
    rows: [
      row('resnet50-fer', 'ckplus48', 'val', 'crops', true, 0.05, 1.5),
      row('face-api-expression', 'ckplus48', 'val', 'crops', false, 0.1, null),
      row('resnet50-fer', 'photos:e2e', 'photos', 'photos', true, 0.2, 1.5),
      row('face-api-expression', 'photos:e2e', 'photos', 'photos', false, 0.3, null)
    ],
    calibration: [{ model: 'resnet50-fer', temperature: 1.5, fittedOn: ['fer2013/val', 'muxspace/val'], eceBefore: 0.08, eceAfter: 0.03 }],
    skipped: ['muxspace val: folder /d/muxspace/val not found (put the set there as <split>/<class>/*.jpg)']
  }
  return { ...report, beyondFer: section }
}

describe('Beyond FER2013 tables', () => {
  it('gives an overview of accuracy / macro-F1 per set, a table per set and the calibration records', () => {
    const report = reportWithBeyond()
    const [overview, ck, photos, calibration] = beyondFerTables(report)
    expect(overview?.headers).toEqual(['model', 'CK+48 val (4)', 'photos: e2e (4)'])
    expect(overview?.rows.map((r) => r[0])).toEqual(['ResNet50 (FER2013)', 'face-api FaceExpressionNet'])
    expect(overview?.rows[0]?.[1]).toBe('100.0 % / 28.6 %')
    expect(ck?.headers.slice(0, 5)).toEqual(['model', 'accuracy', 'macro-F1', 'ECE', 'ECE without temperature'])
    // Classes without an image show a dash, not a misleading 0 %.
    expect(ck?.rows[0]).toEqual(['ResNet50 (FER2013)', '100.0 %', '28.6 %', '0.050', expect.any(String), '—', '—', '—', '100.0 %', '—', '100.0 %', '—'])
    expect(photos?.headers[1]).toBe('faces found')
    expect(photos?.rows[0]?.[1]).toBe('3 of 4')
    expect(calibration?.headers).toEqual(['model', 'temperature', 'fitted on', 'card ECE before', 'card ECE after', 'CK+48 val ECE', 'CK+48 val ECE without temperature'])
    expect(calibration?.rows[0]?.slice(0, 6)).toEqual(['ResNet50 (FER2013)', '1.500', 'fer2013/val, muxspace/val', '0.080', '0.030', '0.050'])
  })

  it('is empty for a report without the section (older reports still open in the Compare view)', () => {
    expect(beyondFerTables(sampleReport())).toEqual([])
  })

  it('prints the section in docs/benchmarks.md with what was skipped', () => {
    const md = renderMarkdown(reportWithBeyond())
    expect(md).toContain('## Beyond FER2013: accuracy / macro-F1 on real faces')
    expect(md).toContain('| ResNet50 (FER2013) | 100.0 % / 28.6 % |')
    expect(md).toContain('### CK+48 val: 4 of 4 face crops')
    expect(md).toContain('- muxspace val: folder /d/muxspace/val not found')
    expect(md).not.toMatch(/\n\n\n/)
  })

  it('matches the report schema, which rejects a malformed row', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema)
    const report = reportWithBeyond()
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    const bad = reportWithBeyond()
    ;(bad.beyondFer?.rows[0] as { ece: number }).ece = 1.5
    expect(validate(bad)).toBe(false)
    const noKind = reportWithBeyond()
    delete (noKind.beyondFer?.rows[0] as { kind?: string }).kind
    expect(validate(noKind)).toBe(false)
  })
})

describe('runBeyondFer on real folders', () => {
  const CK = join(__dirname, '../../../shared/datasets/ckplus48/val')
  let api: FaceApiNode
  let datasets: string

  beforeAll(async () => {
    api = await FaceApiNode.create()
    datasets = await mkdtemp(join(os.tmpdir(), 'beyond-fer-'))
    // A tiny CK+48 val (when the shared datasets are here): two happy and two sad faces. No muxspace at all.
    if (existsSync(CK)) {
      for (const cls of ['happy', 'sad']) {
        await mkdir(join(datasets, 'ckplus48', 'val', cls), { recursive: true })
        for (const f of (await readdir(join(CK, cls))).slice(0, 2)) await copyFile(join(CK, cls, f), join(datasets, 'ckplus48', 'val', cls, f))
      }
    }
  }, 120_000)

  /** Always says happy at 0.9, and records the sizes it was given. */
  const alwaysHappy = (seen: number[]): ProbabilityClassifier => ({
    id: 'always-happy',
    temperature: null,
    crops: async (faces) => faces.map((f) => (seen.push(f.width), onehot(HAPPY, 0.9))),
    face: async () => onehot(HAPPY, 0.9)
  })

  it('skips a missing dataset with the reason, scores the crops it finds and the e2e faces through the detector', async () => {
    const seen: number[] = []
    const section = await runBeyondFer(api, [alwaysHappy(seen)], [], { datasetsDir: datasets, photoDirs: [join(datasets, 'no-such-photos')] }, silentProgress)
    expect(section.skipped).toEqual(
      expect.arrayContaining([expect.stringMatching(/^muxspace val: folder .* not found/), expect.stringMatching(/^muxspace test: folder .* not found/), expect.stringMatching(/^photos .*no-such-photos: /)])
    )
    const e2e = section.rows.find((r) => r.set === 'photos:e2e')
    // The three e2e faces are labelled happy and all found by the app's detector in their full photos.
    expect(e2e).toMatchObject({ kind: 'photos', n: 3, detected: 3, accuracy: 1 })
    if (existsSync(CK)) {
      const ck = section.rows.find((r) => r.set === 'ckplus48' && r.split === 'val')
      expect(ck).toMatchObject({ n: 4, accuracy: 0.5, perClassRecall: expect.objectContaining({ happy: 1, sad: 0 }) })
      expect(seen).toEqual([48, 48, 48, 48])
      expect(section.skipped.some((s) => s.startsWith('ckplus48 test'))).toBe(true)
    }
  })

  it('names a photo folder by its last component, and picks the labelled face: the largest, or the largest centred in the region', () => {
    expect(photoSetId('/a/b/studio-photos/')).toBe('photos:studio-photos')
    const small = { x: 10, y: 10, width: 20, height: 20 }
    const big = { x: 100, y: 0, width: 60, height: 60 }
    expect(labelledFace([small, big])).toBe(big)
    expect(labelledFace([small, big], { sx: 0, sy: 0, side: 50 })).toBe(small)
    expect(labelledFace([big], { sx: 0, sy: 0, side: 50 })).toBeUndefined()
    expect(e2ePhotoSet().photos.map((p) => EMOTIONS[p.label])).toEqual(['happy', 'happy', 'happy'])
  })
})
