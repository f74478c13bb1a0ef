// The analytics dashboard's figures, read from the analytics table only (the rollup keeps it in
// step with orders and posts: app/models/analytics.server.ts).
//
//   getAnalyticsDashboard({ from, to, platform }) → Dashboard (analytics-options.ts), from Redis
//                                                   when REDIS_URL is set and it holds the range
//                                                   (the cache: analytics-cache.server.ts)
import { sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'
import { roundCents } from '~/utils/chart-data'
import { addDays, dayCount, isDay, startOfWeek, type Day } from '~/utils/dates'
import { cleanSearchParams } from '~/utils/validation'
import {
  COMPUTED_METRICS,
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  METRIC_PLATFORMS,
  RANGE_DAYS,
  SALES_CHANNELS,
  SOCIAL_PLATFORMS,
  type Dashboard,
  type DailyPoint,
  type ManualFigure,
  type MetricPlatform,
  type PostsVsEngagement,
  type StatusCount,
  type WeeklyEngagement,
} from './analytics-options'
import { cachedDashboard, type CacheOptions } from './analytics-cache.server'
import { analyticsSettled } from './analytics-refresh.server'
import { ORDER_STATUSES } from './order-options'
import type { OrderStatus } from './schema'

export interface DashboardQuery {
  from: Day
  to: Day
  platform: MetricPlatform | ''
}

export function previousPeriod({ from, to }: { from: Day; to: Day }): { from: Day; to: Day } {
  const length = dayCount(from, to)
  return { from: addDays(from, -length), to: addDays(from, -1) }
}

export async function getAnalyticsDashboard(query: DashboardQuery, options: CacheOptions = {}): Promise<Dashboard> {
  // The rollups this instance was asked for (after its own orders and posts) come first.
  await analyticsSettled()
  return cachedDashboard(
    {
      reads: { from: previousPeriod(query).from, to: query.to },
      name: `${query.from}:${query.platform}`,
      read: () => readDashboard(query),
    },
    options,
  )
}

// ---------------------------------------------------------------------------------------------
// Reading the figures

const value = sql`(metric_value->>'value')::float8`

/** Every day of the range, with 0 where the table has no row. */
function everyDay(from: Day, to: Day, found: Map<Day, number>): DailyPoint[] {
  const points: DailyPoint[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) points.push({ date: day, value: found.get(day) ?? 0 })
  return points
}

async function readDashboard({ from, to, platform }: DashboardQuery): Promise<Dashboard> {
  const previous = previousPeriod({ from, to })
  // Sales figures exist per channel, engagement per social platform: a filter of the other kind
  // leaves those charts empty.
  const sales = platform === '' || (SALES_CHANNELS as readonly string[]).includes(platform)
  const social = platform === '' || (SOCIAL_PLATFORMS as readonly string[]).includes(platform)

  const [daily, statuses, fabrics, weekly, manual] = await Promise.all([
    rows<{ metric: string; date: Day; value: number; posts: number }>(
      db,
      sql`select metric_type as metric, date::text as date, ${value} as value,
                 coalesce((metric_value->>'posts')::int, 0) as posts
          from analytics
          where metric_type in ('revenue', 'orders', 'units_sold', 'engagement') and platform = ${platform}
            and date between ${previous.from}::date and ${to}::date`,
    ),
    sales
      ? rows<{ status: OrderStatus; count: number }>(
          db,
          sql`select s.key as status, sum(s.value::int)::int as count
              from analytics a cross join lateral jsonb_each_text(a.metric_value->'byStatus') s
              where a.metric_type = 'orders' and a.platform = ${platform} and a.date between ${from}::date and ${to}::date
              group by s.key`,
        )
      : [],
    sales
      ? rows<{ key: string; name: string; revenue: number; units: number }>(
          db,
          sql`with top as (
                select f.key, sum(f.value::numeric) as revenue
                from analytics a cross join lateral jsonb_each_text(a.metric_value->'byFabric') f
                where a.metric_type = 'revenue' and a.platform = ${platform} and a.date between ${from}::date and ${to}::date
                group by f.key order by revenue desc, f.key limit 10)
              select top.key, coalesce(fabrics.name, top.key) as name, top.revenue::float8 as revenue,
                     coalesce((select sum((u.metric_value->'byFabric'->>top.key)::int) from analytics u
                               where u.metric_type = 'units_sold' and u.platform = ${platform}
                                 and u.date between ${from}::date and ${to}::date), 0)::int as units
              from top left join fabrics
                on fabrics.id = case when top.key ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then top.key::uuid end
              order by top.revenue desc, top.key`,
        )
      : [],
    social
      ? rows<{ week: Day; platform: string; value: number }>(
          db,
          sql`select date_trunc('week', date)::date::text as week, platform, sum(${value})::float8 as value
              from analytics
              where metric_type = 'engagement' and platform in ('instagram', 'facebook', 'pinterest')
                ${platform === '' ? sql`` : sql`and platform = ${platform}`}
                and date between ${from}::date and ${to}::date
              group by 1, 2`,
        )
      : [],
    rows<ManualFigure>(
      db,
      sql`select distinct on (metric_type, platform) metric_type as "metricType", platform, date::text as date, ${value} as value
          from analytics
          where metric_type not in (${sql.join(
            COMPUTED_METRICS.map((m) => sql`${m}`),
            sql`, `,
          )}) and date between ${from}::date and ${to}::date
            ${platform === '' ? sql`` : sql`and platform = ${platform}`}
          order by metric_type, platform, date desc
          limit 100`,
    ),
  ])

  const series = (metric: string) => new Map(daily.filter((d) => d.metric === metric).map((d) => [d.date, d.value]))
  const sum = (metric: string, first: Day, last: Day) =>
    daily.filter((d) => d.metric === metric && d.date >= first && d.date <= last).reduce((a, d) => a + d.value, 0)
  const revenue = series('revenue')
  const current = everyDay(from, to, revenue)
  const before = everyDay(previous.from, previous.to, revenue)

  const orders = sum('orders', from, to)
  const revenueTotal = roundCents(current.reduce((a, d) => a + d.value, 0))
  const counts = new Map(statuses.map((s) => [s.status, s.count]))
  const ordersByStatus: StatusCount[] = ORDER_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }))

  const engagementDays = daily.filter((d) => d.metric === 'engagement' && d.date >= from)
  return {
    from,
    to,
    previousFrom: previous.from,
    previousTo: previous.to,
    platform,
    totals: {
      revenue: revenueTotal,
      previousRevenue: roundCents(before.reduce((a, d) => a + d.value, 0)),
      orders,
      previousOrders: sum('orders', previous.from, previous.to),
      unitsSold: sum('units_sold', from, to),
      averageOrderValue: orders > 0 ? roundCents(revenueTotal / orders) : null,
      engagement: social ? engagementDays.reduce((a, d) => a + d.value, 0) : 0,
      postsPublished: social ? engagementDays.reduce((a, d) => a + d.posts, 0) : 0,
    },
    revenue: sales ? { current, previous: before } : { current: [], previous: [] },
    ordersByStatus: sales ? ordersByStatus : [],
    topFabrics: fabrics.map((f) => ({ ...f, revenue: roundCents(f.revenue) })),
    engagement: social ? weeks(from, to, weekly) : [],
    postsVsEngagement: social ? postsPerWeek(from, to, engagementDays) : [],
    manual: manual.map((m) => ({ ...m, platform: m.platform as ManualFigure['platform'] })),
  }
}

function weekStarts(from: Day, to: Day): Day[] {
  const starts: Day[] = []
  for (let week = startOfWeek(from); week <= to; week = addDays(week, 7)) starts.push(week)
  return starts
}

function weeks(from: Day, to: Day, found: { week: Day; platform: string; value: number }[]): WeeklyEngagement[] {
  return weekStarts(from, to).map((week) => {
    const of = (p: string) => found.find((f) => f.week === week && f.platform === p)?.value ?? 0
    return { week, instagram: of('instagram'), facebook: of('facebook'), pinterest: of('pinterest') }
  })
}

function postsPerWeek(from: Day, to: Day, days: { date: Day; value: number; posts: number }[]): PostsVsEngagement[] {
  const byWeek = new Map(weekStarts(from, to).map((week) => [week, { week, posts: 0, engagement: 0 }]))
  for (const day of days) {
    const entry = byWeek.get(startOfWeek(day.date))
    if (entry) {
      entry.posts += day.posts
      entry.engagement += day.value
    }
  }
  return [...byWeek.values()]
}

// ---------------------------------------------------------------------------------------------
// The dashboard's address: ?range=7|30|90|365|custom&from=&to=&platform=

export type RangeChoice = `${(typeof RANGE_DAYS)[number]}` | 'custom'

export interface AnalyticsQuery extends DashboardQuery {
  range: RangeChoice
  /** The custom days as typed, kept for the form when they are wrong. */
  typed: { from: string; to: string }
  errors: { from?: string; to?: string }
}

const RANGE_CHOICES: readonly string[] = [...RANGE_DAYS.map(String), 'custom']

/**
 * The range and filter of a dashboard address. The last N days end today (in the shop's zone);
 * a custom range that is wrong shows its errors and the default range instead.
 */
export function parseAnalyticsQuery(search: URLSearchParams, today: Day): AnalyticsQuery {
  const params = cleanSearchParams(search)
  const asked = params.get('range') ?? ''
  const range = (RANGE_CHOICES.includes(asked) ? asked : String(DEFAULT_RANGE_DAYS)) as RangeChoice
  const platformParam = params.get('platform') ?? ''
  const platform = (METRIC_PLATFORMS as readonly string[]).includes(platformParam) ? (platformParam as MetricPlatform) : ''
  const typed = { from: (params.get('from') ?? '').trim().slice(0, 20), to: (params.get('to') ?? '').trim().slice(0, 20) }
  const last = (days: number) => ({ from: addDays(today, 1 - days), to: today })
  if (range !== 'custom') return { range, ...last(Number(range)), platform, typed, errors: {} }

  const errors: AnalyticsQuery['errors'] = {}
  if (!isDay(typed.from)) errors.from = 'Enter the first day (YYYY-MM-DD)'
  if (!isDay(typed.to)) errors.to = 'Enter the last day (YYYY-MM-DD)'
  if (!errors.from && !errors.to) {
    if (typed.from > typed.to) errors.to = 'The last day must not be before the first'
    else if (dayCount(typed.from, typed.to) > MAX_RANGE_DAYS) {
      errors.to = `Choose at most ${MAX_RANGE_DAYS} days`
    }
  }
  if (errors.from || errors.to) return { range, ...last(DEFAULT_RANGE_DAYS), platform, typed, errors }
  return { range, from: typed.from, to: typed.to, platform, typed, errors }
}

/** The dashboard's query string for this range and filter (the CSV links keep it). */
export function analyticsSearch(query: AnalyticsQuery): string {
  const params = new URLSearchParams({ range: query.range })
  if (query.range === 'custom') {
    params.set('from', query.typed.from)
    params.set('to', query.typed.to)
  }
  if (query.platform) params.set('platform', query.platform)
  return `?${params.toString()}`
}
