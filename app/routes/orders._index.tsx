// /orders: the list (status tabs, search, dates, sort and pages in the address), and what can be
// done with the ticked orders: print their packing slips (a GET to /orders/packing-slips) or change
// their status (a POST here; a bulk cancel asks first). No client JavaScript needed.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm } from '~/components/confirm'
import { DayField, FieldError, FormErrors } from '~/components/form'
import { useTimeZone } from '~/components/time-zone'
import { RowCheck } from '~/components/row-check'
import { changeStatuses, planStatusChange, type BulkOrder, type BulkRefusal } from '~/models/order-bulk.server'
import { listOrders, readOrderAddress, type OrderQuery, type TabCount } from '~/models/order-list.server'
import {
  BULK_STATUSES,
  MAX_BULK_ORDERS,
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
import { redirectWithFlash } from '~/services/flash.server'
import { dayOf } from '~/utils/dates'
import { formatDate, formatDateTime, formatNumber } from '~/utils/format'
import { listUrl } from '~/utils/list-url'
import { formatMoney } from '~/utils/money'
import { searchParamsOf, text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Orders · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { query, typed, errors } = readOrderAddress(searchParamsOf(request))
  const list = await listOrders(user.id, query, { timeZone: env().SHOP_TIMEZONE })
  return { query, typed, errors, list, isAdmin: user.role === 'admin', currency: env().SHOP_CURRENCY }
}

type Changes = Partial<Record<keyof OrderQuery, string | number | undefined>>

/** The list's address (or the export's) with some parameters changed, the others kept. */
const ordersUrl = (query: OrderQuery, changes: Changes, path = '/orders') => listUrl(path, query, changes, { sort: 'newest' })

function exportUrl(query: OrderQuery, lines: boolean) {
  const url = ordersUrl(query, { page: undefined }, '/orders/export.csv')
  return lines ? `${url}${url.includes('?') ? '&' : '?'}lines=1` : url
}

const number = formatNumber
const countLabel = (c: NonNullable<TabCount>) => `${number(c.count)}${c.more ? '+' : ''}`

// ---- Changing the status of the ticked orders -------------------------------------------------

const BulkChange = z.object({
  ids: z
    .array(z.uuid({ error: 'Reload the list and tick the orders again.' }))
    .min(1, 'Tick at least one order first.')
    .max(MAX_BULK_ORDERS, `Tick at most ${MAX_BULK_ORDERS} orders at once.`),
  to: z.enum(BULK_STATUSES, { error: 'Choose the new status.' }),
  note: text().trim().max(500, 'Keep the reason under 500 characters.').optional(),
  confirm: z.literal('yes').optional(),
})

type BulkView =
  | { kind: 'error'; errors: { ids?: string; to?: string; note?: string }; to: string }
  /** A bulk cancel, asked first: what would be cancelled and what would not. */
  | { kind: 'confirm'; moving: BulkOrder[]; refused: BulkRefusal[]; missing: number }
  /** Some ticked orders did not change: each by number with the reason. */
  | { kind: 'report'; to: string; moving: BulkOrder[]; refused: BulkRefusal[]; missing: number; restocked: number }

const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  const field = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const parsed = BulkChange.safeParse({
    ids: form.getAll('id').filter((v) => typeof v === 'string'),
    to: field('to'),
    note: field('note'),
    confirm: field('confirm'),
  })
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))
    return data<BulkView>({ kind: 'error', errors, to: field('to') ?? '' }, { status: 400 })
  }
  const { ids, to, note, confirm } = parsed.data
  if (to === 'cancelled' && confirm !== 'yes') {
    const plan = await planStatusChange({ ids, to, actor: user })
    // Nothing that could be cancelled: nothing to ask, only what was refused.
    if (!plan.moving.length) return data<BulkView>({ kind: 'report', to, ...plan, restocked: 0 }, { status: 409 })
    return data<BulkView>({ kind: 'confirm', ...plan })
  }
  const outcome = await changeStatuses({ ids, to, actor: user, note })
  const back = new URL(request.url)
  back.searchParams.delete('index')
  if (!outcome.refused.length && !outcome.missing) {
    const restocked = outcome.restocked ? ` ${plural(outcome.restocked, 'unit')} back in stock.` : ''
    return redirectWithFlash(
      `/orders${back.search}`,
      `${plural(outcome.moving.length, 'order')} now ${ORDER_STATUS_LABELS[to].toLowerCase()}: ${numbers(outcome.moving)}.${restocked}`,
    )
  }
  return data<BulkView>({ kind: 'report', to, ...outcome }, { status: outcome.moving.length ? 200 : 409 })
}

/** Where the ticked orders' status change is sent: this list (its index route), its address kept. */
function bulkAction(query: OrderQuery) {
  const search = ordersUrl(query, {}).split('?')[1]
  return `/orders?index${search ? `&${search}` : ''}`
}


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
  const { query, typed, errors } = useLoaderData<typeof loader>()
  const filtered = Boolean(query.q || query.from || query.to || typed.from || typed.to)
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
      <DayField name="from" label="Placed from" value={typed.from} error={errors.from} />
      <DayField name="to" label="Placed to" value={typed.to} error={errors.to} />
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
      {day.startsWith(thisYear) ? formatDateTime(at, timeZone) : formatDate(at, timeZone)}
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
  const bulk = useActionData<typeof action>()
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
      {bulk?.kind === 'confirm' ? <ConfirmBulkCancel view={bulk} /> : null}
      {bulk?.kind === 'report' ? <BulkReport view={bulk} /> : null}
      {list.items.length === 0 ? (
        <EmptyState />
      ) : (
        // One form for the ticks: its first button (Enter's) prints the slips (GET); "Change
        // status" sends the same ticks to this page's action instead (formmethod/formaction).
        <Form method="get" action="/orders/packing-slips" className="order-list-form">
          <div className="slip-actions">
            <button type="submit">Print packing slips</button>
            <span className="hint">{`For the ticked orders (up to ${MAX_PACKING_SLIPS}).`}</span>
          </div>
          <BulkStatusFields error={bulk?.kind === 'error' ? bulk : undefined} />
          <div className="table-wrap">
            <table className="order-list">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Tick</span>
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
                    <td className="num">{formatNumber(o.itemCount)}</td>
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

/** The status change of the ticked orders: a plain POST to this page, JavaScript or not. */
function BulkStatusFields({ error }: { error?: Extract<BulkView, { kind: 'error' }> }) {
  const { query } = useLoaderData<typeof loader>()
  const errors = error?.errors ?? {}
  const formError = errors.ids ?? errors.note
  return (
    <fieldset className="bulk bulk-status">
      <legend>Change the status of the ticked orders</legend>
      <FormErrors id="bulk-error" errors={formError ? [formError] : undefined} />
      <div className="field">
        <label htmlFor="bulk-to">New status</label>
        <select
          id="bulk-to"
          name="to"
          defaultValue={error?.to ?? ''}
          aria-invalid={errors.to ? true : undefined}
          aria-describedby={errors.to ? 'bulk-to-error' : 'bulk-to-hint'}
        >
          <option value="">Choose…</option>
          {BULK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ORDER_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError id="bulk-to-error" errors={errors.to ? [errors.to] : undefined} />
      </div>
      <button type="submit" formMethod="post" formAction={bulkAction(query)}>
        Change status
      </button>
      <p className="hint" id="bulk-to-hint">
        Pending → processing → shipped → delivered, or cancelled. Shipping needs each order’s tracking number: ship from the
        order’s page. Cancelling asks first.
      </p>
    </fieldset>
  )
}

const byNumber = <T extends { number: number }>(orders: T[]) => [...orders].sort((a, b) => a.number - b.number)
/** "#1041, #1042": orders by number, lowest first. */
const numbers = (orders: { number: number }[]) => byNumber(orders).map((o) => orderLabel(o.number)).join(', ')

/** The orders that did not move, each by number, linked, with the reason. */
function Refusals({ refused, missing }: { refused: BulkRefusal[]; missing: number }) {
  return (
    <>
      {refused.length ? (
        <ul>
          {byNumber(refused).map((o) => (
            <li key={o.id}>
              <Link to={`/orders/${o.id}`}>Order {orderLabel(o.number)}</Link>
              {` (${ORDER_STATUS_LABELS[o.status].toLowerCase()}): ${o.reason}`}
            </li>
          ))}
        </ul>
      ) : null}
      {missing ? <p>{`${plural(missing, 'ticked order was', 'ticked orders were')} not found: reload the list.`}</p> : null}
    </>
  )
}

/**
 * A bulk cancel, asked first (JavaScript off: the action re-renders the list with this panel;
 * the POST button is inside it). It names every order it cancels and every one it does not.
 */
function ConfirmBulkCancel({ view }: { view: Extract<BulkView, { kind: 'confirm' }> }) {
  const { query } = useLoaderData<typeof loader>()
  const n = view.moving.length
  // The action answers a bulk cancel without `confirm=yes` with this question (the ids come in the
  // POST, so it cannot be a `?flag` link): rendered open, as a modal with JavaScript on.
  return (
    <Confirm
      id="confirm-bulk-cancel"
      open
      title={`Cancel ${plural(n, 'order')}?`}
      confirmLabel={`Yes, cancel ${plural(n, 'order')}`}
      cancelTo={ordersUrl(query, {})}
      cancelLabel="Keep them"
      action={bulkAction(query)}
      fields={{ id: view.moving.map((o) => o.id), to: 'cancelled', confirm: 'yes' }}
    >
      <p>
        {`Cancel ${n === 1 ? 'order' : 'orders'} ${numbers(view.moving)}? Every unit ${n === 1 ? 'it' : 'they'} took goes back into stock. This cannot be undone.`}
      </p>
      {view.refused.length || view.missing ? (
        <>
          <p>{`Not cancelled, ${plural(view.refused.length + view.missing, 'order')}:`}</p>
          <Refusals refused={view.refused} missing={view.missing} />
        </>
      ) : null}
      <div className="field">
        <label htmlFor="bulk-note">Reason (optional)</label>
        <input id="bulk-note" name="note" autoComplete="off" />
      </div>
    </Confirm>
  )
}

/** After a status change that left some ticked orders as they were: what changed, what did not and why. */
function BulkReport({ view }: { view: Extract<BulkView, { kind: 'report' }> }) {
  const label = ORDER_STATUS_LABELS[view.to as OrderStatus]?.toLowerCase() ?? view.to
  const notChanged = view.refused.length + view.missing
  return (
    <section className="card bulk-report" aria-labelledby="bulk-report-heading" role="alert">
      <h2 id="bulk-report-heading">{`${plural(notChanged, 'ticked order')} not changed`}</h2>
      {view.moving.length ? (
        <p>
          {`Now ${label}: ${numbers(view.moving)}.`}
          {view.restocked ? ` ${plural(view.restocked, 'unit')} back in stock.` : null}
        </p>
      ) : (
        <p>{`No order was changed to ${label}.`}</p>
      )}
      <Refusals refused={view.refused} missing={view.missing} />
    </section>
  )
}
