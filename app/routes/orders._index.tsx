import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { listOrders } from '~/models/order.server'
import { useTimeZone } from '~/components/time-zone'
import { formatDateTime } from '~/utils/format'
import { formatMoney } from '~/utils/money'
import { requireUser } from '~/services/auth.server'

export const meta: MetaFunction = () => [{ title: 'Orders · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return { orders: await listOrders() }
}

export default function OrdersPage() {
  const timeZone = useTimeZone()
  const { orders } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Orders</h1>
      <DataTable
        rows={orders}
        empty="No orders yet."
        columns={[
          { header: 'Placed', cell: (o) => formatDateTime(o.createdAt, timeZone) },
          { header: 'Customer', cell: (o) => o.customerName },
          { header: 'Status', cell: (o) => <span className={`status status-${o.status}`}>{o.status}</span> },
          { header: 'Total', numeric: true, cell: (o) => formatMoney(o.totalAmount) },
          { header: 'Etsy order', cell: (o) => o.etsyOrderId ?? '—' },
        ]}
      />
    </>
  )
}
