/**
 * RFC 4180 CSV: CRLF line ends; a field is quoted when it holds a comma, a double quote, CR or LF,
 * and inner double quotes are doubled.
 *
 * Formula injection (OWASP "CSV injection"): a text cell that starts with = + - @ TAB or CR is
 * prefixed with a single quote so a spreadsheet shows it as text instead of evaluating it. So is a
 * cell whose formula sign hides behind leading whitespace or a byte-order mark (spreadsheets trim
 * those), or is a full-width ＝ ＋ － ＠ (Japanese and Chinese spreadsheets read those as formulas). This
 * applies to every *string*, even one that looks like a negative number, because strings may come
 * from outside (source names, labels). Values typed as `number` are written as numbers and never
 * prefixed: String(number) can only yield digits, '-', '.', 'e', so a negative number cannot carry
 * a formula and stays a number in the spreadsheet. Non-finite numbers become empty cells.
 */

/** A value one CSV cell can hold. */
export type CsvValue = string | number | boolean | null | undefined

// Any run of whitespace (\s covers NBSP, the ideographic space and the BOM), then a formula sign.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/
const NEEDS_QUOTES = /[",\r\n]/

/** Encodes one cell. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Encodes one record, including its CRLF line end. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + '\r\n'
}
