// The figures on the home page: stock, open orders, posts coming up.
import { and, asc, count, eq, gte, lt, not, sql } from 'drizzle-orm'
import { prepared } from '~/services/db.server'
import { contentCalendar, fabrics, orderStatus, orders } from './schema'

type OrderStatus = (typeof orderStatus.enumValues)[number]
const OPEN_STATUSES: OrderStatus[] = ['pending', 'processing', 'shipped']

const fabricStats = prepared((db) =>
  db
    .select({
      total: sql<number>`count(*)::int`,
      inStock: sql<number>`(count(*) filter (where ${fabrics.inStock} and ${fabrics.stockQuantity} > 0))::int`,
      low: sql<number>`(count(*) filter (where ${fabrics.inStock} and ${fabrics.stockQuantity} > 0 and ${fabrics.stockQuantity} <= ${sql.placeholder('low')}))::int`,
      out: sql<number>`(count(*) filter (where not ${fabrics.inStock} or ${fabrics.stockQuantity} = 0))::int`,
    })
    .from(fabrics)
    .prepare('dashboard_fabric_stats'),
)

const ordersByStatus = prepared((db) =>
  db
    .select({ status: orders.status, count: count() })
    .from(orders)
    .groupBy(orders.status)
    .prepare('dashboard_orders_by_status'),
)

const upcomingWhere = and(
  not(contentCalendar.published),
  gte(contentCalendar.scheduledDate, sql`${sql.placeholder('from')}::timestamptz`),
  lt(contentCalendar.scheduledDate, sql`${sql.placeholder('to')}::timestamptz`),
)

const upcomingPosts = prepared((db) =>
  db
    .select({
      id: contentCalendar.id,
      title: contentCalendar.title,
      platform: contentCalendar.platform,
      contentType: contentCalendar.contentType,
      scheduledDate: contentCalendar.scheduledDate,
    })
    .from(contentCalendar)
    .where(upcomingWhere)
    .orderBy(asc(contentCalendar.scheduledDate))
    .limit(sql.placeholder('limit'))
    .prepare('dashboard_upcoming_posts'),
)

const postCounts = prepared((db) =>
  db
    .select({
      upcoming: sql<number>`(count(*) filter (where ${contentCalendar.scheduledDate} >= ${sql.placeholder('from')}::timestamptz))::int`,
      overdue: sql<number>`(count(*) filter (where ${contentCalendar.scheduledDate} < ${sql.placeholder('from')}::timestamptz))::int`,
    })
    .from(contentCalendar)
    .where(
      and(
        eq(contentCalendar.published, false),
        lt(contentCalendar.scheduledDate, sql`${sql.placeholder('to')}::timestamptz`),
      ),
    )
    .prepare('dashboard_post_counts'),
)

export interface DashboardOptions {
  now?: Date
  lowStockThreshold: number
  /** How many upcoming posts to list. */
  limit?: number
}

export async function getDashboard({ now = new Date(), lowStockThreshold, limit = 8 }: DashboardOptions) {
  const from = now.toISOString()
  const to = new Date(now.getTime() + 7 * 24 * 3600 * 1000).toISOString()
  const [[stock], statusRows, posts, [postTotals]] = await Promise.all([
    fabricStats().execute({ low: lowStockThreshold }),
    ordersByStatus().execute(),
    upcomingPosts().execute({ from, to, limit }),
    postCounts().execute({ from, to }),
  ])
  const byStatus = Object.fromEntries(orderStatus.enumValues.map((s) => [s, 0])) as Record<
    OrderStatus,
    number
  >
  for (const row of statusRows) byStatus[row.status] = row.count
  return {
    lowStockThreshold,
    fabrics: stock ?? { total: 0, inStock: 0, low: 0, out: 0 },
    orders: {
      byStatus,
      open: OPEN_STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
    },
    posts: {
      nextSevenDays: postTotals?.upcoming ?? 0,
      overdue: postTotals?.overdue ?? 0,
      upcoming: posts,
    },
  }
}
