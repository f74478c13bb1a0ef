// The figures on the home page: stock, open orders, posts coming up.
import { and, asc, count, desc, gte, inArray, lt, not, sql } from 'drizzle-orm'
import { asAppUser, prepared, type Transaction } from '~/services/db.server'
import { contentCalendar, fabrics, ordersVisible } from './schema'

const OPEN_STATUSES = ['pending', 'processing', 'shipped'] as const
type OpenStatus = (typeof OPEN_STATUSES)[number]

// Three counts of the current (not archived) fabrics, each answered from a partial index
// (fabrics_in_stock_quantity_idx, fabrics_low_stock_idx, fabrics_out_of_stock_idx), so the
// cost follows the counted rows' index, not the table. "Low" is each fabric's own threshold.
const fabricStats = prepared((db) =>
  db
    .select({
      inStock: sql<number>`(select count(*) from ${fabrics} where ${fabrics.inStock} and ${fabrics.archivedAt} is null)::int`,
      low: sql<number>`(select count(*) from ${fabrics} where ${fabrics.archivedAt} is null and ${fabrics.stockQuantity} > 0 and ${fabrics.stockQuantity} <= ${fabrics.lowStockThreshold})::int`,
      out: sql<number>`(select count(*) from ${fabrics} where ${fabrics.stockQuantity} = 0 and ${fabrics.archivedAt} is null)::int`,
    })
    .from(sql`(select 1) as one`)
    .prepare('dashboard_fabric_stats'),
)

// Orders and posts are read as app_user for the signed-in user (row-level security), in one
// transaction; the fabrics' counts above run beside it.

// Only the open statuses: an index-only scan of orders_status_idx over open orders,
// however many delivered ones the years add.
const openOrdersByStatus = (tx: Transaction) =>
  tx
    .select({ status: ordersVisible.status, count: count() })
    .from(ordersVisible)
    .where(inArray(ordersVisible.status, OPEN_STATUSES))
    .groupBy(ordersVisible.status)

interface Window {
  from: string
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

export interface DashboardOptions {
  now?: Date
  /** How many upcoming posts to list. */
  limit?: number
}

/** The home page for the signed-in `userId`. */
export async function getDashboard(userId: string, { now = new Date(), limit = 8 }: DashboardOptions = {}) {
  const window = { from: now.toISOString(), to: new Date(now.getTime() + 7 * 24 * 3600 * 1000).toISOString(), limit }
  const [[stock], [statusRows, posts, overdue, [postTotals]]] = await Promise.all([
    fabricStats().execute(),
    // One connection runs one statement at a time: these go one after another.
    asAppUser(userId, async (tx) => {
      const statuses = await openOrdersByStatus(tx)
      const upcoming = await upcomingPosts(tx, window)
      const missed = await overduePosts(tx, window)
      return [statuses, upcoming, missed, await postCounts(tx, window)] as const
    }),
  ])
  const byStatus: Record<OpenStatus, number> = { pending: 0, processing: 0, shipped: 0 }
  for (const row of statusRows) byStatus[row.status as OpenStatus] = row.count
  const { inStock, low, out } = stock ?? { inStock: 0, low: 0, out: 0 }
  return {
    fabrics: { total: inStock + out, inStock, low, out },
    orders: {
      byStatus,
      open: byStatus.pending + byStatus.processing + byStatus.shipped,
    },
    posts: {
      nextSevenDays: postTotals?.upcoming ?? 0,
      overdue: postTotals?.overdue ?? 0,
      upcoming: posts,
      overdueList: overdue,
    },
  }
}
