import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { dailyTotals } from '~/models/analytics.server'

export const meta: MetaFunction = () => [{ title: 'Analytics · Tara Hub' }]

export async function loader() {
  return { rows: await dailyTotals({ days: 14 }) }
}

export default function AnalyticsPage() {
  const { rows } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Analytics</h1>
      <p>Daily totals for the last 14 days, all platforms together.</p>
      {rows.length === 0 ? (
        <p className="empty">No metrics recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Metric</th>
                <th scope="col" className="num">Value</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.date}-${r.metricType}`}>
                  <td>{r.date}</td>
                  <td>{r.metricType}</td>
                  <td className="num">{Number(r.value).toLocaleString('en-GB')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
