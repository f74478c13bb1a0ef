import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { FieldError, FormErrors } from '~/components/form'
import { useTimeZone } from '~/components/time-zone'
import { CARRIERS, ORDER_STATUS_LABELS, ORDER_STATUSES, orderLabel, TRANSITION_LABELS, TRANSITIONS } from '~/models/order-options'
import { changeStatus, getOrder, transitionProblem } from '~/models/order.server'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { countryName } from '~/utils/countries'
import { formatDateTime, formatNumber } from '~/utils/format'
import { formatMoney, fromCents, toCents } from '~/utils/money'
import { searchParamsOf, text, Version } from '~/utils/validation'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Order ${data ? orderLabel(data.order.number) : ''} · Tara Hub` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const order = await getOrder(params.id!, user.id)
  if (!order) throw notFound()
  const next = TRANSITIONS[order.status].filter((to) => !transitionProblem(order.status, to, user))
  return {
    order,
    next,
    // `?cancel` shows the question in the page (components/confirm.tsx).
    confirmCancel: next.includes('cancelled') && searchParamsOf(request).has('cancel'),
    currency: env().SHOP_CURRENCY,
  }
}

const StatusChange = z.object({
  version: Version,
  to: z.enum(ORDER_STATUSES),
  note: text().trim().max(500, 'Keep the note under 500 characters.').optional(),
  carrier: text().trim().max(60, 'Keep the carrier under 60 characters.').optional(),
  trackingNumber: text().trim().max(100, 'Keep the tracking number under 100 characters.').optional(),
})

/** The fields staff type in; the others come with the form. */
const TYPED_FIELDS = ['note', 'carrier', 'trackingNumber'] as const

type ActionData = {
  to: string
  formError?: string
  fieldErrors?: { carrier?: string; trackingNumber?: string; note?: string }
  /** What was typed, shown again. */
  values: Partial<Record<'carrier' | 'trackingNumber' | 'note', string>>
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: StatusChange })
  const typed = (key: string) => {
    const value = submission.payload[key]
    return typeof value === 'string' ? value : ''
  }
  const values = { carrier: typed('carrier'), trackingNumber: typed('trackingNumber'), note: typed('note') }
  if (submission.status !== 'success') {
    const errors = Object.entries(submission.error ?? {}).flatMap(([key, messages]): [string, string][] =>
      messages?.length ? [[key, messages[0]!]] : [],
    )
    // A wrong version or step is no typing mistake (the form sends them itself): no message for it.
    if (errors.some(([key]) => !TYPED_FIELDS.includes(key as never))) throw new Response('Bad request', { status: 400 })
    const fieldErrors = Object.fromEntries(errors)
    return data<ActionData>({ to: typed('to'), fieldErrors, values }, { status: 400 })
  }
  const { version, to, note, carrier, trackingNumber } = submission.value
  const changed = await changeStatus({ id: params.id!, version, to, actor: user, note, carrier, trackingNumber })
  if (changed.ok) {
    const restocked = changed.restocked ? ` ${changed.restocked} unit${changed.restocked === 1 ? '' : 's'} back in stock.` : ''
    return redirectWithFlash(`/orders/${params.id}`, `Order is now ${ORDER_STATUS_LABELS[to].toLowerCase()}.${restocked}`)
  }
  switch (changed.problem) {
    case 'not-found':
      throw notFound()
    case 'conflict':
      return data<ActionData>(
        {
          to,
          values,
          formError: `Someone else changed this order while you had it open (it is now ${ORDER_STATUS_LABELS[changed.current.status].toLowerCase()}). Nothing was changed: check it below and try again.`,
        },
        { status: 409 },
      )
    case 'illegal':
      return data<ActionData>({ to, values, formError: changed.message }, { status: 409 })
    case 'tracking':
      return data<ActionData>({ to, values, fieldErrors: changed.fieldErrors }, { status: 400 })
  }
}

export default function OrderPage() {
  const { order, next, confirmCancel, currency } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const timeZone = useTimeZone()
  const subtotal = fromCents(order.items.reduce((sum, item) => sum + toCents(item.lineTotal), 0))
  const address = order.shippingAddress
  const errorsFor = (to: string) => (result?.to === to ? result : undefined)
  return (
    <>
      <p>
        <Link to="/orders">← Orders</Link>
      </p>
      <h1>
        Order {orderLabel(order.number)}{' '}
        <span className={`status status-${order.status}`}>{ORDER_STATUS_LABELS[order.status]}</span>
      </h1>
      <p>
        Placed {formatDateTime(order.createdAt, timeZone)}
        {order.placedBy ? ` by ${order.placedBy}` : ''}
        {order.etsyOrderId ? ` · Etsy order ${order.etsyOrderId}` : ''}
      </p>
      <p className="actions">
        {/* A cancelled order has nothing to pack, so no slip. */}
        {order.status !== 'cancelled' ? <Link to={`/orders/packing-slips?id=${order.id}`}>Packing slip</Link> : null}
        <Link to={`/orders/${order.id}/edit`}>Edit details</Link>
      </p>
      {result?.formError && !next.includes(result.to as never) ? <FormErrors id="status-error" errors={[result.formError]} /> : null}

      {next.length ? (
        <section className="card" aria-labelledby="next-heading">
          <h2 id="next-heading">Next step</h2>
          {next.map((to) => {
            const errors = errorsFor(to)
            if (to === 'cancelled') {
              const label = orderLabel(order.number)
              return (
                <div key={to}>
                  <p>
                    <ConfirmLink dialog="cancel-order" to="?cancel" className="button danger">
                      {TRANSITION_LABELS.cancelled} {label}…
                    </ConfirmLink>
                  </p>
                  <Confirm
                    id="cancel-order"
                    open={confirmCancel || Boolean(errors)}
                    level={3}
                    title={`Cancel order ${label}?`}
                    confirmLabel={`Yes, cancel order ${label}`}
                    cancelTo="."
                    cancelLabel="Keep the order"
                    fields={{ version: String(order.version), to }}
                  >
                    {errors?.formError ? <FormErrors id="error-cancelled" errors={[errors.formError]} /> : null}
                    <p>Every unit it took goes back into stock. This cannot be undone.</p>
                    <ShipField
                      label="Reason (optional)"
                      name="note"
                      id="note-cancelled"
                      error={errors?.fieldErrors?.note}
                      defaultValue={errors?.values.note}
                    />
                  </Confirm>
                </div>
              )
            }
            return (
              <Form method="post" key={to} className="status-form" aria-label={TRANSITION_LABELS[to]}>
                <input type="hidden" name="version" value={order.version} />
                <input type="hidden" name="to" value={to} />
                {errors?.formError ? <FormErrors id={`error-${to}`} errors={[errors.formError]} /> : null}
                {to === 'shipped' ? (
                  <div className="field-row">
                    <ShipField
                      label="Carrier"
                      name="carrier"
                      error={errors?.fieldErrors?.carrier}
                      list="carriers"
                      defaultValue={errors?.values.carrier}
                    />
                    <datalist id="carriers">
                      {CARRIERS.map((c) => (
                        <option key={c} value={c} />
                      ))}
                    </datalist>
                    <ShipField
                      label="Tracking number"
                      name="trackingNumber"
                      error={errors?.fieldErrors?.trackingNumber}
                      defaultValue={errors?.values.trackingNumber}
                    />
                  </div>
                ) : null}
                <ShipField
                  label="Note (optional)"
                  name="note"
                  id={`note-${to}`}
                  error={errors?.fieldErrors?.note}
                  defaultValue={errors?.values.note}
                />
                <button type="submit">{TRANSITION_LABELS[to]}</button>
              </Form>
            )
          })}
        </section>
      ) : null}

      <section aria-labelledby="lines-heading">
        <h2 id="lines-heading">Lines</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Fabric</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Unit price
                </th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.length ? (
                order.items.map((item, i) => (
                  <tr key={i}>
                    <td>{item.fabricId ? <Link to={`/fabrics/${item.fabricId}`}>{item.name}</Link> : item.name}</td>
                    <td>{item.sku ?? '—'}</td>
                    <td className="num">{formatMoney(item.unitPrice, currency)}</td>
                    <td className="num">{formatNumber(item.quantity)}</td>
                    <td className="num">{formatMoney(item.lineTotal, currency)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={5} className="empty">
                    No lines recorded.
                  </td>
                </tr>
              )}
            </tbody>
            <tfoot>
              <MoneyRow label="Subtotal" amount={subtotal} currency={currency} />
              {order.shippingAmount !== '0.00' ? <MoneyRow label="Shipping" amount={order.shippingAmount} currency={currency} /> : null}
              {order.taxAmount !== '0.00' ? <MoneyRow label="Tax" amount={order.taxAmount} currency={currency} /> : null}
              <MoneyRow label="Total" amount={order.totalAmount} currency={currency} />
            </tfoot>
          </table>
        </div>
      </section>

      <section aria-labelledby="customer-heading">
        <h2 id="customer-heading">Customer</h2>
        <dl className="details">
          <dt>Name</dt>
          <dd>{order.customerName}</dd>
          <dt>Email</dt>
          <dd>{order.customerEmail ? <a href={`mailto:${order.customerEmail}`}>{order.customerEmail}</a> : '—'}</dd>
          <dt>Ship to</dt>
          <dd>
            {address ? (
              <address>
                {[address.name, address.line1, address.line2, address.city, [address.region, address.postalCode].filter(Boolean).join(' '), countryName(address.country)]
                  .filter(Boolean)
                  .map((line, i) => (
                    <span key={i} className="address-line">
                      {line}
                    </span>
                  ))}
              </address>
            ) : (
              'No address (collected in the shop)'
            )}
          </dd>
          <dt>Tracking</dt>
          <dd>{order.trackingNumber ? `${order.carrier ?? ''} ${order.trackingNumber}`.trim() : '—'}</dd>
          <dt>Notes</dt>
          <dd className="pre-wrap">{order.notes ?? '—'}</dd>
        </dl>
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline">
          {order.events.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, timeZone)}</time>{' '}
              {e.fromStatus === null
                ? `Placed as ${ORDER_STATUS_LABELS[e.toStatus].toLowerCase()}`
                : e.fromStatus === e.toStatus
                  ? 'Changed'
                  : `${ORDER_STATUS_LABELS[e.fromStatus]} → ${ORDER_STATUS_LABELS[e.toStatus]}`}
              {e.by ? ` by ${e.by}` : ''}
              {e.note ? <span className="muted"> · {e.note}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}

function MoneyRow({ label, amount, currency }: { label: string; amount: string; currency: string }) {
  return (
    <tr>
      <th scope="row" colSpan={4}>
        {label}
      </th>
      <td className="num">{formatMoney(amount, currency)}</td>
    </tr>
  )
}

function ShipField({
  label,
  name,
  error,
  list,
  id = name,
  defaultValue,
}: {
  label: string
  name: string
  error?: string
  list?: string
  id?: string
  defaultValue?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        autoComplete="off"
        list={list}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  )
}
