import { parse } from 'csv-parse/sync'

/**
 * A strict RFC 4180 reader for checking exported files, built on csv-parse rather than on
 * src/main/sessions/csv.ts so a test does not read an export with the code that wrote it. Records end in
 * CRLF (the last one too); fields may be quoted, with "" for a quote inside; a quote inside an
 * unquoted field or text after a closing quote is an error. Records may differ in length (RFC 4180
 * says "should"); callers check the columns they expect.
 */
export function parseCsv(text: string): string[][] {
  if (text !== '' && !text.endsWith('\r\n')) throw new Error('not RFC 4180: the last record does not end with CRLF')
  // Outside quoted fields a line feed may only end a record, right after a CR.
  const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '""')
  const bare = /(^|[^\r])\n/.exec(outsideQuotes)
  if (bare) throw new Error(`not RFC 4180: a bare LF near offset ${bare.index}`)
  try {
    return parse(text, { record_delimiter: '\r\n', bom: false, relax_quotes: false, relax_column_count: true, skip_empty_lines: false }) as string[][]
  } catch (error) {
    throw new Error(`not RFC 4180: ${error instanceof Error ? error.message : String(error)}`)
  }
}
