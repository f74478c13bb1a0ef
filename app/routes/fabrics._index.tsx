import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listFabrics } from '~/models/fabric.server'
import { env } from '~/services/env.server'
import { formatMoney } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: 'Fabrics · Tara Hub' }]

export async function loader() {
  return { fabrics: await listFabrics(), low: env().LOW_STOCK_THRESHOLD }
}

export default function FabricsPage() {
  const { fabrics, low } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Fabrics</h1>
      {fabrics.length === 0 ? (
        <p className="empty">No fabrics yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">Price</th>
                <th scope="col" className="num">Stock</th>
              </tr>
            </thead>
            <tbody>
              {fabrics.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{f.category ?? '—'}</td>
                  <td className="num">{formatMoney(f.price)}</td>
                  <td className="num">
                    {f.stockQuantity}
                    {!f.inStock || f.stockQuantity === 0 ? (
                      <span className="mark mark-out"> out</span>
                    ) : f.stockQuantity <= low ? (
                      <span className="mark mark-low"> low</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
