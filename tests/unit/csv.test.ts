// The one CSV writer of every export (app/utils/csv.ts): formulas go out inert, and reading
// our own cells back gives the original text.
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvHeader, csvRows, fromTextCell, textCell } from '~/utils/csv'

const TRICKY = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  "'quoted",
  "'=quoted formula",
  "''=two apostrophes",
  "'",
  "''",
  '-12.50',
  '+7',
  '12.50',
  'Plain text',
  'a=b',
  '',
]

describe('CSV cells', () => {
  it('makes every cell a spreadsheet would run as a formula start with an apostrophe', () => {
    for (const value of ['=1+1', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', "'=x"]) {
      expect(textCell(value), value).toBe(`'${value}`)
    }
    // Signed numbers are numbers, and other text is left alone.
    for (const value of ['-12.50', '+7', '12.50', "'quoted", 'a=b']) expect(textCell(value)).toBe(value)
  })

  it('reads back exactly what was written, whatever the text', () => {
    for (const value of TRICKY) expect(fromTextCell(textCell(value)), JSON.stringify(value)).toBe(value)
  })

  it('writes a file whose text cells are all inert: BOM, header, CRLF, numbers as they are', () => {
    const text = csvHeader(['name', 'n']) + csvRows([['=cmd|"/c calc"!A1', -3], ['line one\nline two', 4.5]])
    expect(text.startsWith('\uFEFFname,n\r\n')).toBe(true)
    const records = parse(text, { bom: true }) as string[][]
    expect(records).toEqual([
      ['name', 'n'],
      [`'=cmd|"/c calc"!A1`, '-3'],
      ['line one\nline two', '4.5'],
    ])
  })
})
