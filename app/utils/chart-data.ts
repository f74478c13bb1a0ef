// The figures behind the analytics charts, as plain tables: the charts' "Table of the figures"
// (app/components/charts/) and the CSV downloads read the same rows. Pure: no React, no server.
import type {
  ChartName,
  Dashboard,
  FabricRevenue,
  PostsVsEngagement,
  RevenueSeries,
  StatusCount,
  WeeklyEngagement,
} from '~/models/analytics-options'
import { ORDER_STATUSES, ORDER_STATUS_LABELS } from '~/models/order-options'

/** What a column holds, so that a table can format it (a CSV keeps the raw value). */
export type ColumnKind = 'text' | 'date' | 'count' | 'money'

export interface ChartColumn {
  key: string
  header: string
  /** Right-aligned, tabular figures. */
  numeric?: boolean
  kind?: ColumnKind
}

/** Rows hold raw values: dates as 'YYYY-MM-DD', money as a number rounded to cents, '' for none. */
export interface ChartTable {
  columns: ChartColumn[]
  rows: Record<string, string | number>[]
}

export const CHART_TITLES: Record<ChartName, string> = {
  revenue: 'Revenue per day',
  'orders-by-status': 'Orders by status',
  'top-fabrics': 'Top fabrics by revenue',
  engagement: 'Interactions per week by platform',
  'posts-vs-engagement': 'Posts published and interactions per week',
}

/** The data every chart reads. */
export type ChartData = Pick<
  Dashboard,
  'revenue' | 'ordersByStatus' | 'topFabrics' | 'engagement' | 'postsVsEngagement'
>

/** The top fabrics chart shows this many, at most. */
export const TOP_FABRICS_SHOWN = 10

/** An amount rounded to cents (12.345 → 12.35). */
export function roundCents(amount: number): number {
  return Number.isFinite(amount) ? Math.round(amount * 100) / 100 : 0
}

/** The fabrics the chart shows: highest revenue first, at most 10. */
export function topFabrics(data: FabricRevenue[]): FabricRevenue[] {
  return [...data].sort((a, b) => b.revenue - a.revenue).slice(0, TOP_FABRICS_SHOWN)
}

/** Every status in workflow order, with 0 for a status without orders. */
export function statusCounts(data: StatusCount[]): StatusCount[] {
  return ORDER_STATUSES.map((status) => ({
    status,
    count: data.filter((d) => d.status === status).reduce((sum, d) => sum + d.count, 0),
  }))
}

const count = (key: string, header: string): ChartColumn => ({ key, header, numeric: true, kind: 'count' })
const money = (key: string, header: string, currency?: string): ChartColumn => ({
  key,
  header: currency ? `${header} (${currency})` : header,
  numeric: true,
  kind: 'money',
})
const date = (key: string, header: string): ChartColumn => ({ key, header, kind: 'date' })
const text = (key: string, header: string): ChartColumn => ({ key, header, kind: 'text' })

/** Day i of the period next to day i of the previous period. */
export function revenueTable(data: RevenueSeries, currency?: string): ChartTable {
  const length = Math.max(data.current.length, data.previous.length)
  return {
    columns: [
      date('date', 'Date'),
      money('revenue', 'Revenue', currency),
      date('previousDate', 'Previous period date'),
      money('previousRevenue', 'Previous period revenue', currency),
    ],
    rows: Array.from({ length }, (_, i) => {
      const current = data.current[i]
      const previous = data.previous[i]
      return {
        date: current?.date ?? '',
        revenue: current ? roundCents(current.value) : '',
        previousDate: previous?.date ?? '',
        previousRevenue: previous ? roundCents(previous.value) : '',
      }
    }),
  }
}

export function ordersByStatusTable(data: StatusCount[]): ChartTable {
  return {
    columns: [text('status', 'Status'), count('count', 'Orders')],
    rows: statusCounts(data).map((d) => ({ status: ORDER_STATUS_LABELS[d.status], count: d.count })),
  }
}

export function topFabricsTable(data: FabricRevenue[], currency?: string): ChartTable {
  return {
    columns: [
      count('rank', 'Rank'),
      text('fabric', 'Fabric'),
      count('units', 'Units'),
      money('revenue', 'Revenue', currency),
    ],
    rows: topFabrics(data).map((d, i) => ({
      rank: i + 1,
      fabric: d.name,
      units: d.units,
      revenue: roundCents(d.revenue),
    })),
  }
}

export function engagementTable(data: WeeklyEngagement[]): ChartTable {
  return {
    columns: [
      date('week', 'Week (Monday)'),
      count('instagram', 'Instagram'),
      count('facebook', 'Facebook'),
      count('pinterest', 'Pinterest'),
    ],
    rows: data.map((d) => ({ week: d.week, instagram: d.instagram, facebook: d.facebook, pinterest: d.pinterest })),
  }
}

export function postsVsEngagementTable(data: PostsVsEngagement[]): ChartTable {
  return {
    columns: [date('week', 'Week (Monday)'), count('posts', 'Posts published'), count('interactions', 'Interactions')],
    rows: data.map((d) => ({ week: d.week, posts: d.posts, interactions: d.engagement })),
  }
}

/** The table of one chart, by its name (the CSV download's). Money headers name the currency when given. */
export function chartTable(name: ChartName, dashboard: ChartData, currency?: string): ChartTable {
  switch (name) {
    case 'revenue':
      return revenueTable(dashboard.revenue, currency)
    case 'orders-by-status':
      return ordersByStatusTable(dashboard.ordersByStatus)
    case 'top-fabrics':
      return topFabricsTable(dashboard.topFabrics, currency)
    case 'engagement':
      return engagementTable(dashboard.engagement)
    case 'posts-vs-engagement':
      return postsVsEngagementTable(dashboard.postsVsEngagement)
  }
}
