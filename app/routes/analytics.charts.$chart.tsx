// GET /analytics/charts/<chart>?range=…: one dashboard chart's figures as CSV (the rows of its
// "Table of the figures"), for the same range and platform as the page it was linked from.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getAnalyticsDashboard, parseAnalyticsQuery } from '~/models/analytics-dashboard.server'
import { CHARTS, type ChartName } from '~/models/analytics-options'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { csvResponse, notFound } from '~/services/http.server'
import { databaseUnavailable } from '~/services/outage.server'
import { chartTable } from '~/utils/chart-data'
import { csvHeader, csvRows } from '~/utils/csv'
import { dayOf } from '~/utils/dates'
import { searchParamsOf } from '~/utils/validation'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request).catch(databaseUnavailable)
  const name = params.chart as ChartName
  if (!(CHARTS as readonly string[]).includes(name)) throw notFound('No such chart')
  const { SHOP_CURRENCY: currency, SHOP_TIMEZONE: timeZone } = env()
  const query = parseAnalyticsQuery(searchParamsOf(request), dayOf(new Date(), timeZone))
  const table = chartTable(name, await getAnalyticsDashboard(query).catch(databaseUnavailable), currency)
  const records = table.rows.map((row) =>
    table.columns.map((c) => (typeof row[c.key] === 'number' ? row[c.key] : String(row[c.key] ?? ''))),
  )
  const platform = query.platform ? `-${query.platform}` : ''
  return csvResponse({
    body: csvHeader(table.columns.map((c) => c.header)) + csvRows(records),
    filename: `${name}-${query.from}-to-${query.to}${platform}.csv`,
  })
}
