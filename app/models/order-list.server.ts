// The orders list (/orders): its address read leniently, one page of orders with the status tabs'
// counts, the accountant's CSV export of the same list, and packing slips for ticked orders.
//
// What it costs with a million orders (DESIGN.md §8; the plans are in the notes of `listOrders`):
// - Every sort has an index, with and without a status tab (schema.ts). A page's ids come from the
//   index alone (an index-only scan, however deep the bounded offset goes) and only the page's rows
//   are then read from the table.
// - A tab count stops at ORDERS_COUNT_CAP + 1 rows of an index; the six counts are one statement.
// - A search's expensive part is one pass over the search index (orders_search_idx): a prefix such
//   as "amelia:*" also walks every whole email address that starts with it. So a search reads its
//   matches once (at most ORDERS_SEARCH_SAMPLE of them) and takes both its counts and its page from
//   that one pass; only a broader search needs a second query for its page.
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { asAppUser, rows, type Database, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { countryName } from '~/utils/countries'
import { csvHeader, csvRows, type CsvCell } from '~/utils/csv'
import { addDays, dayOf, startOfDay, toLocalInput, type Day } from '~/utils/dates'
import { isUuid, optionalQueryDay, queryObject, text, wholeNumber } from '~/utils/validation'
import type { OrderItem } from './json-types'
import {
  MAX_PACKING_SLIPS,
  OPEN_STATUSES,
  ORDER_SORTS,
  ORDER_STATUS_LABELS,
  ORDER_STATUSES,
  ORDERS_COUNT_CAP,
  ORDERS_MAX_PAGE,
  ORDERS_PAGE_SIZE,
  ORDERS_SEARCH_SAMPLE,
  OVERDUE_DAYS,
  type OrderSort,
} from './order-options'
// Every read here goes through orders_visible as app_user on behalf of the signed-in user: no rows
// unless that user is enabled staff, and the list's indexes still serve it (schema.ts).
import { ordersVisible as orders, type OrderStatus } from './schema'

type Queryable = Database | Transaction

// ---- The address ------------------------------------------------------------------------------


const OrderQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  from: optionalQueryDay,
  to: optionalQueryDay,
  q: text()
    .trim()
    .max(200)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v : undefined)),
  sort: z.enum(ORDER_SORTS).catch('newest'),
  page: wholeNumber({ min: 1, max: ORDERS_MAX_PAGE, message: 'Not a page' }).catch(1),
})

/** The list's address: `?status=&from=YYYY-MM-DD&to=YYYY-MM-DD&q=&sort=&page=`. */
export interface OrderQuery {
  /** Absent: every status (the "All" tab). */
  status?: OrderStatus
  /** First and last day placed (both included), in the shop's time zone. */
  from?: Day
  to?: Day
  q?: string
  sort: OrderSort
  page: number
}

/** Reads the list's address leniently: a value that makes no sense is ignored, never an error. */
export function parseOrderQuery(params: URLSearchParams): OrderQuery {
  const parsed = OrderQuerySchema.parse(queryObject(params))
  let { from, to } = parsed
  // A range typed backwards means the same days.
  if (from && to && from > to) [from, to] = [to, from]
  const query: OrderQuery = { sort: parsed.sort, page: parsed.page }
  if (parsed.status) query.status = parsed.status
  if (from) query.from = from
  if (to) query.to = to
  if (parsed.q) query.q = parsed.q
  return query
}

/** The list's address with what was typed in the date boxes, and what is wrong with it. */
export interface OrderAddress {
  query: OrderQuery
  /** "Placed from" and "Placed to" as typed, kept in their boxes (even when wrong). */
  typed: { from: string; to: string }
  /** What is wrong with them, and what the list does instead; shown next to the box. */
  errors: { from?: string; to?: string }
}

/**
 * The list's address as the page reads it: the query (lenient, as `parseOrderQuery`) and, for
 * the date boxes, what was typed and why a day was not used. A day that is no date is left out
 * of the list's filter; a range typed backwards shows the days between the two.
 */
export function readOrderAddress(params: URLSearchParams): OrderAddress {
  const query = parseOrderQuery(params)
  const raw = queryObject(params)
  const typed = { from: (raw.from ?? '').trim().slice(0, 40), to: (raw.to ?? '').trim().slice(0, 40) }
  const errors: OrderAddress['errors'] = {}
  const notADay = (box: string, which: string, text: string) =>
    `Enter the ${which} day as YYYY-MM-DD (“${text}” is not a date): the list is shown without a “${box}” day.`
  const from = optionalQueryDay.parse(typed.from || undefined)
  const to = optionalQueryDay.parse(typed.to || undefined)
  if (typed.from && !from) errors.from = notADay('Placed from', 'first', typed.from)
  if (typed.to && !to) errors.to = notADay('Placed to', 'last', typed.to)
  if (from && to && from > to) {
    errors.to = 'The last day is before the first: the list shows the orders placed between the two.'
  }
  return { query, typed, errors }
}

// A whole address as PostgreSQL's parser reads one (its 'email' token), in the shapes people type.
const EMAIL = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u

/**
 * A search as a tsquery for the 'simple' configuration, bound as a value (never SQL):
 * - words match as prefixes: "Amelia Tay" → `amelia:* & tay:*`; a one-character word matches
 *   whole (as a prefix it would match most orders);
 * - "#1042" is that order's number, whole: `1042` (not 10420…);
 * - an email typed whole is the whole address, as the search document holds it: `'ana.b@example.com'`;
 *   a partial one ("ana.b@exa") searches the part before the @ (the domain would match most orders).
 */
export function orderSearchTerms(q: string | undefined): string | undefined {
  const terms: string[] = []
  for (const chunk of (q ?? '').toLowerCase().split(/\s+/)) {
    const text = chunk.replace(/^#+/, '')
    if (!text) continue
    if (text !== chunk && /^\d+$/.test(text)) {
      terms.push(text)
    } else if (EMAIL.test(text)) {
      terms.push(`'${text}'`)
    } else {
      const at = text.indexOf('@')
      const words = (at > 0 ? text.slice(0, at) : text).match(/[\p{L}\p{N}]+/gu) ?? []
      for (const word of words) terms.push(word.length > 1 ? `${word}:*` : word)
    }
  }
  const unique = [...new Set(terms)].slice(0, 8)
  return unique.length ? unique.join(' & ') : undefined
}

// ---- Which orders, in which order ---------------------------------------------------------------

interface Clock {
  /** The shop's time zone: the days of `from` and `to`, and the export's dates (SHOP_TIMEZONE). */
  timeZone?: string
  /** What "overdue" is measured from. */
  now?: Date
}

/** Which orders a list covers; without its status tab when `status` is false (for the tabs' counts). */
export function orderWhere(query: OrderQuery, timeZone: string, { status = true } = {}): SQL | undefined {
  const terms = orderSearchTerms(query.q)
  return and(
    status && query.status ? eq(orders.status, query.status) : undefined,
    query.from ? gte(orders.createdAt, startOfDay(query.from, timeZone)) : undefined,
    query.to ? lt(orders.createdAt, startOfDay(addDays(query.to, 1), timeZone)) : undefined,
    terms ? sql`${orders.search} @@ to_tsquery('simple', ${terms})` : undefined,
  )
}

const byTotal = (sort: OrderSort) => sort === 'total' || sort === 'total-desc'
const descending = (sort: OrderSort) => sort === 'newest' || sort === 'total-desc'

/** ORDER BY for a sort: each is served by an index, and ends on the id so that pages never overlap. */
export function orderOrder(sort: OrderSort): SQL[] {
  const direction = descending(sort) ? desc : asc
  return [direction(byTotal(sort) ? orders.totalAmount : orders.createdAt), direction(orders.id)]
}

/** The same order over a derived table's plain column names. */
function orderOrderByName(sort: OrderSort): SQL {
  const direction = descending(sort) ? 'desc' : 'asc'
  return sql.raw(`${byTotal(sort) ? 'total_amount' : 'created_at'} ${direction}, id ${direction}`)
}

// ---- The list -----------------------------------------------------------------------------------

function listColumns(now: Date) {
  const overdueBefore = new Date(now.getTime() - OVERDUE_DAYS * 24 * 60 * 60 * 1000)
  return {
    id: orders.id,
    number: orders.number,
    createdAt: orders.createdAt,
    customerName: orders.customerName,
    customerEmail: orders.customerEmail,
    status: orders.status,
    totalAmount: orders.totalAmount,
    etsyOrderId: orders.etsyOrderId,
    itemCount: sql<number>`jsonb_array_length(${orders.items})`.mapWith(Number),
    // Pending or processing, and placed more than OVERDUE_DAYS ago.
    overdue: sql<boolean>`(${and(inArray(orders.status, [...OPEN_STATUSES]), lt(orders.createdAt, overdueBefore))})`,
  }
}

/**
 * A date range sorted by total has no index with both: walking orders_total_idx and skipping the
 * rows out of range can read most of the table for a few days' orders (53 ms for three days of a
 * million). So a range of at most this many orders is read whole, by its dates, and sorted;
 * a longer one walks the total's index, where its rows are common enough to find a page quickly.
 */
const RANGE_SORT_ROWS = 10_000

/** The ids of a page (and one more, to know whether a next page exists), as a derived table. */
async function pageIds(q: Queryable, where: SQL | undefined, query: OrderQuery) {
  const direction = descending(query.sort) ? desc : asc
  const offset = (query.page - 1) * ORDERS_PAGE_SIZE
  if (byTotal(query.sort) && (query.from || query.to) && !orderSearchTerms(query.q)) {
    const inRange = () =>
      q
        .select({ id: orders.id, totalAmount: orders.totalAmount })
        .from(orders)
        .where(where)
        .limit(RANGE_SORT_ROWS + 1)
    const [range] = await q.select({ n: sql<number>`count(*)::int`.mapWith(Number) }).from(inRange().as('capped'))
    if (range!.n <= RANGE_SORT_ROWS) {
      const found = inRange().as('in_range')
      return q
        .select({ id: found.id })
        .from(found)
        .orderBy(direction(found.totalAmount), direction(found.id))
        .limit(ORDERS_PAGE_SIZE + 1)
        .offset(offset)
        .as('page_ids')
    }
  }
  return q
    .select({ id: orders.id })
    .from(orders)
    .where(where)
    .orderBy(...orderOrder(query.sort))
    .limit(ORDERS_PAGE_SIZE + 1)
    .offset(offset)
    .as('page_ids')
}

/**
 * One page (and one row more). The ids come first, from the sort's index alone where it can (an
 * index-only scan, so that a deep page skips index entries rather than rows); then only those
 * rows are read.
 */
async function pageOfOrders(q: Queryable, where: SQL | undefined, query: OrderQuery, now: Date) {
  const ids = await pageIds(q, where, query)
  return q
    .select(listColumns(now))
    .from(ids)
    .innerJoin(orders, eq(orders.id, ids.id))
    .orderBy(...orderOrder(query.sort))
}

type ListRow = Awaited<ReturnType<typeof pageOfOrders>>[number]

async function ordersByIds(q: Queryable, ids: string[], now: Date): Promise<ListRow[]> {
  if (!ids.length) return []
  const found = await q.select(listColumns(now)).from(orders).where(inArray(orders.id, ids))
  const byId = new Map(found.map((row) => [row.id, row]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/** A tab's count: up to ORDERS_COUNT_CAP, and whether there are more. Null: not counted. */
export type TabCount = { count: number; more: boolean } | null
export type TabCounts = Record<'all' | OrderStatus, TabCount>

const capped = (n: number): TabCount => ({ count: Math.min(n, ORDERS_COUNT_CAP), more: n > ORDERS_COUNT_CAP })

/** Every tab's count, each stopping at ORDERS_COUNT_CAP + 1 index entries, in one statement. */
async function countTabs(q: Queryable, where: SQL | undefined): Promise<TabCounts> {
  const count = (w: SQL | undefined) =>
    sql`(select count(*)::int from (${q
      .select({ one: sql`1` })
      .from(orders)
      .where(w)
      .limit(ORDERS_COUNT_CAP + 1)}) as capped)`
  const columns = [
    sql`${count(where)} as "all"`,
    ...ORDER_STATUSES.map((s) => sql`${count(and(where, eq(orders.status, s)))} as ${sql.identifier(s)}`),
  ]
  const [row] = await rows<Record<'all' | OrderStatus, number>>(q, sql`select ${sql.join(columns, sql`, `)}`)
  return Object.fromEntries(
    (['all', ...ORDER_STATUSES] as const).map((key) => [key, capped(Number(row![key]))]),
  ) as TabCounts
}

/**
 * A search's one pass over the search index: its matches (at most ORDERS_SEARCH_SAMPLE + 1),
 * counted by status, and the ids of the requested page among them (in the list's order).
 */
async function searchPass(q: Queryable, where: SQL | undefined, query: OrderQuery) {
  const matches = q
    .select({ id: orders.id, status: orders.status, createdAt: orders.createdAt, totalAmount: orders.totalAmount })
    .from(orders)
    .where(where)
    .limit(ORDERS_SEARCH_SAMPLE + 1)
  const order = orderOrderByName(query.sort)
  const tab = query.status ? sql`where status = ${query.status}` : sql``
  const [row] = await rows<{ n: number; counts: Partial<Record<OrderStatus, number>>; ids: string[] }>(
    q,
    sql`with s as materialized (${matches})
      select (select count(*)::int from s) as n,
        (select coalesce(json_object_agg(status, c), '{}'::json)
           from (select status, count(*)::int as c from s group by status) as by_status) as counts,
        (select coalesce(json_agg(id order by ${order}), '[]'::json)
           from (select id, created_at, total_amount from s ${tab} order by ${order}
                 limit ${ORDERS_PAGE_SIZE + 1} offset ${(query.page - 1) * ORDERS_PAGE_SIZE}) as page) as ids`,
  )
  return { n: Number(row!.n), counts: row!.counts, ids: row!.ids }
}

/**
 * One page of the list and the tabs' counts for the other filters (search, dates).
 *
 * Without a search: the page (an index-only scan of the sort's index for its ids, then 50 rows by
 * key) and the six capped counts (index-only scans) run side by side. With a search: one pass over
 * the search index reads up to ORDERS_SEARCH_SAMPLE + 1 matches; when that is all of them, the
 * counts and the page come from it (exact). A broader search counts only "all" (1,000+) and runs
 * the page's own query, which the planner serves from the sort's index, filtering as it goes
 * (a broad search finds a page's worth of matches quickly).
 */
export async function listOrders(
  userId: string,
  query: OrderQuery,
  { timeZone = env().SHOP_TIMEZONE, now = new Date() }: Clock = {},
) {
  const others = orderWhere(query, timeZone, { status: false })
  const where = orderWhere(query, timeZone)
  let items: ListRow[]
  let counts: TabCounts
  let searchTooBroad = false
  if (orderSearchTerms(query.q)) {
    ;[items, counts, searchTooBroad] = await asAppUser(userId, async (q) => {
      const pass = await searchPass(q, others, query)
      if (pass.n <= ORDERS_SEARCH_SAMPLE) {
        const exact = Object.fromEntries([
          ['all', capped(pass.n)],
          ...ORDER_STATUSES.map((s) => [s, capped(Number(pass.counts[s] ?? 0))]),
        ]) as TabCounts
        return [await ordersByIds(q, pass.ids, now), exact, false] as const
      }
      const onlyAll = Object.fromEntries([['all', capped(pass.n)], ...ORDER_STATUSES.map((s) => [s, null])]) as TabCounts
      return [await pageOfOrders(q, where, query, now), onlyAll, true] as const
    })
  } else {
    // Two transactions (a connection runs one statement at a time), side by side.
    ;[items, counts] = await Promise.all([
      asAppUser(userId, (q) => pageOfOrders(q, where, query, now)),
      asAppUser(userId, (q) => countTabs(q, others)),
    ])
  }
  const current = counts[query.status ?? 'all']
  return {
    items: items.slice(0, ORDERS_PAGE_SIZE),
    counts,
    /** True when a search matched too many orders to count them by status. */
    searchTooBroad,
    page: query.page,
    /** How many pages (counting no further than the cap); null when this tab was not counted. */
    pages: current ? Math.min(ORDERS_MAX_PAGE, Math.max(1, Math.ceil(current.count / ORDERS_PAGE_SIZE))) : null,
    more: current?.more ?? false,
    hasNext: items.length > ORDERS_PAGE_SIZE && query.page < ORDERS_MAX_PAGE,
  }
}
export type OrderList = Awaited<ReturnType<typeof listOrders>>
export type OrderListItem = OrderList['items'][number]

// ---- The accountant's export --------------------------------------------------------------------

/** Orders read per statement: the export holds one batch at a time, whatever the list's size. */
export const EXPORT_BATCH = 1000

export const ORDER_EXPORT_COLUMNS = [
  'Order',
  'Placed',
  'Status',
  'Customer',
  'Email',
  'Etsy order',
  'Items',
  'Subtotal',
  'Shipping',
  'Tax',
  'Total',
  'Carrier',
  'Tracking number',
  'Country',
] as const
export const LINE_EXPORT_COLUMNS = [
  'Order',
  'Placed',
  'Status',
  'Customer',
  'SKU',
  'Item',
  'Unit price',
  'Quantity',
  'Line total',
] as const

/** The export's name: `orders-2026-05-14.csv`, or `order-lines-….csv`, dated in the shop's zone. */
export function exportFilename({ lines = false, timeZone = env().SHOP_TIMEZONE, now = new Date() } = {}) {
  return `${lines ? 'order-lines' : 'orders'}-${dayOf(now, timeZone)}.csv`
}

function exportColumns(query: OrderQuery, lines: boolean) {
  return {
    id: orders.id,
    // The sort's value as exact text, for the next batch's keyset (a Date would drop microseconds).
    key: sql<string>`${byTotal(query.sort) ? orders.totalAmount : orders.createdAt}::text`,
    number: orders.number,
    createdAt: orders.createdAt,
    status: orders.status,
    customerName: orders.customerName,
    customerEmail: orders.customerEmail,
    etsyOrderId: orders.etsyOrderId,
    itemCount: sql<number>`jsonb_array_length(${orders.items})`.mapWith(Number),
    // The lines only for a per-line export (an order's row needs only their number).
    items: (lines ? sql`${orders.items}` : sql`null`).mapWith(
      (value: unknown): OrderItem[] | null => (typeof value === 'string' ? JSON.parse(value) : value) as OrderItem[] | null,
    ),
    subtotal: sql<string>`(${orders.totalAmount} - ${orders.shippingAmount} - ${orders.taxAmount})::text`,
    shippingAmount: orders.shippingAmount,
    taxAmount: orders.taxAmount,
    totalAmount: orders.totalAmount,
    carrier: orders.carrier,
    trackingNumber: orders.trackingNumber,
    country: sql<string | null>`${orders.shippingAddress} ->> 'country'`,
  }
}

function exportBatch(
  q: Queryable,
  columns: ReturnType<typeof exportColumns>,
  where: SQL | undefined,
  sort: OrderSort,
  size: number,
) {
  return q
    .select(columns)
    .from(orders)
    .where(where)
    .orderBy(...orderOrder(sort))
    .limit(size)
}
type ExportRow = Awaited<ReturnType<typeof exportBatch>>[number]

/**
 * The list's orders (every page), in the list's order, a batch at a time. Each batch is one
 * statement that starts after the previous batch's last row (keyset on the sort's value and the
 * id), served by the sort's index: no transaction or cursor is held open between batches.
 */
async function* exportBatches(
  userId: string,
  query: OrderQuery,
  { lines, timeZone, batchSize }: { lines: boolean; timeZone: string; batchSize: number },
) {
  const where = orderWhere(query, timeZone)
  const columns = exportColumns(query, lines)
  const key = byTotal(query.sort) ? orders.totalAmount : orders.createdAt
  const cast = sql.raw(byTotal(query.sort) ? 'numeric' : 'timestamptz')
  const after = sql.raw(descending(query.sort) ? '<' : '>')
  let last: { key: string; id: string } | undefined
  for (;;) {
    const batch = await asAppUser(userId, (tx) =>
      exportBatch(
        tx,
        columns,
        and(where, last ? sql`(${key}, ${orders.id}) ${after} (${last.key}::${cast}, ${last.id}::uuid)` : undefined),
        query.sort,
        batchSize,
      ),
    )
    if (batch.length) yield batch
    if (batch.length < batchSize) return
    const end = batch.at(-1)!
    last = { key: end.key, id: end.id }
  }
}


function orderRecord(row: ExportRow, placed: string): CsvCell[] {
  return [
    String(row.number),
    placed,
    ORDER_STATUS_LABELS[row.status],
    row.customerName,
    row.customerEmail,
    row.etsyOrderId,
    String(row.itemCount),
    row.subtotal,
    row.shippingAmount,
    row.taxAmount,
    row.totalAmount,
    row.carrier,
    row.trackingNumber,
    row.country ? countryName(row.country) : '',
  ]
}

function lineRecords(row: ExportRow, placed: string): CsvCell[][] {
  return (row.items ?? []).map((item) => [
    String(row.number),
    placed,
    ORDER_STATUS_LABELS[row.status],
    row.customerName,
    item.sku,
    item.name,
    item.unitPrice,
    String(item.quantity),
    item.lineTotal,
  ])
}

/**
 * The list as filtered (every page, no paging) as CSV for the accountant: one row per order, or
 * with `lines` one row per order line. Dates are the shop's wall clock ('YYYY-MM-DD HH:mm');
 * amounts are plain decimals. Batches are read as the response is read, so a slow download never
 * piles up in memory.
 */
export async function exportOrders(
  userId: string,
  query: OrderQuery,
  { lines = false, timeZone = env().SHOP_TIMEZONE, batchSize = EXPORT_BATCH }: { lines?: boolean; timeZone?: string; batchSize?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder()
  async function* csv() {
    yield csvHeader(lines ? LINE_EXPORT_COLUMNS : ORDER_EXPORT_COLUMNS)
    for await (const batch of exportBatches(userId, query, { lines, timeZone, batchSize })) {
      const records = batch.flatMap((row) => {
        const placed = toLocalInput(row.createdAt, timeZone).replace('T', ' ')
        return lines ? lineRecords(row, placed) : [orderRecord(row, placed)]
      })
      if (records.length) yield csvRows(records)
    }
  }
  const chunks = csv()
  // The header and the first batch are read before the response starts: a database that is down
  // from the start rejects here (an error page, never a file with a header only); one that fails
  // later errors the stream (a cut-off download).
  const ahead: IteratorResult<string>[] = [await chunks.next()]
  if (!ahead[0]!.done) ahead.push(await chunks.next())
  return new ReadableStream<Uint8Array>({
    // Called each time the reader wants more: one batch per call.
    async pull(controller) {
      const next = ahead.shift() ?? (await chunks.next())
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}

// ---- Packing slips ------------------------------------------------------------------------------

/**
 * The orders to pack, in the order asked (each once): address, lines and notes. At most
 * MAX_PACKING_SLIPS; ids that are not uuids are ignored, and unknown ones are left out.
 * A cancelled order has nothing to pack: it gets no slip (a slip in the pile gets packed, however
 * it is marked), and comes back in `cancelled` so that the page says which were left out.
 */
export async function packingSlips(userId: string, ids: string[]) {
  const found = await tickedOrders(userId, ids)
  return {
    slips: found.filter((o) => o.status !== 'cancelled'),
    cancelled: found.filter((o) => o.status === 'cancelled').map((o) => ({ id: o.id, number: o.number })),
  }
}

async function tickedOrders(userId: string, ids: string[]) {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))].slice(0, MAX_PACKING_SLIPS)
  if (!wanted.length) return []
  const found = await asAppUser(userId, (tx) =>
    tx
      .select({
        id: orders.id,
        number: orders.number,
        createdAt: orders.createdAt,
        status: orders.status,
        customerName: orders.customerName,
        customerEmail: orders.customerEmail,
        etsyOrderId: orders.etsyOrderId,
        shippingAddress: orders.shippingAddress,
        items: orders.items,
        notes: orders.notes,
      })
      .from(orders)
      .where(inArray(orders.id, wanted)),
  )
  const byId = new Map(found.map((o) => [o.id, o]))
  return wanted.flatMap((id) => byId.get(id) ?? [])
}
export type PackingSlip = Awaited<ReturnType<typeof packingSlips>>['slips'][number]
