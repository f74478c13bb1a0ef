// What an import's preview shows, for the import pages to render: plain types, so that pages and
// components read them without importing a server module.
import type { Day } from '~/utils/dates'
import type { OrderStatus } from '../schema'

/** What a preview lists (its counts cover the whole file). */
export const PREVIEW_ROWS = 50
export const PREVIEW_ERRORS = 200

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
  errors: { row: number; message: string }[]
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
