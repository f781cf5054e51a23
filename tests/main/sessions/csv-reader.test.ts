import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csvCell, csvCellCount, MAX_RECORD_BYTES, parseCsvRecord, readCsv, type CsvReadResult } from '../../../src/main/sessions/csv-reader'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-reader-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Every record of a file's text and the read's result, read in chunks of `chunk` bytes. */
async function read(text: string | Buffer, chunk = 7): Promise<{ records: string[][]; lines: string[]; result: CsvReadResult }> {
  const path = join(dir, 'f.csv')
  await writeFile(path, text)
  const records: string[][] = []
  const lines: string[] = []
  const csv = readCsv(path, chunk)
  for (;;) {
    const next = await csv.next()
    if (next.done) return { records, lines, result: next.value }
    for (const line of next.value) {
      records.push(parseCsvRecord(line))
      lines.push(line)
    }
  }
}

describe('parseCsvRecord, csvCell, csvCellCount', () => {
  it('splits plain cells and unquotes RFC 4180 cells with commas, doubled quotes and line ends', () => {
    expect(parseCsvRecord('a,,1.5')).toEqual(['a', '', '1.5'])
    const quoted = '"Zoë, O\'Neill","say ""hi""","two\r\nlines",x'
    expect(parseCsvRecord(quoted)).toEqual(["Zoë, O'Neill", 'say "hi"', 'two\r\nlines', 'x'])
    expect([0, 1, 2, 3, 4].map((i) => csvCell(quoted, i))).toEqual(["Zoë, O'Neill", 'say "hi"', 'two\r\nlines', 'x', undefined])
    expect([0, 1, 2, 3].map((i) => csvCell('a,,1.5', i))).toEqual(['a', '', '1.5', undefined])
    expect([csvCellCount(quoted), csvCellCount('a,,1.5'), csvCellCount('')]).toEqual([4, 3, 1])
  })
})

describe('readCsv across chunks', () => {
  it('decodes characters whose bytes fall on both sides of a chunk boundary', async () => {
    const text = 'h\r\n' + "Zoë O'Neill,日本語,🙂\r\n".repeat(50)
    for (const chunk of [1, 2, 3, 5]) {
      const { records } = await read(text, chunk)
      expect(records).toHaveLength(51)
      expect(records.slice(1).every((r) => r.join('|') === "Zoë O'Neill|日本語|🙂")).toBe(true)
    }
  })
})

describe('readCsv', () => {
  it('reads CRLF rows across chunk boundaries, with the exact text of each line and the end of the last whole row', async () => {
    const text = 'h1,h2\r\n1,"a,b"\r\n2,"multi\r\nline"\r\n'
    const { records, lines, result } = await read(text, 3)
    expect(records).toEqual([['h1', 'h2'], ['1', 'a,b'], ['2', 'multi\r\nline']])
    expect(lines[1]).toBe('1,"a,b"')
    expect(result).toEqual({ completeBytes: Buffer.byteLength(text), truncated: false, malformed: 0 })
  })

  it('reads LF-only files, drops a byte-order mark, and leaves out a partial last row', async () => {
    const { records, result } = await read('\uFEFFh1,h2\n1,2\n3,')
    expect(records).toEqual([['h1', 'h2'], ['1', '2']])
    expect(result.truncated).toBe(true)
    expect(result.completeBytes).toBe(Buffer.byteLength('\uFEFFh1,h2\n1,2\n'))
  })

  it('reads nothing from an empty file', async () => {
    expect(await read('')).toEqual({ records: [], lines: [], result: { completeBytes: 0, truncated: false, malformed: 0 } })
  })

  it('skips a line whose quote never closes instead of swallowing the rest of the file', async () => {
    const { records, result } = await read('h\r\n1,"open\r\n2,ok\r\n3,ok\r\n')
    expect(records).toEqual([['h'], ['2', 'ok'], ['3', 'ok']])
    expect(result.malformed).toBe(1)
    expect(result.truncated).toBe(false)
  })

  it('gives up on an open quote after MAX_RECORD_BYTES, reading on from the next line', async () => {
    const filler = Array.from({ length: 40 }, (_, i) => `${i},${'x'.repeat(MAX_RECORD_BYTES / 20)}`).join('\r\n')
    const { records, result } = await read(`h\r\n"never closed\r\n${filler}\r\n`, 4096)
    expect(result.malformed).toBe(1)
    expect(records).toHaveLength(41)
    expect(records[1]?.[0]).toBe('0')
  })

  it('drops a run longer than MAX_RECORD_BYTES without a line end, in bounded memory', async () => {
    const { records, result } = await read(Buffer.concat([Buffer.from('h\r\n'), Buffer.alloc(MAX_RECORD_BYTES * 3, 'y'), Buffer.from('\r\nlast,row\r\n')]), 8192)
    expect(records).toEqual([['h'], ['last', 'row']])
    expect(result.malformed).toBe(1)
  })
})
