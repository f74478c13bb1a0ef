// The content calendar (/calendar): a month grid, a week or a list, filtered by platform, type,
// author and status, all in the address and all server-rendered (no client JavaScript).
// Times are the shop's (SHOP_TIMEZONE).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { calendarUrl, EntryList, MonthGrid, newEntryUrl, WeekDays } from '~/components/calendar-views'
import { FilterSelect } from '~/components/form'
import { useTimeZone } from '~/components/time-zone'
import { LIST_COUNT_CAP, parseCalendarQuery, type CalendarQuery, type ListView } from '~/models/calendar-view'
import { getCalendar } from '~/models/calendar-view.server'
import {
  CALENDAR_VIEWS,
  CONTENT_STATUSES,
  CONTENT_TYPES,
  PLATFORM_LABELS,
  PLATFORMS,
  STATUS_LABELS,
  TYPE_LABELS,
  type CalendarView,
} from '~/models/content-options'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { formatDay, type Day } from '~/utils/dates'
import { formatNumber } from '~/utils/format'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Content calendar · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const query = parseCalendarQuery(searchParamsOf(request))
  const calendar = await getCalendar({ userId: user.id, query, timeZone: env().SHOP_TIMEZONE })
  return { query, calendar }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

const VIEW_LABELS: Record<CalendarView, string> = { month: 'Month', week: 'Week', list: 'List' }

const dayMonthYear = (day: Day) => formatDay(day, { day: 'numeric', month: 'long', year: 'numeric' })

/** What the view covers, in words: "May 2026", "11 – 17 May 2026", "From 14 May 2026". */
function periodLabel({ data }: LoaderData['calendar'], query: CalendarQuery): string {
  if (data.view === 'list' && query.status === 'draft') return 'Drafts (no date yet)'
  if (data.view === 'month') return formatDay(data.month, { month: 'long', year: 'numeric' })
  if (data.view === 'week') {
    const first = data.days[0]!.day
    const last = data.days[6]!.day
    // A week across New Year names both years: "28 December 2026 – 3 January 2027".
    const start = first.slice(0, 4) === last.slice(0, 4) ? formatDay(first, { day: 'numeric', month: 'long' }) : dayMonthYear(first)
    return `${start} – ${dayMonthYear(last)}`
  }
  if (data.from && data.to) {
    if (data.from !== data.to) return `${dayMonthYear(data.from)} – ${dayMonthYear(data.to)}`
    return formatDay(data.from, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  }
  if (data.from) return `From ${dayMonthYear(data.from)}`
  return data.to ? `Until ${dayMonthYear(data.to)}` : 'All dates'
}

function isFiltered(query: CalendarQuery) {
  return Boolean(query.platform || query.type || query.author || query.status)
}

function Filters() {
  const { query, calendar } = useLoaderData<typeof loader>()
  return (
    <Form method="get" className="filters" role="search" aria-label="Filter the calendar">
      {query.view !== 'month' ? <input type="hidden" name="view" value={query.view} /> : null}
      {query.view === 'list' ? (
        <div className="field">
          <label htmlFor="filter-date">From</label>
          <input id="filter-date" type="date" name="date" defaultValue={query.date ?? ''} />
        </div>
      ) : query.date ? (
        <input type="hidden" name="date" value={query.date} />
      ) : null}
      {query.view === 'list' && query.to ? <input type="hidden" name="to" value={query.to} /> : null}
      <FilterSelect name="platform" label="Platform" value={query.platform} options={PLATFORMS.map((p) => [p, PLATFORM_LABELS[p]])} />
      <FilterSelect name="type" label="Type" value={query.type} options={CONTENT_TYPES.map((t) => [t, TYPE_LABELS[t]])} />
      <FilterSelect name="author" label="Author" value={query.author} options={calendar.authors.map((a) => [a.id, a.name])} />
      <FilterSelect
        name="status"
        label="Status"
        value={query.status}
        options={CONTENT_STATUSES.map((s) => [s, STATUS_LABELS[s]])}
      />
      <button type="submit">Show</button>
      {isFiltered(query) ? (
        <Link
          className="cal-clear"
          to={calendarUrl(query, { platform: undefined, type: undefined, author: undefined, status: undefined, page: undefined })}
        >
          Clear the filters
        </Link>
      ) : null}
    </Form>
  )
}

/** Previous / today / next for a month or a week; the list moves by pages instead. */
function PeriodNav() {
  const { query, calendar } = useLoaderData<typeof loader>()
  const { data } = calendar
  const unit = data.view === 'month' ? 'month' : 'week'
  return (
    <nav className="cal-nav" aria-label="Dates">
      {data.view !== 'list' ? (
        <Link to={calendarUrl(query, { date: data.previous })}>{`← Previous ${unit}`}</Link>
      ) : null}
      <Link to={calendarUrl(query, { date: undefined, to: undefined, page: undefined })}>Today</Link>
      {data.view !== 'list' ? <Link to={calendarUrl(query, { date: data.next })}>{`Next ${unit} →`}</Link> : null}
    </nav>
  )
}

function ViewSwitch() {
  const { query } = useLoaderData<typeof loader>()
  const timeZone = useTimeZone()
  return (
    <nav className="cal-views" aria-label="Calendar views">
      {CALENDAR_VIEWS.map((view) => (
        <Link
          key={view}
          // The day being looked at stays: the list starts from it.
          to={calendarUrl(query, { view, to: undefined, page: undefined })}
          aria-current={query.view === view ? 'page' : undefined}
        >
          {VIEW_LABELS[view]}
        </Link>
      ))}
      <span className="hint">{`Times in ${timeZone.replace(/_/g, ' ')}`}</span>
    </nav>
  )
}

/** "12 earlier", "1,000 or more earlier": the list counts no further than LIST_COUNT_CAP. */
const howMany = (n: number) => `${n.toLocaleString('en-GB')}${n >= LIST_COUNT_CAP ? ' or more' : ''}`

/**
 * An empty list whose filters match entries outside its days (published entries are in the past,
 * while the list starts today): says so, with links that widen the range to them.
 */
function OutsideHint({ outside }: { outside: NonNullable<ListView['outside']> }) {
  const { query, calendar } = useLoaderData<typeof loader>()
  const { data } = calendar
  if (data.view !== 'list') return null
  const what = query.status ? `${STATUS_LABELS[query.status].toLowerCase()} entries` : isFiltered(query) ? 'entries that match' : 'entries'
  const span = data.from && data.to ? 'in these days' : data.from ? `from ${dayMonthYear(data.from)} on` : `until ${dayMonthYear(data.to!)}`
  const { before, earliest, after } = outside
  return (
    <p className="empty" role="status">
      {`No ${what} ${span}. `}
      {before > 0 && earliest ? (
        <Link to={calendarUrl(query, { date: earliest, page: undefined })}>
          {`Show the ${howMany(before)} earlier, from ${dayMonthYear(earliest)}`}
        </Link>
      ) : null}
      {before > 0 && after > 0 ? ' · ' : null}
      {after > 0 ? <Link to={calendarUrl(query, { to: undefined, page: undefined })}>{`Show the ${howMany(after)} later`}</Link> : null}
    </p>
  )
}

function EmptyState() {
  const { query, calendar } = useLoaderData<typeof loader>()
  const { data } = calendar
  const clear = { platform: undefined, type: undefined, author: undefined, status: undefined, page: undefined }
  if (data.view === 'list' && data.outside) return <OutsideHint outside={data.outside} />
  if (query.status === 'draft' && data.view !== 'list') {
    return (
      <p className="empty" role="status">
        Drafts have no date, so they are not on the calendar.{' '}
        <Link to={calendarUrl(query, { view: 'list', date: undefined, to: undefined, page: undefined })}>
          See the drafts in the list
        </Link>
      </p>
    )
  }
  if (isFiltered(query)) {
    return (
      <p className="empty" role="status">
        No entries here match these filters. <Link to={calendarUrl(query, clear)}>Clear the filters</Link>
      </p>
    )
  }
  const where = data.view === 'month' ? 'this month' : data.view === 'week' ? 'this week' : 'from this day on'
  return (
    <p className="empty" role="status">
      {`Nothing is planned ${where}. `}
      <Link to={newEntryUrl()}>Plan an entry</Link>
    </p>
  )
}

function ListPages() {
  const { query, calendar } = useLoaderData<typeof loader>()
  const { data } = calendar
  if (data.view !== 'list') return null
  return (
    <nav className="pages" aria-label="Pages">
      {data.page > 1 ? <Link to={calendarUrl(query, { page: data.page - 1 })}>← Previous</Link> : null}
      <span>{`Page ${data.page} of ${data.more ? `${data.pages}+` : data.pages}`}</span>
      {data.hasNext ? <Link to={calendarUrl(query, { page: data.page + 1 })}>Next →</Link> : null}
    </nav>
  )
}

export default function CalendarPage() {
  const { query, calendar } = useLoaderData<typeof loader>()
  const { data, today } = calendar
  const period = periodLabel(calendar, query)
  const empty = data.total === 0
  return (
    <>
      <div className="page-head">
        <h1>Content calendar</h1>
        <div className="actions">
          <Link className="button" to={newEntryUrl()}>
            New entry
          </Link>
          <Link to="/calendar/feed">Subscribe on your phone</Link>
        </div>
      </div>
      <ViewSwitch />
      <Filters />
      <div className="cal-head">
        <h2 id="period">{period}</h2>
        <PeriodNav />
      </div>
      {empty ? (
        <EmptyState />
      ) : data.view === 'list' ? (
        <p className="count" role="status">
          {`${data.more ? 'More than ' : ''}${formatNumber(data.total)} ${data.total === 1 && !data.more ? 'entry' : 'entries'}${isFiltered(query) ? (data.total === 1 && !data.more ? ' matches' : ' match') : ''}.`}
        </p>
      ) : null}
      {data.view === 'month' ? (
        <MonthGrid data={data} query={query} today={today} labelledBy="period" />
      ) : data.view === 'week' ? (
        <WeekDays data={data} query={query} today={today} />
      ) : empty ? null : (
        <>
          <EntryList data={data} labelledBy="period" today={today} />
          <ListPages />
        </>
      )}
      {data.view === 'list' && data.from && data.to && data.from === data.to ? (
        <p>
          <Link to={calendarUrl(query, { view: 'month', to: undefined, page: undefined })}>Back to the month</Link>
          {' · '}
          <Link to={newEntryUrl(data.from)}>Add an entry on this day</Link>
        </p>
      ) : null}
    </>
  )
}
