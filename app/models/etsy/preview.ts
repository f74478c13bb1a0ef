// What an import's preview shows, for the import pages to render: plain types, so that pages and
// components read them without importing a server module.
import type { Day } from '~/utils/dates'
import type { OrderStatus } from '../schema'

/** What a preview lists (its counts cover the whole file). */
export const PREVIEW_ROWS = 50
export const PREVIEW_ERRORS = 200

/**
 * Every row of the upload names one currency, and it is not the shop's: said once, above the
 * rows, with what to do about it (the rows do not repeat it). Tara Hub never converts amounts.
 */
export interface CurrencyMismatch {
  /** The upload's currency, and the shop's (SHOP_CURRENCY). */
  file: string
  shop: string
  message: string
}

/** What to tell an admin whose upload (one file, or the two orders files) is in another currency than the shop. */
export function currencyMismatch({ file, shop, files = 1 }: { file: string; shop: string; files?: 1 | 2 }): CurrencyMismatch {
  const [prices, what] = files === 2 ? ["These files' prices", 'the files'] : ["This file's prices", 'the file']
  return {
    file,
    shop,
    message:
      `${prices} are in ${file}; this shop's prices are in ${shop} (SHOP_CURRENCY). Tara Hub does not convert: ` +
      `export ${what} from an Etsy shop in ${shop}, or set SHOP_CURRENCY=${file} if the shop really sells in ${file}.`,
  }
}

// ---- The listings file ------------------------------------------------------------------------

export interface ListingsImportCounts {
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

export interface ListingsImportPreview {
  uploadId: string
  /** Stands for the whole plan: confirming writes only if the plan still has this digest. */
  digest: string
  counts: ListingsImportCounts
  /** Matched fabrics (changed or not) that are archived: they stay archived. */
  archived: number
  newRows: { row: number; title: string; sku: string | null; price: string; quantity: number }[]
  changedRows: { row: number; fabricId: string; name: string; archived: boolean; changes: FieldChange[] }[]
  /** The file is in another currency than the shop: nothing can be imported. */
  currency: CurrencyMismatch | null
  /** The first errors, in row order; each with what its row says of the listing (when it could be read). */
  errors: { row: number; title: string | null; sku: string | null; message: string }[]
  /** Errors beyond the ones listed. */
  moreErrors: number
}

// ---- The sold-orders files --------------------------------------------------------------------

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
  /** New orders sold before the day asked for (`deliveredBefore`), imported as delivered. */
  delivered: number
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
  /** Etsy's order id on that row, when it could be read. */
  etsyOrderId: string | null
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
  /** The files are in another currency than the shop: nothing can be imported. */
  currency: CurrencyMismatch | null
  /**
   * The option "mark orders older than N days as delivered": N, and the first sale day that is
   * not marked (orders sold before it are). Null when the option is off.
   */
  delivered: { afterDays: number; before: Day } | null
  errors: OrdersImportError[]
  /** Errors beyond the ones listed. */
  moreErrors: number
}
