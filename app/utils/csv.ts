// What every CSV the app writes shares: RFC 4180 line ends (which spreadsheets expect), a BOM so
// that Excel reads UTF-8, and text that a spreadsheet would run as a formula made inert.

export const CSV_OPTIONS = { record_delimiter: 'windows' } as const

export const BOM = '\uFEFF'

/** Text a spreadsheet would run as a formula ("=…", "+…", "-…", "@…") starts with an apostrophe. */
export function textCell(value: string | null | undefined): string {
  if (!value) return ''
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
