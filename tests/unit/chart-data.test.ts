// The analytics charts' figures as tables (app/utils/chart-data.ts): what the "Table of the
// figures" shows and the CSV downloads hold.
import { describe, expect, it } from 'vitest'
import type { Dashboard } from '~/models/analytics-options'
import {
  chartTable,
  engagementTable,
  ordersByStatusTable,
  postsVsEngagementTable,
  revenueTable,
  topFabricsTable,
} from '~/utils/chart-data'

const dashboard: Pick<Dashboard, 'revenue' | 'ordersByStatus' | 'topFabrics' | 'engagement' | 'postsVsEngagement'> = {
  revenue: {
    current: [
      { date: '2026-11-01', value: 120.5 },
      { date: '2026-11-02', value: 0.1 + 0.2 },
    ],
    previous: [
      { date: '2026-10-30', value: 99 },
      { date: '2026-10-31', value: 12.345 },
    ],
  },
  ordersByStatus: [
    { status: 'delivered', count: 20 },
    { status: 'pending', count: 3 },
  ],
  topFabrics: [
    { key: 'f2', name: 'Cotton poplin', revenue: 80, units: 4 },
    { key: 'f1', name: 'Linen, natural', revenue: 250.5, units: 12 },
  ],
  engagement: [
    { week: '2026-11-02', instagram: 120, facebook: 80, pinterest: 0 },
    { week: '2026-11-09', instagram: 1500, facebook: 0, pinterest: 7 },
  ],
  postsVsEngagement: [
    { week: '2026-11-02', posts: 2, engagement: 200 },
    { week: '2026-11-09', posts: 0, engagement: 0 },
  ],
}

describe('the revenue table', () => {
  it('puts day i of the previous period next to day i, money rounded to cents', () => {
    const table = revenueTable(dashboard.revenue, 'GBP')
    expect(table.columns.map((c) => c.header)).toEqual([
      'Date',
      'Revenue (GBP)',
      'Previous period date',
      'Previous period revenue (GBP)',
    ])
    expect(table.columns.map((c) => c.kind)).toEqual(['date', 'money', 'date', 'money'])
    expect(table.rows).toEqual([
      { date: '2026-11-01', revenue: 120.5, previousDate: '2026-10-30', previousRevenue: 99 },
      { date: '2026-11-02', revenue: 0.3, previousDate: '2026-10-31', previousRevenue: 12.35 },
    ])
  })

  it('leaves a missing day empty, and names no currency when not given one', () => {
    const table = revenueTable({ current: [{ date: '2026-11-01', value: 5 }], previous: [] })
    expect(table.columns[1]!.header).toBe('Revenue')
    expect(table.rows).toEqual([{ date: '2026-11-01', revenue: 5, previousDate: '', previousRevenue: '' }])
  })
})

describe('the other tables', () => {
  it('lists every order status in workflow order, with 0 for none', () => {
    const table = ordersByStatusTable(dashboard.ordersByStatus)
    expect(table.columns).toEqual([
      { key: 'status', header: 'Status', kind: 'text' },
      { key: 'count', header: 'Orders', numeric: true, kind: 'count' },
    ])
    expect(table.rows).toEqual([
      { status: 'Pending', count: 3 },
      { status: 'Processing', count: 0 },
      { status: 'Shipped', count: 0 },
      { status: 'Delivered', count: 20 },
      { status: 'Cancelled', count: 0 },
    ])
  })

  it('ranks the top fabrics by revenue, at most 10', () => {
    const table = topFabricsTable(dashboard.topFabrics, 'EUR')
    expect(table.columns.map((c) => c.header)).toEqual(['Rank', 'Fabric', 'Units', 'Revenue (EUR)'])
    expect(table.rows).toEqual([
      { rank: 1, fabric: 'Linen, natural', units: 12, revenue: 250.5 },
      { rank: 2, fabric: 'Cotton poplin', units: 4, revenue: 80 },
    ])
    const many = Array.from({ length: 12 }, (_, i) => ({ key: `f${i}`, name: `Fabric ${i}`, revenue: i, units: 1 }))
    expect(topFabricsTable(many).rows.map((r) => r.fabric)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Fabric ${11 - i}`),
    )
  })

  it('gives engagement per week and platform, and posts against interactions', () => {
    expect(engagementTable(dashboard.engagement)).toEqual({
      columns: [
        { key: 'week', header: 'Week (Monday)', kind: 'date' },
        { key: 'instagram', header: 'Instagram', numeric: true, kind: 'count' },
        { key: 'facebook', header: 'Facebook', numeric: true, kind: 'count' },
        { key: 'pinterest', header: 'Pinterest', numeric: true, kind: 'count' },
      ],
      rows: [
        { week: '2026-11-02', instagram: 120, facebook: 80, pinterest: 0 },
        { week: '2026-11-09', instagram: 1500, facebook: 0, pinterest: 7 },
      ],
    })
    expect(postsVsEngagementTable(dashboard.postsVsEngagement)).toEqual({
      columns: [
        { key: 'week', header: 'Week (Monday)', kind: 'date' },
        { key: 'posts', header: 'Posts published', numeric: true, kind: 'count' },
        { key: 'interactions', header: 'Interactions', numeric: true, kind: 'count' },
      ],
      rows: [
        { week: '2026-11-02', posts: 2, interactions: 200 },
        { week: '2026-11-09', posts: 0, interactions: 0 },
      ],
    })
  })

  it('are all reachable by chart name', () => {
    expect(chartTable('revenue', dashboard, 'GBP')).toEqual(revenueTable(dashboard.revenue, 'GBP'))
    expect(chartTable('orders-by-status', dashboard)).toEqual(ordersByStatusTable(dashboard.ordersByStatus))
    expect(chartTable('top-fabrics', dashboard)).toEqual(topFabricsTable(dashboard.topFabrics))
    expect(chartTable('engagement', dashboard)).toEqual(engagementTable(dashboard.engagement))
    expect(chartTable('posts-vs-engagement', dashboard)).toEqual(postsVsEngagementTable(dashboard.postsVsEngagement))
  })
})
