// The analytics table: daily figures per metric and platform ('' = all platforms together).
//
//   rollupAnalytics({ from, to })   → recomputes the metrics the shop's own data gives (revenue,
//                                     orders, units sold, average order value, engagement) for
//                                     those days; one set-based statement per metric; idempotent
//   saveManualFigures(…)            → figures only the platforms know (followers, …); their CSV
//                                     is read in analytics-import.server.ts
//
// Days are days in the shop's time zone (SHOP_TIMEZONE). Every write is an upsert on the unique
// (metric_type, date, platform) and leaves a row alone when its value is unchanged, so the days
// a rollup reports as changed are exactly the ones whose cached dashboards must go
// (app/models/analytics-cache.server.ts).
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm'
import { asRole, db, rows, type Database, type Transaction } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayCount, dayOf, isDay, type Day } from '~/utils/dates'
import { COMPUTED_METRICS, type MetricPlatform } from './analytics-options'
import { invalidateDashboards } from './analytics-cache.server'
import { analytics } from './schema'

/** The advisory-lock class of analytics days: a day's rollups run one at a time. */
const DAY_LOCK_CLASS = 82_214
/** Days per transaction (each day holds a lock until its transaction ends). */
const CHUNK_DAYS = 366

export interface RollupResult {
  days: number
  /** Rows inserted or changed. */
  written: number
  /** The days whose figures changed, in order. */
  changedDays: Day[]
}

/**
 * Recomputes the computed metrics for every day from `from` to `to` (inclusive) from orders
 * (cancelled ones excluded from the figures, counted in `byStatus`) and published calendar
 * entries. Days without orders or posts get zeros, so a day whose only order was cancelled
 * goes back to 0. Running it twice changes nothing.
 */
export async function rollupAnalytics({
  from,
  to,
  timeZone = env().SHOP_TIMEZONE,
  database = db,
}: {
  from: Day
  to: Day
  timeZone?: string
  /** The app's database unless given (the demo loads into a database before the app uses it). */
  database?: Database
}): Promise<RollupResult> {
  if (!isDay(from) || !isDay(to) || from > to) throw new RangeError(`not a range of days: ${from} to ${to}`)
  const result: RollupResult = { days: 0, written: 0, changedDays: [] }
  for (let start = from; start <= to; start = addDays(start, CHUNK_DAYS)) {
    const chunkEnd = addDays(start, CHUNK_DAYS - 1)
    const end = chunkEnd < to ? chunkEnd : to
    // As app_rollup: it reads every order and post, signed in or not, and writes only figures.
    const changed = await asRole('app_rollup', async (tx) => {
      await tx.execute(sql`
        select pg_advisory_xact_lock(${DAY_LOCK_CLASS}, (d::date - date '2000-01-01'))
        from generate_series(${start}::date, ${end}::date, interval '1 day') d order by d`)
      const written: Day[] = []
      for (const statement of ROLLUP_STATEMENTS) {
        for (const row of await rows<{ date: Day }>(tx, statement({ from: start, to: end, timeZone }))) {
          written.push(row.date)
        }
      }
      return written
    }, database)
    result.days += dayCount(start, end)
    result.written += changed.length
    result.changedDays.push(...[...new Set(changed)].sort())
  }
  if (result.changedDays.length > 0) await invalidateDashboards(result.changedDays)
  return result
}


/** Yesterday and today in the shop's time zone: what the app rolls up when it starts. */
export function recentDays(now = new Date()): { from: Day; to: Day } {
  const today = dayOf(now, env().SHOP_TIMEZONE)
  return { from: addDays(today, -1), to: today }
}

// ---------------------------------------------------------------------------------------------
// The rollup's statements: each returns the days it changed.

interface Range {
  from: Day
  to: Day
  timeZone: string
}

/** The first and the end instant of the range's days in the shop's zone. */
const instants = ({ from, to, timeZone }: Range) => ({
  start: sql`(${from}::date::timestamp at time zone ${timeZone})`,
  end: sql`((${to}::date + 1)::timestamp at time zone ${timeZone})`,
})

const days = ({ from, to }: Range) =>
  sql`days as (select d::date as date from generate_series(${from}::date, ${to}::date, interval '1 day') d)`

/** Orders of the range with their day and channel (Etsy when they came from Etsy). */
function orderRows(range: Range, { withCancelled }: { withCancelled: boolean }) {
  const { start, end } = instants(range)
  return sql`
    select (o.created_at at time zone ${range.timeZone})::date as date,
           case when o.etsy_order_id is null then 'shop' else 'etsy' end as channel,
           o.status::text as status, o.total_amount, o.shipping_amount, o.tax_amount, o.items
    from orders o
    where o.created_at >= ${start} and o.created_at < ${end}
      ${withCancelled ? sql`` : sql`and o.status <> 'cancelled'`}`
}

const channels = sql`channels(platform) as (values (''), ('etsy'), ('shop'))`

/** The upsert every statement ends with: a row is written only when its value changed. */
const upsert = sql`
  on conflict (metric_type, date, platform) do update set metric_value = excluded.metric_value, user_id = null
  where analytics.metric_value is distinct from excluded.metric_value
  returning date::text as date`

// A line's fabric: its catalog id, or its name for a line with no catalog fabric.
// Grouped byte-wise (collate "C"): the order of keys does not matter, and it sorts faster.
const lineKey = sql`coalesce(i->>'fabricId', i->>'name') collate "C"`

const ROLLUP_STATEMENTS: ((range: Range) => ReturnType<typeof sql>)[] = [
  // revenue: order totals (lines + shipping + tax); breakdowns: shipping, tax, lines per fabric.
  (range) => sql`
    with ${days(range)}, ${channels},
    sold as (${orderRows(range, { withCancelled: false })}),
    totals as (
      select date, coalesce(channel, '') as platform, sum(total_amount) as value,
             sum(shipping_amount) as shipping, sum(tax_amount) as tax
      from sold group by date, rollup(channel)),
    lines as (
      select date, coalesce(channel, '') as platform, key, sum(amount) as amount
      from (select s.date, s.channel, ${lineKey} as key, (i->>'lineTotal')::numeric as amount
            from sold s cross join lateral jsonb_array_elements(s.items) i) l
      group by date, key, rollup(channel)),
    fabrics as (select date, platform, jsonb_object_agg(key, amount) as by_fabric from lines group by date, platform)
    insert into analytics (metric_type, metric_value, date, platform)
    select 'revenue',
           jsonb_build_object('value', coalesce(t.value, 0), 'shipping', coalesce(t.shipping, 0),
                              'tax', coalesce(t.tax, 0), 'byFabric', coalesce(f.by_fabric, '{}'::jsonb)),
           d.date, c.platform
    from days d cross join channels c
    left join totals t on t.date = d.date and t.platform = c.platform
    left join fabrics f on f.date = d.date and f.platform = c.platform
    ${upsert}`,

  // orders: how many were placed (not cancelled); byStatus counts every order by its status now.
  (range) => sql`
    with ${days(range)}, ${channels},
    placed as (${orderRows(range, { withCancelled: true })}),
    counts as (
      select date, coalesce(channel, '') as platform, status, count(*) as n
      from placed group by date, status, rollup(channel)),
    totals as (
      select date, platform, coalesce(sum(n) filter (where status <> 'cancelled'), 0) as value,
             jsonb_object_agg(status, n) as by_status
      from counts group by date, platform)
    insert into analytics (metric_type, metric_value, date, platform)
    select 'orders', jsonb_build_object('value', coalesce(t.value, 0), 'byStatus', coalesce(t.by_status, '{}'::jsonb)),
           d.date, c.platform
    from days d cross join channels c
    left join totals t on t.date = d.date and t.platform = c.platform
    ${upsert}`,

  // units_sold: quantities of every line; byFabric, per fabric.
  (range) => sql`
    with ${days(range)}, ${channels},
    sold as (${orderRows(range, { withCancelled: false })}),
    lines as (
      select date, coalesce(channel, '') as platform, key, sum(quantity) as quantity
      from (select s.date, s.channel, ${lineKey} as key, (i->>'quantity')::int as quantity
            from sold s cross join lateral jsonb_array_elements(s.items) i) l
      group by date, key, rollup(channel)),
    totals as (
      select date, platform, sum(quantity) as value, jsonb_object_agg(key, quantity) as by_fabric
      from lines group by date, platform)
    insert into analytics (metric_type, metric_value, date, platform)
    select 'units_sold', jsonb_build_object('value', coalesce(t.value, 0), 'byFabric', coalesce(t.by_fabric, '{}'::jsonb)),
           d.date, c.platform
    from days d cross join channels c
    left join totals t on t.date = d.date and t.platform = c.platform
    ${upsert}`,

  // average_order_value: that day's revenue over its orders (0 on a day without orders), from
  // the two rows just written.
  ({ from, to }) => sql`
    insert into analytics (metric_type, metric_value, date, platform)
    select 'average_order_value',
           jsonb_build_object('value', case when (o.metric_value->>'value')::numeric > 0
             then round((r.metric_value->>'value')::numeric / (o.metric_value->>'value')::numeric, 2) else 0 end),
           r.date, r.platform
    from analytics r
    join analytics o on o.metric_type = 'orders' and o.date = r.date and o.platform = r.platform
    where r.metric_type = 'revenue' and r.date between ${from}::date and ${to}::date
    ${upsert}`,

  // engagement: interactions (likes, comments, shares, saves) of the posts published that day,
  // from each post's latest reading; breakdowns: posts published, each kind, reach, impressions.
  (range) => {
    const { start, end } = instants(range)
    const n = (key: string) => sql`coalesce(sum((c.engagement_metrics->>${key})::bigint), 0)`
    return sql`
      with ${days(range)},
      platforms(platform) as (values (''), ('instagram'), ('facebook'), ('pinterest')),
      totals as (
        select (c.published_date at time zone ${range.timeZone})::date as date,
               coalesce(c.platform::text, '') as platform, count(*) as posts,
               ${n('likes')} as likes, ${n('comments')} as comments, ${n('shares')} as shares,
               ${n('saves')} as saves, ${n('reach')} as reach, ${n('impressions')} as impressions
        from content_calendar c
        where c.published and c.published_date >= ${start} and c.published_date < ${end}
        group by 1, rollup(c.platform))
      insert into analytics (metric_type, metric_value, date, platform)
      select 'engagement',
             jsonb_build_object('value', coalesce(t.likes + t.comments + t.shares + t.saves, 0),
                                'posts', coalesce(t.posts, 0), 'likes', coalesce(t.likes, 0),
                                'comments', coalesce(t.comments, 0), 'shares', coalesce(t.shares, 0),
                                'saves', coalesce(t.saves, 0), 'reach', coalesce(t.reach, 0),
                                'impressions', coalesce(t.impressions, 0)),
             d.date, p.platform
      from days d cross join platforms p
      left join totals t on t.date = d.date and t.platform = p.platform
      ${upsert}`
  },
]

// ---------------------------------------------------------------------------------------------
// Figures entered by hand

export interface ManualFigureInput {
  date: Day
  metricType: string
  platform: MetricPlatform | ''
  value: number
}

/** What is stored now for these figures' keys (metric, day, platform). */
async function storedValues(tx: Transaction, figures: ManualFigureInput[]) {
  const stored = new Map<string, number>()
  const types = [...new Set(figures.map((f) => f.metricType))]
  const dates = [...new Set(figures.map((f) => f.date))]
  if (types.length === 0) return stored
  const found = await tx
    .select({ metricType: analytics.metricType, date: analytics.date, platform: analytics.platform, value: sql<number>`(${analytics.metricValue}->>'value')::float8` })
    .from(analytics)
    .where(and(inArray(analytics.metricType, types), inArray(analytics.date, dates)))
  for (const row of found) stored.set(figureKey(row), row.value)
  return stored
}

export const figureKey = (f: { metricType: string; date: string; platform: string }) => `${f.metricType}|${f.date}|${f.platform}`

export type SaveFiguresResult =
  | { ok: true; added: number; replaced: number; unchanged: number }
  | { ok: false; existing: { index: number; value: number }[] }

/**
 * Saves figures entered by hand, all or none. A figure already stored with another value is
 * replaced only when `replace` is set; otherwise nothing is written and the caller learns which
 * ones exist (by their index in `figures`) and their values. Computed metrics are refused by the
 * callers' validation (manualFigureProblem).
 */
export async function saveManualFigures({
  figures,
  userId,
  replace,
}: {
  figures: ManualFigureInput[]
  userId: string
  replace: boolean
}): Promise<SaveFiguresResult> {
  const result = await db.transaction(async (tx): Promise<SaveFiguresResult> => {
    // Figures entered at the same time for the same keys wait for each other.
    await tx.execute(sql`lock table analytics in share row exclusive mode`)
    const stored = await storedValues(tx, figures)
    const existing = figures
      .map((f, index) => ({ index, value: stored.get(figureKey(f)) }))
      .filter((e): e is { index: number; value: number } => e.value !== undefined && e.value !== figures[e.index]!.value)
    if (existing.length > 0 && !replace) return { ok: false, existing }
    let added = 0
    let unchanged = 0
    for (const f of figures) {
      const before = stored.get(figureKey(f))
      if (before === undefined) added++
      else if (before === f.value) unchanged++
    }
    for (let i = 0; i < figures.length; i += 1000) {
      await tx
        .insert(analytics)
        .values(
          figures.slice(i, i + 1000).map((f) => ({
            metricType: f.metricType,
            date: f.date,
            platform: f.platform,
            metricValue: { value: f.value },
            userId,
          })),
        )
        .onConflictDoUpdate({
          target: [analytics.metricType, analytics.date, analytics.platform],
          set: { metricValue: sql`excluded.metric_value`, userId },
          setWhere: sql`${analytics.metricValue} is distinct from excluded.metric_value`,
        })
    }
    return { ok: true, added, replaced: existing.length, unchanged }
  })
  if (result.ok) await invalidateDashboards([...new Set(figures.map((f) => f.date))].sort())
  return result
}

/** Why a metric name cannot be entered by hand, or null. */
export function manualMetricProblem(metricType: string): string | null {
  return (COMPUTED_METRICS as readonly string[]).includes(metricType)
    ? `${metricType} is computed from orders and posts; enter another metric`
    : null
}

/** The figures entered by hand (every metric the rollup does not compute), newest day first. */
export async function recentManualFigures({ limit = 50 }: { limit?: number } = {}) {
  return db
    .select({
      metricType: analytics.metricType,
      date: analytics.date,
      platform: analytics.platform,
      value: sql<number>`(${analytics.metricValue}->>'value')::float8`,
      updatedAt: analytics.updatedAt,
    })
    .from(analytics)
    .where(notInArray(analytics.metricType, [...COMPUTED_METRICS]))
    .orderBy(sql`${analytics.date} desc`, analytics.metricType, analytics.platform)
    .limit(limit)
}

/** Deletes one figure entered by hand. */
export async function deleteManualFigure(key: { metricType: string; date: Day; platform: string }) {
  const deleted = await db
    .delete(analytics)
    .where(
      and(
        eq(analytics.metricType, key.metricType),
        eq(analytics.date, key.date),
        eq(analytics.platform, key.platform),
        notInArray(analytics.metricType, [...COMPUTED_METRICS]),
      ),
    )
    .returning({ date: analytics.date })
  if (deleted.length > 0) await invalidateDashboards([key.date])
  return deleted.length > 0
}
