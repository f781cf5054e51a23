/**
 * Runs the real `npm run bench -- --quick` once against the shipped models in resources/models and
 * checks its JSON report against the schema and for every model and field. Needs the shipped
 * models (it fails, rather than skips, while resources/models holds none) and FER2013 val.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import Ajv from 'ajv'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { discoverModels } from '../../src/bench/model-cards'
import { FACE_API_MODEL_ID, type BenchReport } from '../../src/bench/report'
import schema from '../../src/bench/report.schema.json'

const REPO = resolve(__dirname, '../..')
const require = createRequire(import.meta.url)

function runQuickBench(outDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, 'src/bench/cli.ts', '--quick', '--out', outDir], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CI: 'true' }
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => done({ code, stderr }))
  })
}

describe('npm run bench -- --quick', () => {
  let report: BenchReport
  let outDir: string
  let cardIds: string[]

  beforeAll(async () => {
    const { models } = await discoverModels(join(REPO, 'resources/models'))
    cardIds = models.map((m) => m.card.id)
    outDir = await mkdtemp(join(os.tmpdir(), 'bench-quick-'))
    const { code, stderr } = await runQuickBench(outDir)
    expect(code, stderr).toBe(0)
    report = JSON.parse(await readFile(join(outDir, 'bench', 'report.json'), 'utf8')) as BenchReport
  }, 600_000)

  it('finds the shipped ResNet50 and ViT cards', () => {
    expect(cardIds).toEqual(expect.arrayContaining(['resnet50-fer', 'vit-fer']))
  })

  it('writes a report that matches the schema', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema)
    expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true)
    expect(report.quick).toBe(true)
  })

  it('lists every shipped model and face-api', () => {
    expect(report.models.map((m) => m.id).sort()).toEqual([...cardIds, FACE_API_MODEL_ID].sort())
  })

  it('measures accuracy of every model on the quick val subset', () => {
    expect(report.dataset.splits).toEqual([{ name: 'val', n: 300, available: 3589 }])
    for (const id of [...cardIds, FACE_API_MODEL_ID]) {
      const row = report.accuracy.find((a) => a.model === id && a.split === 'val')
      expect(row, id).toBeDefined()
      expect(row?.n).toBe(300)
      expect(row?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300)
      // Seven classes, so anything that learned something beats 1/7; a broken preprocessing does not.
      expect(row?.accuracy, id).toBeGreaterThan(1 / 7)
    }
  })

  it('scores every model and face-api beyond FER2013: the e2e faces through the detector, and each CK+48 / muxspace split present', () => {
    const beyond = report.beyondFer
    expect(beyond, 'the Beyond FER2013 section').toBeDefined()
    const ids = [...cardIds, FACE_API_MODEL_ID].sort()
    const e2e = beyond!.rows.filter((r) => r.set === 'photos:e2e')
    expect(e2e.map((r) => r.model).sort()).toEqual(ids)
    for (const r of e2e) expect(r.n, r.model).toBe(3)
    for (const set of ['ckplus48', 'muxspace']) {
      for (const split of ['val', 'test']) {
        const dir = join(REPO, '../shared/datasets', set, split)
        const rows = beyond!.rows.filter((r) => r.set === set && r.split === split)
        if (!existsSync(dir)) {
          expect(rows, `${set} ${split} is absent here`).toEqual([])
          expect(beyond!.skipped.some((s) => s.startsWith(`${set} ${split}: folder`))).toBe(true)
          continue
        }
        expect(rows.map((r) => r.model).sort(), `${set} ${split}`).toEqual(ids)
        for (const r of rows) {
          expect(r.n, `${r.model} on ${set} ${split}`).toBe(Math.min(150, r.available))
          expect(r.accuracy, `${r.model} on ${set} ${split}`).toBeGreaterThan(1 / 7)
          expect(r.ece).toBeGreaterThanOrEqual(0)
        }
      }
    }
  })

  it('tries every execution provider onnxruntime-node lists, and reports each failure with its error', () => {
    const listed = ort.listSupportedBackends().map((b) => b.name)
    expect(report.providers.map((p) => p.provider)).toEqual(listed)
    expect(report.providers.find((p) => p.provider === 'cpu')?.ok).toBe(true)
    for (const id of cardIds) {
      for (const provider of listed) {
        const row = report.speed.find((s) => s.model === id && s.provider === provider)
        expect(row, `${id} on ${provider}`).toBeDefined()
        if (!row?.ok) expect(row?.error, `${id} on ${provider}`).toMatch(/\S/)
      }
      const cpu = report.speed.find((s) => s.model === id && s.provider === 'cpu')
      expect(cpu?.ok).toBe(true)
      expect(cpu?.batch1?.batch).toBe(1)
      expect(cpu?.batch8?.batch).toBe(8)
      expect(cpu?.batch1?.p95Ms).toBeGreaterThanOrEqual(cpu?.batch1?.medianMs ?? Infinity)
    }
    expect(report.speed.find((s) => s.model === FACE_API_MODEL_ID && s.provider === 'tfjs-wasm')?.ok).toBe(true)
  })

  it('times face detection at 640x360 and 1280x720 with both detectors', () => {
    const sizes = report.detection.map((d) => `${d.detector} ${d.width}x${d.height}`).sort()
    expect(sizes).toEqual(['ssd 1280x720', 'ssd 640x360', 'tiny 1280x720', 'tiny 640x360'])
  })

  it('runs the 3x3 gallery end to end for every model and finds faces in it', () => {
    for (const id of [...cardIds, FACE_API_MODEL_ID]) {
      const row = report.gallery.find((g) => g.model === id)
      expect(row, id).toBeDefined()
      expect(row?.grid).toBe('3x3')
      expect(row?.facesPerFrame, id).toBeGreaterThanOrEqual(5)
    }
  })

  it('shows the effect of graph optimisation and thread count for every float model', () => {
    for (const id of cardIds.filter((c) => !report.models.find((m) => m.id === c)?.quantizedFrom)) {
      const values = report.options.filter((o) => o.model === id && o.option === 'graph-optimization').map((o) => o.value)
      expect(values).toEqual(['disabled', 'basic', 'all'])
      expect(report.options.filter((o) => o.model === id && o.option === 'intra-op-threads').length).toBeGreaterThanOrEqual(2)
    }
  })

  it("measures the session library on a minute of a 3x3 gallery among 20 short sessions, and tables it", async () => {
    const rows = report.sessionLibrary ?? []
    expect(rows.map((r) => r.operation)).toEqual([
      'index every CSV once (first list after an update or a crash)',
      'list (after a restart: reads the indexes)',
      'list again',
      'open 60 s of a 3x3 gallery (summary and timelines, after a restart)',
      "copy 60 s of a 3x3 gallery's CSV and fsync (the disk's speed)",
      'export 60 s of a 3x3 gallery as CSV (nothing named)',
      'name a face in 60 s of a 3x3 gallery',
      'export 60 s of a 3x3 gallery as CSV (a face named)',
      'export 60 s of a 3x3 gallery as a folder (CSV and summary)'
    ])
    // 9 faces x 10 labels a second x 60 s, and 20 sessions of 120 rows beside it.
    expect(rows.every((r) => r.sessions === 21)).toBe(true)
    expect(rows[0]?.rows).toBe(5400 + 20 * 120)
    expect(rows[3]?.rows).toBe(5400)
    expect(rows.filter((r) => r.mbPerSecond !== null)).toHaveLength(4)
    expect(await readFile(join(outDir, 'benchmarks.md'), 'utf8')).toContain('## Session library: an hour-long call')
  })

  it('charts accuracy per epoch, ms per face and a confusion matrix per model, and writes them', () => {
    const ids = report.charts.map((c) => c.id)
    expect(ids).toContain('ms-per-face')
    expect(ids).toContain('accuracy-per-epoch')
    for (const id of [...cardIds, FACE_API_MODEL_ID]) expect(ids).toContain(`confusion-${id}-val`)
    for (const c of report.charts) expect(existsSync(join(outDir, c.file)), c.file).toBe(true)
  })

  it('puts CK+48 and muxspace val through call conditions at 40, 70 and 100 px for every model and face-api, and names the best on small faces', async () => {
    const rows = report.callConditions ?? []
    const DATASETS = join(REPO, '..', 'shared', 'datasets')
    for (const set of ['ckplus48', 'muxspace'].filter((s) => existsSync(join(DATASETS, s, 'val')))) {
      for (const px of [40, 70, 100]) {
        for (const id of [...cardIds, FACE_API_MODEL_ID]) {
          const row = rows.find((r) => r.set === set && r.split === 'val' && r.facePx === px && r.model === id)
          expect(row, `${set} ${px} ${id}`).toBeDefined()
          expect(row?.found).toBeLessThanOrEqual(row?.n ?? 0)
        }
      }
      // Faces of 100 px on a call tile are found at their spot, by the app's scan and by face-api alike.
      expect(rows.filter((r) => r.set === set && r.facePx === 100).every((r) => r.found > 0)).toBe(true)
    }
    if (rows.length > 0) expect(await readFile(join(outDir, 'benchmarks.md'), 'utf8')).toContain('Best of ours on small faces')
  })

  it('writes the Markdown report with the study next to every model', async () => {
    const md = await readFile(join(outDir, 'benchmarks.md'), 'utf8')
    expect(md).toContain('57.7 %')
    expect(md).toContain('136.33 ms (TensorFlow)')
    for (const m of report.models) expect(md).toContain(m.name)
  })
})
