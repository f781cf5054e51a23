/**
 * A strict RFC 4180 reader for checking exported files, written apart from src/main/csv.ts so the
 * test does not read the export with the code that wrote it. Records end in CRLF; fields may be
 * quoted, with "" for a quote inside; anything else (bare LF, a quote inside an unquoted field,
 * text after a closing quote) is an error.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`not RFC 4180 at offset ${i} (record ${records.length + 1}): ${why}`)
  }
  while (i < text.length) {
    let field = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field')
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += text[i]
        i++
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote inside an unquoted field')
        field += text[i]
        i++
      }
    }
    record.push(field)
    if (text[i] === ',') {
      i++
      continue
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2
      records.push(record)
      record = []
      continue
    }
    if (i >= text.length) fail('the last record does not end with CRLF')
    fail(`unexpected ${JSON.stringify(text[i])} after a field`)
  }
  return records
}
