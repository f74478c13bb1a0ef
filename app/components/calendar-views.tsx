// The content calendar's three views (/calendar), plain server-rendered HTML: a month grid of
// chips, a week of days, a list. Platforms show by colour and by name; statuses by a symbol and
// words. Text is built as one string per node, so the HTML carries no React text separators, and
// the many links of a view are plain <a> (the page ships no JavaScript for <Link> to enhance).
import type {
  CalendarDay,
  CalendarEntry,
  CalendarQuery,
  ListView,
  MonthView,
  WeekView,
} from '~/models/calendar-view'
import { PLATFORM_LABELS, STATUS_LABELS, TYPE_LABELS, type ContentStatus } from '~/models/content-options'
import type { SocialPlatform } from '~/models/schema'
import { formatDay, formatShortDay, type Day } from '~/utils/dates'
import { formatNumber } from '~/utils/format'

type UrlChanges = { [K in keyof CalendarQuery]?: CalendarQuery[K] | undefined }

const PARAM_ORDER = ['view', 'date', 'to', 'platform', 'type', 'author', 'status', 'page'] as const

/** The calendar's address with some parameters changed and the others kept (defaults left out). */
export function calendarUrl(query: CalendarQuery, changes: UrlChanges = {}): string {
  const next: UrlChanges = { ...query, ...changes }
  const params = new URLSearchParams()
  for (const key of PARAM_ORDER) {
    const value = next[key]
    if (value === undefined || value === '') continue
    if ((key === 'view' && value === 'month') || (key === 'page' && value === 1)) continue
    params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `/calendar?${search}` : '/calendar'
}

/** The list of one day's entries, keeping the filters. */
export function dayListUrl(query: CalendarQuery, day: Day) {
  return calendarUrl(query, { view: 'list', date: day, to: day, page: undefined })
}

export const newEntryUrl = (day?: Day) => (day ? `/calendar/entries/new?date=${day}` : '/calendar/entries/new')
const entryUrl = (id: string) => `/calendar/entries/${id}`

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** A status as a symbol the eye catches; its words are there for screen readers (and in the week and list views). */
const STATUS_MARKS: Partial<Record<ContentStatus, string>> = { overdue: '!', published: '✓' }

const time = (entry: CalendarEntry) => entry.local?.slice(11) ?? ''
const longDay = (day: Day) => formatDay(day, { weekday: 'long', day: 'numeric', month: 'long' })

/** One entry in the month grid: "14:30 Instagram · Title", coloured by platform, marked if overdue or published. */
function Chip({ entry }: { entry: CalendarEntry }) {
  const mark = STATUS_MARKS[entry.status]
  return (
    <a href={entryUrl(entry.id)} className={`chip chip-${entry.platform}${mark ? ` is-${entry.status}` : ''}`}>
      {mark ? (
        <span className="chip-mark" aria-hidden="true">
          {mark}
        </span>
      ) : null}
      {`${time(entry)} ${PLATFORM_LABELS[entry.platform]} · ${entry.title}`}
      {mark ? <span className="visually-hidden">{` (${STATUS_LABELS[entry.status].toLowerCase()})`}</span> : null}
    </a>
  )
}

function AddLink({ day }: { day: Day }) {
  return (
    <a href={newEntryUrl(day)} className="cal-add">
      Add<span className="visually-hidden">{` an entry on ${longDay(day)}`}</span>
    </a>
  )
}

function MoreLink({ query, day, count }: { query: CalendarQuery; day: CalendarDay; count: number }) {
  if (count <= 0) return null
  return (
    <a href={dayListUrl(query, day.day)} className="cal-more">
      {`+${formatNumber(count)} more`}
      <span className="visually-hidden">{` on ${longDay(day.day)}`}</span>
    </a>
  )
}

export function MonthGrid({
  data,
  query,
  today,
  labelledBy,
}: {
  data: MonthView
  query: CalendarQuery
  today: Day
  labelledBy: string
}) {
  const weeks: CalendarDay[][] = []
  for (let i = 0; i < data.days.length; i += 7) weeks.push(data.days.slice(i, i + 7))
  const monthPrefix = data.month.slice(0, 7)
  return (
    <div className="table-wrap">
      <table className="month" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {WEEKDAYS.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.day}>
              {week.map((d) => {
                const inMonth = d.day.startsWith(monthPrefix)
                const dayOfMonth = Number(d.day.slice(8))
                return (
                  <td
                    key={d.day}
                    className={inMonth ? undefined : 'out'}
                    aria-current={d.day === today ? 'date' : undefined}
                  >
                    <div className="day-head">
                      <time dateTime={d.day}>
                        {dayOfMonth === 1 || !inMonth ? formatDay(d.day, { day: 'numeric', month: 'short' }) : dayOfMonth}
                      </time>
                      <AddLink day={d.day} />
                    </div>
                    {d.entries.length ? (
                      <ul className="chips">
                        {d.entries.map((e) => (
                          <li key={e.id}>
                            <Chip entry={e} />
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    <MoreLink query={query} day={d} count={d.total - d.entries.length} />
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A platform by name, in its colour. */
export function PlatformTag({ platform }: { platform: SocialPlatform }) {
  return <span className={`tag tag-${platform}`}>{PLATFORM_LABELS[platform]}</span>
}

export function StatusLabel({ status }: { status: ContentStatus }) {
  return <span className={`status status-${status}`}>{STATUS_LABELS[status]}</span>
}

export function WeekDays({ data, query, today }: { data: WeekView; query: CalendarQuery; today: Day }) {
  return (
    <div className="week">
      {data.days.map((d) => (
        <section
          key={d.day}
          aria-labelledby={`day-${d.day}`}
          aria-current={d.day === today ? 'date' : undefined}
        >
          <div className="day-head">
            <h3 id={`day-${d.day}`}>{`${longDay(d.day)}${d.day === today ? ' (today)' : ''}`}</h3>
            <AddLink day={d.day} />
          </div>
          {d.entries.length ? (
            <ol>
              {d.entries.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.local!}>{time(e)}</time> <a href={entryUrl(e.id)}>{e.title}</a>
                  <span className="entry-meta">
                    <PlatformTag platform={e.platform} />
                    {` ${TYPE_LABELS[e.contentType]}${e.author ? ` · ${e.author}` : ''} `}
                    <StatusLabel status={e.status} />
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">Nothing planned.</p>
          )}
          <MoreLink query={query} day={d} count={d.total - d.entries.length} />
        </section>
      ))}
    </div>
  )
}

/** "Thu 14 May, 14:30" (this year) or "Thu 14 May 2027, 14:30" from the shop's wall clock, or "No date". */
export function formatLocal(local: string | null, today: Day): string {
  if (!local) return 'No date'
  return `${formatShortDay(local.slice(0, 10), today, { weekday: true })}, ${local.slice(11)}`
}

export function EntryList({ data, labelledBy, today }: { data: ListView; labelledBy: string; today: Day }) {
  return (
    <div className="table-wrap">
      <table className="cal-list" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Scheduled</th>
            <th scope="col">Platform</th>
            <th scope="col">Type</th>
            <th scope="col">Title</th>
            <th scope="col">Author</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.entries.map((e) => (
            <tr key={e.id}>
              <td>{e.local ? <time dateTime={e.local}>{formatLocal(e.local, today)}</time> : 'No date'}</td>
              <td>
                <PlatformTag platform={e.platform} />
              </td>
              <td>{TYPE_LABELS[e.contentType]}</td>
              <td>
                <a href={entryUrl(e.id)}>{e.title}</a>
              </td>
              <td>{e.author ?? '—'}</td>
              <td>
                <StatusLabel status={e.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
