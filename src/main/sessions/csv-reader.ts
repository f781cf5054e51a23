import { createReadStream } from 'node:fs'

/** One CSV record and the text it was read from (without its line end), for a byte-exact copy. */
export interface CsvRecord {
  cells: string[]
  line: string
}

/** What a read found besides its records. */
export interface CsvReadResult {
  /** Byte offset just past the last complete record (a partial last row, a crash mid-write, lies beyond). */
  completeBytes: number
  /** True when the file ends in a record without its line end; that record is not read. */
  truncated: boolean
  /** Lines skipped because a quote opened in them never closed within MAX_RECORD_BYTES. */
  malformed: number
}

/** A session row is well under 1 KB; a record still open after this many bytes has an unbalanced quote. */
export const MAX_RECORD_BYTES = 64 * 1024

const LF = 0x0a
const CR = 0x0d
const QUOTE = 0x22

/** Parses one RFC 4180 record (no line end): quoted cells may hold commas, doubled quotes and line ends. */
export function parseCsvRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(',')
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c !== '"') cell += c
      else if (line[i + 1] === '"') {
        cell += '"'
        i++
      } else quoted = false
    } else if (c === '"') quoted = true
    else if (c === ',') {
      cells.push(cell)
      cell = ''
    } else cell += c
  }
  cells.push(cell)
  return cells
}

function countQuotes(buf: Buffer, start: number, end: number): number {
  let n = 0
  for (let i = buf.indexOf(QUOTE, start); i >= 0 && i < end; i = buf.indexOf(QUOTE, i + 1)) n++
  return n
}

/**
 * Streams a CSV file's records in batches (one per chunk read), in bounded memory: CRLF or LF line
 * ends, a leading byte-order mark dropped, quoted cells over several lines joined. A line whose
 * quote never closes is skipped (counted in `malformed`) instead of swallowing the rest of the file.
 * The caller gets the result when the generator returns.
 */
export async function* readCsv(path: string, chunkBytes = 1 << 20): AsyncGenerator<CsvRecord[], CsvReadResult> {
  let buf: Buffer = Buffer.alloc(0)
  // Bytes of the file before buf[0].
  let base = 0
  let malformed = 0
  let first = true
  let completeBytes = 0

  // Set after a run of MAX_RECORD_BYTES without any line end: the rest of that line is dropped.
  let skipping = false

  /** Takes the complete records out of buf; at the end of the file, a still-open quote is malformed. */
  const take = (atEnd: boolean): CsvRecord[] => {
    const records: CsvRecord[] = []
    let start = 0
    if (skipping) {
      const nl = buf.indexOf(LF)
      start = nl < 0 ? buf.length : nl + 1
      skipping = nl < 0
    }
    // Lines from `start` to `scan` belong to the record being read and hold `quotes` quotes.
    let scan = start
    let quotes = 0
    while (start < buf.length) {
      const nl = buf.indexOf(LF, scan)
      if (nl >= 0) quotes += countQuotes(buf, scan, nl)
      if (nl >= 0 && quotes % 2 === 0) {
        let end = nl
        if (end > start && buf[end - 1] === CR) end--
        let line = buf.toString('utf8', start, end)
        if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
        first = false
        records.push({ cells: parseCsvRecord(line), line })
        start = scan = nl + 1
        quotes = 0
        completeBytes = base + start
        continue
      }
      const open = (nl < 0 ? buf.length : nl) - start
      // Inside a quoted cell that goes on: wait for the next line.
      if (nl >= 0 && open <= MAX_RECORD_BYTES) {
        scan = nl + 1
        continue
      }
      const neverCloses = open > MAX_RECORD_BYTES || (atEnd && quotes % 2 === 1)
      if (!neverCloses) break
      // An unbalanced quote: skip the record's first line and read on from the next one.
      malformed++
      const firstEnd = buf.indexOf(LF, start)
      if (firstEnd < 0) {
        start = buf.length
        skipping = !atEnd
        break
      }
      start = scan = firstEnd + 1
      quotes = 0
      completeBytes = base + start
    }
    base += start
    buf = buf.subarray(start)
    return records
  }

  const stream = createReadStream(path, { highWaterMark: chunkBytes })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
      const records = take(false)
      if (records.length > 0) yield records
    }
    const records = take(true)
    if (records.length > 0) yield records
  } finally {
    stream.destroy()
  }
  return { completeBytes, truncated: buf.length > 0, malformed }
}
