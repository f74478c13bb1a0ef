import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { listFabrics } from '~/models/fabric.server'
import { env } from '~/services/env.server'
import { formatMoney } from '~/utils/money'
import { requireUser } from '~/services/auth.server'

export const meta: MetaFunction = () => [{ title: 'Fabrics · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return { fabrics: await listFabrics(), low: env().LOW_STOCK_THRESHOLD }
}

export default function FabricsPage() {
  const { fabrics, low } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Fabrics</h1>
      <DataTable
        rows={fabrics}
        empty="No fabrics yet."
        columns={[
          { header: 'Name', cell: (f) => f.name },
          { header: 'Category', cell: (f) => f.category ?? '—' },
          { header: 'Price', numeric: true, cell: (f) => formatMoney(f.price) },
          {
            header: 'Stock',
            numeric: true,
            cell: (f) => (
              <>
                {f.stockQuantity}
                {!f.inStock || f.stockQuantity === 0 ? (
                  <span className="mark mark-out"> out</span>
                ) : f.stockQuantity <= low ? (
                  <span className="mark mark-low"> low</span>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </>
  )
}
