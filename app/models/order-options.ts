// The orders' fixed choices, shared by the models and the pages (safe in the browser bundle).
import type { OrderStatus } from './schema'

export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] as const satisfies readonly OrderStatus[]

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
}

/** Pending or processing for longer than this is overdue. */
export const OVERDUE_DAYS = 3
export const OPEN_STATUSES = ['pending', 'processing'] as const satisfies readonly OrderStatus[]

/**
 * The workflow: which status may follow which. Cancelling a shipped order is a return, which only
 * an admin may record (`ADMIN_ONLY_TRANSITIONS`). Delivered and cancelled are final.
 */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered', 'cancelled'],
  delivered: [],
  cancelled: [],
}
export const ADMIN_ONLY_TRANSITIONS: readonly (readonly [OrderStatus, OrderStatus])[] = [['shipped', 'cancelled']]

/** The button that moves an order on, by target status. */
export const TRANSITION_LABELS: Record<OrderStatus, string> = {
  pending: 'Back to pending',
  processing: 'Start processing',
  shipped: 'Mark shipped',
  delivered: 'Mark delivered',
  cancelled: 'Cancel order',
}

/** Carriers offered on the shipping form ("Other" takes any name). */
export const CARRIERS = ['Royal Mail', 'Evri', 'DPD', 'DHL', 'UPS', 'FedEx', 'USPS', 'Canada Post'] as const

/** An order as people quote it: "#1042". */
export function orderLabel(number: number) {
  return `#${number}`
}

/** Lines on a new order, at most. */
export const MAX_ORDER_LINES = 50
/** The most of one fabric a line may ask for. */
export const MAX_LINE_QUANTITY = 10_000

// ---- The orders list (/orders, app/models/order-list.server.ts) ----------------------------------

export const ORDERS_PAGE_SIZE = 50
/** Offsets stay bounded: past this page, narrow the filters instead. */
export const ORDERS_MAX_PAGE = 200
/** Tab counts stop here ("1,000+"), so that counting costs no more than a page. */
export const ORDERS_COUNT_CAP = 1000
/**
 * A search reads at most this many matches once (one pass over the search index), and counts
 * them by status; a search that matches more shows "1,000+" for all and no count per status.
 */
export const ORDERS_SEARCH_SAMPLE = 2000

export const ORDER_SORTS = ['newest', 'oldest', 'total-desc', 'total'] as const
export type OrderSort = (typeof ORDER_SORTS)[number]
export const ORDER_SORT_LABELS: Record<OrderSort, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  'total-desc': 'Total, high to low',
  total: 'Total, low to high',
}

/**
 * The statuses the list's ticked orders can be moved to at once. Shipping is not one: each order
 * needs its own tracking number (its page asks for it).
 */
export const BULK_STATUSES = ['processing', 'delivered', 'cancelled'] as const satisfies readonly OrderStatus[]
export type BulkStatus = (typeof BULK_STATUSES)[number]
/** Orders changed at once, at most: a page of the list. */
export const MAX_BULK_ORDERS = ORDERS_PAGE_SIZE

/** Packing slips printed at once, at most. */
export const MAX_PACKING_SLIPS = 100
