// The one way a CSV file is read for import: the Etsy listings file, Etsy's two sold-orders files
// and the figures entered by hand. csv-parse reads it as a stream (a stored upload through the
// strict UTF-8 check), and the rows after the header go to the caller in bounded batches, so that
// memory holds a few batches, never the file. The caller's batches run one at a time, in order,
// while the next ones are parsed: the parser and the database work side by side, and there is
// never more than one statement in flight on the connection.
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { PassThrough, Readable } from 'node:stream'
import { CsvError, parse, type Options } from 'csv-parse'
import type { CsvRecord, Problem } from './csv-record'
import { NotUtf8Error, notUtf8Problem, utf8Check } from './csv-text.server'
import { GONE } from './upload-store.server'

/** Rows handed over per batch; fewer when they are long, so a batch stays small. */
export const BATCH_ROWS = 1000
export const BATCH_CHARS = 4_000_000
/** Batches that may wait for the caller (the database) while the next is parsed. */
const QUEUED_BATCHES = 3
/** A row longer than this is not a listing or an order (it guards memory against a file without line breaks). */
export const MAX_RECORD_CHARS = 1_000_000

/** How Etsy's files are read, here and when a row that is not UTF-8 is looked for. */
const FILE_OPTIONS: Options = { bom: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS }

/** A stored file (checked to be UTF-8 unless `checked` is false) or text already in memory. */
type Source = { file: string; checked?: boolean } | { text: string }

/** The source's records; bytes that are not UTF-8 stop them with NotUtf8Error (never decoded into �). */
function openCsv(source: Source, options: Options) {
  const input = 'file' in source ? createReadStream(source.file) : Readable.from([source.text])
  const text = 'file' in source && source.checked !== false ? utf8Check() : new PassThrough()
  const csv = parse(options)
  input.on('error', (error: Error) => csv.destroy(error))
  text.on('error', (error) => csv.destroy(error))
  input.pipe(text).pipe(csv)
  return {
    records: csv as AsyncIterable<string[]>,
    close() {
      input.destroy()
      text.destroy()
      csv.destroy()
    },
  }
}

export interface ReadCsv {
  source: Source
  /** csv-parse's options; `bom` and `relax_column_count` always. */
  options?: Options
  /** Row 1. Returning false stops the reading there (the caller knows why). */
  header: (values: string[]) => boolean
  /** The rows after the header, blank ones aside, a bounded batch at a time, one call after another. */
  batch: (records: CsvRecord[]) => void | Promise<void>
}

/**
 * Reads a CSV source through `header` and `batch`; says whether it had a header row at all and
 * how many rows went to `batch`. csv-parse's errors (CsvError) and NotUtf8Error are thrown, after
 * the batches already handed over are done.
 */
export async function readCsv({ source, options, header, batch }: ReadCsv): Promise<{ header: boolean; records: number }> {
  const { records, close } = openCsv(source, { ...options, bom: true, relax_column_count: true })
  let row = 0
  let count = 0
  let pending: CsvRecord[] = []
  let pendingChars = 0
  let done: Promise<void> = Promise.resolve()
  const queued: Promise<void>[] = []
  const flush = async () => {
    if (!pending.length) return
    const records = pending
    pending = []
    pendingChars = 0
    while (queued.length >= QUEUED_BATCHES) await queued.shift()
    done = done.then(() => batch(records))
    // Awaited in turn or at the end; this only keeps a failure from going unhandled meanwhile.
    done.catch(() => {})
    queued.push(done)
  }
  try {
    for await (const values of records) {
      row++
      if (row === 1) {
        if (!header(values)) return { header: true, records: 0 }
        continue
      }
      // A blank line still counts as a row, as a spreadsheet shows it, but holds nothing.
      if (values.every((value) => value.trim() === '')) continue
      count++
      pending.push({ row, values })
      pendingChars += values.reduce((n, value) => n + value.length, 0)
      if (pending.length >= BATCH_ROWS || pendingChars >= BATCH_CHARS) await flush()
    }
    await flush()
    await done
  } finally {
    close()
    // Never leave a statement running behind an early answer.
    await done.catch(() => {})
  }
  return { header: row > 0, records: count }
}

/** The first row of a stored file, or undefined when it has none; throws as readCsv does. */
export async function readHeaderRow({ file, checked = true }: { file: string; checked?: boolean }) {
  const { records, close } = openCsv({ file, checked }, FILE_OPTIONS)
  try {
    for await (const record of records) return record
    return undefined
  } finally {
    close()
  }
}

/**
 * Plain English for csv-parse's errors; `row` counts the header as row 1, like a spreadsheet.
 * `fileName` is the Etsy file the upload should have been.
 */
export function csvProblem(error: CsvError, fileName: string): string {
  const row = ((error as CsvError & { records?: number }).records ?? 0) + 1
  const what =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? `the quoted value that starts in row ${row} is never closed`
      : error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE'
        ? `row ${row} has a quote (") in the wrong place`
        : error.code === 'CSV_MAX_RECORD_SIZE'
          ? `row ${row} is longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters`
          : `row ${row} cannot be read`
  return `This file is not a readable CSV file: ${what}. Upload ${fileName} as Etsy gives it.`
}

/** What to say when a stored file is not UTF-8: its first such row, in `rowOf` when named. */
export function notUtf8FileProblem({ file, rowOf }: { file: string; rowOf?: string }) {
  return notUtf8Problem({ file, options: FILE_OPTIONS, fileName: rowOf })
}

/** File-level checks that need no parsing: there, not empty, text. `fileName` as for csvProblem. */
export async function checkFile(file: string, fileName: string): Promise<Problem | null> {
  const info = await stat(file).catch(() => null)
  if (!info) return { ok: false, problem: GONE }
  if (info.size === 0) return { ok: false, problem: 'The file is empty.' }
  const handle = await open(file, 'r')
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(8192), position: 0 })
    // A CSV file is text: a NUL byte means an image, a spreadsheet, or UTF-16 text.
    if (buffer.subarray(0, bytesRead).includes(0)) {
      return {
        ok: false,
        problem: `This is not a CSV text file. Upload ${fileName} as Etsy gives it (CSV, UTF-8).`,
      }
    }
  } finally {
    await handle.close()
  }
  return null
}

/**
 * Stages a stored upload: its header row goes to `header` (a problem there stops it), the rest to
 * `batch` as readCsv hands it over. A file that cannot be read as CSV, or is not UTF-8, is a
 * problem with the row it fails at; `fileName` is the Etsy file it should be, and `rowOf` names
 * it in "Row 5 of …" when an import takes several kinds of file.
 */
export async function stageCsvFile({
  file,
  fileName,
  rowOf,
  header,
  batch,
}: {
  file: string
  fileName: string
  rowOf?: string
  header: (values: string[]) => Problem | null
  batch: (records: CsvRecord[]) => Promise<void>
}): Promise<Problem | { ok: true; records: number }> {
  const stopped: { problem?: Problem } = {}
  try {
    const read = await readCsv({
      source: { file },
      options: FILE_OPTIONS,
      header: (values) => {
        stopped.problem = header(values) ?? undefined
        return !stopped.problem
      },
      batch,
    })
    if (stopped.problem) return stopped.problem
    if (!read.header) return { ok: false, problem: 'The file is empty.' }
    return { ok: true, records: read.records }
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: csvProblem(error, fileName) }
    if (error instanceof NotUtf8Error) return { ok: false, problem: await notUtf8FileProblem({ file, rowOf }) }
    throw error
  }
}
