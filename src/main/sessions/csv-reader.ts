import { createReadStream } from 'node:fs'

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

/** The cell at `index` of a record, without splitting the others out where no cell is quoted. */
export function csvCell(line: string, index: number): string | undefined {
  if (line.includes('"')) return parseCsvRecord(line)[index]
  let from = 0
  for (let i = 0; i < index; i++) {
    from = line.indexOf(',', from) + 1
    if (from === 0) return undefined
  }
  const to = line.indexOf(',', from)
  return to < 0 ? line.slice(from) : line.slice(from, to)
}

/** How many cells a record has. */
export function csvCellCount(line: string): number {
  if (line.includes('"')) return parseCsvRecord(line).length
  let n = 1
  for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) n++
  return n
}

/**
 * Streams a CSV file's records as their text (one batch per chunk read, line ends removed), in
 * bounded memory: CRLF or LF line ends, a leading byte-order mark dropped, quoted cells over several
 * lines joined into one record. A line whose quote never closes is skipped (counted in `malformed`)
 * instead of swallowing the rest of the file. Each chunk is decoded once and split in place, so a
 * caller that needs one cell of a row (csvCell) or none never pays for the others. The caller gets
 * the result when the generator returns.
 */
export async function* readCsv(path: string, chunkBytes = 1 << 20): AsyncGenerator<string[], CsvReadResult> {
  let buf: Buffer = Buffer.alloc(0)
  // Bytes of the file before buf[0].
  let base = 0
  let malformed = 0
  let first = true
  let completeBytes = 0
  // Set after a run of MAX_RECORD_BYTES without any line end: the rest of that line is dropped.
  let skipping = false

  /** Takes the complete records out of buf; at the end of the file, a still-open quote is malformed. */
  const take = (atEnd: boolean): string[] => {
    const records: string[] = []
    if (skipping) {
      const nl = buf.indexOf(LF)
      skipping = nl < 0
      base += nl < 0 ? buf.length : nl + 1
      buf = nl < 0 ? Buffer.alloc(0) : buf.subarray(nl + 1)
    }
    const lastLf = buf.lastIndexOf(LF)
    if (lastLf < 0) {
      if (buf.length > MAX_RECORD_BYTES) {
        malformed++
        skipping = !atEnd
        base += buf.length
        buf = Buffer.alloc(0)
      }
      return records
    }
    // Whole lines only, decoded at once; a record may still span several of them.
    const text = buf.toString('utf8', 0, lastLf + 1)
    let start = 0
    let scan = 0
    let quotes = 0
    // The next quote at or after `scan`: searched once per quote, not once per line (rows rarely have any).
    let quote = text.indexOf('"')
    const quotesBefore = (end: number): number => {
      let n = 0
      for (; quote >= 0 && quote < end; quote = text.indexOf('"', quote + 1)) n++
      return n
    }
    for (;;) {
      const nl = text.indexOf('\n', scan)
      if (nl < 0) {
        // Only lines of a record still in a quote are left (the text ends with a line end).
        const open = text.length - start
        if (start < text.length && (open > MAX_RECORD_BYTES || atEnd)) {
          // An unbalanced quote: skip the record's first line and read on from the next one.
          malformed++
          start = scan = text.indexOf('\n', start) + 1
          quotes = 0
          quote = text.indexOf('"', scan)
          completeBytes = base + Buffer.byteLength(text.slice(0, start))
          continue
        }
        break
      }
      quotes += quotesBefore(nl)
      scan = nl + 1
      if (quotes % 2 === 1) continue
      let line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl)
      if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
      first = false
      records.push(line)
      start = scan
      quotes = 0
    }
    const used = start === text.length ? lastLf + 1 : Buffer.byteLength(text.slice(0, start))
    if (start > 0) completeBytes = base + used
    base += used
    buf = buf.subarray(used)
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
