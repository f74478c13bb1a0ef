// GET /orders/packing-slips?id=…&id=…: a print-ready packing slip for each ticked order, in the
// order ticked, each on its own page (app/styles/app.css, "Print"). The browser's own Print command
// prints it; with JavaScript on, a Print button does too (app/enhance/enhance.js). A cancelled order
// gets no slip: the page says which ticked orders were left out, and why.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTimeZone } from '~/components/time-zone'
import { packingSlips, type PackingSlip } from '~/models/order-list.server'
import { MAX_PACKING_SLIPS, orderLabel } from '~/models/order-options'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { countryName } from '~/utils/countries'
import { formatDate, formatNumber } from '~/utils/format'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Packing slips · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const ids = searchParamsOf(request).getAll('id')
  const { slips, cancelled } = ids.length ? await packingSlips(user.id, ids) : { slips: [], cancelled: [] }
  return { shopName: env().SHOP_NAME, asked: new Set(ids).size, slips, cancelled }
}

function Address({ address }: { address: PackingSlip['shippingAddress'] }) {
  if (!address) return <p>No shipping address on this order.</p>
  const place = [address.city, address.region].filter(Boolean).join(', ')
  return (
    <address>
      {[address.name, address.line1, address.line2, place, address.postalCode, countryName(address.country)]
        .filter(Boolean)
        .map((line, i) => (
          <span key={i} className="address-line">
            {line}
          </span>
        ))}
    </address>
  )
}

function Slip({ order, shopName }: { order: PackingSlip; shopName: string }) {
  const timeZone = useTimeZone()
  const headingId = `slip-${order.id}`
  return (
    <article className="slip" aria-labelledby={headingId}>
      <header className="slip-head">
        <p className="slip-shop">{shopName}</p>
        <h2 id={headingId}>Packing slip: order {orderLabel(order.number)}</h2>
        <p className="slip-meta">
          Placed {formatDate(order.createdAt, timeZone)}
          {order.etsyOrderId ? ` · Etsy order ${order.etsyOrderId}` : null}
        </p>
      </header>
      <section className="slip-address" aria-labelledby={`${headingId}-to`}>
        <h3 id={`${headingId}-to`}>Ship to</h3>
        <Address address={order.shippingAddress} />
      </section>
      <table className="slip-lines">
        <caption className="visually-hidden">Items in order {orderLabel(order.number)}</caption>
        <thead>
          <tr>
            <th scope="col" className="tick-col">
              Packed
            </th>
            <th scope="col">SKU</th>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Quantity
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item, i) => (
            <tr key={i}>
              <td className="tick-col">
                <span className="tick-box" aria-hidden="true" />
              </td>
              <td>{item.sku ?? '—'}</td>
              <td>{item.name}</td>
              <td className="num">{formatNumber(item.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {order.notes ? (
        <section className="slip-notes" aria-labelledby={`${headingId}-notes`}>
          <h3 id={`${headingId}-notes`}>Notes</h3>
          <p className="pre-wrap">{order.notes}</p>
        </section>
      ) : null}
    </article>
  )
}

/** The ticked orders that get no slip: cancelled ones, by number, linked. */
function LeftOut({ cancelled }: { cancelled: { id: string; number: number }[] }) {
  if (!cancelled.length) return null
  const one = cancelled.length === 1
  return (
    <p className="slips-left-out" role="note">
      <strong>{one ? 'Left out, cancelled: ' : `Left out, ${cancelled.length} cancelled: `}</strong>
      {cancelled.map((o, i) => (
        <span key={o.id}>
          {i ? ', ' : null}
          <Link to={`/orders/${o.id}`}>order {orderLabel(o.number)}</Link>
        </span>
      ))}
      {one ? '. It has nothing to pack, so it has no slip.' : '. They have nothing to pack, so they have no slips.'}
    </p>
  )
}

export default function PackingSlipsPage() {
  const { shopName, asked, slips, cancelled } = useLoaderData<typeof loader>()
  return (
    <>
      <div className="screen-only slips-intro">
        <h1>Packing slips</h1>
        {asked === 0 ? (
          <p>
            No orders were ticked. On the <Link to="/orders">orders list</Link>, tick the orders to pack, then press
            Print packing slips.
          </p>
        ) : slips.length === 0 ? (
          <>
            <LeftOut cancelled={cancelled} />
            <p>
              {cancelled.length ? 'There is nothing to pack. ' : 'None of the ticked orders were found. '}
              <Link to="/orders">Back to the orders</Link>
            </p>
          </>
        ) : (
          <>
            <p className="print-hint">
              {slips.length === 1 ? 'One slip' : `${slips.length} slips`}, each on its own page (A4 or US Letter). To print,
              use your browser&apos;s Print command (Ctrl+P, or ⌘P on a Mac).
            </p>
            <LeftOut cancelled={cancelled} />
            {asked > MAX_PACKING_SLIPS ? (
              <p>{`Only the first ${MAX_PACKING_SLIPS} ticked orders are here: print the rest separately.`}</p>
            ) : null}
            <p className="actions">
              <button type="button" data-print hidden>
                Print
              </button>
              <Link to="/orders">Back to the orders</Link>
            </p>
          </>
        )}
      </div>
      {slips.map((order) => (
        <Slip key={order.id} order={order} shopName={shopName} />
      ))}
    </>
  )
}
