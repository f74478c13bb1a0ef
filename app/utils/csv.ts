// The one CSV writer of every file the app gives out (fabrics, orders, order lines, analytics
// charts): RFC 4180 line ends (which spreadsheets expect), a BOM so that Excel reads UTF-8, and
// text that a spreadsheet would run as a formula made inert. Exports build their rows as plain
// values and call csvHeader / csvRows: no export escapes (or forgets to escape) on its own.
import { stringify } from 'csv-stringify/sync'

const CSV_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true } as const

export const BOM = '\uFEFF'

export type CsvCell = string | number | null | undefined

// A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one)
// as a formula. Such text goes out with an apostrophe in front, which makes it text. A signed
// number ("-12.50") is a number, not a formula, and goes out as it is. Text that already starts
// with apostrophes before such a character gets one more, so that taking exactly one off
// (fromTextCell, on import) always gives back the original.
const FORMULA = /^'*[=+\-@\t\r]/
const NUMBER = /^[+-]?\d+(\.\d+)?$/
const needsApostrophe = (value: string) => FORMULA.test(value) && !NUMBER.test(value)

/** A text cell as written: inert in a spreadsheet. */
export function textCell(value: string | null | undefined): string {
  if (!value) return ''
  return needsApostrophe(value) ? `'${value}` : value
}

/** The inverse of textCell, for reading our own files back: the apostrophe comes off only where textCell put it. */
export function fromTextCell(value: string): string {
  return value.startsWith("'") && needsApostrophe(value.slice(1)) ? value.slice(1) : value
}

/** CSV rows: every text cell through textCell; numbers as they are. */
export function csvRows(records: CsvCell[][]): string {
  if (!records.length) return ''
  return stringify(
    records.map((record) => record.map((cell) => (typeof cell === 'number' ? cell : textCell(cell)))),
    CSV_OPTIONS,
  )
}

/**
 * The start of a file: the BOM and the header row. `bom: false` for a file in someone else's
 * format that has none (Etsy's listings file: ours is byte for byte the same format).
 */
export function csvHeader(columns: readonly string[], { bom = true }: { bom?: boolean } = {}): string {
  return (bom ? BOM : '') + csvRows([[...columns]])
}
