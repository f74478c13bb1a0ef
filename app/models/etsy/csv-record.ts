// What the CSV stager hands the row readers, and what a file-level problem looks like: plain
// types and text, so that the row readers need neither a database nor the file system.

/** One record of a CSV file; `row` counts the header as row 1, as a spreadsheet does. */
export interface CsvRecord {
  row: number
  values: string[]
}

/** What is wrong with a whole file (or upload): shown at its file field. */
export type Problem = { ok: false; problem: string }

/** A value as an error message quotes it: at most 40 characters of it. */
export const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
