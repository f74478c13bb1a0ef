// The content calendar's views (/calendar): the address read leniently, and the queries of the
// month grid, the week and the list. Instants are stored in UTC; days are the shop's (SHOP_TIMEZONE,
// passed in as `timeZone`). A view's bounds are computed here as instants (startOfDay in the
// shop's zone), so that content_scheduled_idx serves a range scan; the database then groups the
// rows into the shop's days (`scheduled_date at time zone $tz`) and keeps a few per day.
// Everything reads content as the signed-in user (asAppUser), under the row-level security policies.
import { and, eq, isNotNull, isNull, not, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { asAppUser, rows, type Transaction } from '~/services/db.server'
import { addDays, addMonths, dayOf, daysBetween, isDay, startOfDay, startOfMonth, startOfWeek, type Day } from '~/utils/dates'
import { isUuid, queryObject, text, wholeNumber } from '~/utils/validation'
import {
  CALENDAR_VIEWS,
  CONTENT_STATUSES,
  CONTENT_TYPES,
  PLATFORMS,
  type CalendarView,
  type ContentStatus,
} from './content-options'
import { contentCalendar, users, type ContentType, type SocialPlatform } from './schema'

/** Chips shown in a day of the month grid; the rest are behind "+N more". */
export const CHIPS_PER_DAY = 4
/** Entries listed under a day of the week view; the rest are behind a link to the list. */
export const WEEK_DAY_CAP = 50
export const LIST_PAGE_SIZE = 50
export const LIST_MAX_PAGE = 200
/** The list counts no further than this. */
export const LIST_COUNT_CAP = 1000
/** The longest range (`date` to `to`) the list accepts, in days. */
export const MAX_LIST_RANGE = 366

// Days outside these years are ignored: nobody plans a post for the year 9999, and day
// arithmetic there would leave the 'YYYY-MM-DD' form.
const FIRST_DAY = '1900-01-01'
const LAST_DAY = '2999-12-31'

const optionalDay = text()
  .optional()
  .catch(undefined)
  .transform((v) => (v && isDay(v) && v >= FIRST_DAY && v <= LAST_DAY ? v : undefined))

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).optional().catch(undefined)

/**
 * The calendar's address: `?view=month|week|list&date=YYYY-MM-DD&to=YYYY-MM-DD&platform=&type=
 * &author=<uuid>&status=&page=`. Read leniently: a value that makes no sense is ignored, never an error.
 * `date` is the day the view is around (today when absent); `to` (list only) is the list's last day.
 */
const CalendarQuerySchema = z.object({
  view: z.enum(CALENDAR_VIEWS).catch('month'),
  date: optionalDay,
  to: optionalDay,
  platform: optionalEnum(PLATFORMS),
  type: optionalEnum(CONTENT_TYPES),
  author: text()
    .optional()
    .catch(undefined)
    .transform((v) => (v && isUuid(v) ? v.toLowerCase() : undefined)),
  status: optionalEnum(CONTENT_STATUSES),
  page: wholeNumber({ min: 1, max: LIST_MAX_PAGE, message: 'Not a page' }).catch(1),
})

export interface CalendarQuery {
  view: CalendarView
  /** The day the URL names, if it names one: the month or week around it, or the list's first day. */
  date?: Day
  /** The list's last day (inclusive), only with the list view and never before `date`. */
  to?: Day
  platform?: SocialPlatform
  type?: ContentType
  /** A user id: entries by this author. */
  author?: string
  status?: ContentStatus
  page: number
}

export function parseCalendarQuery(params: URLSearchParams): CalendarQuery {
  const q = CalendarQuerySchema.parse(queryObject(params))
  let to = q.view === 'list' ? q.to : undefined
  if (to && q.date && (to < q.date || to > addDays(q.date, MAX_LIST_RANGE))) to = undefined
  const query: CalendarQuery = { view: q.view, page: q.view === 'list' ? q.page : 1 }
  if (q.date) query.date = q.date
  if (to) query.to = to
  if (q.platform) query.platform = q.platform
  if (q.type) query.type = q.type
  if (q.author) query.author = q.author
  if (q.status) query.status = q.status
  return query
}

/** The days of a month grid: Monday of the month's first week up to, not including, the Monday after its last. */
export function monthGrid(day: Day): { month: Day; from: Day; to: Day } {
  const month = startOfMonth(day)
  const lastDay = addDays(addMonths(month, 1), -1)
  return { month, from: startOfWeek(month), to: addDays(startOfWeek(lastDay), 7) }
}

/** The week (Monday to Sunday) around a day: `to` is the Monday after. */
export function weekRange(day: Day): { from: Day; to: Day } {
  const from = startOfWeek(day)
  return { from, to: addDays(from, 7) }
}

/** One entry as the views show it. */
export interface CalendarEntry {
  id: string
  platform: SocialPlatform
  contentType: ContentType
  title: string
  status: ContentStatus
  /** When it is scheduled, as the shop's wall clock ('YYYY-MM-DDTHH:mm'); null for an entry with no date. */
  local: string | null
  /** The author's name (or email); the month grid leaves it out. */
  author: string | null
}

export interface CalendarDay {
  day: Day
  /** The entries of the day that match, up to the view's cap, in time order. */
  entries: CalendarEntry[]
  /** How many entries of the day match in all. */
  total: number
}

export interface MonthView {
  view: 'month'
  /** The first of the month. */
  month: Day
  /** Every day of the grid, Monday first, in whole weeks. */
  days: CalendarDay[]
  /** How many entries match in the whole grid. */
  total: number
  previous: Day
  next: Day
}

export interface WeekView {
  view: 'week'
  /** Monday to Sunday. */
  days: CalendarDay[]
  total: number
  previous: Day
  next: Day
}

export interface ListView {
  view: 'list'
  /** The first day listed; null when the list starts at the first entry (overdue entries). */
  from: Day | null
  /** The last day listed (inclusive); null when the list goes on, entries with no date last. */
  to: Day | null
  entries: CalendarEntry[]
  page: number
  /** How many match, counting no further than LIST_COUNT_CAP; `more` when there are more. */
  total: number
  more: boolean
  pages: number
  hasNext: boolean
}

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
  }
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
