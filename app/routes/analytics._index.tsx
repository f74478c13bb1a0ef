// /analytics: how sales and posts are doing over a range of days (the last 7/30/90/365 days or
// custom, in the URL) for all platforms or one. Pictures first: five charts drawn on the server
// as SVG, each with its figures in a folded table and a CSV download. No client JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { EngagementChart, PostsVsEngagementChart } from '~/components/charts/engagement'
import { ChartFigure } from '~/components/charts/figure'
import { OrdersByStatusChart } from '~/components/charts/orders-by-status'
import { RevenueChart } from '~/components/charts/revenue'
import { TopFabricsChart } from '~/components/charts/top-fabrics'
import { DataTable } from '~/components/data-table'
import { Figure } from '~/components/figures'
import { DayField } from '~/components/form'
import {
  analyticsSearch,
  getAnalyticsDashboard,
  parseAnalyticsQuery,
} from '~/models/analytics-dashboard.server'
import { DEFAULT_RANGE_DAYS, METRIC_PLATFORMS, PLATFORM_LABELS, RANGE_DAYS, SALES_CHANNELS, SOCIAL_PLATFORMS, type ChartName } from '~/models/analytics-options'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { chartTable, CHART_TITLES } from '~/utils/chart-data'
import { dayOf, formatShortDay } from '~/utils/dates'
import { formatNumber } from '~/utils/format'
import { formatAmount } from '~/utils/money'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Analytics · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  const { SHOP_CURRENCY: currency, SHOP_TIMEZONE: timeZone } = env()
  const query = parseAnalyticsQuery(searchParamsOf(request), dayOf(new Date(), timeZone))
  const dashboard = await getAnalyticsDashboard(query)
  return { query, dashboard, currency, search: analyticsSearch(query), today: dayOf(new Date(), timeZone) }
}


export default function AnalyticsPage() {
  const { query, dashboard, currency, search, today } = useLoaderData<typeof loader>()
  const { totals } = dashboard
  const day = (d: string) => formatShortDay(d, today)
  const money = (n: number) => formatAmount(n, currency)
  const sales = query.platform === '' || (SALES_CHANNELS as readonly string[]).includes(query.platform)
  const social = query.platform === '' || (SOCIAL_PLATFORMS as readonly string[]).includes(query.platform)
  const chart = (name: ChartName, drawing: JSX.Element) => (
    <ChartFigure
      name={name}
      title={CHART_TITLES[name]}
      csvHref={`/analytics/charts/${name}${search}`}
      table={chartTable(name, dashboard, currency)}
    >
      {drawing}
    </ChartFigure>
  )
  return (
    <>
      <div className="page-head">
        <h1>Analytics</h1>
        <Link className="button secondary" to="/analytics/metrics">
          Enter figures
        </Link>
      </div>
      <RangeForm />
      <p className="hint">
        {`${day(dashboard.from)} to ${day(dashboard.to)}, ${PLATFORM_LABELS[query.platform].toLowerCase()}; `}
        {`compared with ${day(dashboard.previousFrom)} to ${day(dashboard.previousTo)}.`}
        {!sales ? ' Sales come from Etsy and the shop: choose All, Etsy or Shop to see them.' : null}
        {!social ? ' Interactions come from Instagram, Facebook and Pinterest posts.' : null}
      </p>

      <dl className="figures analytics-figures">
        <Figure label="Revenue" value={money(totals.revenue)} note={`${money(totals.previousRevenue)} before`} />
        <Figure label="Orders" value={totals.orders} note={`${formatNumber(totals.previousOrders)} before`} />
        <Figure
          label="Average order"
          value={totals.averageOrderValue === null ? '–' : money(totals.averageOrderValue)}
        />
        <Figure label="Units sold" value={totals.unitsSold} />
        <Figure label="Interactions" value={totals.engagement} />
        <Figure label="Posts published" value={totals.postsPublished} />
      </dl>

      <div className="charts">
        {chart('revenue', <RevenueChart data={dashboard.revenue} currency={currency} />)}
        {chart('orders-by-status', <OrdersByStatusChart data={dashboard.ordersByStatus} />)}
        {chart('top-fabrics', <TopFabricsChart data={dashboard.topFabrics} currency={currency} />)}
        {chart('engagement', <EngagementChart data={dashboard.engagement} />)}
        {chart('posts-vs-engagement', <PostsVsEngagementChart data={dashboard.postsVsEngagement} />)}
      </div>

      <section aria-labelledby="manual-figures">
        <h2 id="manual-figures">Figures entered by hand</h2>
        <DataTable
          rows={dashboard.manual.map((m) => ({ ...m, id: `${m.metricType}|${m.platform}` }))}
          empty="None in this range."
          columns={[
            { header: 'Metric', cell: (m) => m.metricType.replaceAll('_', ' ') },
            { header: 'Platform', cell: (m) => PLATFORM_LABELS[m.platform] },
            { header: 'Latest', numeric: true, cell: (m) => formatNumber(m.value) },
            { header: 'On', cell: (m) => day(m.date) },
          ]}
        />
        <p>
          <Link to="/analytics/metrics">Enter followers, profile visits and the like.</Link>
        </p>
      </section>
    </>
  )
}

function RangeForm() {
  const { query } = useLoaderData<typeof loader>()
  const { errors, typed } = query
  return (
    <Form method="get" className="filters" role="search" aria-label="Range and platform">
      <div className="field">
        <label htmlFor="filter-range">Range</label>
        <select id="filter-range" name="range" defaultValue={query.range}>
          {RANGE_DAYS.map((n) => (
            <option key={n} value={String(n)}>
              {`Last ${n} days`}
            </option>
          ))}
          <option value="custom">Custom (From and To)</option>
        </select>
      </div>
      <DayField name="from" label="From" value={typed.from} error={errors.from} />
      <DayField name="to" label="To" value={typed.to} error={errors.to} />
      <div className="field">
        <label htmlFor="filter-platform">Platform</label>
        <select id="filter-platform" name="platform" defaultValue={query.platform}>
          <option value="">All platforms</option>
          {METRIC_PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {PLATFORM_LABELS[p]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
      {errors.from || errors.to ? (
        <p className="field-error" role="alert">
          {`The custom range is not right, so the last ${DEFAULT_RANGE_DAYS} days are shown.`}
        </p>
      ) : null}
    </Form>
  )
}

