// The content calendar's address and the shapes of its views (/calendar), plain so that the
// views (app/components/calendar-views.tsx) can draw them: the address read leniently, the days
// of a month grid and a week, and what the queries (calendar-view.server.ts) return.
import { z } from 'zod'
import { addDays, addMonths, startOfMonth, startOfWeek, type Day } from '~/utils/dates'
import { isUuid, optionalQueryDay, queryObject, text, wholeNumber } from '~/utils/validation'
import {
  CALENDAR_VIEWS,
  CONTENT_STATUSES,
  CONTENT_TYPES,
  PLATFORMS,
  type CalendarView,
  type ContentStatus,
} from './content-options'
import type { ContentType, SocialPlatform } from './schema'

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


const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).optional().catch(undefined)

/**
 * The calendar's address: `?view=month|week|list&date=YYYY-MM-DD&to=YYYY-MM-DD&platform=&type=
 * &author=<uuid>&status=&page=`. Read leniently: a value that makes no sense is ignored, never an error.
 * `date` is the day the view is around (today when absent); `to` (list only) is the list's last day.
 */
const CalendarQuerySchema = z.object({
  view: z.enum(CALENDAR_VIEWS).catch('month'),
  date: optionalQueryDay,
  to: optionalQueryDay,
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
  /**
   * When nothing matches between `from` and `to` (a range, or "from today on") but entries that
   * match the filters lie outside it: how many before `from` (counting no further than
   * LIST_COUNT_CAP) and the day of the earliest, and how many after `to`. Null otherwise.
   */
  outside: { before: number; earliest: Day | null; after: number } | null
}
