// The content calendar's views (/calendar): the queries of the month grid, the week and the list
// (the address and the views' shapes are in calendar-view.ts). Instants are stored in UTC; days are
// the shop's (SHOP_TIMEZONE, passed in as `timeZone`). A view's bounds are computed here as
// instants (startOfDay in the shop's zone), so that content_scheduled_idx serves a range scan; the
// database then groups the rows into the shop's days (`scheduled_date at time zone $tz`) and keeps
// a few per day. Everything reads content as the signed-in user (asAppUser), under the row-level
// security policies.
import { and, eq, isNotNull, isNull, not, sql, type SQL } from 'drizzle-orm'
import { asAppUser, rows, type Transaction } from '~/services/db.server'
import { addDays, addMonths, dayOf, daysBetween, startOfDay, type Day } from '~/utils/dates'
import {
  CHIPS_PER_DAY,
  LIST_COUNT_CAP,
  LIST_MAX_PAGE,
  LIST_PAGE_SIZE,
  monthGrid,
  WEEK_DAY_CAP,
  weekRange,
  type CalendarDay,
  type CalendarEntry,
  type CalendarQuery,
  type ListView,
  type MonthView,
  type WeekView,
} from './calendar-view'
import type { ContentStatus } from './content-options'
import { contentCalendar, users } from './schema'

export interface Calendar {
  /** The day the view is around (the URL's date, or today in the shop's zone). */
  date: Day
  today: Day
  data: MonthView | WeekView | ListView
  /** Everyone who may be an author, for the author filter. */
  authors: { id: string; name: string }[]
}

export interface CalendarOptions {
  userId: string
  query: CalendarQuery
  /** The shop's IANA time zone (SHOP_TIMEZONE). */
  timeZone: string
  /** What "overdue" is measured against. */
  now?: Date
}

const c = contentCalendar

/** An entry's status, computed by the database as contentStatus() does (content-options.ts). */
function statusSql(now: string): SQL<ContentStatus> {
  return sql<ContentStatus>`case when ${c.published} then 'published' when ${c.scheduledDate} is null then 'draft'
    when ${c.scheduledDate} < ${now}::timestamptz then 'overdue' else 'scheduled' end`
}

/** The filters of the address (platform, type, author, status), for every view. */
function calendarFilters(query: CalendarQuery, now: Date): SQL | undefined {
  const at = now.toISOString()
  const unpublished = not(c.published) // as the partial index content_unpublished_scheduled_idx
  return and(
    query.platform ? eq(c.platform, query.platform) : undefined,
    query.type ? eq(c.contentType, query.type) : undefined,
    query.author ? eq(c.userId, query.author) : undefined,
    query.status === 'published' ? eq(c.published, true) : undefined,
    query.status === 'draft' ? and(unpublished, isNull(c.scheduledDate)) : undefined,
    query.status === 'overdue' ? and(unpublished, sql`${c.scheduledDate} < ${at}::timestamptz`) : undefined,
    query.status === 'scheduled' ? and(unpublished, sql`${c.scheduledDate} >= ${at}::timestamptz`) : undefined,
  )
}

/** The instants that bound the shop's days [from, to): the range content_scheduled_idx scans. */
function instantRange(from: Day, to: Day, timeZone: string) {
  return sql`${c.scheduledDate} >= ${startOfDay(from, timeZone).toISOString()}::timestamptz
    and ${c.scheduledDate} < ${startOfDay(to, timeZone).toISOString()}::timestamptz`
}

const authorSql = sql<string>`coalesce(${users.name}, ${users.email})`

interface DayRow extends CalendarEntry {
  dayTotal: number
}

/**
 * The entries of the shop's days [from, to), at most `cap` a day (the earliest), with each day's
 * total, grouped into days by the database in the shop's time zone.
 */
async function entriesByDay(
  tx: Transaction,
  { from, to, cap, where, timeZone, now, withAuthor }: {
    from: Day
    to: Day
    cap: number
    where: SQL | undefined
    timeZone: string
    now: Date
    withAuthor: boolean
  },
): Promise<{ days: CalendarDay[]; total: number }> {
  const found = await rows<DayRow>(
    tx,
    sql`select id, platform, content_type as "contentType", title, status, author,
        to_char(local, 'YYYY-MM-DD"T"HH24:MI') as local, day_total as "dayTotal"
      from (
        select x.*,
          row_number() over (partition by x.local::date order by x.scheduled_date, x.id) as rn,
          (count(*) over (partition by x.local::date))::int as day_total
        from (
          select ${c.id} as id, ${c.platform} as platform, ${c.contentType} as content_type, ${c.title} as title,
            ${c.scheduledDate} as scheduled_date, ${statusSql(now.toISOString())} as status,
            ${withAuthor ? authorSql : sql`null::text`} as author,
            ${c.scheduledDate} at time zone ${timeZone} as local
          from ${c}
          ${withAuthor ? sql`left join ${users} on ${users.id} = ${c.userId}` : sql``}
          where ${instantRange(from, to, timeZone)} and ${where ?? sql`true`}
        ) x
      ) y
      where rn <= ${cap}
      order by scheduled_date, id`,
  )
  const byDay = new Map<Day, CalendarDay>(daysBetween(from, to).map((day) => [day, { day, entries: [], total: 0 }]))
  let total = 0
  for (const { dayTotal, ...entry } of found) {
    const day = byDay.get(entry.local!.slice(0, 10))
    if (!day) continue
    if (day.entries.length === 0) total += dayTotal
    day.total = dayTotal
    day.entries.push(entry)
  }
  return { days: [...byDay.values()], total }
}

async function monthView(tx: Transaction, date: Day, options: ViewOptions): Promise<MonthView> {
  const { month, from, to } = monthGrid(date)
  const { days, total } = await entriesByDay(tx, { ...options, from, to, cap: CHIPS_PER_DAY, withAuthor: false })
  return { view: 'month', month, days, total, previous: addMonths(month, -1), next: addMonths(month, 1) }
}

async function weekView(tx: Transaction, date: Day, options: ViewOptions): Promise<WeekView> {
  const { from, to } = weekRange(date)
  const { days, total } = await entriesByDay(tx, { ...options, from, to, cap: WEEK_DAY_CAP, withAuthor: true })
  return { view: 'week', days, total, previous: addDays(from, -7), next: to }
}

interface ViewOptions {
  where: SQL | undefined
  timeZone: string
  now: Date
}

/**
 * The list: entries from `from` (inclusive; null = from the first) to `to` (exclusive; null = no
 * end), ordered by their time, then, when the list has no end, the entries with no date (drafts)
 * last. Bounded offset pages: each part reads at most the rows up to the page's end.
 */
async function listView(
  tx: Transaction,
  { from, to, page, ...options }: ViewOptions & { from: Day | null; to: Day | null; page: number },
): Promise<ListView> {
  const { where, timeZone, now } = options
  const dated = and(
    from ? sql`${c.scheduledDate} >= ${startOfDay(from, timeZone).toISOString()}::timestamptz` : isNotNull(c.scheduledDate),
    to ? sql`${c.scheduledDate} < ${startOfDay(to, timeZone).toISOString()}::timestamptz` : undefined,
    where,
  )!
  // Entries with no date belong to an open-ended list only (a day or a range means dated entries).
  const undated = to ? sql`false` : and(isNull(c.scheduledDate), where)!
  const offset = (page - 1) * LIST_PAGE_SIZE
  const reach = offset + LIST_PAGE_SIZE + 1
  const columns = sql`${c.id} as id, ${c.platform} as platform, ${c.contentType} as "contentType", ${c.title} as title,
    ${statusSql(now.toISOString())} as status, ${authorSql} as author,
    to_char(${c.scheduledDate} at time zone ${timeZone}, 'YYYY-MM-DD"T"HH24:MI') as local,
    ${c.scheduledDate} as scheduled_date, ${c.createdAt} as created_at`
  const from_ = sql`${c} left join ${users} on ${users.id} = ${c.userId}`
  // One after the other: a transaction is one connection.
  const found = await rows<CalendarEntry>(
      tx,
      sql`select id, platform, "contentType", title, status, author, local from (
          (select ${columns}, 0 as part from ${from_} where ${dated} order by ${c.scheduledDate}, ${c.id} limit ${reach})
          union all
          (select ${columns}, 1 as part from ${from_} where ${undated} order by ${c.createdAt}, ${c.id} limit ${reach})
        ) t
        order by part, coalesce(scheduled_date, created_at), id
        offset ${offset} limit ${LIST_PAGE_SIZE + 1}`,
  )
  const [counted] = await rows<{ dated: number; undated: number }>(
    tx,
    sql`select
        (select count(*) from (select 1 from ${c} where ${dated} limit ${LIST_COUNT_CAP + 1}) a)::int as dated,
        (select count(*) from (select 1 from ${c} where ${undated} limit ${LIST_COUNT_CAP + 1}) b)::int as undated`,
  )
  const all = (counted?.dated ?? 0) + (counted?.undated ?? 0)
  const total = Math.min(all, LIST_COUNT_CAP)
  const outside = all === 0 && (from || to) ? await outsideRange(tx, { from, to, where, timeZone }) : null
  return {
    view: 'list',
    from,
    to: to ? addDays(to, -1) : null,
    entries: found.slice(0, LIST_PAGE_SIZE),
    page,
    total,
    more: all > LIST_COUNT_CAP,
    pages: Math.min(LIST_MAX_PAGE, Math.max(1, Math.ceil(total / LIST_PAGE_SIZE))),
    hasNext: found.length > LIST_PAGE_SIZE && page < LIST_MAX_PAGE,
    outside,
  }
}

/**
 * For an empty list: the entries matching the filters before `from` (how many, capped, and the
 * day of the earliest) and after `to` (exclusive end), so the page can offer to widen the range.
 */
async function outsideRange(
  tx: Transaction,
  { from, to, where, timeZone }: { from: Day | null; to: Day | null; where: SQL | undefined; timeZone: string },
): Promise<ListView['outside']> {
  const filters = where ?? sql`true`
  const start = from ? sql`${startOfDay(from, timeZone).toISOString()}::timestamptz` : null
  const end = to ? sql`${startOfDay(to, timeZone).toISOString()}::timestamptz` : null
  const [row] = await rows<{ before: number; earliest: Day | null; after: number }>(
    tx,
    sql`select
        ${start ? sql`(select count(*) from (select 1 from ${c} where ${filters} and ${c.scheduledDate} < ${start} limit ${LIST_COUNT_CAP}) a)::int` : sql`0`} as before,
        ${start ? sql`(select to_char(${c.scheduledDate} at time zone ${timeZone}, 'YYYY-MM-DD') from ${c} where ${filters} and ${c.scheduledDate} < ${start} order by ${c.scheduledDate} limit 1)` : sql`null::text`} as earliest,
        ${end ? sql`(select count(*) from (select 1 from ${c} where ${filters} and ${c.scheduledDate} >= ${end} limit ${LIST_COUNT_CAP}) b)::int` : sql`0`} as after`,
  )
  if (!row || (row.before === 0 && row.after === 0)) return null
  return row
}

/** Everyone who may be an author (a small table), by name. */
async function listAuthors(tx: Transaction) {
  return tx
    .select({ id: users.id, name: authorSql })
    .from(users)
    .orderBy(sql`lower(${authorSql})`, users.id)
    .limit(500)
}

/** The list's first day: the address's date; today; or none for overdue entries, which are all in the past. */
function listStart(query: CalendarQuery, today: Day): Day | null {
  if (query.date) return query.date
  return query.status === 'overdue' ? null : today
}

/**
 * Everything /calendar shows for an address: the chosen view's entries and the author filter's
 * choices, read in one transaction as `userId` (row-level security applies).
 */
export async function getCalendar({ userId, query, timeZone, now = new Date() }: CalendarOptions): Promise<Calendar> {
  const today = dayOf(now, timeZone)
  const date = query.date ?? today
  const options: ViewOptions = { where: calendarFilters(query, now), timeZone, now }
  return asAppUser(userId, async (tx) => {
    const authors = await listAuthors(tx)
    let data: Calendar['data']
    if (query.view === 'month') data = await monthView(tx, date, options)
    else if (query.view === 'week') data = await weekView(tx, date, options)
    else {
      const from = listStart(query, today)
      const to = query.to ? addDays(query.to, 1) : null
      data = await listView(tx, { ...options, from, to, page: query.page })
    }
    return { date, today, data, authors }
  })
}
