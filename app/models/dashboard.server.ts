// The home page, the shop at a glance for the counter: sales today and this week against the
// same days of last week, the orders to pack (oldest first), the fabrics to reorder, the posts
// coming up. Every figure comes with the days or filter of the list it links to, so that the list
// shows what the figure counts. Days are the shop's (SHOP_TIMEZONE).
import { and, asc, count, desc, gte, inArray, lt, lte, ne, not, sql } from 'drizzle-orm'
import { asAppUser, db, prepared, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayOf, startOfDay, startOfWeek, type Day } from '~/utils/dates'
import { MAX_PACKING_SLIPS } from './order-options'
import { contentCalendar, fabrics, ordersVisible } from './schema'

const OPEN_STATUSES = ['pending', 'processing', 'shipped'] as const
type OpenStatus = (typeof OPEN_STATUSES)[number]
/** Placed and not yet shipped: what is waiting to be packed. */
export const TO_PACK_STATUSES = ['pending', 'processing'] as const

// Three counts of the current (not archived) fabrics, each answered from a partial index
// (fabrics_in_stock_quantity_idx, fabrics_low_stock_idx, fabrics_out_of_stock_idx), so the
// cost follows the counted rows' index, not the table. "Low" is each fabric's own threshold.
const fabricStats = prepared((database) =>
  database
    .select({
      inStock: sql<number>`(select count(*) from ${fabrics} where ${fabrics.inStock} and ${fabrics.archivedAt} is null)::int`,
      low: sql<number>`(select count(*) from ${fabrics} where ${fabrics.archivedAt} is null and ${fabrics.stockQuantity} > 0 and ${fabrics.stockQuantity} <= ${fabrics.lowStockThreshold})::int`,
      out: sql<number>`(select count(*) from ${fabrics} where ${fabrics.stockQuantity} = 0 and ${fabrics.archivedAt} is null)::int`,
    })
    .from(sql`(select 1) as one`)
    .prepare('dashboard_fabric_stats'),
)

/** The fabrics to reorder: out of stock first, then the lowest, each at or under its own threshold. */
const reorderFabrics = (limit: number) =>
  db
    .select({
      id: fabrics.id,
      name: fabrics.name,
      stockQuantity: fabrics.stockQuantity,
      lowStockThreshold: fabrics.lowStockThreshold,
    })
    .from(fabrics)
    .where(and(sql`${fabrics.archivedAt} is null`, lte(fabrics.stockQuantity, fabrics.lowStockThreshold)))
    .orderBy(asc(fabrics.stockQuantity), asc(fabrics.name), asc(fabrics.id))
    .limit(limit)

// Orders and posts are read as app_user for the signed-in user (row-level security), in one
// transaction; the fabrics' figures above run beside it.

// Only the open statuses: an index-only scan of orders_status_idx over open orders,
// however many delivered ones the years add.
const openOrdersByStatus = (tx: Transaction) =>
  tx
    .select({ status: ordersVisible.status, count: count() })
    .from(ordersVisible)
    .where(inArray(ordersVisible.status, OPEN_STATUSES))
    .groupBy(ordersVisible.status)

/** The oldest orders waiting to be packed (only what a list shows is read: small rows). */
const ordersToPack = (tx: Transaction, limit: number) =>
  tx
    .select({
      id: ordersVisible.id,
      number: ordersVisible.number,
      customerName: ordersVisible.customerName,
      status: ordersVisible.status,
      createdAt: ordersVisible.createdAt,
      lines: sql<number>`jsonb_array_length(${ordersVisible.items})`,
    })
    .from(ordersVisible)
    .where(inArray(ordersVisible.status, [...TO_PACK_STATUSES]))
    .orderBy(asc(ordersVisible.createdAt), asc(ordersVisible.id))
    .limit(limit)

/** A span of the shop's days, first to last (both included). */
export interface DayRange {
  from: Day
  to: Day
}

export interface Sales {
  /** The orders' totals added up, cancelled ones left out ("123.45"). */
  amount: string
  orders: number
}

/** Sales over each range, cancelled orders left out; one scan of orders_created_at_idx. */
async function salesOf(tx: Transaction, ranges: DayRange[], timeZone: string): Promise<Sales[]> {
  const first = ranges.reduce((min, r) => (r.from < min ? r.from : min), ranges[0]!.from)
  const last = ranges.reduce((max, r) => (r.to > max ? r.to : max), ranges[0]!.to)
  const columns = Object.fromEntries(
    ranges.flatMap((r, i) => {
      const inRange = sql`${ordersVisible.createdAt} >= ${startOfDay(r.from, timeZone).toISOString()}::timestamptz
        and ${ordersVisible.createdAt} < ${startOfDay(addDays(r.to, 1), timeZone).toISOString()}::timestamptz`
      return [
        [`amount${i}`, sql<string>`coalesce(sum(${ordersVisible.totalAmount}) filter (where ${inRange}), 0)::text`],
        [`orders${i}`, sql<number>`(count(*) filter (where ${inRange}))::int`],
      ]
    }),
  )
  const [row] = await tx
    .select(columns)
    .from(ordersVisible)
    .where(
      and(
        ne(ordersVisible.status, 'cancelled'),
        gte(ordersVisible.createdAt, sql`${startOfDay(first, timeZone).toISOString()}::timestamptz`),
        lt(ordersVisible.createdAt, sql`${startOfDay(addDays(last, 1), timeZone).toISOString()}::timestamptz`),
      ),
    )
  return ranges.map((_, i) => ({
    amount: String(row?.[`amount${i}`] ?? '0'),
    orders: Number(row?.[`orders${i}`] ?? 0),
  }))
}

interface Window {
  /** Now: posts before it are overdue. */
  from: string
  /** The end of the last day of the window (the shop's midnight after it). */
  to: string
  limit: number
}

const postColumns = {
  id: contentCalendar.id,
  title: contentCalendar.title,
  platform: contentCalendar.platform,
  contentType: contentCalendar.contentType,
  scheduledDate: contentCalendar.scheduledDate,
}

const upcomingPosts = (tx: Transaction, { from, to, limit }: Window) =>
  tx
    .select(postColumns)
    .from(contentCalendar)
    .where(
      and(
        not(contentCalendar.published),
        gte(contentCalendar.scheduledDate, sql`${from}::timestamptz`),
        lt(contentCalendar.scheduledDate, sql`${to}::timestamptz`),
      ),
    )
    .orderBy(asc(contentCalendar.scheduledDate))
    .limit(limit)

// Overdue: scheduled in the past and not published, the most recently missed first.
const overduePosts = (tx: Transaction, { from, limit }: Window) =>
  tx
    .select(postColumns)
    .from(contentCalendar)
    .where(and(not(contentCalendar.published), lt(contentCalendar.scheduledDate, sql`${from}::timestamptz`)))
    .orderBy(desc(contentCalendar.scheduledDate))
    .limit(limit)

const postCounts = (tx: Transaction, { from, to }: Window) =>
  tx
    .select({
      upcoming: sql<number>`(count(*) filter (where ${contentCalendar.scheduledDate} >= ${from}::timestamptz))::int`,
      overdue: sql<number>`(count(*) filter (where ${contentCalendar.scheduledDate} < ${from}::timestamptz))::int`,
    })
    .from(contentCalendar)
    .where(and(not(contentCalendar.published), lt(contentCalendar.scheduledDate, sql`${to}::timestamptz`)))

/** The days the home page speaks of, in the shop's zone, for `now`. */
export function dashboardDays(now: Date, timeZone: string) {
  const today = dayOf(now, timeZone)
  const monday = startOfWeek(today)
  return {
    today: { from: today, to: today },
    sameDayLastWeek: { from: addDays(today, -7), to: addDays(today, -7) },
    thisWeek: { from: monday, to: today },
    sameDaysLastWeek: { from: addDays(monday, -7), to: addDays(today, -7) },
    /** "The next 7 days": today and the six after it, as the calendar's list shows them. */
    nextSevenDays: { from: today, to: addDays(today, 6) },
  } satisfies Record<string, DayRange>
}

export interface DashboardOptions {
  now?: Date
  /** How many entries each list shows (posts, orders to pack, fabrics to reorder). */
  limit?: number
  timeZone?: string
}

/** The home page for the signed-in `userId`. */
export async function getDashboard(
  userId: string,
  { now = new Date(), limit = 4, timeZone = env().SHOP_TIMEZONE }: DashboardOptions = {},
) {
  const days = dashboardDays(now, timeZone)
  const window = { from: now.toISOString(), to: startOfDay(addDays(days.nextSevenDays.to, 1), timeZone).toISOString(), limit }
  const [[stock], reorder, [statusRows, toPack, sales, posts, overdue, [postTotals]]] = await Promise.all([
    fabricStats().execute(),
    reorderFabrics(limit),
    // One connection runs one statement at a time: these go one after another.
    asAppUser(userId, async (tx) => {
      const statuses = await openOrdersByStatus(tx)
      const packing = await ordersToPack(tx, MAX_PACKING_SLIPS)
      const sold = await salesOf(tx, [days.today, days.sameDayLastWeek, days.thisWeek, days.sameDaysLastWeek], timeZone)
      const upcoming = await upcomingPosts(tx, window)
      const missed = await overduePosts(tx, window)
      return [statuses, packing, sold, upcoming, missed, await postCounts(tx, window)] as const
    }),
  ])
  const byStatus: Record<OpenStatus, number> = { pending: 0, processing: 0, shipped: 0 }
  for (const row of statusRows) byStatus[row.status as OpenStatus] = row.count
  const { inStock, low, out } = stock ?? { inStock: 0, low: 0, out: 0 }
  const [today, sameDayLastWeek, thisWeek, sameDaysLastWeek] = sales as [Sales, Sales, Sales, Sales]
  return {
    days,
    sales: { today, sameDayLastWeek, thisWeek, sameDaysLastWeek },
    fabrics: { total: inStock + out, inStock, low, out },
    reorder,
    orders: {
      byStatus,
      open: byStatus.pending + byStatus.processing + byStatus.shipped,
    },
    toPack: {
      total: byStatus.pending + byStatus.processing,
      oldest: toPack.slice(0, limit),
      /** The orders whose slips "Print every slip" opens (the oldest, up to MAX_PACKING_SLIPS). */
      slipIds: toPack.map((o) => o.id),
    },
    posts: {
      nextSevenDays: postTotals?.upcoming ?? 0,
      overdue: postTotals?.overdue ?? 0,
      upcoming: posts,
      overdueList: overdue,
    },
  }
}
export type Dashboard = Awaited<ReturnType<typeof getDashboard>>
