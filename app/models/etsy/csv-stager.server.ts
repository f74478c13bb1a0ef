// The one way a CSV file is read for import: the Etsy listings file, Etsy's two sold-orders files
// and the figures entered by hand. It is read as a stream (a stored upload through the strict
// UTF-8 check) by a fast reader that gives csv-parse's records and leaves anything unusual to
// csv-parse itself, and the rows after the header go to the caller in bounded batches, so that
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

// ---- The fast reader ---------------------------------------------------------------------------
//
// csv-parse reads a byte at a time, and on a 60 MB orders download that was most of an import's
// time in Node. Etsy's files are plain CSV, so readCsv reads them itself, a field at a time with
// indexOf, and gives the same records csv-parse gives: a quoted field ("" for a quote, any line
// breaks inside), an unquoted one up to the next comma or line end, records ending in the first
// line end found outside quotes (\r\n or \n; csv-parse's own choice, kept for the whole file).
// Anything else (a quote inside an unquoted field or after a closing one, a bare \r, a blank
// line, a quote never closed, a very long record) is left to csv-parse itself, from the start of
// that record to the end of the file: its records, and its errors with their row numbers.

const QUOTE = 0x22
const COMMA = 0x2c
const CR = 0x0d
const LF = 0x0a
/** The end of an unquoted field: a comma, a line end, or a quote that makes the file csv-parse's to read. */
const UNQUOTED_END = /[",\r\n]/g
/** The csv-parse options the fast reader gives the same records for. */
const FAST_OPTIONS = new Set(['bom', 'relax_column_count', 'max_record_size'])
/** A record longer than this goes to csv-parse, which knows MAX_RECORD_CHARS in its own units. */
const FAST_RECORD_CHARS = 100_000

type LineEnd = '\r\n' | '\n'
/** What scanning found: the records read, where the text not read starts, and why it stopped there. */
interface Scan {
  records: string[][]
  pos: number
  /** 'more': the text ends inside a record; 'other': what follows is csv-parse's to read. */
  stop: 'end' | 'more' | 'other'
  lineEnd: LineEnd | null
}

/**
 * Reads the whole records at the start of `text` (all of it when `final`). `lineEnd` is the line
 * end found so far, if any.
 */
export function scanCsv(text: string, lineEnd: LineEnd | null, final: boolean): Scan {
  const records: string[][] = []
  const length = text.length
  let pos = 0
  // The length of the line end at `at`: 0 when there is none, -1 when the text ends too soon
  // to tell, -2 when it is one this reader leaves to csv-parse.
  const lineEndAt = (at: number): number => {
    const c = text.charCodeAt(at)
    if (c !== CR && c !== LF) return 0
    if (c === CR && at + 1 >= length && !final) return -1
    const found: LineEnd | null = c === LF ? '\n' : text.charCodeAt(at + 1) === LF ? '\r\n' : null
    if (!found) return -2
    lineEnd ??= found
    return found === lineEnd ? found.length : -2
  }
  while (pos < length) {
    const start = pos
    const fields: string[] = []
    let stop: Scan['stop'] | null = null
    for (;;) {
      if (pos - start > FAST_RECORD_CHARS) {
        stop = 'other'
        break
      }
      if (text.charCodeAt(pos) === QUOTE) {
        let value = ''
        let from = pos + 1
        for (;;) {
          const quote = text.indexOf('"', from)
          if (quote < 0 || (quote + 1 >= length && !final)) {
            stop = quote < 0 && final ? 'other' : 'more'
            break
          }
          value += text.slice(from, quote)
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += '"'
            from = quote + 2
            continue
          }
          pos = quote + 1
          break
        }
        if (stop) break
        fields.push(value)
      } else {
        UNQUOTED_END.lastIndex = pos
        const end = UNQUOTED_END.exec(text)?.index ?? length
        if (end === length && !final) {
          stop = 'more'
          break
        }
        if (text.charCodeAt(end) === QUOTE) {
          stop = 'other'
          break
        }
        fields.push(text.slice(pos, end))
        pos = end
      }
      // After a field: the file's end, a comma, or a line end.
      if (pos >= length) break
      if (text.charCodeAt(pos) === COMMA) {
        pos++
        continue
      }
      const ends = lineEndAt(pos)
      if (ends > 0) {
        pos += ends
        break
      }
      stop = ends === -1 ? 'more' : 'other'
      break
    }
    // A blank line is csv-parse's to read too.
    if (!stop && fields.length === 1 && fields[0] === '' && text.charCodeAt(start) !== QUOTE) stop = 'other'
    if (stop) return { records, pos: start, stop, lineEnd }
    records.push(fields)
  }
  return { records, pos, stop: 'end', lineEnd }
}

/** The text of a source, as it comes: a stored file's bytes decoded (checked to be UTF-8 unless `checked` is false). */
async function* sourceText(source: Source, input: Readable): AsyncGenerator<string> {
  if ('text' in source) {
    yield source.text
    return
  }
  const fatal = source.checked !== false
  const decoder = new TextDecoder('utf-8', { fatal })
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode()
    } catch {
      throw new NotUtf8Error()
    }
  }
  for await (const chunk of input as AsyncIterable<Buffer>) yield decode(chunk)
  // The file must not end half-way through a character either.
  const last = decode()
  if (last) yield last
}

/** The records of a source, as csv-parse with `options` would give them (see scanCsv). */
export async function* fastRecords(chunks: AsyncIterator<string>, options: Options): AsyncGenerator<string[]> {
  let text = ''
  let lineEnd: LineEnd | null = null
  let read = 0
  let first = true
  for (;;) {
    const next = await chunks.next()
    if (!next.done && next.value) {
      // csv-parse's `bom`: a byte order mark at the very start is not part of the first value.
      text += first && next.value.charCodeAt(0) === 0xfeff ? next.value.slice(1) : next.value
      first = false
    }
    const scan = scanCsv(text, lineEnd, !!next.done)
    lineEnd = scan.lineEnd
    read += scan.records.length
    yield* scan.records
    text = text.slice(scan.pos)
    // A record this long is csv-parse's too (it stops one that passes MAX_RECORD_CHARS).
    if (scan.stop === 'other' || text.length > FAST_RECORD_CHARS) break
    if (next.done) return
  }
  // The rest of the text, from the start of the record that stopped the scan, goes to csv-parse.
  async function* rest() {
    yield text
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
  }
  const csv = parse({ ...options, bom: false, ...(lineEnd ? { record_delimiter: lineEnd } : {}) })
  const input = Readable.from(rest())
  input.on('error', (error: Error) => csv.destroy(error))
  input.pipe(csv)
  try {
    for await (const record of csv as AsyncIterable<string[]>) yield record
  } catch (error) {
    // Its row numbers count from where it started.
    if (error instanceof CsvError && typeof (error as CsvError & { records?: number }).records === 'number') {
      ;(error as CsvError & { records: number }).records += read
    }
    throw error
  } finally {
    input.destroy()
    csv.destroy()
  }
}

/** A source's records through the fast reader, and how to stop reading early. */
function openFastCsv(source: Source, options: Options) {
  const input = 'file' in source ? createReadStream(source.file) : Readable.from([])
  const chunks = sourceText(source, input)[Symbol.asyncIterator]()
  return {
    records: { [Symbol.asyncIterator]: () => fastRecords(chunks, options) } as AsyncIterable<string[]>,
    close() {
      input.destroy()
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
  const all: Options = { ...options, bom: true, relax_column_count: true }
  // The fast reader knows only these options; a source read with others (the figures file's
  // `trim`) is csv-parse's alone.
  const fast = Object.keys(all).every((option) => FAST_OPTIONS.has(option))
  const { records, close } = fast ? openFastCsv(source, all) : openCsv(source, all)
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
