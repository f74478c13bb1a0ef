import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listOrders } from '~/models/order.server'
import { formatDateTime } from '~/utils/format'
import { formatMoney } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: 'Orders · Tara Hub' }]

export async function loader() {
  return { orders: await listOrders() }
}

export default function OrdersPage() {
  const { orders } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Orders</h1>
      {orders.length === 0 ? (
        <p className="empty">No orders yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Placed</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Total</th>
                <th scope="col">Etsy order</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>{formatDateTime(o.createdAt)}</td>
                  <td>{o.customerName}</td>
                  <td>
                    <span className={`status status-${o.status}`}>{o.status}</span>
                  </td>
                  <td className="num">{formatMoney(o.totalAmount)}</td>
                  <td>{o.etsyOrderId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
