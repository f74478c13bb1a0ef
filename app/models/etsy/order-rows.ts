// Etsy's two sold-orders files (EtsySoldOrders.csv, EtsySoldOrderItems.csv; DESIGN.md §9), one
// row at a time: which file a header row is, and what each row of either says, checked cell by
// cell. Pure: no database, no environment; the shop's settings come in as arguments.
import { countryCode } from '~/utils/countries'
import { fromLocalInput, isDay, type Day } from '~/utils/dates'
import { FABRIC_LIMITS } from '../fabric-options'
import { Money, type ShippingAddress } from '../json-types'
import { quoted, type CsvRecord, type Problem } from './csv-record'

export type EtsyOrdersFile = 'orders' | 'items'

/** Etsy's names for the two files: errors name the file they are in. */
export const ETSY_ORDERS_FILE_NAMES: Record<EtsyOrdersFile, string> = {
  orders: 'EtsySoldOrders.csv',
  items: 'EtsySoldOrderItems.csv',
}

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

/** Longest text kept from a cell (names, address lines, item names). */
const MAX_TEXT = 500
const MAX_SKU = FABRIC_LIMITS.sku
/** A line's quantity: a whole number below a million. */
const QUANTITY = /^\d{1,6}$/

// ---- Reading the header -----------------------------------------------------------------------

/** Where a file's columns are, by name. */
export type OrderColumns = Map<string, number>

const normal = (name: string) => name.trim().toLowerCase()

const WRONG_FILE =
  "This is neither of Etsy's sold-orders files: the first row of EtsySoldOrders.csv names Etsy's columns " +
  '(Sale Date, Order ID, Full Name, …, Order Total, Status), and that of EtsySoldOrderItems.csv ' +
  '(Sale Date, Item Name, …, Order ID, Variations, SKU). Download them from Etsy: Shop Manager → Settings → ' +
  'Options → Download Data → Orders.'

/** A header row read: which file it is, where its columns are, and how many it has. */
export interface OrdersHeader {
  kind: EtsyOrdersFile
  index: OrderColumns
  columns: number
}

/** Which of the two files this header row is, and where its columns are; or what is wrong with it. */
export function readOrdersHeader(record: string[]): ({ ok: true } & OrdersHeader) | Problem {
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
  const index: OrderColumns = new Map()
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
  return { ok: true, kind, index, columns: record.length }
}

// ---- Reading one row --------------------------------------------------------------------------

export interface OrderRowError {
  file: EtsyOrdersFile
  file_row: number
  col: string | null
  message: string
}

/** What the rows are read against; one per import, shared by both its files. */
export interface OrderRowSettings {
  currency: string
  timeZone: string
  /** Sale dates as read so far: a file has a few hundred different days, not a date per row. */
  days: Map<string, { day: Day; at: string } | null>
  /** Country codes by the names read so far. */
  countries: Map<string, string | null>
  /** Whether the orders file came too: then the items file gives only the lines. */
  both: boolean
}

export function orderRowSettings({ currency, timeZone, both }: { currency: string; timeZone: string; both: boolean }): OrderRowSettings {
  return { currency, timeZone, days: new Map(), countries: new Map(), both }
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/

/** "05/19/25" (Etsy's MM/DD/YY) → its day, and noon of that day in the shop's time zone. */
function saleDay(text: string, settings: OrderRowSettings): { day: Day; at: string } | null {
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
  readonly errors: OrderRowError[] = []

  constructor(
    private readonly record: string[],
    private readonly index: OrderColumns,
    private readonly file: EtsyOrdersFile,
    private readonly fileRow: number,
    private readonly settings: OrderRowSettings,
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

  /**
   * The row's currency, upper case. Another currency than the shop's is checked over the whole
   * upload (orders-staging.server.ts): files wholly in another currency are said once, not on every row.
   */
  currency(column: C): string | null {
    const value = this.cell(column).toUpperCase()
    if (!value) this.error(column, `is empty: the shop's prices are in ${this.settings.currency}`)
    return value || null
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
export interface OrderRow {
  file_row: number
  order_id: string | null
  sale_day: Day | null
  created_at: string | null
  customer_name: string | null
  address: ShippingAddress | null
  shipping: string | null
  tax: string | null
  total: string | null
  currency: string | null
  cancelled: boolean
  /** Etsy's Status says the order was refunded: it is imported as the rest of the row says, never marked delivered. */
  refunded: boolean
  shipped: boolean
  valid: boolean
}

const CANCELLED = /\bcancel+ed\b/i
const REFUNDED = /\brefund/i

/** One row of a file to read: its header as read, and the import's settings. */
export interface OrdersRowInput {
  record: CsvRecord
  header: OrdersHeader
  settings: OrderRowSettings
}

export function readOrderRow({ record, header, settings }: OrdersRowInput): { row: OrderRow; errors: OrderRowError[] } {
  const fileRow = record.row
  const r = new RowReader<OrderColumn>(record.values, header.index, 'orders', fileRow, settings)
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
  const currency = r.currency('Currency')
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
    currency,
    cancelled: CANCELLED.test(r.cell('Status')),
    refunded: REFUNDED.test(r.cell('Status')),
    shipped: shipped !== null,
    valid: r.errors.length === 0,
  }
  return aligned(record, header, { row, errors: r.errors })
}

/** One row of the items file as staged for planning. */
export interface ItemRow {
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
  currency: string | null
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

export function readItemRow({ record, header, settings }: OrdersRowInput): { row: ItemRow; errors: OrderRowError[] } {
  const fileRow = record.row
  const r = new RowReader<ItemColumn>(record.values, header.index, 'items', fileRow, settings)
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
  const currency = r.currency('Currency')

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
    currency,
    valid: r.errors.length === 0,
  }
  return aligned(record, header, { row, errors: r.errors })
}

/**
 * A row whose values are not under their columns: nothing else about it can be told. It is still
 * read (and staged, without its ids), so that the file's other rows are read as they would be.
 */
function aligned<R extends OrderRow | ItemRow>(
  record: CsvRecord,
  header: OrdersHeader,
  read: { row: R; errors: OrderRowError[] },
): { row: R; errors: OrderRowError[] } {
  if (record.values.length === header.columns) return read
  Object.assign(read.row, { order_id: null, valid: false }, header.kind === 'items' ? { transaction_id: null } : {})
  const message = `This row has ${record.values.length} values where the header has ${header.columns} columns`
  return { row: read.row, errors: [{ file: header.kind, file_row: record.row, col: null, message }] }
}
