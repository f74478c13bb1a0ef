// GET /analytics/charts/<chart>?range=…: one dashboard chart's figures as CSV (the rows of its
// "Table of the figures"), for the same range and platform as the page it was linked from.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { stringify } from 'csv-stringify/sync'
import { getAnalyticsDashboard, parseAnalyticsQuery } from '~/models/analytics-dashboard.server'
import { CHARTS, type ChartName } from '~/models/analytics-options'
import { requireUser } from '~/services/auth.server'
import { env } from '~/services/env.server'
import { chartTable } from '~/utils/chart-data'
import { BOM, CSV_OPTIONS, textCell } from '~/utils/csv'
import { dayOf } from '~/utils/dates'
import { searchParamsOf } from '~/utils/validation'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request)
  const name = params.chart as ChartName
  if (!(CHARTS as readonly string[]).includes(name)) throw new Response('No such chart', { status: 404 })
  const { SHOP_CURRENCY: currency, SHOP_TIMEZONE: timeZone } = env()
  const query = parseAnalyticsQuery(searchParamsOf(request), dayOf(new Date(), timeZone))
  const table = chartTable(name, await getAnalyticsDashboard(query), currency)
  const records = [
    table.columns.map((c) => c.header),
    ...table.rows.map((row) => table.columns.map((c) => (typeof row[c.key] === 'number' ? row[c.key] : textCell(String(row[c.key] ?? ''))))),
  ]
  const platform = query.platform ? `-${query.platform}` : ''
  return new Response(BOM + stringify(records, CSV_OPTIONS), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${query.from}-to-${query.to}${platform}.csv"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
