// Etsy's listings file (EtsyListingsDownload.csv, DESIGN.md §9), one row at a time: its header
// row and what each listing row says, checked column by column. Pure: no database, no
// environment; the shop's settings come in as arguments.
import { fromTextCell } from '~/utils/csv'
import { parseTags } from '~/utils/tags'
import { FABRIC_LIMITS } from '../fabric-options'
import { Money, Tags, type EtsyVariation, type FabricImage } from '../json-types'
import { quoted, type CsvRecord } from './csv-record'

export const LISTINGS_FILE_NAME = 'EtsyListingsDownload.csv'

export const IMAGE_COLUMNS = [
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
export const VARIATIONS = [
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
export type ListingColumns = Map<Column, number>

const MAX_TITLE = FABRIC_LIMITS.name
const MAX_SKU = FABRIC_LIMITS.sku
const MAX_DESCRIPTION = FABRIC_LIMITS.description
const MAX_MATERIALS = FABRIC_LIMITS.composition
const MAX_URL = 2000
const MAX_VARIATION_TEXT = 1000

/** What a listing row is read against: the shop's currency, and its address (for its own images). */
export interface ListingSettings {
  currency: string
  appUrl: string
}

/** One listing as staged for planning: `valid` is false when the row has any error. */
export interface ListingRow {
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
  /** CURRENCY_CODE, upper case; null when empty. */
  currency: string | null
  valid: boolean
}

export interface ListingRowError {
  file_row: number
  message: string
}

/** The column positions of a header row, or what is wrong with it. */
export function readListingsHeader(record: string[]): { ok: true; index: ListingColumns } | { ok: false; problem: string } {
  const names = record.map((name) => name.trim().toUpperCase())
  const known = new Set<string>(ETSY_LISTING_COLUMNS)
  const index: ListingColumns = new Map()
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

/**
 * Checks and converts one row of the file (`index` from its header); every problem is reported,
 * column by column. A row whose values are not under their columns is only that error.
 */
export function readListingRow({
  record,
  index,
  settings,
}: {
  record: CsvRecord
  index: ListingColumns
  settings: ListingSettings
}): { row: ListingRow; errors: ListingRowError[] } {
  const { row: fileRow, values } = record
  if (values.length !== index.size) {
    return {
      row: blankRow(fileRow),
      errors: [
        { file_row: fileRow, message: `${values.length} values where Etsy's header has ${ETSY_LISTING_COLUMNS.length} columns` },
      ],
    }
  }
  const errors: string[] = []
  const cell = (column: Column) => {
    // Our own export put an apostrophe before text a spreadsheet would run as a formula.
    const value = fromTextCell(values[index.get(column)!] ?? '')
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

  // Another currency than the shop's is checked over the whole file (listings-import.server.ts):
  // a file wholly in another currency is said once, not on every row.
  const currency = cell('CURRENCY_CODE').trim().toUpperCase()
  if (!currency) errors.push(`CURRENCY_CODE is empty: the shop's prices are in ${settings.currency}`)

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
      currency: currency || null,
      valid: errors.length === 0,
    },
    errors: errors.map((message) => ({ file_row: fileRow, message })),
  }
}

function blankRow(fileRow: number): ListingRow {
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
    currency: null,
    valid: false,
  }
}
