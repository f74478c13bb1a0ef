// Etsy's listings file (EtsyListingsDownload.csv, DESIGN.md §9) in and out of the catalog.
//
// Import: upload → preview → confirm. The upload is written to a directory every app instance
// shares; preview and confirm each stream it through csv-parse into a temporary table, one batch
// of rows at a time (memory holds one batch, never the file), and then plan in a few set-based
// statements: match by SKU, then by title; flag duplicates and ambiguous titles; work out what
// changes. Confirm does the same inside one transaction, after locking the catalog against
// writes, and writes only when the plan's digest is the one the admin was shown.
//
// Export: the catalog (or a filtered list) in the same columns, read through a cursor in
// batches. Import and export are exact inverses: exporting and importing changes nothing.
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { MaxPartSizeExceededError, type UploadHandler } from '@remix-run/node'
import { CsvError, parse } from 'csv-parse'
import { sql, type SQL } from 'drizzle-orm'
import { db, rows, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { csvHeader, csvRows, fromTextCell } from '~/utils/csv'
import { parseTags } from '~/utils/tags'
import { NotUtf8Error, notUtf8Problem, utf8Check } from './csv-text.server'
import { FABRIC_LIMITS } from './fabric-options'
import { fabricOrder, fabricWhere, type FabricQuery } from './fabric.server'
import { Money, Tags, type EtsyVariation, type FabricImage } from './json-types'
import { fabrics, stockMovements } from './schema'

const IMAGE_COLUMNS = [
  'IMAGE1',
  'IMAGE2',
  'IMAGE3',
  'IMAGE4',
  'IMAGE5',
  'IMAGE6',
  'IMAGE7',
  'IMAGE8',
  'IMAGE9',
  'IMAGE10',
] as const
const VARIATIONS = [
  ['VARIATION 1 TYPE', 'VARIATION 1 NAME', 'VARIATION 1 VALUES'],
  ['VARIATION 2 TYPE', 'VARIATION 2 NAME', 'VARIATION 2 VALUES'],
] as const

/** Etsy's header row, in Etsy's order. */
export const ETSY_LISTING_COLUMNS = [
  'TITLE',
  'DESCRIPTION',
  'PRICE',
  'CURRENCY_CODE',
  'QUANTITY',
  'TAGS',
  'MATERIALS',
  ...IMAGE_COLUMNS,
  ...VARIATIONS.flat(),
  'SKU',
] as const
type Column = (typeof ETSY_LISTING_COLUMNS)[number]

export const MAX_IMPORT_MEGABYTES = 20
export const MAX_IMPORT_BYTES = MAX_IMPORT_MEGABYTES * 1024 * 1024
export const TOO_LARGE_MESSAGE = `The file is larger than ${MAX_IMPORT_MEGABYTES} MB.`
/** Rows parsed and staged per round trip; fewer when they are long, so a batch stays small. */
export const BATCH_ROWS = 1000
export const BATCH_CHARS = 4_000_000
/** What a preview lists (the counts cover the whole file). */
export const PREVIEW_ROWS = 50
export const PREVIEW_ERRORS = 200
/** Uploads that were never confirmed are deleted after a day. */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000

const MAX_TITLE = FABRIC_LIMITS.name
const MAX_SKU = FABRIC_LIMITS.sku
const MAX_DESCRIPTION = FABRIC_LIMITS.description
const MAX_MATERIALS = FABRIC_LIMITS.composition
const MAX_URL = 2000
const MAX_VARIATION_TEXT = 1000
/** A row longer than this is not a listing (it guards memory against a file without line breaks). */
export const MAX_RECORD_CHARS = 1_000_000

// ---- Uploads awaiting confirmation ------------------------------------------------------------

// A hidden directory: the server's static /uploads handler ignores dot-directories, so an upload
// (the whole catalog) is never served to anyone who learns its id.
const importsDir = () => path.resolve(env().UPLOAD_DIR, '.imports')
const IMPORT_ID = /^[a-f0-9]{32}$/
const DIGEST = /^[a-f0-9]{32}$/

/** An upload's id: 128 random bits as hex. Anything else (a path, "..") is refused. */
export function isImportId(value: unknown): value is string {
  return typeof value === 'string' && IMPORT_ID.test(value)
}

export function isImportDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value)
}

/** Where an upload awaiting confirmation is kept (its id is checked first). */
export function importFile(uploadId: string) {
  if (!isImportId(uploadId)) throw new Error('not an import id')
  return path.join(importsDir(), `${uploadId}.csv`)
}

/** Deletes uploads older than a day (any instance may have written them; a lost race is fine). */
export async function pruneImportFiles({ olderThanMs = UPLOAD_TTL_MS }: { olderThanMs?: number } = {}) {
  const dir = importsDir()
  const names = await readdir(dir).catch(() => [] as string[])
  const cutoff = Date.now() - olderThanMs
  let removed = 0
  for (const name of names) {
    if (!/^[a-f0-9]{32}\.csv$/.test(name)) continue
    const file = path.join(dir, name)
    const info = await stat(file).catch(() => null)
    if (info && info.mtimeMs < cutoff) {
      await rm(file, { force: true })
      removed++
    }
  }
  return removed
}

/**
 * Writes a stream to a new upload, at most `limit` bytes; returns its id. Past the limit it
 * reads the rest without keeping it (so the browser gets the answer rather than a reset
 * connection), deletes what it wrote and throws MaxPartSizeExceededError.
 */
export async function saveUpload(data: AsyncIterable<Uint8Array>, field: string, limit: number): Promise<string> {
  await mkdir(importsDir(), { recursive: true })
  await pruneImportFiles()
  const uploadId = randomBytes(16).toString('hex')
  const file = importFile(uploadId)
  let size = 0
  let tooLarge = false
  async function* limited() {
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size > limit) tooLarge = true
      if (!tooLarge) yield chunk
    }
  }
  try {
    await pipeline(limited, createWriteStream(file, { flags: 'wx', mode: 0o600 }))
  } catch (error) {
    await rm(file, { force: true })
    throw error
  }
  if (tooLarge) {
    await rm(file, { force: true })
    throw new MaxPartSizeExceededError(field, limit)
  }
  return uploadId
}

/**
 * The upload handler of the import form: the part named `file` goes to disk (never into memory)
 * and the form gets the upload's id in its place. Throws MaxPartSizeExceededError past 20 MB.
 */
export function listingsUploadHandler(): UploadHandler {
  let taken = false
  return async ({ name, filename, data }) => {
    // Only the first file of the field named `file`; no file chosen sends an empty filename.
    if (name !== 'file' || !filename || taken) return undefined
    taken = true
    return saveUpload(data, name, MAX_IMPORT_BYTES)
  }
}

/**
 * Copies a file from the server's own disk into the uploads awaiting confirmation (scripts and
 * tests); returns its id. The 20 MB limit guards uploads through the web, not the server's own files.
 */
export async function storeListingsFile({ file }: { file: string }): Promise<string> {
  return saveUpload(createReadStream(file), 'file', Number.POSITIVE_INFINITY)
}

export async function discardListingsUpload({ uploadId }: { uploadId: string }) {
  if (isImportId(uploadId)) await rm(importFile(uploadId), { force: true })
}

// ---- Reading one row ------------------------------------------------------------------------

/** One listing as staged for planning: `valid` is false when the row has any error. */
interface StagedRow {
  file_row: number
  title: string | null
  description: string | null
  price: string | null
  quantity: number | null
  tags: string[]
  composition: string | null
  srcs: string[]
  images: FabricImage[]
  variations: EtsyVariation[]
  sku: string | null
  valid: boolean
}

interface RowError {
  file_row: number
  message: string
}

export const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`

/** "9.5" → "9.50": the text numeric(10,2) gives back, so that compares and exports agree. */
function normalizePrice(text: string) {
  const [whole = '0', fraction = ''] = text.split('.')
  return `${BigInt(whole).toString()}.${fraction.padEnd(2, '0')}`
}

/**
 * An image column as stored: our own uploads were exported with APP_URL in front, which comes
 * off again; anything else must be a web address.
 */
function imageSrc(value: string, appUrl: string): string | null {
  if (value.startsWith(`${appUrl}/`)) return value.slice(appUrl.length)
  if (!URL.canParse(value)) return null
  return /^https?:$/.test(new URL(value).protocol) ? value : null
}

/** Checks and converts one row; every problem is reported, column by column. */
function readRow(
  record: string[],
  fileRow: number,
  index: Map<Column, number>,
  settings: { currency: string; appUrl: string },
): { row: StagedRow; errors: RowError[] } {
  const errors: string[] = []
  const cell = (column: Column) => {
    // Our own export put an apostrophe before text a spreadsheet would run as a formula.
    const value = fromTextCell(record[index.get(column)!] ?? '')
    // PostgreSQL cannot store a NUL character in text.
    if (value.includes('\u0000')) {
      errors.push(`${column} contains a NUL character, which cannot be stored`)
      return value.replaceAll('\u0000', '')
    }
    return value
  }

  const title = cell('TITLE').trim()
  if (!title) errors.push('TITLE is empty')
  else if (title.length > MAX_TITLE) errors.push(`TITLE is longer than ${MAX_TITLE} characters`)

  const description = cell('DESCRIPTION')
  if (description.length > MAX_DESCRIPTION) {
    errors.push(`DESCRIPTION is longer than ${MAX_DESCRIPTION.toLocaleString('en-GB')} characters`)
  }

  const priceText = cell('PRICE').trim()
  const priceOk = Money.safeParse(priceText).success
  if (!priceOk) errors.push(priceText ? `PRICE ${quoted(priceText)} is not an amount like 12.50` : 'PRICE is empty')

  const currency = cell('CURRENCY_CODE').trim().toUpperCase()
  if (currency !== settings.currency) {
    errors.push(
      currency
        ? `CURRENCY_CODE ${quoted(currency)} is not the shop's currency (${settings.currency})`
        : `CURRENCY_CODE is empty: the shop's prices are in ${settings.currency}`,
    )
  }

  const quantityText = cell('QUANTITY').trim()
  const quantityOk = /^\d{1,9}$/.test(quantityText)
  if (!quantityOk) {
    errors.push(quantityText ? `QUANTITY ${quoted(quantityText)} is not a whole number of 0 or more` : 'QUANTITY is empty')
  }

  const tags = parseTags(cell('TAGS'))
  const tagsCheck = Tags.safeParse(tags)
  if (!tagsCheck.success) {
    const long = tags.find((t) => t.length > FABRIC_LIMITS.tag)
    errors.push(
      long
        ? `TAGS: ${quoted(long)} is longer than ${FABRIC_LIMITS.tag} characters`
        : `TAGS has more than ${FABRIC_LIMITS.tags} tags`,
    )
  }

  const composition = cell('MATERIALS').trim()
  if (composition.length > MAX_MATERIALS) errors.push(`MATERIALS is longer than ${MAX_MATERIALS} characters`)

  const srcs: string[] = []
  for (const column of IMAGE_COLUMNS) {
    const value = cell(column).trim()
    if (!value) continue
    const src = value.length <= MAX_URL ? imageSrc(value, settings.appUrl) : null
    if (src) srcs.push(src)
    else errors.push(`${column} ${quoted(value)} is not a web address (https://…)`)
  }

  const variations: EtsyVariation[] = []
  for (const [typeColumn, nameColumn, valuesColumn] of VARIATIONS) {
    const variation = { type: cell(typeColumn), name: cell(nameColumn), values: cell(valuesColumn) }
    if (!variation.type && !variation.name && !variation.values) continue
    if ([variation.type, variation.name, variation.values].some((v) => v.length > MAX_VARIATION_TEXT)) {
      errors.push(`${typeColumn.slice(0, 11)} is longer than ${MAX_VARIATION_TEXT} characters`)
    }
    variations.push(variation)
  }

  const sku = cell('SKU').trim()
  if (sku.length > MAX_SKU) errors.push(`SKU is longer than ${MAX_SKU} characters`)

  return {
    row: {
      file_row: fileRow,
      // Title and SKU are staged even when the row is wrong, so that duplicates are still found.
      title: title || null,
      description: description === '' ? null : description,
      price: priceOk ? normalizePrice(priceText) : null,
      quantity: quantityOk ? Number(quantityText) : null,
      tags,
      composition: composition || null,
      srcs,
      images: srcs.map((src) => ({ src, alt: '' })),
      variations,
      sku: sku || null,
      valid: errors.length === 0,
    },
    errors: errors.map((message) => ({ file_row: fileRow, message })),
  }
}

/** The column positions of a header row, or what is wrong with it. */
function readHeader(record: string[]): { ok: true; index: Map<Column, number> } | { ok: false; problem: string } {
  const names = record.map((name) => name.trim().toUpperCase())
  const known = new Set<string>(ETSY_LISTING_COLUMNS)
  const index = new Map<Column, number>()
  const unknown: string[] = []
  const twice: string[] = []
  names.forEach((name, i) => {
    if (!known.has(name)) unknown.push(name || `(column ${i + 1} has no name)`)
    else if (index.has(name as Column)) twice.push(name)
    else index.set(name as Column, i)
  })
  if (index.size === 0) {
    return {
      ok: false,
      problem:
        "This is not an Etsy listings file: its first row should name Etsy's columns " +
        '(TITLE, DESCRIPTION, PRICE, CURRENCY_CODE, QUANTITY, …, SKU). ' +
        'Download it from Etsy: Shop Manager → Settings → Options → Download Data.',
    }
  }
  const missing = ETSY_LISTING_COLUMNS.filter((c) => !index.has(c))
  const problems = [
    missing.length ? `it has no ${missing.join(', ')}` : null,
    unknown.length ? `it has columns Etsy's file does not: ${unknown.map((u) => quoted(u)).join(', ')}` : null,
    twice.length ? `it names ${twice.join(', ')} more than once` : null,
  ].filter(Boolean)
  if (problems.length) {
    return { ok: false, problem: `The first row is not Etsy's header row: ${problems.join('; ')}.` }
  }
  return { ok: true, index }
}

/**
 * Plain English for csv-parse's errors; `row` counts the header as row 1, like a spreadsheet.
 * `fileName` is the Etsy file the upload should have been.
 */
export function csvProblem(error: CsvError, fileName = 'EtsyListingsDownload.csv'): string {
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

// ---- Staging and planning ---------------------------------------------------------------------

export type Problem = { ok: false; problem: string }

export const GONE =
  'This upload is no longer here: it was imported already, or it is more than a day old. Upload the file again.'

/** File-level checks that need no parsing: there, not empty, text. `fileName` as for csvProblem. */
export async function checkFile(file: string, fileName = 'EtsyListingsDownload.csv'): Promise<Problem | null> {
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

async function createStagingTables(tx: Transaction) {
  // Temporary tables live in this transaction's connection only, and go at its end.
  await tx.execute(sql`create temporary table etsy_import_rows (
    file_row integer primary key,
    title text,
    description text,
    price numeric(10, 2),
    quantity integer,
    tags jsonb not null,
    composition text,
    srcs jsonb not null,
    images jsonb not null,
    variations jsonb not null,
    sku text,
    valid boolean not null,
    fabric_id uuid,
    action text,
    changed text[] not null default '{}',
    before_quantity integer,
    before_hash text,
    archived boolean not null default false
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_errors (
    seq serial primary key,
    file_row integer not null,
    message text not null
  ) on commit drop`)
}

async function stageBatch(tx: Transaction, batch: StagedRow[], errors: RowError[]) {
  // One JSON parameter per batch: a few statements whatever the batch size, on every driver.
  if (batch.length) {
    await tx.execute(sql`insert into etsy_import_rows
      (file_row, title, description, price, quantity, tags, composition, srcs, images, variations, sku, valid)
      select file_row, title, description, price, quantity, tags, composition, srcs, images, variations, sku, valid
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(
        file_row integer, title text, description text, price numeric(10, 2), quantity integer, tags jsonb,
        composition text, srcs jsonb, images jsonb, variations jsonb, sku text, valid boolean)`)
  }
  if (errors.length) {
    await tx.execute(sql`insert into etsy_import_errors (file_row, message)
      select file_row, message from jsonb_to_recordset(${JSON.stringify(errors)}::jsonb) as x(file_row integer, message text)`)
  }
}

/** Streams the file into the staging tables, a batch at a time; a file-level problem stops it. */
async function stageFile(tx: Transaction, file: string): Promise<Problem | { ok: true; listings: number }> {
  const settings = { currency: env().SHOP_CURRENCY, appUrl: env().APP_URL }
  const input = createReadStream(file)
  // Bytes that are not UTF-8 stop the stream (NotUtf8Error) rather than being decoded into �.
  const text = utf8Check()
  const options = { bom: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS }
  const parser = parse(options)
  input.on('error', (error) => parser.destroy(error))
  text.on('error', (error) => parser.destroy(error))
  input.pipe(text).pipe(parser)
  let index: Map<Column, number> | undefined
  let fileRow = 0
  let listings = 0
  let batch: StagedRow[] = []
  let errors: RowError[] = []
  let batchChars = 0
  // One batch is written while the next is parsed, so that the parser and the database work
  // side by side; there is never more than one statement in flight on the connection.
  let writing: Promise<void> = Promise.resolve()
  const flush = async () => {
    const [rowsToWrite, errorsToWrite] = [batch, errors]
    batch = []
    errors = []
    batchChars = 0
    await writing
    writing = stageBatch(tx, rowsToWrite, errorsToWrite)
    // Awaited at the next flush or at the end; this only keeps a failure from going unhandled meanwhile.
    writing.catch(() => {})
  }
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      fileRow++
      if (!index) {
        const header = readHeader(record)
        if (!header.ok) return header
        index = header.index
        continue
      }
      // A blank line still counts as a row, as a spreadsheet shows it, but is not a listing.
      if (record.every((value) => value.trim() === '')) continue
      listings++
      if (record.length !== index.size) {
        batch.push(blankRow(fileRow))
        errors.push({
          file_row: fileRow,
          message: `${record.length} values where Etsy's header has ${ETSY_LISTING_COLUMNS.length} columns`,
        })
      } else {
        const read = readRow(record, fileRow, index, settings)
        batch.push(read.row)
        errors.push(...read.errors)
      }
      batchChars += record.reduce((n, value) => n + value.length, 0)
      if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush()
    }
    await flush()
    await writing
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: csvProblem(error) }
    if (error instanceof NotUtf8Error) return { ok: false, problem: await notUtf8Problem({ file, options }) }
    throw error
  } finally {
    input.destroy()
    text.destroy()
    parser.destroy()
    // Never leave a statement running behind an early answer.
    await writing.catch(() => {})
  }
  if (!index) return { ok: false, problem: 'The file is empty.' }
  if (listings === 0) return { ok: false, problem: "The file has Etsy's header row but no listings." }
  await tx.execute(sql`analyze etsy_import_rows`)
  return { ok: true, listings }
}

function blankRow(fileRow: number): StagedRow {
  return {
    file_row: fileRow,
    title: null,
    description: null,
    price: null,
    quantity: null,
    tags: [],
    composition: null,
    srcs: [],
    images: [],
    variations: [],
    sku: null,
    valid: false,
  }
}

/**
 * Whether each mapped field of fabric `f` differs from staged row `s`. The fabric's side is
 * read as the import reads a cell (trimmed title, empty text as none), so that a fabric's own
 * export never counts as a change. Images compare by their addresses only (the stored list may
 * carry thumbnails and alt text), and only the first ten, as many as Etsy's file has columns.
 * A row without a SKU leaves the fabric's SKU alone.
 */
const FIELD_CHANGES: [field: string, differs: SQL][] = [
  ['name', sql`trim(f.name) <> s.title`],
  ['description', sql`nullif(f.description, '') is distinct from s.description`],
  ['price', sql`f.price <> s.price`],
  ['quantity', sql`f.stock_quantity <> s.quantity`],
  ['tags', sql`f.tags <> s.tags`],
  ['composition', sql`nullif(trim(f.composition), '') is distinct from s.composition`],
  ['images', sql`jsonb_path_query_array(f.images, '$[0 to 9].src') <> s.srcs`],
  ['variations', sql`f.etsy_variations <> s.variations`],
  ['sku', sql`s.sku is not null and f.sku is distinct from s.sku`],
]

/** Matches, checks and compares every staged row against the catalog, in a few statements. */
async function planStaged(tx: Transaction) {
  // Within the file: a SKU twice, or a title twice among rows without a SKU.
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select file_row, format('SKU "%s" is also on row %s', sku, first_row)
    from (select file_row, sku, min(file_row) over (partition by sku) as first_row
          from etsy_import_rows where sku is not null) d
    where file_row <> first_row`)
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select file_row, format('TITLE "%s" is also on row %s, and neither row has a SKU: give them SKUs', title, first_row)
    from (select file_row, title, min(file_row) over (partition by title) as first_row
          from etsy_import_rows where sku is null and title is not null) d
    where file_row <> first_row`)
  await invalidateRowsWithErrors(tx)

  // A SKU matches the fabric that has it, archived or not.
  await tx.execute(sql`update etsy_import_rows s set fabric_id = f.id
    from ${fabrics} f where s.valid and f.sku = s.sku`)
  // Then the title: among fabrics without a SKU, or among all fabrics for a row without one.
  await tx.execute(sql`with candidates as (
      select s.file_row, count(*)::int as n, (array_agg(f.id))[1] as id
      from etsy_import_rows s join ${fabrics} f on f.name = s.title and (s.sku is null or f.sku is null)
      where s.valid and s.fabric_id is null
      group by s.file_row
    ), matched as (
      update etsy_import_rows s set fabric_id = c.id from candidates c where c.file_row = s.file_row and c.n = 1
    )
    insert into etsy_import_errors (file_row, message)
    select c.file_row, format('%s fabrics are called "%s": give them SKUs', c.n, s.title)
    from candidates c join etsy_import_rows s on s.file_row = c.file_row
    where c.n > 1`)
  await invalidateRowsWithErrors(tx)

  // Two rows must not both describe one fabric.
  await tx.execute(sql`insert into etsy_import_errors (file_row, message)
    select d.file_row, format('matches the same fabric as row %s ("%s")', d.first_row, f.name)
    from (select file_row, fabric_id, min(file_row) over (partition by fabric_id) as first_row
          from etsy_import_rows where valid and fabric_id is not null) d
    join ${fabrics} f on f.id = d.fabric_id
    where d.file_row <> d.first_row`)
  await invalidateRowsWithErrors(tx)

  const changedFields = sql.join(
    FIELD_CHANGES.map(([field, differs]) => sql`case when ${differs} then ${field}::text end`),
    sql`, `,
  )
  // Matched rows get their changes and their action in one pass; the rest are new or wrong.
  await tx.execute(sql`update etsy_import_rows t set
      changed = c.changed,
      action = case when cardinality(c.changed) > 0 then 'changed' else 'unchanged' end,
      before_quantity = c.before_quantity,
      archived = c.archived,
      before_hash = c.before_hash
    from (
      select s.file_row,
             array_remove(array[${changedFields}]::text[], null) as changed,
             f.stock_quantity as before_quantity,
             f.archived_at is not null as archived,
             -- What the preview showed of this fabric: if any of it moves before the confirm, the digest does.
             md5(row(f.name, f.description, f.price, f.stock_quantity, f.tags, f.composition,
                     f.images, f.etsy_variations, f.sku, f.archived_at is null)::text) as before_hash
      from etsy_import_rows s join ${fabrics} f on f.id = s.fabric_id
      where s.valid
    ) c
    where t.file_row = c.file_row`)
  await tx.execute(sql`update etsy_import_rows set action = case when valid then 'new' else 'error' end
    where action is null`)
}

async function invalidateRowsWithErrors(tx: Transaction) {
  await tx.execute(sql`update etsy_import_rows set valid = false
    where valid and file_row in (select file_row from etsy_import_errors)`)
}

// ---- The preview ------------------------------------------------------------------------------

export interface ImportCounts {
  new: number
  changed: number
  unchanged: number
  /** Rows with at least one error. */
  errors: number
}

export interface FieldChange {
  field: string
  before: string
  after: string
}

export interface ImportPreview {
  uploadId: string
  /** Stands for the whole plan: confirming writes only if the plan still has this digest. */
  digest: string
  counts: ImportCounts
  /** Matched fabrics (changed or not) that are archived: they stay archived. */
  archived: number
  newRows: { row: number; title: string; sku: string | null; price: string; quantity: number }[]
  changedRows: { row: number; fabricId: string; name: string; archived: boolean; changes: FieldChange[] }[]
  errors: { row: number; message: string }[]
  /** Errors beyond the ones listed. */
  moreErrors: number
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Title',
  description: 'Description',
  price: 'Price',
  quantity: 'Quantity',
  tags: 'Tags',
  composition: 'Materials',
  images: 'Images',
  variations: 'Variations',
  sku: 'SKU',
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text)

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  switch (field) {
    case 'tags':
      return (value as string[]).join(', ')
    case 'images':
      return (value as string[]).join('\n')
    case 'variations':
      return (value as EtsyVariation[]).map((v) => `${v.type} / ${v.name}: ${v.values}`).join('\n')
    default:
      return clip(String(value))
  }
}

interface ChangedRowData {
  file_row: number
  fabric_id: string
  changed: string
  archived: boolean
  before: string
  after: string
}

/** Counts, digest and the first rows of each kind, from the planned staging table. */
async function summarize(tx: Transaction, uploadId: string): Promise<ImportPreview> {
  const [summary] = await rows<{
    new: number
    changed: number
    unchanged: number
    error_rows: number
    archived: number
    digest: string
  }>(
    tx,
    sql`select
      count(*) filter (where action = 'new')::int as new,
      count(*) filter (where action = 'changed')::int as changed,
      count(*) filter (where action = 'unchanged')::int as unchanged,
      count(*) filter (where action = 'error')::int as error_rows,
      count(*) filter (where archived and action in ('changed', 'unchanged'))::int as archived,
      md5(coalesce(string_agg(concat_ws(':', file_row, action, fabric_id, before_hash, cardinality(changed)), ','
                              order by file_row), '')) as digest
    from etsy_import_rows`,
  )
  const [errorCount] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from etsy_import_errors`)
  const errors = await rows<{ file_row: number; message: string }>(
    tx,
    sql`select file_row, message from etsy_import_errors order by file_row, seq limit ${PREVIEW_ERRORS}`,
  )
  const newRows = await rows<{ file_row: number; title: string; sku: string | null; price: string; quantity: number }>(
    tx,
    sql`select file_row, title, sku, price::text as price, quantity from etsy_import_rows
        where action = 'new' order by file_row limit ${PREVIEW_ROWS}`,
  )
  // Values come back as JSON text so that every driver hands over the same thing.
  const changed = await rows<ChangedRowData>(
    tx,
    sql`select s.file_row, s.fabric_id::text as fabric_id, array_to_json(s.changed)::text as changed, s.archived,
        json_build_object('name', f.name, 'description', f.description, 'price', f.price::text,
          'quantity', f.stock_quantity, 'tags', f.tags, 'composition', f.composition,
          'images', jsonb_path_query_array(f.images, '$[*].src'), 'variations', f.etsy_variations, 'sku', f.sku)::text as before,
        json_build_object('name', s.title, 'description', s.description, 'price', s.price::text,
          'quantity', s.quantity, 'tags', s.tags, 'composition', s.composition,
          'images', s.srcs, 'variations', s.variations, 'sku', s.sku)::text as after
      -- The first rows by the staging table's key, then their fabrics: never a join of the whole file.
      from (select * from etsy_import_rows where action = 'changed' order by file_row limit ${PREVIEW_ROWS}) s
      join ${fabrics} f on f.id = s.fabric_id
      order by s.file_row`,
  )
  const total = errorCount?.n ?? 0
  return {
    uploadId,
    digest: summary!.digest,
    counts: {
      new: summary!.new,
      changed: summary!.changed,
      unchanged: summary!.unchanged,
      errors: summary!.error_rows,
    },
    archived: summary!.archived,
    newRows: newRows.map((r) => ({ row: r.file_row, title: r.title, sku: r.sku, price: r.price, quantity: r.quantity })),
    changedRows: changed.map((r) => {
      const before = JSON.parse(r.before) as Record<string, unknown>
      const after = JSON.parse(r.after) as Record<string, unknown>
      const fields = JSON.parse(r.changed) as string[]
      return {
        row: r.file_row,
        fabricId: r.fabric_id,
        name: String(before.name),
        archived: r.archived,
        changes: fields.map((field) => ({
          field: FIELD_LABELS[field] ?? field,
          before: shown(field, before[field]),
          after: shown(field, after[field]),
        })),
      }
    }),
    errors: errors.map((e) => ({ row: e.file_row, message: e.message })),
    moreErrors: Math.max(0, total - errors.length),
  }
}

export type PreviewResult = { ok: true; preview: ImportPreview } | Problem

/**
 * Reads an upload and says what importing it would do; writes nothing to the catalog. An upload
 * that is not a listings file at all is deleted at once: it can never be confirmed.
 */
export async function previewListingsImport({ uploadId }: { uploadId: string }): Promise<PreviewResult> {
  if (!isImportId(uploadId)) return { ok: false, problem: GONE }
  const file = importFile(uploadId)
  const problem = await checkFile(file)
  const result: PreviewResult =
    problem ??
    (await db.transaction(async (tx) => {
      await createStagingTables(tx)
      const staged = await stageFile(tx, file)
      if (!staged.ok) return staged
      await planStaged(tx)
      return { ok: true as const, preview: await summarize(tx, uploadId) }
    }))
  if (!result.ok && result.problem !== GONE) await discardListingsUpload({ uploadId })
  return result
}

// ---- Confirming -------------------------------------------------------------------------------

export type ConfirmResult =
  | { ok: true; counts: ImportCounts }
  | Problem
  /** Nothing was written: the plan has errors, or is not the one previewed. */
  | { ok: false; problem: 'changed' | 'errors'; preview: ImportPreview }

/**
 * Imports an upload exactly as previewed, in one transaction: the file is staged again, the
 * catalog is locked against writes, the plan is made again, and only if its digest is the
 * preview's are the new fabrics inserted and the changed ones updated, with a stock movement
 * for every quantity that moves.
 */
export async function confirmListingsImport({
  uploadId,
  digest,
  userId,
}: {
  uploadId: string
  digest: string
  userId: string | null
}): Promise<ConfirmResult> {
  if (!isImportId(uploadId)) return { ok: false, problem: GONE }
  const file = importFile(uploadId)
  const problem = await checkFile(file)
  if (problem) return problem
  const result = await db.transaction(async (tx): Promise<ConfirmResult> => {
    await createStagingTables(tx)
    const staged = await stageFile(tx, file)
    if (!staged.ok) return staged
    // Reads stay possible; every write to the catalog waits until this transaction ends,
    // so the plan made next is the one applied.
    // Exclusive, not share row exclusive: an order being placed holds row locks on fabrics
    // (ROW SHARE) and then updates them, which would deadlock against the weaker mode.
    await tx.execute(sql`lock table ${fabrics} in exclusive mode`)
    await planStaged(tx)
    const preview = await summarize(tx, uploadId)
    if (preview.counts.errors > 0) return { ok: false, problem: 'errors', preview }
    if (preview.digest !== digest) return { ok: false, problem: 'changed', preview }
    await applyStaged(tx, { userId })
    return { ok: true, counts: preview.counts }
  })
  if (result.ok) await discardListingsUpload({ uploadId })
  return result
}

async function applyStaged(tx: Transaction, { userId }: { userId: string | null }) {
  const threshold = env().LOW_STOCK_THRESHOLD
  await tx.execute(sql`with inserted as (
      insert into ${fabrics} (name, description, price, composition, tags, images, etsy_variations, sku,
                              stock_quantity, in_stock, low_stock_threshold)
      select title, description, price, composition, tags, images, variations, sku,
             quantity, quantity > 0, ${threshold}::integer
      from etsy_import_rows where action = 'new' order by file_row
      returning id, stock_quantity
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after)
    select id, ${userId}::uuid, stock_quantity, 'import'::stock_reason, 'Etsy import', stock_quantity
    from inserted where stock_quantity > 0`)
  // Only the fields that changed are written; the version moves on when a descriptive one did.
  const take = (field: string, staged: SQL, current: SQL) =>
    sql`case when ${field}::text = any(s.changed) then ${staged} else ${current} end`
  await tx.execute(sql`with updated as (
      update ${fabrics} f set
        name = ${take('name', sql`s.title`, sql`f.name`)},
        description = ${take('description', sql`s.description`, sql`f.description`)},
        price = ${take('price', sql`s.price`, sql`f.price`)},
        tags = ${take('tags', sql`s.tags`, sql`f.tags`)},
        composition = ${take('composition', sql`s.composition`, sql`f.composition`)},
        images = ${take('images', sql`s.images`, sql`f.images`)},
        etsy_variations = ${take('variations', sql`s.variations`, sql`f.etsy_variations`)},
        sku = ${take('sku', sql`s.sku`, sql`f.sku`)},
        version = f.version + case when cardinality(array_remove(s.changed, 'quantity')) > 0 then 1 else 0 end,
        stock_quantity = s.quantity,
        in_stock = s.quantity > 0
      from etsy_import_rows s
      where s.action = 'changed' and f.id = s.fabric_id
      returning f.id, s.quantity, s.before_quantity
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after)
    select id, ${userId}::uuid, quantity - before_quantity, 'import'::stock_reason, 'Etsy import', quantity
    from updated where quantity <> before_quantity`)
}

// ---- Export -----------------------------------------------------------------------------------

export const EXPORT_FILENAME = 'EtsyListingsDownload.csv'

interface ExportRow {
  name: string
  description: string | null
  price: string
  quantity: string
  tags: string
  composition: string | null
  srcs: string
  variations: string
  sku: string | null
}

function exportRecord(row: ExportRow, settings: { currency: string; appUrl: string }): string[] {
  // Our own uploads are stored as paths: the file carries them as full addresses.
  const srcs = (JSON.parse(row.srcs) as string[]).map((src) => (src.startsWith('/') ? `${settings.appUrl}${src}` : src))
  const variations = JSON.parse(row.variations) as EtsyVariation[]
  return [
    row.name,
    row.description ?? '',
    row.price,
    settings.currency,
    row.quantity,
    (JSON.parse(row.tags) as string[]).join(','),
    row.composition ?? '',
    ...IMAGE_COLUMNS.map((_, i) => srcs[i] ?? ''),
    ...VARIATIONS.flatMap((_, i) => {
      const v = variations[i]
      return [v?.type ?? '', v?.name ?? '', v?.values ?? '']
    }),
    row.sku ?? '',
  ]
}

/**
 * The fabrics a list query covers (no paging: all of them), in the list's order, as Etsy's
 * listings file. Rows are read through a cursor, a batch at a time, as the response is read.
 * Resolves once the first batch is read: a database that is down from the start rejects (an
 * error page, never an empty file); one that fails later errors the stream (a cut-off download).
 */
export async function etsyListingsCsv({ query }: { query: FabricQuery }): Promise<ReadableStream<Uint8Array>> {
  const settings = { currency: env().SHOP_CURRENCY, appUrl: env().APP_URL }
  const encoder = new TextEncoder()
  const where = fabricWhere(query) ?? sql`true`
  const order = sql.join(fabricOrder(query), sql`, `)
  let cancelled = false
  let wanted: (() => void) | null = null
  let started!: () => void
  let failed!: (error: unknown) => void
  const firstBatch = new Promise<void>((resolve, reject) => {
    started = resolve
    failed = reject
  })

  async function produce(controller: ReadableStreamDefaultController<Uint8Array>) {
    controller.enqueue(encoder.encode(csvHeader(ETSY_LISTING_COLUMNS, { bom: false })))
    await db.transaction(async (tx) => {
      await tx.execute(sql`declare etsy_export no scroll cursor for
        select ${fabrics.name} as name, ${fabrics.description} as description, ${fabrics.price}::text as price,
               ${fabrics.stockQuantity}::text as quantity, ${fabrics.tags}::text as tags,
               ${fabrics.composition} as composition,
               jsonb_path_query_array(${fabrics.images}, '$[0 to 9].src')::text as srcs,
               ${fabrics.etsyVariations}::text as variations, ${fabrics.sku} as sku
        from ${fabrics} where ${where} order by ${order}`)
      for (;;) {
        // Wait until the reader wants more, so a slow download never piles up in memory.
        if ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wanted = resolve))
        if (cancelled) return
        const batch = await rows<ExportRow>(tx, sql`fetch forward 1000 from etsy_export`)
        started()
        if (batch.length === 0) return
        controller.enqueue(encoder.encode(csvRows(batch.map((row) => exportRecord(row, settings)))))
      }
    })
    if (!cancelled) controller.close()
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        produce(controller).catch((error: unknown) => {
          failed(error)
          controller.error(error)
        })
      },
      pull() {
        wanted?.()
        wanted = null
      },
      cancel() {
        cancelled = true
        wanted?.()
        wanted = null
      },
    },
    { highWaterMark: 4 },
  )
  await firstBatch
  return stream
}
