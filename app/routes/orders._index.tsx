import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTimeZone } from '~/components/time-zone'
import { RowCheck } from '~/components/row-check'
import { listOrders, parseOrderQuery, type OrderQuery, type TabCount } from '~/models/order-list.server'
import {
  MAX_PACKING_SLIPS,
  ORDER_SORT_LABELS,
  ORDER_SORTS,
  ORDER_STATUS_LABELS,
  ORDER_STATUSES,
  orderLabel,
  OVERDUE_DAYS,
} from '~/models/order-options'
import type { OrderStatus } from '~/models/schema'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { dayOf, formatDay } from '~/utils/dates'
import { formatDateTime } from '~/utils/format'
import { listUrl } from '~/utils/list-url'
import { formatMoney } from '~/utils/money'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Orders · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const query = parseOrderQuery(searchParamsOf(request))
  const list = await listOrders(user.id, query, { timeZone: env().SHOP_TIMEZONE })
  return { query, list, isAdmin: user.role === 'admin', currency: env().SHOP_CURRENCY }
}

type Changes = Partial<Record<keyof OrderQuery, string | number | undefined>>

/** The list's address (or the export's) with some parameters changed, the others kept. */
const ordersUrl = (query: OrderQuery, changes: Changes, path = '/orders') => listUrl(path, query, changes, { sort: 'newest' })

function exportUrl(query: OrderQuery, lines: boolean) {
  const url = ordersUrl(query, { page: undefined }, '/orders/export.csv')
  return lines ? `${url}${url.includes('?') ? '&' : '?'}lines=1` : url
}

const number = (n: number) => n.toLocaleString('en-GB')
const countLabel = (c: NonNullable<TabCount>) => `${number(c.count)}${c.more ? '+' : ''}`

/** "All (1,000+)", "Pending (12)"; a tab a broad search did not count has no number. */
function StatusTabs() {
  const { query, list } = useLoaderData<typeof loader>()
  const tabs: [OrderStatus | undefined, string, TabCount][] = [
    [undefined, 'All', list.counts.all],
    ...ORDER_STATUSES.map((s): [OrderStatus, string, TabCount] => [s, ORDER_STATUS_LABELS[s], list.counts[s]]),
  ]
  return (
    <nav className="order-tabs" aria-label="Order status">
      <ul>
        {tabs.map(([status, label, count]) => (
          <li key={label}>
            <Link
              to={ordersUrl(query, { status, page: undefined })}
              aria-current={query.status === status ? 'page' : undefined}
              prefetch="none"
            >
              {label}
              {count ? <span className="tab-count"> ({countLabel(count)})</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function Filters() {
  const { query } = useLoaderData<typeof loader>()
  const filtered = Boolean(query.q || query.from || query.to)
  return (
    <Form method="get" className="filters" role="search" aria-label="Orders">
      {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
      <div className="field search">
        <label htmlFor="filter-q">Search</label>
        <input
          id="filter-q"
          type="search"
          name="q"
          defaultValue={query.q ?? ''}
          placeholder="Customer, email, #number, Etsy order"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-from">Placed from</label>
        <input id="filter-from" type="date" name="from" defaultValue={query.from ?? ''} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">Placed to</label>
        <input id="filter-to" type="date" name="to" defaultValue={query.to ?? ''} />
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select id="filter-sort" name="sort" defaultValue={query.sort}>
          {ORDER_SORTS.map((s) => (
            <option key={s} value={s}>
              {ORDER_SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
      {filtered ? (
        <Link className="clear" to={ordersUrl(query, { q: undefined, from: undefined, to: undefined, page: undefined })}>
          Clear the filters
        </Link>
      ) : null}
    </Form>
  )
}

/** When an order was placed, in the shop's zone: with the time this year, with the year before. */
function Placed({ at, timeZone, thisYear }: { at: Date; timeZone: string; thisYear: string }) {
  const day = dayOf(at, timeZone)
  return (
    <time dateTime={at.toISOString()}>
      {day.startsWith(thisYear) ? formatDateTime(at, timeZone) : formatDay(day, { day: 'numeric', month: 'short', year: 'numeric' })}
    </time>
  )
}

function Pages() {
  const { query, list } = useLoaderData<typeof loader>()
  if (list.page === 1 && !list.hasNext) return null
  return (
    <nav className="pages" aria-label="Pages">
      {list.page > 1 ? <Link to={ordersUrl(query, { page: list.page - 1 })}>← Previous</Link> : null}
      <span>
        Page {list.page}
        {list.pages ? ` of ${list.pages}${list.more ? '+' : ''}` : null}
      </span>
      {list.hasNext ? <Link to={ordersUrl(query, { page: list.page + 1 })}>Next →</Link> : null}
    </nav>
  )
}

function EmptyState() {
  const { query, list } = useLoaderData<typeof loader>()
  if (list.page > 1) {
    return (
      <p className="empty">
        This page is past the end of the list. <Link to={ordersUrl(query, { page: undefined })}>Go to the first page</Link>
      </p>
    )
  }
  if (query.q || query.from || query.to) {
    return (
      <p className="empty">
        No orders match these filters.{' '}
        <Link to={ordersUrl(query, { q: undefined, from: undefined, to: undefined })}>Clear the filters</Link>
      </p>
    )
  }
  if (query.status) return <p className="empty">No {ORDER_STATUS_LABELS[query.status].toLowerCase()} orders.</p>
  return (
    <p className="empty">
      No orders yet. <Link to="/orders/new">Add the first one</Link>.
    </p>
  )
}

export default function OrdersPage() {
  const timeZone = useTimeZone()
  const { query, list, isAdmin, currency } = useLoaderData<typeof loader>()
  const thisYear = dayOf(new Date(), timeZone).slice(0, 4)
  return (
    <>
      <div className="page-head orders-head">
        <h1>Orders</h1>
        <div className="actions">
          <Link className="button" to="/orders/new">
            New order
          </Link>
          {isAdmin ? (
            <>
              <Link className="button secondary" to="/orders/import">
                Import from Etsy
              </Link>
              <a className="button secondary" href={exportUrl(query, false)} download>
                Export CSV
              </a>
              <a className="button secondary" href={exportUrl(query, true)} download>
                Export lines CSV
              </a>
            </>
          ) : null}
        </div>
      </div>
      <StatusTabs />
      <Filters />
      {list.searchTooBroad ? (
        <p className="count" role="status">
          {`More than ${number(list.counts.all!.count)} orders match. Add a word to narrow the search and count them by status.`}
        </p>
      ) : null}
      {list.items.length === 0 ? (
        <EmptyState />
      ) : (
        <Form method="get" action="/orders/packing-slips" className="order-list-form">
          <div className="slip-actions">
            <button type="submit">Print packing slips</button>
            <span className="hint">{`For the ticked orders (up to ${MAX_PACKING_SLIPS}).`}</span>
          </div>
          <div className="table-wrap">
            <table className="order-list">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Tick to pack</span>
                  </th>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <RowCheck name="id" value={o.id} label={`Select order ${orderLabel(o.number)}`} />
                    </td>
                    <td>
                      <Link to={`/orders/${o.id}`}>{orderLabel(o.number)}</Link>
                      {o.etsyOrderId ? <span className="sku"> Etsy</span> : null}
                    </td>
                    <td>
                      <Placed at={o.createdAt} timeZone={timeZone} thisYear={thisYear} />
                    </td>
                    <td>
                      {o.customerName}
                      {o.customerEmail ? <span className="order-email">{o.customerEmail}</span> : null}
                    </td>
                    <td>
                      <span className={`status status-${o.status}`}>{ORDER_STATUS_LABELS[o.status]}</span>
                      {o.overdue ? (
                        <span className="overdue" title={`Not shipped ${OVERDUE_DAYS} days after it was placed`}>
                          <span aria-hidden="true">⚠ </span>Overdue
                        </span>
                      ) : null}
                    </td>
                    <td className="num">{o.itemCount}</td>
                    <td className="num">{formatMoney(o.totalAmount, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Form>
      )}
      <Pages />
    </>
  )
}
