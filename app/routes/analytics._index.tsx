import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { dailyTotals } from '~/models/analytics.server'
import { requireUser } from '~/services/auth.server'

export const meta: MetaFunction = () => [{ title: 'Analytics · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  const rows = await dailyTotals({ days: 14 })
  return { rows: rows.map((r) => ({ ...r, id: `${r.date}-${r.metricType}` })) }
}

export default function AnalyticsPage() {
  const { rows } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Analytics</h1>
      <p>Daily totals for the last 14 days, all platforms together.</p>
      <DataTable
        rows={rows}
        empty="No metrics recorded yet."
        columns={[
          { header: 'Date', cell: (r) => r.date },
          { header: 'Metric', cell: (r) => r.metricType },
          { header: 'Value', numeric: true, cell: (r) => Number(r.value).toLocaleString('en-GB') },
        ]}
      />
    </>
  )
}
