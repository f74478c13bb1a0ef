// The dashboard (/): the shop at a glance for the counter, on one tablet screen. Every figure is a
// link to the list it counts (filtered the same way); each order to pack opens its packing slip.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { calendarUrl, PlatformTag } from '~/components/calendar-views'
import { useTimeZone } from '~/components/time-zone'
import type { CalendarQuery } from '~/models/calendar-view'
import { getDashboard, type DayRange } from '~/models/dashboard.server'
import { jobWarnings, type JobWarning } from '~/jobs/status.server'
import { ORDER_STATUS_LABELS, orderLabel } from '~/models/order-options'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { formatShortDay, type Day } from '~/utils/dates'
import { formatDateTime, formatNumber } from '~/utils/format'
import { formatMoney, toCents } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: 'Dashboard · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { SHOP_CURRENCY: currency, SHOP_TIMEZONE: timeZone } = env()
  // Background jobs that failed or stopped running: for admins only, who alone can see and act
  // on /admin/jobs (staff's dashboard asks nothing more of the database).
  const [dashboard, jobs] = await Promise.all([
    getDashboard(user.id, { timeZone, limit: LIST_LENGTH }),
    user.role === 'admin' ? jobWarnings() : ([] satisfies JobWarning[]),
  ])
  return { dashboard, currency, jobs }
}

type Dashboard = ReturnType<typeof useLoaderData<typeof loader>>['dashboard']

const count = formatNumber
const ordersOn = ({ from, to }: DayRange) => `/orders?from=${from}&to=${to}`
const weekday = (day: Day, today: Day) => formatShortDay(day, today, { weekday: true })
/** How many entries each card lists: what fits one tablet screen. */
const LIST_LENGTH = 3
const listQuery: CalendarQuery = { view: 'list', page: 1 }

/** A figure whose number opens the list it counts. */
function LinkedFigure({ label, value, to, note }: { label: string; value: string; to: string; note?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="figure-value">
        <Link to={to}>{value}</Link>
      </dd>
      {note ? <dd className="figure-note">{note}</dd> : null}
    </div>
  )
}

/** "+12% on last week", "−5% on last week", "same as last week", or nothing to compare with. */
function change(now: string, before: string): string {
  const a = toCents(now)
  const b = toCents(before)
  if (b === 0) return a === 0 ? 'none last week either' : 'none the same days last week'
  if (a === b) return 'same as last week'
  const percent = Math.round(((a - b) / b) * 100)
  return `${percent > 0 ? '+' : '−'}${count(Math.abs(percent))}% on last week`
}

function SalesCard({ dashboard, currency }: { dashboard: Dashboard; currency: string }) {
  const { sales, days } = dashboard
  const orders = (n: number) => `${count(n)} ${n === 1 ? 'order' : 'orders'}`
  return (
    <section className="card dash-sales" aria-labelledby="sales-heading">
      <h2 id="sales-heading">
        Sales <span className="dash-meta">cancelled orders not counted</span>
      </h2>
      <dl className="figures">
        <LinkedFigure
          label="Today"
          value={formatMoney(sales.today.amount, currency)}
          to={ordersOn(days.today)}
          note={`${orders(sales.today.orders)} · ${change(sales.today.amount, sales.sameDayLastWeek.amount)}`}
        />
        <LinkedFigure
          label="Same day last week"
          value={formatMoney(sales.sameDayLastWeek.amount, currency)}
          to={ordersOn(days.sameDayLastWeek)}
          note={`${orders(sales.sameDayLastWeek.orders)} · ${weekday(days.sameDayLastWeek.from, days.today.from)}`}
        />
        <LinkedFigure
          label="This week"
          value={formatMoney(sales.thisWeek.amount, currency)}
          to={ordersOn(days.thisWeek)}
          note={`${orders(sales.thisWeek.orders)} · ${change(sales.thisWeek.amount, sales.sameDaysLastWeek.amount)}`}
        />
        <LinkedFigure
          label="Same days last week"
          value={formatMoney(sales.sameDaysLastWeek.amount, currency)}
          to={ordersOn(days.sameDaysLastWeek)}
          note={`${orders(sales.sameDaysLastWeek.orders)} · from ${weekday(days.sameDaysLastWeek.from, days.today.from)}`}
        />
      </dl>
    </section>
  )
}

function PackCard({ dashboard }: { dashboard: Dashboard }) {
  const timeZone = useTimeZone()
  const { toPack, orders } = dashboard
  const slips = `/orders/packing-slips?${toPack.slipIds.map((id) => `id=${id}`).join('&')}`
  return (
    <section className="card" aria-labelledby="pack-heading">
      <h2 id="pack-heading">Orders to pack</h2>
      <dl className="figures">
        {(['pending', 'processing'] as const).map((s) => (
          <LinkedFigure key={s} label={ORDER_STATUS_LABELS[s]} value={count(orders.byStatus[s])} to={`/orders?status=${s}&sort=oldest`} />
        ))}
        <LinkedFigure label="Shipped" value={count(orders.byStatus.shipped)} to="/orders?status=shipped&sort=oldest" />
      </dl>
      {toPack.oldest.length ? (
        <>
          <h3 className="dash-sub">Oldest first, each to its packing slip</h3>
          <ul className="dash-list">
            {toPack.oldest.map((o) => (
              <li key={o.id}>
                <Link to={`/orders/packing-slips?id=${o.id}`}>{`${orderLabel(o.number)} ${o.customerName}`}</Link>
                <span className="dash-meta">
                  <time dateTime={String(o.createdAt)}>{formatDateTime(o.createdAt, timeZone)}</time>
                  {` · ${ORDER_STATUS_LABELS[o.status]}`}
                </span>
              </li>
            ))}
          </ul>
          {toPack.total > 1 ? (
            <p className="dash-more">
              <Link to={slips}>{`Packing slips for all ${count(toPack.slipIds.length)}`}</Link>
            </p>
          ) : null}
        </>
      ) : (
        <p className="empty">Nothing is waiting to be packed.</p>
      )}
    </section>
  )
}

function StockCard({ dashboard }: { dashboard: Dashboard }) {
  const { fabrics, reorder } = dashboard
  return (
    <section className="card" aria-labelledby="stock-heading">
      <h2 id="stock-heading">Fabric stock</h2>
      <dl className="figures">
        <LinkedFigure label="In stock" value={count(fabrics.inStock)} to="/fabrics?stock=in" note={`of ${count(fabrics.total)} fabrics`} />
        <LinkedFigure label="Low stock" value={count(fabrics.low)} to="/fabrics?stock=low" />
        <LinkedFigure label="Out of stock" value={count(fabrics.out)} to="/fabrics?stock=out" />
      </dl>
      {reorder.length ? (
        <>
          <h3 className="dash-sub">To reorder</h3>
          <ul className="dash-list">
            {reorder.map((f) => (
              <li key={f.id}>
                <Link to={`/fabrics/${f.id}`}>{f.name}</Link>
                <span className="dash-meta">{f.stockQuantity === 0 ? 'Sold out' : `${count(f.stockQuantity)} left`}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="empty">Nothing needs reordering.</p>
      )}
    </section>
  )
}

function PostsCard({ dashboard }: { dashboard: Dashboard }) {
  const timeZone = useTimeZone()
  const { posts, days } = dashboard
  const week = calendarUrl(listQuery, { date: days.nextSevenDays.from, to: days.nextSevenDays.to, status: 'scheduled' })
  const more = posts.nextSevenDays - posts.upcoming.length
  return (
    <section className="card" aria-labelledby="posts-heading">
      <h2 id="posts-heading">Posts this week</h2>
      <dl className="figures">
        <LinkedFigure label="Next 7 days" value={count(posts.nextSevenDays)} to={week} />
        <LinkedFigure label="Overdue" value={count(posts.overdue)} to={calendarUrl(listQuery, { status: 'overdue' })} />
      </dl>
      {posts.upcoming.length ? (
        <ul className="dash-list">
          {posts.upcoming.map((p) => (
            <li key={p.id}>
              <Link to={`/calendar/entries/${p.id}`}>{p.title}</Link>
              <span className="dash-meta">
                <time dateTime={String(p.scheduledDate)}>{formatDateTime(p.scheduledDate, timeZone)}</time> <PlatformTag platform={p.platform} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Nothing is scheduled for the next 7 days.</p>
      )}
      {more > 0 ? (
        <p className="dash-more">
          <Link to={week}>{`and ${count(more)} more`}</Link>
        </p>
      ) : null}
    </section>
  )
}

/** What is wrong with one job, in words, its time in the shop's zone. */
function jobProblem(warning: JobWarning, timeZone: string): string {
  const at = formatDateTime(warning.at, timeZone)
  if (warning.reason === 'failed') return `its last run failed (${at}): ${warning.error ?? 'no reason given'}`
  if (warning.reason === 'late') return `it has not run since ${at}`
  return `it has not run since it was set up (${at})`
}

/** Admins only: the background jobs that failed or stopped running, and the page that shows them. */
function JobWarnings({ warnings }: { warnings: JobWarning[] }) {
  const timeZone = useTimeZone()
  if (warnings.length === 0) return null
  return (
    <section className="warning" aria-labelledby="jobs-warning-heading">
      <h2 id="jobs-warning-heading">Background jobs need attention</h2>
      <ul>
        {warnings.map((w) => (
          <li key={w.name}>
            <strong>{w.title}</strong>
            {`: ${jobProblem(w, timeZone)}`}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/admin/jobs">See the jobs page</Link>
        {' to run them now or retry.'}
      </p>
    </section>
  )
}

export default function DashboardPage() {
  const { dashboard, currency, jobs } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Dashboard</h1>
      <JobWarnings warnings={jobs} />
      <div className="cards dash-cards">
        <SalesCard dashboard={dashboard} currency={currency} />
        <PackCard dashboard={dashboard} />
        <StockCard dashboard={dashboard} />
        <PostsCard dashboard={dashboard} />
      </div>
    </>
  )
}
