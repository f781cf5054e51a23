import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EMOTIONS } from '../../src/shared/emotions'
import { listLabelledImages, sampleSubset } from '../../src/bench/dataset'
import { expressionsToProbabilities, FACE_API_EXPRESSION_TO_EMOTION } from '../../src/bench/face-api-node'
import { resizeGray } from '../../src/bench/images'
import { parseTrainingLog } from '../../src/bench/training-log'
import { parseCli } from '../../src/bench/cli'

describe('listLabelledImages', () => {
  it('lists images by class in EMOTIONS order, sorted by name, ignoring other files', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'bench-data-'))
    for (const c of ['sad', 'angry']) await mkdir(join(dir, c))
    await writeFile(join(dir, 'sad', 'b.jpg'), '')
    await writeFile(join(dir, 'sad', 'a.PNG'), '')
    await writeFile(join(dir, 'angry', 'z.jpeg'), '')
    await writeFile(join(dir, 'angry', 'notes.txt'), '')
    const images = await listLabelledImages(dir)
    expect(images.map((i) => [i.path.slice(dir.length + 1), EMOTIONS[i.label]])).toEqual([
      ['angry/z.jpeg', 'angry'],
      ['sad/a.PNG', 'sad'],
      ['sad/b.jpg', 'sad']
    ])
  })

  it('refuses folders that are not FER2013 classes, so a typo cannot silently shrink the set', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'bench-data-'))
    await mkdir(join(dir, 'happy'))
    await mkdir(join(dir, 'hapy'))
    await expect(listLabelledImages(dir)).rejects.toThrow(/hapy/)
    await expect(listLabelledImages(await mkdtemp(join(os.tmpdir(), 'bench-empty-')))).rejects.toThrow(/no class folders/)
  })
})

describe('sampleSubset', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i)

  it('is reproducible, keeps the original order and has no duplicates', () => {
    const a = sampleSubset(items, 100)
    expect(sampleSubset(items, 100)).toEqual(a)
    expect(a).toHaveLength(100)
    expect([...a].sort((x, y) => x - y)).toEqual(a)
    expect(new Set(a).size).toBe(100)
    expect(sampleSubset(items, 100, 7)).not.toEqual(a)
  })

  it('spreads over the whole list rather than taking its head', () => {
    const a = sampleSubset(items, 100)
    // A class-sorted dataset's last classes must be represented: some picks fall in every fifth.
    for (let k = 0; k < 5; k++) expect(a.some((i) => i >= k * 200 && i < (k + 1) * 200)).toBe(true)
  })

  it('returns everything when the limit is not smaller than the list', () => {
    expect(sampleSubset([3, 1, 2], 5)).toEqual([3, 1, 2])
  })
})

describe('resizeGray', () => {
  it('returns the same image when the size matches', () => {
    const img = { width: 2, height: 1, pixels: Uint8Array.from([10, 20]) }
    expect(resizeGray(img, 2, 1)).toBe(img)
  })

  it('interpolates bilinearly with half-pixel centres', () => {
    // 2x1 → 4x1: centres at 0.25, 0.75, 1.25, 1.75 of source pixels → -0.25, 0.25, 0.75, 1.25 → clamp
    const out = resizeGray({ width: 2, height: 1, pixels: Uint8Array.from([0, 100]) }, 4, 1)
    expect(Array.from(out.pixels)).toEqual([0, 25, 75, 100])
    const down = resizeGray({ width: 4, height: 1, pixels: Uint8Array.from([0, 100, 200, 255]) }, 2, 1)
    expect(Array.from(down.pixels)).toEqual([50, 228])
  })
})

describe('face-api expression mapping', () => {
  it("maps face-api's seven expressions onto our labels in EMOTIONS order", () => {
    const p = expressionsToProbabilities({ neutral: 0.1, happy: 0.2, sad: 0.05, angry: 0.3, fearful: 0.15, disgusted: 0.12, surprised: 0.08 })
    expect(Object.fromEntries(EMOTIONS.map((e, i) => [e, p[i]]))).toEqual({ angry: 0.3, disgust: 0.12, fear: 0.15, happy: 0.2, neutral: 0.1, sad: 0.05, surprise: 0.08 })
    expect(new Set(Object.values(FACE_API_EXPRESSION_TO_EMOTION))).toEqual(new Set(EMOTIONS))
  })

  it('refuses a result that lacks an expression', () => {
    expect(() => expressionsToProbabilities({ neutral: 1, angry: 0 })).toThrow(/lacks "disgusted"/)
  })
})

describe('parseTrainingLog', () => {
  it('reads the columns by name, in any order', () => {
    const rows = parseTrainingLog('lr,epoch,train_loss,train_acc,val_loss,val_acc,seconds\n0.1,1,1.8,0.3,1.7,0.35,100\n0.05,2,1.5,0.4,1.4,0.45,99\n')
    expect(rows).toEqual([
      { epoch: 1, train_loss: 1.8, train_acc: 0.3, val_loss: 1.7, val_acc: 0.35, lr: 0.1, seconds: 100 },
      { epoch: 2, train_loss: 1.5, train_acc: 0.4, val_loss: 1.4, val_acc: 0.45, lr: 0.05, seconds: 99 }
    ])
  })

  it('names a missing column and a non-number cell', () => {
    expect(() => parseTrainingLog('epoch,train_loss\n1,2\n', 'x.csv')).toThrow(/x.csv: missing column\(s\) train_acc/)
    expect(() => parseTrainingLog('epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds\n1,a,0,0,0,0,0\n', 'x.csv')).toThrow(/line 2: "train_loss"/)
    expect(() => parseTrainingLog('epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds\n1,0,0,0,0,0\n', 'x.csv')).toThrow(/line 2: "seconds"/)
  })

  it('reads a log with CRLF line ends, a byte-order mark and quoted cells', () => {
    const rows = parseTrainingLog('\uFEFFepoch,train_loss,train_acc,val_loss,val_acc,lr,"seconds"\r\n1,1.8,0.3,1.7,0.35,0.1,"100"\r\n')
    expect(rows).toEqual([{ epoch: 1, train_loss: 1.8, train_acc: 0.3, val_loss: 1.7, val_acc: 0.35, lr: 0.1, seconds: 100 }])
  })
})

describe('parseCli', () => {
  it('--quick takes 300 val images, few iterations, and writes to a temp folder, not docs/', () => {
    const parsed = parseCli(['--quick'])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.options.limit).toBe(300)
    expect(parsed.options.splits).toEqual(['val'])
    expect(parsed.options.iterations).toBeLessThan(20)
    expect(parsed.outDir.startsWith(os.tmpdir())).toBe(true)
    expect(parsed.options.dataDir.endsWith(join('shared', 'datasets', 'fer2013'))).toBe(true)
  })

  it('a full run evaluates val and test, all images, into docs/', () => {
    const parsed = parseCli([])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.options.splits).toEqual(['val', 'test'])
    expect(parsed.options.limit).toBeUndefined()
    expect(parsed.outDir.endsWith('docs')).toBe(true)
    expect([...parsed.options.sections]).toEqual(['accuracy', 'beyond', 'call', 'speed', 'options', 'sessions', 'detection', 'gallery', 'live'])
    // Beyond FER2013: every CK+48 / muxspace image from the shared datasets, no extra photo folder.
    expect(parsed.options.beyondLimit).toBeUndefined()
    expect(parsed.options.datasetsDir.endsWith('shared/datasets')).toBe(true)
    expect(parsed.options.photoDirs).toEqual([])
  })

  it('takes Beyond FER2013 options: repeated --photos, --datasets, --beyond-limit, and 150 images a split with --quick', () => {
    const parsed = parseCli(['--quick', '--photos', 'a', '--photos', '/b/c', '--datasets', '/data'])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.options.photoDirs).toEqual([resolve('a'), '/b/c'])
    expect(parsed.options.datasetsDir).toBe('/data')
    expect(parsed.options.beyondLimit).toBe(150)
    const limited = parseCli(['--beyond-limit', '20', '--skip', 'beyond'])
    if ('help' in limited) throw new Error('unexpected help')
    expect(limited.options.beyondLimit).toBe(20)
    expect(limited.options.sections.has('beyond')).toBe(false)
    expect(() => parseCli(['--beyond-limit', '0'])).toThrow(/positive integer/)
  })

  it('leaves the moving galleries out of a quick run', () => {
    const parsed = parseCli(['--quick'])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.options.sections.has('live')).toBe(false)
    expect(parsed.options.sections.has('gallery')).toBe(true)
  })

  it('honours --out, --skip and --detect, and rejects bad values', () => {
    const parsed = parseCli(['--quick', '--out', '/tmp/x', '--skip', 'options,gallery', '--detect', 'photos', '--detector', 'ssd'])
    if ('help' in parsed) throw new Error('unexpected help')
    expect(parsed.outDir).toBe('/tmp/x')
    expect(parsed.options.sections.has('options')).toBe(false)
    expect(parsed.options.sections.has('gallery')).toBe(false)
    expect(parsed.options.detectDir?.endsWith('photos')).toBe(true)
    expect(parsed.options.detector).toBe('ssd')
    expect(() => parseCli(['--skip', 'everything'])).toThrow(/unknown section/)
    expect(() => parseCli(['--limit', '0'])).toThrow(/positive integer/)
    expect(() => parseCli(['--detector', 'mtcnn'])).toThrow(/tiny or ssd/)
    expect(() => parseCli(['--bogus'])).toThrow()
    expect(() => parseCli(['--progress', 'loud'])).toThrow(/auto, json or none/)
    expect(parseCli(['--help'])).toEqual({ help: true })
  })
})

describe('progress sinks', () => {
  it('json progress writes one parseable line per start and step', async () => {
    const { jsonLinesProgress, PROGRESS_MARKER } = await import('../../src/bench/progress')
    const lines: string[] = []
    const sink = jsonLinesProgress({ write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream)
    sink.start('decode val', 2)
    sink.tick()
    sink.tick(1)
    sink.stop()
    expect(lines.map((l) => JSON.parse(l.slice(PROGRESS_MARKER.length)))).toEqual([
      { phase: 'decode val', done: 0, total: 2 },
      { phase: 'decode val', done: 1, total: 2 },
      { phase: 'decode val', done: 2, total: 2 }
    ])
  })

  it('the terminal sink prints plain lines, not a redrawn bar, when CI is set or stderr is not a TTY', async () => {
    const { terminalProgress } = await import('../../src/bench/progress')
    const out: string[] = []
    const stream = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream
    const sink = terminalProgress(stream, { CI: 'true' })
    sink.start('speed', 3)
    sink.tick()
    sink.stop()
    expect(out).toHaveLength(2)
    expect(out[0]).toBe('[bench] speed (3)\n')
    expect(out[1]).toMatch(/^\[bench\] speed: done in \d+\.\d s\n$/)
  })
})
