import { describe, expect, it } from 'vitest'
import { csvField, csvRow } from '../../../src/main/sessions/csv'
import { parseCsv } from '../../../e2e/harness/rfc4180'

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

  it.each([' =1+1', '  +1', '\u00A0-2+3', '\uFEFF=1+1', '\u3000@SUM(A1)', '\uFF1D1+1', '\uFF0B1', '\uFF0D1+2', '\uFF20SUM(A1)', ' \uFF1DA1', '\n=1'])(
    'neutralises a formula behind whitespace, a byte-order mark or a full-width sign: %j',
    (value) => {
      expect(parseCsv(csvRow([value]))[0]?.[0]).toBe(`'${value}`)
    }
  )

  it.each([' hello', '\uFEFFtext', 'a=b', 'x-1', '\u3000名前'])('leaves text without a formula sign at its start alone: %j', (value) => {
    expect(parseCsv(csvRow([value]))[0]?.[0]).toBe(value)
  })

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
