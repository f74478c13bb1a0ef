// Etsy's sold-orders files (EtsySoldOrders.csv, EtsySoldOrderItems.csv; DESIGN.md §9) into orders.
//
// Upload (either file, or both) → preview → confirm, as the listings import does it
// (etsy-listings.server.ts, whose upload and file helpers this reuses): each file is streamed
// through csv-parse into a temporary table, a batch of rows at a time, and the plan is made in
// a few set-based statements: orders by Etsy's Order ID (already imported ones are skipped),
// lines matched to fabrics by listing id, then SKU, then title, and the stock each order takes,
// allocated per fabric in sale-date order and never below zero. Confirm stages again inside one
// transaction, locks the catalog against writes, plans again, and writes only if the plan's
// digest is the one the admin was shown.
//
// Which file is which is read from its header row, never from its name. With both files the
// orders come from the orders file and their lines from the items file; the items file alone
// gives orders built from its rows; the orders file alone gives orders without lines.
import { createReadStream } from 'node:fs'
import { PassThrough } from 'node:stream'
import type { UploadHandler } from '@remix-run/node'
import { CsvError, parse } from 'csv-parse'
import { sql } from 'drizzle-orm'
import { asAppUser, rows, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { countryCode } from '~/utils/countries'
import { fromLocalInput, isDay, type Day } from '~/utils/dates'
import {
  BATCH_CHARS,
  BATCH_ROWS,
  checkFile,
  csvProblem,
  discardListingsUpload,
  GONE,
  importFile,
  isImportId,
  MAX_RECORD_CHARS,
  PREVIEW_ERRORS,
  PREVIEW_ROWS,
  quoted,
  saveUpload,
  type Problem,
} from './etsy-listings.server'
import { refreshAnalytics } from './analytics.server'
import { NotUtf8Error, notUtf8Problem, utf8Check } from './csv-text.server'
import { FABRIC_LIMITS } from './fabric-options'
import { Money, type ShippingAddress } from './json-types'
import { fabrics, orderEvents, orders, stockMovements, type OrderStatus } from './schema'

// ---- The two files ----------------------------------------------------------------------------

export type EtsyOrdersFile = 'orders' | 'items'

/** Etsy's names for the two files: errors name the file they are in. */
export const ETSY_ORDERS_FILE_NAMES: Record<EtsyOrdersFile, string> = {
  orders: 'EtsySoldOrders.csv',
  items: 'EtsySoldOrderItems.csv',
}
const EITHER_FILE = 'EtsySoldOrders.csv or EtsySoldOrderItems.csv'

// The columns read from each file: required ones must be in the header, optional ones may be.
// Any other column (Etsy adds some now and then) is ignored.
const ORDER_COLUMNS = {
  required: [
    'Sale Date',
    'Order ID',
    'Full Name',
    'Date Shipped',
    'Street 1',
    'Ship City',
    'Ship Country',
    'Currency',
    'Shipping',
    'Sales Tax',
    'Order Total',
    'Status',
  ],
  optional: ['First Name', 'Last Name', 'Buyer', 'Street 2', 'Ship State', 'Ship Zipcode'],
} as const
const ITEM_COLUMNS = {
  required: [
    'Sale Date',
    'Item Name',
    'Quantity',
    'Price',
    'Order Shipping',
    'Order Sales Tax',
    'Currency',
    'Date Shipped',
    'Ship Name',
    'Ship Address1',
    'Ship City',
    'Ship Country',
    'Order ID',
  ],
  optional: ['Buyer', 'Transaction ID', 'Listing ID', 'Ship Address2', 'Ship State', 'Ship Zipcode', 'Variations', 'SKU'],
} as const
type OrderColumn = (typeof ORDER_COLUMNS)['required' | 'optional'][number]
type ItemColumn = (typeof ITEM_COLUMNS)['required' | 'optional'][number]

/** An upload of at most this size per file: a year of a busy shop's orders is well within it. */
export const MAX_ORDERS_FILE_MEGABYTES = 64
const MAX_ORDERS_FILE_BYTES = MAX_ORDERS_FILE_MEGABYTES * 1024 * 1024
export const ORDERS_FILE_TOO_LARGE = `A file is larger than ${MAX_ORDERS_FILE_MEGABYTES} MB.`

/** Parsed batches that may wait for the database while the next is parsed. */
const QUEUED_BATCHES = 3
/** Longest text kept from a cell (names, address lines, item names). */
const MAX_TEXT = 500
const MAX_SKU = FABRIC_LIMITS.sku
/** A line's quantity: a whole number below a million. */
const QUANTITY = /^\d{1,6}$/
/** numeric(10,2) holds amounts below this. */
const MONEY_LIMIT = '100000000'

// ---- Uploads ----------------------------------------------------------------------------------

/** The form's two file fields; either may hold either file. */
export const ORDERS_UPLOAD_FIELDS = ['orders', 'items'] as const

/**
 * The upload handler of the import form: each of the two file fields goes to disk (never into
 * memory) and the form gets its upload id in its place. Throws MaxPartSizeExceededError past the
 * limit; `discard` then removes whatever was saved before.
 */
export function ordersUpload(): { handler: UploadHandler; discard: () => Promise<void> } {
  const saved: string[] = []
  const taken = new Set<string>()
  return {
    handler: async ({ name, filename, data }) => {
      // No file chosen sends an empty filename; a field is read once.
      if (!(ORDERS_UPLOAD_FIELDS as readonly string[]).includes(name) || !filename || taken.has(name)) return undefined
      taken.add(name)
      const uploadId = await saveUpload(data, name, MAX_ORDERS_FILE_BYTES)
      saved.push(uploadId)
      return uploadId
    },
    discard: () => discardOrdersUploads({ uploadIds: saved }),
  }
}

/** Copies a file from the server's own disk into the uploads awaiting confirmation (scripts, tests). */
export async function storeOrdersFile({ file }: { file: string }): Promise<string> {
  return saveUpload(createReadStream(file), 'file', Number.POSITIVE_INFINITY)
}

export async function discardOrdersUploads({ uploadIds }: { uploadIds: string[] }) {
  await Promise.all(uploadIds.map((uploadId) => discardListingsUpload({ uploadId })))
}

// ---- Reading the header -----------------------------------------------------------------------

type Index<C extends string> = Map<C, number>

interface Classified {
  uploadId: string
  file: string
  kind: EtsyOrdersFile
  index: Index<string>
}

const normal = (name: string) => name.trim().toLowerCase()

const CSV_OPTIONS = { bom: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS }

/**
 * The file's records; bytes that are not UTF-8 stop them with NotUtf8Error (never decoded into
 * �), unless `checked` is false.
 */
function parser(file: string, checked = true) {
  const input = createReadStream(file)
  const text = checked ? utf8Check() : new PassThrough()
  const csv = parse(CSV_OPTIONS)
  input.on('error', (error) => csv.destroy(error))
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

const WRONG_FILE =
  "This is neither of Etsy's sold-orders files: the first row of EtsySoldOrders.csv names Etsy's columns " +
  '(Sale Date, Order ID, Full Name, …, Order Total, Status), and that of EtsySoldOrderItems.csv ' +
  '(Sale Date, Item Name, …, Order ID, Variations, SKU). Download them from Etsy: Shop Manager → Settings → ' +
  'Options → Download Data → Orders.'

/** Which of the two files this header row is, and where its columns are; or what is wrong with it. */
function classify(record: string[]): { ok: true; kind: EtsyOrdersFile; index: Index<string> } | Problem {
  const names = record.map(normal)
  const has = (name: string) => names.includes(normal(name))
  const kind: EtsyOrdersFile | null = has('Item Name') && has('Order ID') ? 'items' : has('Order ID') ? 'orders' : null
  if (!kind) {
    if (has('TITLE') && has('CURRENCY_CODE')) {
      return {
        ok: false,
        problem: "This is Etsy's listings file (EtsyListingsDownload.csv): import it on the fabrics' import page.",
      }
    }
    return { ok: false, problem: WRONG_FILE }
  }
  const columns = kind === 'orders' ? ORDER_COLUMNS : ITEM_COLUMNS
  const index: Index<string> = new Map()
  const twice: string[] = []
  for (const column of [...columns.required, ...columns.optional]) {
    const at = names.indexOf(normal(column))
    if (at < 0) continue
    if (names.lastIndexOf(normal(column)) !== at) twice.push(column)
    index.set(column, at)
  }
  const missing = columns.required.filter((c) => !index.has(c))
  const problems = [
    missing.length ? `it has no ${missing.join(', ')}` : null,
    twice.length ? `it names ${twice.join(', ')} more than once` : null,
  ].filter(Boolean)
  if (problems.length) {
    return { ok: false, problem: `The first row of ${ETSY_ORDERS_FILE_NAMES[kind]} is not Etsy's header row: ${problems.join('; ')}.` }
  }
  return { ok: true, kind, index }
}

async function headerRow(file: string, checked = true): Promise<string[] | undefined> {
  const { records, close } = parser(file, checked)
  try {
    for await (const record of records) return record
    return undefined
  } finally {
    close()
  }
}

/** Checks each upload and reads its header row: which file it is. A problem names its upload. */
async function classifyUploads(uploadIds: string[]): Promise<{ ok: true; files: Classified[] } | OrdersProblem> {
  const files: Classified[] = []
  for (const uploadId of uploadIds) {
    const file = importFile(uploadId)
    const problem = await checkFile(file, EITHER_FILE)
    if (problem) return { ...problem, uploadId }
    let header: string[] | undefined
    try {
      header = await headerRow(file)
    } catch (error) {
      if (error instanceof CsvError) return { ok: false, problem: csvProblem(error, EITHER_FILE), uploadId }
      if (error instanceof NotUtf8Error) {
        // Named by its header when that can be told (read as it is, for the names it knows).
        const unchecked = classify((await headerRow(file, false).catch(() => undefined)) ?? [])
        const fileName = unchecked.ok ? ETSY_ORDERS_FILE_NAMES[unchecked.kind] : undefined
        return { ok: false, problem: await notUtf8Problem({ file, options: CSV_OPTIONS, fileName }), uploadId }
      }
      throw error
    }
    if (!header) return { ok: false, problem: 'The file is empty.', uploadId }
    const classified = classify(header)
    if (!classified.ok) return { ...classified, uploadId }
    files.push({ uploadId, file, kind: classified.kind, index: classified.index })
  }
  if (files.length === 2 && files[0]!.kind === files[1]!.kind) {
    const kind = files[0]!.kind
    const other = ETSY_ORDERS_FILE_NAMES[kind === 'orders' ? 'items' : 'orders']
    return {
      ok: false,
      problem: `Both files are ${ETSY_ORDERS_FILE_NAMES[kind]}: upload ${other} as the other one, or only one file.`,
      uploadId: files[1]!.uploadId,
    }
  }
  // The orders file first, always: the confirm form lists them in this order.
  return { ok: true, files: files.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'orders' ? -1 : 1)) }
}

// ---- Reading one row --------------------------------------------------------------------------

interface RowError {
  file: EtsyOrdersFile
  file_row: number
  col: string | null
  message: string
}

interface Settings {
  currency: string
  timeZone: string
  /** Sale dates as read so far: a file has a few hundred different days, not a date per row. */
  days: Map<string, { day: Day; at: string } | null>
  /** Country codes by the names read so far. */
  countries: Map<string, string | null>
  /** Whether the orders file came too: then the items file gives only the lines. */
  both: boolean
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/

/** "05/19/25" (Etsy's MM/DD/YY) → its day, and noon of that day in the shop's time zone. */
function saleDay(text: string, settings: Settings): { day: Day; at: string } | null {
  let known = settings.days.get(text)
  if (known === undefined) {
    const m = DATE.exec(text)
    const day = m ? `${m[3]!.length === 2 ? `20${m[3]}` : m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : ''
    known = isDay(day) ? { day, at: fromLocalInput(`${day}T12:00`, settings.timeZone)!.toISOString() } : null
    settings.days.set(text, known)
  }
  return known
}

/**
 * Reads a row's cells by column name, collecting what is wrong with them. A class, not a set of
 * closures: a file is hundreds of thousands of rows, and its methods are made once.
 */
class RowReader<C extends string> {
  readonly errors: RowError[] = []

  constructor(
    private readonly record: string[],
    private readonly index: Index<string>,
    private readonly file: EtsyOrdersFile,
    private readonly fileRow: number,
    private readonly settings: Settings,
  ) {}

  error(col: C | null, message: string) {
    this.errors.push({ file: this.file, file_row: this.fileRow, col, message })
  }

  cell(column: C): string {
    const at = this.index.get(column)
    const value = at === undefined ? '' : (this.record[at] ?? '')
    // PostgreSQL cannot store a NUL character in text.
    if (value.includes('\u0000')) {
      this.error(column, 'contains a NUL character, which cannot be stored')
      return value.replaceAll('\u0000', '').trim()
    }
    return value.trim()
  }

  text(column: C, { required = false, max = MAX_TEXT }: { required?: boolean; max?: number } = {}): string | null {
    const value = this.cell(column)
    if (!value) {
      if (required) this.error(column, 'is empty')
      return null
    }
    if (value.length > max) {
      this.error(column, `is longer than ${max} characters`)
      return null
    }
    return value
  }

  money(column: C): string | null {
    const value = this.cell(column)
    if (Money.safeParse(value).success) return value
    this.error(column, value ? `${quoted(value)} is not an amount like 12.50` : 'is empty')
    return null
  }

  date(column: C, { required = true }: { required?: boolean } = {}) {
    const value = this.cell(column)
    if (!value) {
      if (required) this.error(column, 'is empty')
      return null
    }
    const read = saleDay(value, this.settings)
    if (!read) this.error(column, `${quoted(value)} is not a date like 05/19/25 (month/day/year)`)
    return read
  }

  orderId(column: C) {
    const value = this.cell(column)
    if (!value) this.error(column, 'is empty')
    else if (!/^\d{1,20}$/.test(value)) this.error(column, `${quoted(value)} is not an Etsy order number (digits only)`)
    else return value
    return null
  }

  currency(column: C) {
    const value = this.cell(column).toUpperCase()
    const { currency } = this.settings
    if (value !== currency) {
      this.error(
        column,
        value ? `${quoted(value)} is not the shop's currency (${currency})` : `is empty: the shop's prices are in ${currency}`,
      )
    }
  }

  /** A shipping address, or none when the row has none at all. */
  address(name: string | null, columns: { line1: C; line2: C; city: C; region: C; postalCode: C; country: C }) {
    const line1 = this.text(columns.line1)
    const line2 = this.text(columns.line2)
    const city = this.text(columns.city)
    const region = this.text(columns.region)
    const postalCode = this.text(columns.postalCode)
    const countryText = this.text(columns.country)
    if (!line1 && !line2 && !city && !region && !postalCode && !countryText) return null
    if (!line1) this.error(columns.line1, 'is empty')
    if (!city) this.error(columns.city, 'is empty')
    let country: string | null = null
    if (!countryText) this.error(columns.country, 'is empty')
    else {
      // A file names a handful of countries, over and over.
      const { countries } = this.settings
      country = countries.has(countryText) ? countries.get(countryText)! : countryCode(countryText)
      countries.set(countryText, country)
      if (!country) this.error(columns.country, `${quoted(countryText)} is not a country we know`)
    }
    if (!name || !line1 || !city || !country) return null
    const value: ShippingAddress = { name, line1, city, country }
    if (line2) value.line2 = line2
    if (region) value.region = region
    if (postalCode) value.postalCode = postalCode
    return value
  }
}

/** One row of the orders file as staged for planning; `valid` is false when it has any error. */
interface OrderRow {
  file_row: number
  order_id: string | null
  sale_day: Day | null
  created_at: string | null
  customer_name: string | null
  address: ShippingAddress | null
  shipping: string | null
  tax: string | null
  total: string | null
  cancelled: boolean
  shipped: boolean
  valid: boolean
}

const CANCELLED = /\bcancel+ed\b/i

function readOrderRow(record: string[], fileRow: number, index: Index<string>, settings: Settings) {
  const r = new RowReader<OrderColumn>(record, index, 'orders', fileRow, settings)
  const orderId = r.orderId('Order ID')
  const sale = r.date('Sale Date')
  // Etsy's Full Name; else the first and last names, else the buyer's Etsy username.
  const joined = [r.cell('First Name'), r.cell('Last Name')].filter(Boolean).join(' ').slice(0, MAX_TEXT)
  const customer = r.text('Full Name') ?? (joined || r.text('Buyer'))
  if (!customer && !r.errors.some((e) => e.col === 'Full Name')) r.error('Full Name', 'is empty')
  const address = r.address(customer, {
    line1: 'Street 1',
    line2: 'Street 2',
    city: 'Ship City',
    region: 'Ship State',
    postalCode: 'Ship Zipcode',
    country: 'Ship Country',
  })
  r.currency('Currency')
  const shipping = r.money('Shipping')
  const tax = r.money('Sales Tax')
  const total = r.money('Order Total')
  const shipped = r.date('Date Shipped', { required: false })
  const row: OrderRow = {
    file_row: fileRow,
    // The id is staged even when the row is wrong, so that duplicates are still found.
    order_id: orderId,
    sale_day: sale?.day ?? null,
    created_at: sale?.at ?? null,
    customer_name: customer,
    address,
    shipping,
    tax,
    total,
    cancelled: CANCELLED.test(r.cell('Status')),
    shipped: shipped !== null,
    valid: r.errors.length === 0,
  }
  return { row, errors: r.errors }
}

/** One row of the items file as staged for planning. */
interface ItemRow {
  file_row: number
  order_id: string | null
  transaction_id: string | null
  sale_day: Day | null
  created_at: string | null
  customer_name: string | null
  address: ShippingAddress | null
  shipping: string | null
  tax: string | null
  shipped: boolean
  item_name: string | null
  name: string | null
  sku: string | null
  listing_id: string | null
  price: string | null
  quantity: number | null
  valid: boolean
}

/** Etsy's "Length:Half yard,Colour:Sage" as "Length: Half yard, Colour: Sage". */
export function readableVariations(text: string): string {
  return text
    .split(/[,\n]/)
    .map((part) => {
      const colon = part.indexOf(':')
      return colon > 0 ? `${part.slice(0, colon).trim()}: ${part.slice(colon + 1).trim()}` : part.trim()
    })
    .filter(Boolean)
    .join(', ')
}

function readItemRow(record: string[], fileRow: number, index: Index<string>, settings: Settings) {
  const r = new RowReader<ItemColumn>(record, index, 'items', fileRow, settings)
  const orderId = r.orderId('Order ID')
  const transactionId = r.text('Transaction ID', { max: 40 })
  const itemName = r.text('Item Name', { required: true })
  const variations = r.text('Variations')
  const sku = r.text('SKU', { max: MAX_SKU })
  const listingId = r.text('Listing ID', { max: 20 })
  if (listingId && !/^\d+$/.test(listingId)) r.error('Listing ID', `${quoted(listingId)} is not an Etsy listing number (digits only)`)
  const quantityText = r.cell('Quantity')
  const quantityOk = QUANTITY.test(quantityText) && Number(quantityText) > 0
  if (!quantityOk) {
    r.error('Quantity', quantityText ? `${quoted(quantityText)} is not a whole number of 1 or more` : 'is empty')
  }
  const price = r.money('Price')
  r.currency('Currency')

  // The order's own columns repeat on each of its rows: read only when the items file is all there is.
  let sale: { day: Day; at: string } | null = null
  let customer: string | null = null
  let address: ShippingAddress | null = null
  let shipping: string | null = null
  let tax: string | null = null
  let shipped = false
  if (!settings.both) {
    sale = r.date('Sale Date')
    customer = r.text('Ship Name') ?? r.text('Buyer')
    if (!customer && !r.errors.some((e) => e.col === 'Ship Name')) r.error('Ship Name', 'is empty')
    address = r.address(customer, {
      line1: 'Ship Address1',
      line2: 'Ship Address2',
      city: 'Ship City',
      region: 'Ship State',
      postalCode: 'Ship Zipcode',
      country: 'Ship Country',
    })
    shipping = r.money('Order Shipping')
    tax = r.money('Order Sales Tax')
    shipped = r.date('Date Shipped', { required: false }) !== null
  }
  const row: ItemRow = {
    file_row: fileRow,
    order_id: orderId,
    transaction_id: transactionId,
    sale_day: sale?.day ?? null,
    created_at: sale?.at ?? null,
    customer_name: customer,
    address,
    shipping,
    tax,
    shipped,
    item_name: itemName,
    name: itemName && variations ? `${itemName} (${readableVariations(variations)})` : itemName,
    sku,
    listing_id: listingId,
    price,
    quantity: quantityOk ? Number(quantityText) : null,
    valid: r.errors.length === 0,
  }
  return { row, errors: r.errors }
}

// ---- Staging ----------------------------------------------------------------------------------

async function createStagingTables(tx: Transaction) {
  // Temporary tables live in this transaction's connection only, and go at its end.
  await tx.execute(sql`create temporary table etsy_order_rows (
    file_row integer primary key,
    order_id text,
    sale_day text,
    created_at timestamptz,
    customer_name text,
    address jsonb,
    shipping numeric(10, 2),
    tax numeric(10, 2),
    total numeric(10, 2),
    cancelled boolean not null,
    shipped boolean not null,
    valid boolean not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_item_rows (
    file_row integer primary key,
    order_id text,
    transaction_id text,
    sale_day text,
    created_at timestamptz,
    customer_name text,
    address jsonb,
    shipping numeric(10, 2),
    tax numeric(10, 2),
    shipped boolean not null,
    item_name text,
    name text,
    sku text,
    listing_id text,
    price numeric(10, 2),
    quantity integer,
    valid boolean not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_order_errors (
    seq serial primary key,
    file text not null,
    file_row integer not null,
    col text,
    message text not null
  ) on commit drop`)
  // The plan: the orders in the files, the lines of the new ones, and the stock they take.
  await tx.execute(sql`create temporary table etsy_import_orders (
    order_id text primary key,
    file text not null,
    file_row integer not null,
    sale_day text not null,
    created_at timestamptz not null,
    customer_name text not null,
    address jsonb,
    shipping numeric(10, 2) not null,
    tax numeric(10, 2) not null,
    total numeric not null,
    status order_status not null,
    action text not null
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_lines (
    file_row integer primary key,
    order_id text not null,
    item_name text not null,
    name text not null,
    sku text,
    listing_id text,
    price numeric(10, 2) not null,
    quantity integer not null,
    line_total numeric(10, 2) not null,
    fabric_id uuid,
    matched_by text
  ) on commit drop`)
  await tx.execute(sql`create temporary table etsy_import_takes (
    order_id text not null,
    fabric_id uuid not null,
    wanted integer not null,
    before integer not null,
    taken integer not null,
    after integer not null,
    seq integer not null,
    primary key (order_id, fabric_id)
  ) on commit drop`)
}

// A staged row as sent to PostgreSQL: a two-letter key per column, and no key for a null
// (json_to_recordset reads a missing key as null), so that the JSON it parses is a third smaller.
const ORDER_KEYS = {
  file_row: 'fr',
  order_id: 'oi',
  sale_day: 'sd',
  created_at: 'ca',
  customer_name: 'cn',
  address: 'ad',
  shipping: 'sh',
  tax: 'tx',
  total: 'tt',
  cancelled: 'cx',
  shipped: 'sp',
  valid: 'va',
} as const satisfies Record<keyof OrderRow, string>
const ITEM_KEYS = {
  file_row: 'fr',
  order_id: 'oi',
  transaction_id: 'ti',
  sale_day: 'sd',
  created_at: 'ca',
  customer_name: 'cn',
  address: 'ad',
  shipping: 'sh',
  tax: 'tx',
  shipped: 'sp',
  item_name: 'it',
  name: 'nm',
  sku: 'sk',
  listing_id: 'li',
  price: 'pr',
  quantity: 'qt',
  valid: 'va',
} as const satisfies Record<keyof ItemRow, string>

function wireJson<R extends object>(batch: R[], keys: Record<keyof R, string>): string {
  const entries = Object.entries(keys) as [keyof R, string][]
  return JSON.stringify(
    batch.map((row) => {
      const out: Record<string, unknown> = {}
      for (const [column, key] of entries) if (row[column] !== null) out[key] = row[column]
      return out
    }),
  )
}

// One JSON parameter per batch: a few statements whatever the batch size, on every driver. Plain
// json, not jsonb: it is read once, so building jsonb's binary form first would only cost time.
async function stageBatch(tx: Transaction, kind: EtsyOrdersFile, batch: (OrderRow | ItemRow)[], errors: RowError[]) {
  if (batch.length && kind === 'orders') {
    await tx.execute(sql`insert into etsy_order_rows
        (file_row, order_id, sale_day, created_at, customer_name, address, shipping, tax, total, cancelled, shipped, valid)
      select fr, oi, sd, ca, cn, ad, sh, tx, tt, cx, sp, va
      from json_to_recordset(${wireJson(batch as OrderRow[], ORDER_KEYS)}::json) as x(
        fr integer, oi text, sd text, ca timestamptz, cn text, ad jsonb, sh numeric(10, 2), tx numeric(10, 2),
        tt numeric(10, 2), cx boolean, sp boolean, va boolean)`)
  }
  if (batch.length && kind === 'items') {
    await tx.execute(sql`insert into etsy_item_rows
        (file_row, order_id, transaction_id, sale_day, created_at, customer_name, address, shipping, tax, shipped,
         item_name, name, sku, listing_id, price, quantity, valid)
      select fr, oi, ti, sd, ca, cn, ad, sh, tx, sp, it, nm, sk, li, pr, qt, va
      from json_to_recordset(${wireJson(batch as ItemRow[], ITEM_KEYS)}::json) as x(
        fr integer, oi text, ti text, sd text, ca timestamptz, cn text, ad jsonb, sh numeric(10, 2), tx numeric(10, 2),
        sp boolean, it text, nm text, sk text, li text, pr numeric(10, 2), qt integer, va boolean)`)
  }
  if (errors.length) {
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select file, file_row, col, message
      from json_to_recordset(${JSON.stringify(errors)}::json) as x(file text, file_row integer, col text, message text)`)
  }
}

/** Streams one file into its staging table, a batch at a time; a file-level problem stops it. */
async function stageFile(tx: Transaction, upload: Classified, settings: Settings): Promise<OrdersProblem | { ok: true }> {
  const { records, close } = parser(upload.file)
  const read = upload.kind === 'orders' ? readOrderRow : readItemRow
  let fileRow = 0
  let dataRows = 0
  let batch: (OrderRow | ItemRow)[] = []
  let errors: RowError[] = []
  let batchChars = 0
  // Batches are written one after another while the next ones are parsed: never more than one
  // statement in flight on the connection, and a few batches at most waiting behind it, so that
  // neither the parser nor the database waits for the other batch by batch.
  let writing: Promise<void> = Promise.resolve()
  const queued: Promise<void>[] = []
  const flush = async () => {
    const [rowsToWrite, errorsToWrite] = [batch, errors]
    batch = []
    errors = []
    batchChars = 0
    while (queued.length >= QUEUED_BATCHES) await queued.shift()
    writing = writing.then(() => stageBatch(tx, upload.kind, rowsToWrite, errorsToWrite))
    // Awaited in turn or at the end; this only keeps a failure from going unhandled meanwhile.
    writing.catch(() => {})
    queued.push(writing)
  }
  let headerLength = 0
  try {
    for await (const record of records) {
      fileRow++
      if (fileRow === 1) {
        headerLength = record.length
        continue
      }
      // A blank line counts as a row, as a spreadsheet shows it, but is not an order.
      if (record.every((value) => value.trim() === '')) continue
      dataRows++
      const result = read(record, fileRow, upload.index, settings)
      if (record.length === headerLength) errors.push(...result.errors)
      else {
        // Its values are not under their columns: nothing else about it can be told.
        Object.assign(result.row, { order_id: null, valid: false }, upload.kind === 'items' ? { transaction_id: null } : {})
        errors.push({
          file: upload.kind,
          file_row: fileRow,
          col: null,
          message: `This row has ${record.length} values where the header has ${headerLength} columns`,
        })
      }
      batch.push(result.row)
      batchChars += record.reduce((n, value) => n + value.length, 0)
      if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush()
    }
    await flush()
    await writing
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: csvProblem(error, ETSY_ORDERS_FILE_NAMES[upload.kind]), uploadId: upload.uploadId }
    if (error instanceof NotUtf8Error) {
      const fileName = ETSY_ORDERS_FILE_NAMES[upload.kind]
      return { ok: false, problem: await notUtf8Problem({ file: upload.file, options: CSV_OPTIONS, fileName }), uploadId: upload.uploadId }
    }
    throw error
  } finally {
    close()
    // Never leave a statement running behind an early answer.
    await writing.catch(() => {})
  }
  if (dataRows === 0) {
    return {
      ok: false,
      problem: `${ETSY_ORDERS_FILE_NAMES[upload.kind]} has Etsy's header row but no ${upload.kind === 'orders' ? 'orders' : 'items'}.`,
      uploadId: upload.uploadId,
    }
  }
  return { ok: true }
}

async function stageFiles(tx: Transaction, files: Classified[]): Promise<OrdersProblem | { ok: true }> {
  const settings: Settings = {
    currency: env().SHOP_CURRENCY,
    timeZone: env().SHOP_TIMEZONE,
    days: new Map(),
    countries: new Map(),
    both: files.length === 2,
  }
  // Sorts and hashes over a whole file's rows fit in memory rather than spill to disk.
  await tx.execute(sql`set local work_mem = '64MB'`)
  await createStagingTables(tx)
  for (const upload of files) {
    const staged = await stageFile(tx, upload, settings)
    if (!staged.ok) return staged
  }
  return { ok: true }
}

// ---- Planning ---------------------------------------------------------------------------------

async function invalidateRowsWithErrors(tx: Transaction) {
  await tx.execute(sql`update etsy_order_rows set valid = false
    where valid and file_row in (select file_row from etsy_order_errors where file = 'orders')`)
  await tx.execute(sql`update etsy_item_rows set valid = false
    where valid and file_row in (select file_row from etsy_order_errors where file = 'items')`)
}

/** Checks the rows against each other, then makes the plan: orders, lines, matches, stock. */
async function planStaged(tx: Transaction, files: { orders: boolean; items: boolean }) {
  const both = files.orders && files.items

  // Within the files: an order twice, a transaction twice.
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'orders', file_row, 'Order ID', format('"%s" is also on row %s', order_id, first_row)
    from (select file_row, order_id, min(file_row) over (partition by order_id) as first_row
          from etsy_order_rows where order_id is not null) d
    where file_row <> first_row`)
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'items', file_row, 'Transaction ID', format('"%s" is also on row %s', transaction_id, first_row)
    from (select file_row, transaction_id, min(file_row) over (partition by transaction_id) as first_row
          from etsy_item_rows where transaction_id is not null) d
    where file_row <> first_row`)
  // A line whose price times quantity numeric(10,2) cannot hold.
  await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
    select 'items', file_row, 'Quantity', format('%s times Price %s is more than an order can hold', quantity, price)
    from etsy_item_rows where valid and price * quantity >= ${MONEY_LIMIT}::numeric`)
  if (both) {
    // Lines of orders the orders file does not have: the files are from different downloads.
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select 'items', i.file_row, 'Order ID', format('"%s" is not in EtsySoldOrders.csv: upload both files of the same download', i.order_id)
      from etsy_item_rows i
      where i.order_id is not null and not exists (select 1 from etsy_order_rows o where o.order_id = i.order_id)`)
  }
  if (files.items && !files.orders) {
    // The order's own columns repeat on every one of its rows, and must agree.
    await tx.execute(sql`with w as (
        select file_row, sale_day, shipping, tax,
               first_value(file_row) over o as first_row, first_value(sale_day) over o as first_day,
               first_value(shipping) over o as first_shipping, first_value(tax) over o as first_tax
        from etsy_item_rows where valid and order_id is not null
        window o as (partition by order_id order by file_row)
      )
      insert into etsy_order_errors (file, file_row, col, message)
      select 'items', file_row, c.col, format('differs from row %s, the first row of the same order', first_row)
      from w cross join lateral (values
        ('Sale Date', sale_day is distinct from first_day),
        ('Order Shipping', shipping is distinct from first_shipping),
        ('Order Sales Tax', tax is distinct from first_tax)) as c(col, differs)
      where c.differs
      order by file_row`)
    // The sum numeric(10,2) must hold.
    await tx.execute(sql`insert into etsy_order_errors (file, file_row, col, message)
      select 'items', first_row, null, 'The order''s total (its lines, shipping and tax) is more than an order can hold'
      from (select min(file_row) as first_row, sum(price * quantity) + min(shipping) + min(tax) as total
            from etsy_item_rows where valid group by order_id) t
      where total >= ${MONEY_LIMIT}::numeric`)
  }
  await invalidateRowsWithErrors(tx)

  // The orders: from the orders file, or from the first row of each order in the items file.
  // An Etsy order is imported once: one already here is skipped, lines, stock and all.
  if (files.orders) {
    await tx.execute(sql`insert into etsy_import_orders
        (order_id, file, file_row, sale_day, created_at, customer_name, address, shipping, tax, total, status, action)
      select r.order_id, 'orders', r.file_row, r.sale_day, r.created_at, r.customer_name, r.address, r.shipping, r.tax, r.total,
             (case when r.cancelled then 'cancelled' when r.shipped then 'shipped' else 'pending' end)::order_status,
             case when e.id is null then 'new' else 'existing' end
      from etsy_order_rows r left join ${orders} e on e.etsy_order_id = r.order_id
      where r.valid`)
  } else {
    await tx.execute(sql`insert into etsy_import_orders
        (order_id, file, file_row, sale_day, created_at, customer_name, address, shipping, tax, total, status, action)
      select f.order_id, 'items', f.file_row, f.sale_day, f.created_at, f.customer_name, f.address, f.shipping, f.tax,
             f.lines + f.shipping + f.tax,
             (case when f.shipped then 'shipped' else 'pending' end)::order_status,
             case when e.id is null then 'new' else 'existing' end
      from (
        select distinct on (order_id) order_id, file_row, sale_day, created_at, customer_name, address, shipping, tax,
               bool_or(shipped) over (partition by order_id) as shipped,
               sum(price * quantity) over (partition by order_id) as lines
        from etsy_item_rows where valid
        order by order_id, file_row
      ) f left join ${orders} e on e.etsy_order_id = f.order_id`)
  }
  await tx.execute(sql`analyze etsy_import_orders`)
  if (!files.items) return

  // The lines of the orders to import, priced exactly (numeric, never floating point), each
  // matched to a fabric: by Etsy's listing id, then the SKU, then the title (case and spaces
  // aside). A listing id or title that more than one fabric has matches none of them.
  await tx.execute(sql`insert into etsy_import_lines
      (file_row, order_id, item_name, name, sku, listing_id, price, quantity, line_total, fabric_id, matched_by)
    with by_listing as (
      select f.etsy_listing_id, (array_agg(f.id))[1] as id
      from ${fabrics} f
      where f.etsy_listing_id in (select listing_id from etsy_item_rows where listing_id is not null)
      group by f.etsy_listing_id having count(*) = 1
    )
    select i.file_row, i.order_id, i.item_name, i.name, i.sku, i.listing_id, i.price, i.quantity, i.price * i.quantity,
           coalesce(l.id, s.id), case when l.id is not null then 'listing' when s.id is not null then 'sku' end
    from etsy_item_rows i
    join etsy_import_orders o on o.order_id = i.order_id and o.action = 'new'
    left join by_listing l on l.etsy_listing_id = i.listing_id
    left join ${fabrics} s on s.sku = i.sku
    where i.valid`)
  // The title, for the lines neither matched.
  await tx.execute(sql`with unmatched as (
      select distinct lower(item_name) as title from etsy_import_lines where fabric_id is null
    ), by_title as (
      select lower(trim(f.name)) as title, (array_agg(f.id))[1] as id
      from ${fabrics} f
      where lower(trim(f.name)) in (select title from unmatched)
      group by lower(trim(f.name)) having count(*) = 1
    )
    update etsy_import_lines l set fabric_id = t.id, matched_by = 'title'
    from by_title t
    where l.fabric_id is null and lower(l.item_name) = t.title`)

  // Stock: each fabric's quantity goes to its orders in sale-date order (then Etsy's order number)
  // until none is left; a cancelled order takes none. `before` and `after` are the fabric's real
  // running quantity around each take.
  await tx.execute(sql`insert into etsy_import_takes (order_id, fabric_id, wanted, before, taken, after, seq)
    select order_id, fabric_id, wanted, before, least(wanted, before), before - least(wanted, before), seq
    from (
      select w.order_id, w.fabric_id, w.wanted,
             greatest(0, f.stock_quantity - (sum(w.wanted) over running - w.wanted))::int as before,
             row_number() over running as seq
      from (select order_id, fabric_id, sum(quantity)::bigint as wanted
            from etsy_import_lines where fabric_id is not null group by order_id, fabric_id) w
      join etsy_import_orders o on o.order_id = w.order_id
      join ${fabrics} f on f.id = w.fabric_id
      where o.status <> 'cancelled'
      window running as (partition by w.fabric_id order by o.created_at, length(o.order_id), o.order_id
                         rows between unbounded preceding and current row)
    ) t`)
}

// ---- The preview ------------------------------------------------------------------------------

export interface OrdersImportCounts {
  /** Orders in the files (without the rows that have errors). */
  orders: number
  new: number
  alreadyImported: number
  /** Rows with at least one error. */
  errors: number
  /** The new orders by status. */
  pending: number
  shipped: number
  cancelled: number
  /** New orders without a line: all of them without the items file. */
  withoutLines: number
  /** The lines of the new orders, and how each was matched to a fabric. */
  lines: number
  byListingId: number
  bySku: number
  byTitle: number
  unmatched: number
  /** Orders (per fabric) that take less stock than they asked for. */
  shortfalls: number
  /** Units taken from stock in all. */
  unitsTaken: number
}

export interface OrdersImportError {
  file: string
  row: number
  /** The column, when the error is about one. */
  column: string | null
  message: string
}

export interface Shortfall {
  fabricId: string
  fabricName: string
  etsyOrderId: string
  wanted: number
  taken: number
}

export interface OrdersImportPreview {
  /** The uploads, the orders file first. */
  uploadIds: string[]
  /** Stands for the whole plan: confirming writes only if the plan still has this digest. */
  digest: string
  files: { orders: boolean; items: boolean }
  counts: OrdersImportCounts
  newOrders: {
    etsyOrderId: string
    saleDate: Day
    customerName: string
    status: OrderStatus
    lines: number
    total: string
  }[]
  unmatchedLines: { file: string; row: number; etsyOrderId: string; name: string }[]
  shortfalls: Shortfall[]
  errors: OrdersImportError[]
  /** Errors beyond the ones listed. */
  moreErrors: number
}

async function summarize(tx: Transaction, files: Classified[]): Promise<OrdersImportPreview> {
  const [o] = await rows<{
    orders: number
    new: number
    existing: number
    pending: number
    shipped: number
    cancelled: number
    without_lines: number
  }>(
    tx,
    sql`select count(*)::int as orders,
          count(*) filter (where action = 'new')::int as new,
          count(*) filter (where action = 'existing')::int as existing,
          count(*) filter (where action = 'new' and status = 'pending')::int as pending,
          count(*) filter (where action = 'new' and status = 'shipped')::int as shipped,
          count(*) filter (where action = 'new' and status = 'cancelled')::int as cancelled,
          count(*) filter (where action = 'new' and l.order_id is null)::int as without_lines
        from etsy_import_orders o left join (select distinct order_id from etsy_import_lines) l on l.order_id = o.order_id`,
  )
  const [l] = await rows<{ lines: number; listing: number; sku: number; title: number; unmatched: number }>(
    tx,
    sql`select count(*)::int as lines,
          count(*) filter (where matched_by = 'listing')::int as listing,
          count(*) filter (where matched_by = 'sku')::int as sku,
          count(*) filter (where matched_by = 'title')::int as title,
          count(*) filter (where fabric_id is null)::int as unmatched
        from etsy_import_lines`,
  )
  const [t] = await rows<{ shortfalls: number; units: number }>(
    tx,
    sql`select count(*) filter (where taken < wanted)::int as shortfalls, coalesce(sum(taken), 0)::int as units
        from etsy_import_takes`,
  )
  const [e] = await rows<{ error_rows: number; errors: number }>(
    tx,
    sql`select count(distinct (file, file_row))::int as error_rows, count(*)::int as errors from etsy_order_errors`,
  )
  // Everything the confirm would write, and everything of the catalog it depends on: each row's
  // hash, summed (no sort of a whole file's rows), with the count, per table.
  const [d] = await rows<{ digest: string }>(
    tx,
    sql`select md5(concat_ws('|',
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', order_id, action, status, total, file_row), 0)::numeric)) from etsy_import_orders),
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', file_row, coalesce(fabric_id::text, '-'), matched_by), 0)::numeric)) from etsy_import_lines),
          (select concat(count(*), ':', sum(hashtextextended(
             concat_ws(':', order_id, fabric_id, before, taken), 0)::numeric)) from etsy_import_takes)
        )) as digest`,
  )
  const newOrders = await rows<{
    order_id: string
    sale_day: string
    customer_name: string
    status: OrderStatus
    lines: number
    total: string
  }>(
    tx,
    sql`select o.order_id, o.sale_day, o.customer_name, o.status::text as status, count(l.file_row)::int as lines,
          o.total::numeric(10, 2)::text as total
        from (select * from etsy_import_orders where action = 'new'
              order by created_at, length(order_id), order_id limit ${PREVIEW_ROWS}) o
        left join etsy_import_lines l on l.order_id = o.order_id
        group by o.order_id, o.sale_day, o.customer_name, o.status, o.total, o.created_at
        order by o.created_at, length(o.order_id), o.order_id`,
  )
  const unmatched = await rows<{ file_row: number; order_id: string; name: string }>(
    tx,
    sql`select file_row, order_id, name from etsy_import_lines where fabric_id is null order by file_row limit ${PREVIEW_ROWS}`,
  )
  const shortfalls = await shortfallList(tx)
  const errors = await rows<{ file: EtsyOrdersFile; file_row: number; col: string | null; message: string }>(
    tx,
    sql`select file, file_row, col, message from etsy_order_errors
        order by file = 'items', file_row, seq limit ${PREVIEW_ERRORS}`,
  )
  return {
    uploadIds: files.map((f) => f.uploadId),
    digest: d!.digest,
    files: { orders: files.some((f) => f.kind === 'orders'), items: files.some((f) => f.kind === 'items') },
    counts: {
      orders: o!.orders,
      new: o!.new,
      alreadyImported: o!.existing,
      errors: e!.error_rows,
      pending: o!.pending,
      shipped: o!.shipped,
      cancelled: o!.cancelled,
      withoutLines: o!.without_lines,
      lines: l!.lines,
      byListingId: l!.listing,
      bySku: l!.sku,
      byTitle: l!.title,
      unmatched: l!.unmatched,
      shortfalls: t!.shortfalls,
      unitsTaken: t!.units,
    },
    newOrders: newOrders.map((r) => ({
      etsyOrderId: r.order_id,
      saleDate: r.sale_day,
      customerName: r.customer_name,
      status: r.status,
      lines: r.lines,
      total: r.total,
    })),
    unmatchedLines: unmatched.map((r) => ({
      file: ETSY_ORDERS_FILE_NAMES.items,
      row: r.file_row,
      etsyOrderId: r.order_id,
      name: r.name,
    })),
    shortfalls,
    errors: errors.map((r) => ({ file: ETSY_ORDERS_FILE_NAMES[r.file], row: r.file_row, column: r.col, message: r.message })),
    moreErrors: Math.max(0, e!.errors - errors.length),
  }
}

/** The first shortfalls, in the order the stock was given out. */
async function shortfallList(tx: Transaction): Promise<Shortfall[]> {
  const list = await rows<{ fabric_id: string; name: string; order_id: string; wanted: number; taken: number }>(
    tx,
    sql`select t.fabric_id::text as fabric_id, f.name, t.order_id, t.wanted, t.taken
        from (select * from etsy_import_takes where taken < wanted order by fabric_id, seq limit ${PREVIEW_ROWS}) t
        join ${fabrics} f on f.id = t.fabric_id
        order by lower(trim(f.name)), t.fabric_id, t.seq`,
  )
  return list.map((r) => ({ fabricId: r.fabric_id, fabricName: r.name, etsyOrderId: r.order_id, wanted: r.wanted, taken: r.taken }))
}

/** A problem with a file, naming the upload it is about when it is about one. */
export type OrdersProblem = Problem & { uploadId?: string }

export type OrdersPreviewResult = { ok: true; preview: OrdersImportPreview } | OrdersProblem

function checkIds(uploadIds: string[]): OrdersProblem | null {
  const distinct = new Set(uploadIds)
  if (uploadIds.length === 0 || uploadIds.length > 2 || distinct.size !== uploadIds.length || !uploadIds.every(isImportId)) {
    return { ok: false, problem: GONE }
  }
  return null
}

const kinds = (files: Classified[]) => ({
  orders: files.some((f) => f.kind === 'orders'),
  items: files.some((f) => f.kind === 'items'),
})

/**
 * Reads one or two uploads and says what importing them would do; writes nothing. Uploads that
 * cannot be imported at all are deleted at once: they can never be confirmed.
 */
export async function previewOrdersImport({
  uploadIds,
  userId,
}: {
  uploadIds: string[]
  /** The signed-in admin: orders are read (and written) on their behalf, under row-level security. */
  userId: string
}): Promise<OrdersPreviewResult> {
  const result: OrdersPreviewResult = await (async () => {
    const wrong = checkIds(uploadIds)
    if (wrong) return wrong
    const classified = await classifyUploads(uploadIds)
    if (!classified.ok) return classified
    const { files } = classified
    return asAppUser(userId, async (tx): Promise<OrdersPreviewResult> => {
      const staged = await stageFiles(tx, files)
      if (!staged.ok) return staged
      await planStaged(tx, kinds(files))
      return { ok: true, preview: await summarize(tx, files) }
    })
  })()
  if (!result.ok && result.problem !== GONE) await discardOrdersUploads({ uploadIds: uploadIds.filter(isImportId) })
  return result
}

// ---- Confirming -------------------------------------------------------------------------------

export type OrdersConfirmResult =
  | ({ ok: true } & Pick<OrdersImportPreview, 'counts' | 'files' | 'shortfalls' | 'unmatchedLines'>)
  | OrdersProblem
  /** Nothing was written: the plan has errors, or is not the one previewed. */
  | { ok: false; problem: 'changed' | 'errors'; preview: OrdersImportPreview }

/**
 * Imports uploads exactly as previewed, in one transaction: the files are staged again, the
 * catalog is locked against writes, the plan is made again, and only if its digest is the
 * preview's are the orders inserted (with their first event), and the stock taken with a
 * movement for every order and fabric.
 */
export async function confirmOrdersImport({
  uploadIds,
  digest,
  userId,
}: {
  uploadIds: string[]
  digest: string
  userId: string
}): Promise<OrdersConfirmResult> {
  const wrong = checkIds(uploadIds)
  if (wrong) return wrong
  const classified = await classifyUploads(uploadIds)
  if (!classified.ok) return classified
  const { files } = classified
  let imported: (Date | null)[] = []
  const result = await asAppUser(userId, async (tx): Promise<OrdersConfirmResult> => {
    const staged = await stageFiles(tx, files)
    if (!staged.ok) return staged
    // Reads stay possible; every other write to the catalog (and every other import) waits until
    // this transaction ends, so the plan made next is the one applied. Exclusive, not share row
    // exclusive: an order being placed holds its fabrics' rows and then inserts its order, so
    // it must finish before this starts, never wait for it halfway.
    await tx.execute(sql`lock table ${fabrics} in exclusive mode`)
    await planStaged(tx, kinds(files))
    const preview = await summarize(tx, files)
    if (preview.counts.errors > 0) return { ok: false, problem: 'errors', preview }
    if (preview.digest !== digest) return { ok: false, problem: 'changed', preview }
    const [span] = await rows<{ first: Date | null; last: Date | null }>(
      tx,
      sql`select min(created_at) as first, max(created_at) as last from etsy_import_orders where action = 'new'`,
    )
    await applyPlan(tx, { userId })
    imported = [span?.first, span?.last].map((d) => (d ? new Date(d) : null))
    const { counts, files: read, shortfalls, unmatchedLines } = preview
    return { ok: true, counts, files: read, shortfalls, unmatchedLines }
  })
  if (result.ok) {
    await discardOrdersUploads({ uploadIds })
    // Every day from the first to the last sale imported.
    refreshAnalytics(imported, { span: true })
  }
  return result
}

async function applyPlan(tx: Transaction, { userId }: { userId: string | null }) {
  // The stock first: the plan was made under the lock, so every take fits; the condition stays
  // as the last guard against ever going below zero.
  const [moved] = await rows<{ fabrics: number; expected: number }>(
    tx,
    sql`with takes as (
          select fabric_id, sum(taken)::int as taken from etsy_import_takes where taken > 0 group by fabric_id
        ), updated as (
          update ${fabrics} f set stock_quantity = f.stock_quantity - t.taken, in_stock = f.stock_quantity - t.taken > 0
          from takes t where f.id = t.fabric_id and f.stock_quantity >= t.taken
          returning f.id
        )
        select (select count(*)::int from updated) as fabrics, (select count(*)::int from takes) as expected`,
  )
  if (moved!.fabrics !== moved!.expected) throw new Error('Stock changed under the lock')

  // Then, in one statement, the orders (numbered in sale-date order), each with its first event,
  // and a stock movement per order and fabric. Etsy's buyers are not staff: the order has no
  // user, as the demo's Etsy orders have none. The movements share the transaction's time, so
  // each fabric's come a microsecond apart in the order they were taken; they are inserted in
  // that order too, so that their `seq`, which the history sorts by, follows it.
  await tx.execute(sql`with lines as (
      select l.order_id,
             jsonb_agg(jsonb_build_object(
               'fabricId', l.fabric_id, 'name', l.name, 'sku', coalesce(l.sku, f.sku),
               'unitPrice', l.price::text, 'quantity', l.quantity, 'lineTotal', l.line_total::text
             ) order by l.file_row) as items
      from etsy_import_lines l left join ${fabrics} f on f.id = l.fabric_id
      group by l.order_id
    ), inserted as (
      insert into ${orders} (customer_name, customer_email, items, total_amount, shipping_amount, tax_amount, status,
                             etsy_order_id, shipping_address, created_at)
      select o.customer_name, null, coalesce(l.items, '[]'::jsonb), o.total, o.shipping, o.tax, o.status,
             o.order_id, o.address, o.created_at
      from etsy_import_orders o left join lines l on l.order_id = o.order_id
      where o.action = 'new'
      order by o.created_at, length(o.order_id), o.order_id
      returning id, etsy_order_id, status
    ), events as (
      insert into ${orderEvents} (order_id, user_id, from_status, to_status, note)
      select id, ${userId}::uuid, null, status, 'Imported from Etsy' from inserted
    )
    insert into ${stockMovements} (fabric_id, user_id, delta, reason, note, quantity_after, order_id, created_at)
    select t.fabric_id, ${userId}::uuid, -t.taken, 'sold'::stock_reason, 'Etsy order ' || t.order_id, t.after, i.id,
           now() + t.seq * interval '1 microsecond'
    from etsy_import_takes t join inserted i on i.etsy_order_id = t.order_id
    where t.taken > 0
    order by t.seq`)
}
