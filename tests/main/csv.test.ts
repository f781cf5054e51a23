import { describe, expect, it } from 'vitest'
import { csvField, csvRow } from '../../src/main/csv'

/** A small RFC 4180 reader, independent of the writer, to prove round trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(field), (field = '')
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
    else field += ch
  }
  return rows
}

describe('csvField', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvField('happy')).toBe('happy')
    expect(csvField(0.25)).toBe('0.25')
    expect(csvField(42)).toBe('42')
  })

  it('quotes commas, quotes, CR and LF, doubling inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line1\nline2')).toBe('"line1\nline2"')
    expect(csvField('line1\r\nline2')).toBe('"line1\r\nline2"')
  })

  it.each(['=1+1', '+1', '-1+2', '@SUM(A1)', '\tcmd', '\r=x', '=HYPERLINK("http://x","y")'])(
    'neutralises the formula-like text %j',
    (value) => {
      const cell = parseCsv(csvRow([value]))[0]?.[0]
      expect(cell).toBe(`'${value}`)
    }
  )

  it('writes numbers, negative ones included, as numbers', () => {
    expect(csvField(-1.5)).toBe('-1.5')
    expect(csvField(-0.000001)).toBe('-0.000001')
  })

  it('neutralises negative-looking strings, since strings may carry anything', () => {
    expect(csvField('-1.5')).toBe("'-1.5")
  })

  it('writes empty cells for null, undefined and non-finite numbers', () => {
    expect([null, undefined, Number.NaN, Infinity, -Infinity].map(csvField)).toEqual(['', '', '', '', ''])
  })

  it('keeps unicode and emoji intact', () => {
    const text = 'Zoë 😀 — 東京, "ok"'
    expect(parseCsv(csvRow([text]))).toEqual([[text]])
  })
})

describe('csvRow', () => {
  it('ends every record with CRLF and separates with commas', () => {
    expect(csvRow(['a', 1, true])).toBe('a,1,true\r\n')
  })

  it('round-trips awkward fields through a reader', () => {
    const fields = ['x,y', 'he said "no"', 'multi\nline', 'cr\rhere', '', 'plain', '=cmd|" /C calc"!A0']
    const parsed = parseCsv(csvRow(fields) + csvRow(['second', 'row']))
    expect(parsed).toEqual([
      ['x,y', 'he said "no"', 'multi\nline', 'cr\rhere', '', 'plain', `'=cmd|" /C calc"!A0`],
      ['second', 'row']
    ])
  })

  it('never writes a bare LF line end', () => {
    const text = csvRow(['a', 'b\nc']) + csvRow(['d'])
    const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, '')
    expect(outsideQuotes).not.toMatch(/[^\r]\n/)
    expect(outsideQuotes.endsWith('\r\n')).toBe(true)
  })
})
