// Analytics on every driver: the rollup's figures equal a hand computation on a fixed data set
// (a cancelled order, a day without orders, a sale late in the evening in New York), running it
// twice changes nothing, one row per metric/day/platform, figures follow order and post changes,
// and the dashboard's cache on the real Redis.
import { and, asc, eq } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { getAnalyticsDashboard } from '~/models/analytics-dashboard.server'
import { importFiguresCsv, ManualFigureFields, readMetricName } from '~/models/analytics-import.server'
import {
  deleteManualFigure,
  recentManualFigures,
  rollupAnalytics,
  saveManualFigures,
} from '~/models/analytics.server'
import { ANALYTICS_DAYS_QUEUE, analyticsSettled, mergeRanges } from '~/models/analytics-refresh.server'
import { recordEngagement, setPublished, updateEntry } from '~/models/content.server'
import { changeStatus, placeOrder, type Actor } from '~/models/order.server'
import { analytics, contentCalendar, orders, users } from '~/models/schema'
import { createDatabase, setDatabase } from '~/services/db.server'
import { closeRedisClients } from '~/services/redis.server'
import { TARGETS, expectPgError, useMigratedDatabase } from '../setup/databases'
import { insertFabric } from '../setup/factories'
import { useJobs } from '../setup/jobs'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const TZ = 'America/New_York'
vi.stubEnv('SHOP_TIMEZONE', TZ)
vi.stubEnv('REDIS_URL', REDIS_URL)

const redis = new Redis(REDIS_URL)
afterAll(async () => {
  await redis.quit()
  await closeRedisClients()
})

/** Forgets every cached dashboard, so that each test (and each driver) starts cold. */
async function clearCache() {
  const keys = await redis.keys('tara:an:*')
  if (keys.length) await redis.del(...keys)
}

type Figures = Record<string, unknown>
async function figures(db: ReturnType<typeof useMigratedDatabase>['db'], metric: string, date: string) {
  const found = await db
    .select({ platform: analytics.platform, value: analytics.metricValue })
    .from(analytics)
    .where(and(eq(analytics.metricType, metric), eq(analytics.date, date)))
    .orderBy(asc(analytics.platform))
  return Object.fromEntries(found.map((r) => [r.platform, r.value])) as Record<string, Figures>
}

describe('rollups asked for after changes', () => {
  it('run overlapping and adjacent days together, each range once', () => {
    expect(
      mergeRanges([
        { from: '2026-03-04', to: '2026-03-04' },
        { from: '2026-03-01', to: '2026-03-02' },
        { from: '2026-03-03', to: '2026-03-03' },
        { from: '2026-03-10', to: '2026-03-12' },
        { from: '2026-03-11', to: '2026-03-11' },
      ]),
    ).toEqual([
      { from: '2026-03-01', to: '2026-03-04' },
      { from: '2026-03-10', to: '2026-03-12' },
    ])
  })
})

describe.each(TARGETS)('analytics on %s', (target) => {
  const database = useMigratedDatabase(target)
  // The rollups that changes ask for run on the job queue, as in the app.
  useJobs(database, [ANALYTICS_DAYS_QUEUE])
  let staff: Actor
  let linen: string
  let cotton: string

  beforeAll(async () => {
    const [user] = await database.db.insert(users).values({ email: `an-${target}@example.com`, name: 'Sam' }).returning()
    staff = { id: user!.id, role: 'admin' }
    linen = (await insertFabric(database.db, { name: 'Sage Linen', price: '12.50', stockQuantity: 100 })).id
    cotton = (await insertFabric(database.db, { name: 'Blue Cotton', price: '8.00', stockQuantity: 100 })).id
  })
  beforeEach(clearCache)

  const line = (fabricId: string | null, name: string, price: string, quantity: number) => ({
    fabricId,
    name,
    sku: null,
    unitPrice: price,
    quantity,
    lineTotal: (Number(price) * quantity).toFixed(2),
  })

  it('computes each day as by hand, in the shop time zone, and running it twice changes nothing', async () => {
    const db = database.db
    await db.insert(orders).values([
      // 2 March, 10:00 in New York: the shop, pending.
      {
        customerName: 'A',
        items: [line(linen, 'Sage Linen', '12.50', 2), line(cotton, 'Blue Cotton', '8.00', 1)],
        totalAmount: '37.00',
        shippingAmount: '4.00',
        createdAt: new Date('2026-03-02T15:00:00Z'),
      },
      // 2 March, 23:30 in New York (3 March in UTC): Etsy, shipped, one line not in the catalog.
      {
        customerName: 'B',
        etsyOrderId: 'E-1',
        status: 'shipped',
        items: [line(linen, 'Sage Linen', '12.50', 1), line(null, 'Mystery remnant', '5.00', 1)],
        totalAmount: '17.50',
        taxAmount: '0.00',
        createdAt: new Date('2026-03-03T04:30:00Z'),
      },
      // 2 March, cancelled: counted by status, in no figure.
      {
        customerName: 'C',
        status: 'cancelled',
        items: [line(cotton, 'Blue Cotton', '8.00', 3)],
        totalAmount: '24.00',
        createdAt: new Date('2026-03-02T17:00:00Z'),
      },
      // 4 March, 00:30 in New York.
      {
        customerName: 'D',
        status: 'delivered',
        carrier: 'USPS',
        trackingNumber: 'T1',
        items: [line(cotton, 'Blue Cotton', '8.00', 2)],
        totalAmount: '16.00',
        createdAt: new Date('2026-03-04T05:30:00Z'),
      },
      // 1 March, 23:59 in New York: outside the range rolled up.
      { customerName: 'E', items: [line(cotton, 'Blue Cotton', '8.00', 1)], totalAmount: '8.00', createdAt: new Date('2026-03-02T04:59:00Z') },
    ])
    const reading = { likes: 10, comments: 2, shares: 1, saves: 3, reach: 100, impressions: 150, readAt: '2026-03-03T12:00:00Z' }
    await db.insert(contentCalendar).values([
      { userId: staff.id, platform: 'instagram', contentType: 'post', title: 'Linen', published: true, publishedDate: new Date('2026-03-02T15:00:00Z'), engagementMetrics: reading },
      { userId: staff.id, platform: 'facebook', contentType: 'post', title: 'Linen', published: true, publishedDate: new Date('2026-03-02T20:00:00Z'), engagementMetrics: { ...reading, likes: 4, comments: 0, shares: 0, saves: 0 } },
      // Not published: its readings count nowhere.
      { userId: staff.id, platform: 'instagram', contentType: 'reel', title: 'Draft', engagementMetrics: reading },
      { userId: staff.id, platform: 'pinterest', contentType: 'post', title: 'Pin', published: true, publishedDate: new Date('2026-03-04T15:00:00Z') },
    ])

    const first = await rollupAnalytics({ from: '2026-03-02', to: '2026-03-04', timeZone: TZ })
    // 3 days × (3 channels × 4 sales metrics + 4 engagement rows).
    expect(first).toEqual({ days: 3, written: 48, changedDays: ['2026-03-02', '2026-03-03', '2026-03-04'] })

    expect(await figures(db, 'revenue', '2026-03-02')).toEqual({
      '': { value: 54.5, shipping: 4, tax: 0, byFabric: { [linen]: 37.5, [cotton]: 8, 'Mystery remnant': 5 } },
      etsy: { value: 17.5, shipping: 0, tax: 0, byFabric: { [linen]: 12.5, 'Mystery remnant': 5 } },
      shop: { value: 37, shipping: 4, tax: 0, byFabric: { [linen]: 25, [cotton]: 8 } },
    })
    expect(await figures(db, 'orders', '2026-03-02')).toEqual({
      '': { value: 2, byStatus: { pending: 1, shipped: 1, cancelled: 1 } },
      etsy: { value: 1, byStatus: { shipped: 1 } },
      shop: { value: 1, byStatus: { pending: 1, cancelled: 1 } },
    })
    expect(await figures(db, 'units_sold', '2026-03-02')).toEqual({
      '': { value: 5, byFabric: { [linen]: 3, [cotton]: 1, 'Mystery remnant': 1 } },
      etsy: { value: 2, byFabric: { [linen]: 1, 'Mystery remnant': 1 } },
      shop: { value: 3, byFabric: { [linen]: 2, [cotton]: 1 } },
    })
    expect(await figures(db, 'average_order_value', '2026-03-02')).toEqual({
      '': { value: 27.25 },
      etsy: { value: 17.5 },
      shop: { value: 37 },
    })
    expect(await figures(db, 'engagement', '2026-03-02')).toEqual({
      '': { value: 20, posts: 2, likes: 14, comments: 2, shares: 1, saves: 3, reach: 200, impressions: 300 },
      instagram: { value: 16, posts: 1, likes: 10, comments: 2, shares: 1, saves: 3, reach: 100, impressions: 150 },
      facebook: { value: 4, posts: 1, likes: 4, comments: 0, shares: 0, saves: 0, reach: 100, impressions: 150 },
      pinterest: { value: 0, posts: 0, likes: 0, comments: 0, shares: 0, saves: 0, reach: 0, impressions: 0 },
    })

    // A day without orders or posts: zeros, not missing rows.
    const zero = { value: 0, shipping: 0, tax: 0, byFabric: {} }
    expect(await figures(db, 'revenue', '2026-03-03')).toEqual({ '': zero, etsy: zero, shop: zero })
    expect((await figures(db, 'orders', '2026-03-03'))['']).toEqual({ value: 0, byStatus: {} })
    expect((await figures(db, 'average_order_value', '2026-03-03'))['']).toEqual({ value: 0 })
    expect((await figures(db, 'engagement', '2026-03-03'))['']).toMatchObject({ value: 0, posts: 0 })

    expect((await figures(db, 'revenue', '2026-03-04'))['']).toEqual({ value: 16, shipping: 0, tax: 0, byFabric: { [cotton]: 16 } })
    expect((await figures(db, 'orders', '2026-03-04'))['']).toEqual({ value: 1, byStatus: { delivered: 1 } })
    expect((await figures(db, 'engagement', '2026-03-04')).pinterest).toMatchObject({ value: 0, posts: 1 })
    // The order of 1 March was outside the range.
    expect(await figures(db, 'revenue', '2026-03-01')).toEqual({})

    // Idempotent: nothing written the second time, every row as it was.
    const snapshot = () => db.select().from(analytics).orderBy(asc(analytics.metricType), asc(analytics.date), asc(analytics.platform))
    const before = await snapshot()
    expect(await rollupAnalytics({ from: '2026-03-02', to: '2026-03-04', timeZone: TZ })).toEqual({
      days: 3,
      written: 0,
      changedDays: [],
    })
    expect(await snapshot()).toEqual(before)

    // One row per metric, day and platform.
    const code = await expectPgError(
      db.insert(analytics).values({ metricType: 'revenue', date: '2026-03-02', platform: '', metricValue: { value: 1 } }),
    )
    expect(code).toBe('23505')
    expect(await expectPgError(db.insert(analytics).values({ metricType: 'Bad name', date: '2026-03-02', metricValue: { value: 1 } }))).toBe('23514')
    expect(await expectPgError(db.insert(analytics).values({ metricType: 'visits', date: '2026-03-02', platform: 'tiktok', metricValue: { value: 1 } }))).toBe('23514')
  })

  it('follows orders and posts as they change, for the day they belong to', async () => {
    const db = database.db
    const day = '2026-05-06'
    const placed = await placeOrder({
      details: { customerName: 'F', customerEmail: null, shippingAddress: null, notes: null },
      lines: [{ fabricId: linen, quantity: 2 }],
      actor: staff,
    })
    if (!placed.ok) throw new Error(placed.problem)
    // placeOrder stamps now(); move the order to a fixed day and roll that day up as the app would.
    await db.update(orders).set({ createdAt: new Date(`${day}T16:00:00Z`) }).where(eq(orders.id, placed.id))
    await rollupAnalytics({ from: day, to: day })
    expect((await figures(db, 'revenue', day))['']?.value).toBe(25)

    const [order] = await db.select({ version: orders.version }).from(orders).where(eq(orders.id, placed.id))
    const cancelled = await changeStatus({ id: placed.id, version: order!.version, to: 'cancelled', actor: staff })
    expect(cancelled.ok).toBe(true)
    // The cancel rolls its order's day up by itself, after it is saved: the sale leaves the figures.
    await analyticsSettled()
    expect((await figures(db, 'revenue', day))['']).toMatchObject({ value: 0, byFabric: {} })
    expect((await figures(db, 'orders', day))['']).toEqual({ value: 0, byStatus: { cancelled: 1 } })

    const [post] = await db
      .insert(contentCalendar)
      .values({ userId: staff.id, platform: 'instagram', contentType: 'post', title: 'New linen' })
      .returning()
    const now = new Date('2026-05-07T14:00:00Z')
    expect(await setPublished({ id: post!.id, actor: staff, published: true, now })).toEqual({ ok: true })
    await analyticsSettled()
    expect((await figures(db, 'engagement', '2026-05-07')).instagram).toMatchObject({ value: 0, posts: 1 })
    const reading = { likes: 7, comments: 1, shares: 0, saves: 2, reach: 50, impressions: 60, readAt: '2026-05-08T10:00:00Z' }
    expect(await recordEngagement({ id: post!.id, actor: staff, reading })).toEqual({ ok: true })
    await analyticsSettled()
    expect((await figures(db, 'engagement', '2026-05-07')).instagram).toMatchObject({ value: 10, posts: 1 })
    // Moved to another platform: its day's interactions move with it.
    const fields = {
      platform: 'facebook' as const,
      contentType: 'post' as const,
      title: 'New linen',
      description: null,
      mediaUrls: [],
      hashtags: [],
      scheduledDate: null,
      fabricIds: [],
    }
    expect(await updateEntry({ id: post!.id, actor: staff, version: post!.version, fields })).toMatchObject({ ok: true })
    await analyticsSettled()
    const moved = await figures(db, 'engagement', '2026-05-07')
    expect(moved.instagram).toMatchObject({ value: 0, posts: 0 })
    expect(moved.facebook).toMatchObject({ value: 10, posts: 1 })
    // Back to not published: the post leaves its day.
    expect(await setPublished({ id: post!.id, actor: staff, published: false })).toEqual({ ok: true })
    await analyticsSettled()
    expect((await figures(db, 'engagement', '2026-05-07')).facebook).toMatchObject({ value: 0, posts: 0 })
  })

  it('serves a cached dashboard without the database, and a new order invalidates it', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date())
    const query = { from: '2026-01-01', to: today, platform: '' as const }
    await rollupAnalytics({ from: '2026-01-01', to: today })
    const first = await getAnalyticsDashboard(query)
    expect(await redis.exists(`tara:an:d:${first.previousFrom}:${today}:2026-01-01:`)).toBe(1)

    // The database is gone: without the cache reading fails, with it the same dashboard comes back.
    const broken = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/nothing', poolMax: 1 })
    setDatabase(broken)
    try {
      await expect(getAnalyticsDashboard(query, { redisUrl: null })).rejects.toThrow()
      expect(await getAnalyticsDashboard(query)).toEqual(first)
    } finally {
      setDatabase(database.handle)
      await broken.close()
    }

    // A new order rolls today up, which drops the cached ranges that hold today.
    const placed = await placeOrder({
      details: { customerName: 'G', customerEmail: null, shippingAddress: null, notes: null },
      lines: [{ fabricId: cotton, quantity: 1 }],
      actor: staff,
    })
    expect(placed.ok).toBe(true)
    await analyticsSettled()
    expect(await redis.exists(`tara:an:d:${first.previousFrom}:${today}:2026-01-01:`)).toBe(0)
    const second = await getAnalyticsDashboard(query)
    expect(second.totals.revenue).toBeCloseTo(first.totals.revenue + 8, 2)
    expect(second.totals.orders).toBe(first.totals.orders + 1)
    // A range that does not hold today keeps its cache.
    const older = { from: '2026-01-01', to: '2026-01-31', platform: '' as const }
    await getAnalyticsDashboard(older)
    await placeOrder({
      details: { customerName: 'H', customerEmail: null, shippingAddress: null, notes: null },
      lines: [{ fabricId: cotton, quantity: 1 }],
      actor: staff,
    })
    await analyticsSettled()
    expect(await redis.exists('tara:an:d:2025-12-01:2026-01-31:2026-01-01:')).toBe(1)
  })
  it('reads the dashboard from the rolled-up days: totals, previous period, top fabrics, weeks, filters', async () => {
    const db = database.db
    const lines = (fabricId: string, name: string, price: string, quantity: number) => [line(fabricId, name, price, quantity)]
    await db.insert(orders).values([
      { customerName: 'P', items: lines(linen, 'Sage Linen', '12.50', 4), totalAmount: '50.00', createdAt: new Date('2026-07-08T16:00:00Z') },
      { customerName: 'Q', etsyOrderId: 'E-77', items: lines(cotton, 'Blue Cotton', '8.00', 5), totalAmount: '40.00', createdAt: new Date('2026-07-09T16:00:00Z') },
      { customerName: 'R', status: 'cancelled', items: lines(cotton, 'Blue Cotton', '8.00', 9), totalAmount: '72.00', createdAt: new Date('2026-07-09T17:00:00Z') },
      // The previous period (1–7 July).
      { customerName: 'S', items: lines(linen, 'Sage Linen', '12.50', 1), totalAmount: '12.50', createdAt: new Date('2026-07-03T16:00:00Z') },
    ])
    const reading = { likes: 5, comments: 1, shares: 1, saves: 1, reach: 10, impressions: 20, readAt: '2026-07-12T12:00:00Z' }
    await db.insert(contentCalendar).values([
      // Monday 6 July is in the previous period; the week of Monday 13 July is in range.
      { userId: staff.id, platform: 'instagram', contentType: 'post', title: 'a', published: true, publishedDate: new Date('2026-07-08T15:00:00Z'), engagementMetrics: reading },
      { userId: staff.id, platform: 'pinterest', contentType: 'post', title: 'b', published: true, publishedDate: new Date('2026-07-14T15:00:00Z'), engagementMetrics: { ...reading, likes: 2 } },
      { userId: staff.id, platform: 'pinterest', contentType: 'post', title: 'c', published: true, publishedDate: new Date('2026-07-14T18:00:00Z'), engagementMetrics: {} },
    ])
    await rollupAnalytics({ from: '2026-07-01', to: '2026-07-14' })
    await saveManualFigures({ figures: [{ date: '2026-07-10', metricType: 'followers', platform: 'instagram', value: 2640 }], userId: staff.id, replace: false })
    await saveManualFigures({ figures: [{ date: '2026-07-12', metricType: 'followers', platform: 'instagram', value: 2650 }], userId: staff.id, replace: false })

    const all = await getAnalyticsDashboard({ from: '2026-07-08', to: '2026-07-14', platform: '' })
    expect(all).toMatchObject({ previousFrom: '2026-07-01', previousTo: '2026-07-07' })
    expect(all.totals).toEqual({
      revenue: 90,
      previousRevenue: 12.5,
      orders: 2,
      previousOrders: 1,
      unitsSold: 9,
      averageOrderValue: 45,
      engagement: 8 + 2 + 1 + 1 + 1,
      postsPublished: 3,
    })
    expect(all.revenue.current).toHaveLength(7)
    expect(all.revenue.current.slice(0, 2)).toEqual([{ date: '2026-07-08', value: 50 }, { date: '2026-07-09', value: 40 }])
    expect(all.revenue.previous.find((d) => d.date === '2026-07-03')).toEqual({ date: '2026-07-03', value: 12.5 })
    expect(all.ordersByStatus).toEqual([
      { status: 'pending', count: 2 },
      { status: 'processing', count: 0 },
      { status: 'shipped', count: 0 },
      { status: 'delivered', count: 0 },
      { status: 'cancelled', count: 1 },
    ])
    expect(all.topFabrics).toEqual([
      { key: linen, name: 'Sage Linen', revenue: 50, units: 4 },
      { key: cotton, name: 'Blue Cotton', revenue: 40, units: 5 },
    ])
    expect(all.engagement).toEqual([
      { week: '2026-07-06', instagram: 8, facebook: 0, pinterest: 0 },
      { week: '2026-07-13', instagram: 0, facebook: 0, pinterest: 5 },
    ])
    expect(all.postsVsEngagement).toEqual([
      { week: '2026-07-06', posts: 1, engagement: 8 },
      { week: '2026-07-13', posts: 2, engagement: 5 },
    ])
    expect(all.manual).toEqual([{ metricType: 'followers', platform: 'instagram', date: '2026-07-12', value: 2650 }])

    // One channel: Etsy's sales only; a social platform: its interactions only, no sales.
    const etsy = await getAnalyticsDashboard({ from: '2026-07-08', to: '2026-07-14', platform: 'etsy' })
    expect(etsy.totals).toMatchObject({ revenue: 40, orders: 1, unitsSold: 5, engagement: 0 })
    expect(etsy.topFabrics.map((f) => f.name)).toEqual(['Blue Cotton'])
    expect(etsy.engagement).toEqual([])
    const pinterest = await getAnalyticsDashboard({ from: '2026-07-08', to: '2026-07-14', platform: 'pinterest' })
    expect(pinterest.totals).toMatchObject({ revenue: 0, orders: 0, engagement: 5, postsPublished: 2 })
    expect(pinterest.revenue.current).toEqual([])
    expect(pinterest.engagement.map((w) => [w.instagram, w.pinterest])).toEqual([[0, 0], [0, 5]])
    expect(pinterest.manual).toEqual([])
  })

  it('saves figures entered by hand, replacing one only when asked', async () => {
    const db = database.db
    const figure = { date: '2026-08-01', metricType: 'profile_visits', platform: 'facebook' as const, value: 31 }
    expect(await saveManualFigures({ figures: [figure], userId: staff.id, replace: false })).toEqual({ ok: true, added: 1, replaced: 0, unchanged: 0 })
    expect(await saveManualFigures({ figures: [{ ...figure, value: 35 }], userId: staff.id, replace: false })).toEqual({
      ok: false,
      existing: [{ index: 0, value: 31 }],
    })
    expect(await saveManualFigures({ figures: [figure], userId: staff.id, replace: false })).toEqual({ ok: true, added: 0, replaced: 0, unchanged: 1 })
    expect(await saveManualFigures({ figures: [{ ...figure, value: 35 }], userId: staff.id, replace: true })).toEqual({ ok: true, added: 0, replaced: 1, unchanged: 0 })
    const [row] = await db.select().from(analytics).where(and(eq(analytics.metricType, 'profile_visits'), eq(analytics.date, '2026-08-01')))
    expect(row).toMatchObject({ platform: 'facebook', metricValue: { value: 35 }, userId: staff.id })
    expect((await recentManualFigures()).some((f) => f.metricType === 'profile_visits' && f.value === 35)).toBe(true)
    // A computed figure is not a hand-entered one: deleting it by that route does nothing.
    expect(await deleteManualFigure({ metricType: 'revenue', date: '2026-03-02', platform: '' })).toBe(false)
    expect(await deleteManualFigure({ metricType: 'profile_visits', date: '2026-08-01', platform: 'facebook' })).toBe(true)
  })

  it('imports a CSV of figures all or nothing, naming every bad row and column', async () => {
    const db = database.db
    const count = async () => (await db.select().from(analytics).where(eq(analytics.metricType, 'link_clicks'))).length
    const bad = [
      'Date,Metric_Type,Platform,Value',
      '2026-09-01,link_clicks,instagram,12',
      '2026-09-31,link_clicks,instagram,13',
      '',
      '2026-09-02,Revenue,,5',
      '2026-09-03,link_clicks,tiktok,1e3',
      '2026-09-01,link_clicks,Instagram,14',
    ].join('\r\n')
    const result = await importFiguresCsv({ text: bad, userId: staff.id, replace: false })
    expect(result).toEqual({
      ok: false,
      total: 5,
      problems: [
        { row: 3, column: 'date', message: 'Enter a day as YYYY-MM-DD' },
        { row: 5, column: 'metric_type', message: 'revenue is computed from orders and posts; enter another metric' },
        { row: 6, column: 'platform', message: 'Use one of etsy, shop, instagram, facebook, pinterest, or leave it empty for all' },
        { row: 6, column: 'value', message: 'Enter a number such as 2640 or 12.5' },
        { row: 7, column: null, message: 'Instagram link clicks on 2026-09-01 is already on row 2.' },
      ],
    })
    expect(await count()).toBe(0)

    expect(await importFiguresCsv({ text: 'day,metric,value\n2026-09-01,x,1', userId: staff.id, replace: false })).toMatchObject({
      ok: false,
      problems: [{ row: 1, message: expect.stringMatching(/it lacks date, metric_type; "day", "metric" are not a column we know/) }],
    })
    expect(await importFiguresCsv({ text: 'date,metric_type,platform,value\n"2026-09-01,x', userId: staff.id, replace: false })).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/not a readable CSV/) }],
    })

    const good = '\uFEFFdate,metric_type,platform,value\n2026-09-01,link_clicks,instagram,12\n2026-09-02,link_clicks,,20.5\n'
    expect(await importFiguresCsv({ text: good, userId: staff.id, replace: false })).toEqual({ ok: true, added: 2, replaced: 0, unchanged: 0 })
    // The same file again changes nothing; another value for a stored figure needs "replace".
    expect(await importFiguresCsv({ text: good, userId: staff.id, replace: false })).toEqual({ ok: true, added: 0, replaced: 0, unchanged: 2 })
    // Typed with spaces around the commas, as by hand: each value is read without them.
    const spaced = 'date, metric_type, platform, value\n2026-09-04 , link_clicks , instagram , 7\n'
    expect(await importFiguresCsv({ text: spaced, userId: staff.id, replace: false })).toEqual({ ok: true, added: 1, replaced: 0, unchanged: 0 })
    await db.delete(analytics).where(and(eq(analytics.metricType, 'link_clicks'), eq(analytics.date, '2026-09-04')))
    const changed = good.replace(',12', ',15') + '2026-09-03,link_clicks,instagram,3\n'
    expect(await importFiguresCsv({ text: changed, userId: staff.id, replace: false })).toEqual({
      ok: false,
      total: 1,
      problems: [
        {
          row: 2,
          column: 'value',
          message: 'Instagram link clicks on 2026-09-01 is already 12; tick “Replace figures already entered” to overwrite it.',
        },
      ],
    })
    expect(await count()).toBe(2)
    expect(await importFiguresCsv({ text: changed, userId: staff.id, replace: true })).toEqual({ ok: true, added: 1, replaced: 1, unchanged: 1 })
    expect(await count()).toBe(3)

    // Metric names in words are the same metric as their stored name, in a file and across files.
    const words = 'date,metric_type,platform,value\n2026-09-04, Link clicks ,instagram,4\n2026-09-04,link-clicks,facebook,5\n'
    expect(await importFiguresCsv({ text: words, userId: staff.id, replace: false })).toEqual({ ok: true, added: 2, replaced: 0, unchanged: 0 })
    expect(await count()).toBe(5)
    const again = 'date,metric_type,platform,value\n2026-09-04,LINK CLICKS,instagram,4\n2026-09-04,Link  clicks,instagram,4\n'
    expect(await importFiguresCsv({ text: again, userId: staff.id, replace: false })).toEqual({
      ok: false,
      total: 1,
      problems: [{ row: 3, column: null, message: 'Instagram link clicks on 2026-09-04 is already on row 2.' }],
    })
  })
})

describe('metric names as people type them', () => {
  it('takes words, trimmed, and stores them as one name per metric', () => {
    expect(readMetricName('Link clicks')).toEqual({ ok: true, name: 'link_clicks' })
    expect(readMetricName('  link_clicks ')).toEqual({ ok: true, name: 'link_clicks' })
    expect(readMetricName('Profile - visits')).toEqual({ ok: true, name: 'profile_visits' })
    expect(readMetricName('Vues du profil')).toEqual({ ok: true, name: 'vues_du_profil' })
    expect(readMetricName('Café visits')).toEqual({ ok: true, name: 'cafe_visits' })
    expect(readMetricName('Story views 2')).toEqual({ ok: true, name: 'story_views_2' })
    expect(readMetricName('followers')).toEqual({ ok: true, name: 'followers' })
  })

  it('refuses what cannot be a name, saying why', () => {
    expect(readMetricName('   ')).toEqual({ ok: false, message: 'Enter the metric' })
    expect(readMetricName('Clicks (bio)')).toEqual({ ok: false, message: 'Use letters, digits and spaces only (e.g. Link clicks)' })
    expect(readMetricName('2nd link')).toEqual({ ok: false, message: 'Start the metric with a letter (e.g. Link clicks)' })
    expect(readMetricName('x')).toEqual({ ok: false, message: 'Use at least 2 letters for the metric' })
    expect(readMetricName('a'.repeat(41))).toEqual({ ok: false, message: 'Keep the metric under 40 characters' })
    expect(readMetricName('a'.repeat(40))).toMatchObject({ ok: true })
  })

  it('checks a figure typed on the page the same way: words, and no computed metric', () => {
    const figure = { date: '2026-09-01', platform: 'instagram', value: '31' }
    expect(ManualFigureFields.parse({ ...figure, metricType: 'Link clicks' })).toMatchObject({ metricType: 'link_clicks', value: 31 })
    expect(ManualFigureFields.parse({ ...figure, metricType: 'followers', value: '1,272' }).value).toBe(1272)
    expect(ManualFigureFields.parse({ ...figure, metricType: 'followers', value: '12 345.5' }).value).toBe(12345.5)
    expect(ManualFigureFields.safeParse({ ...figure, metricType: 'followers', value: '12,34' }).error?.issues[0]?.message).toBe(
      'Enter a number such as 2640 or 12.5',
    )
    expect(ManualFigureFields.safeParse({ ...figure, metricType: 'Units sold' }).error?.issues[0]?.message).toBe(
      'units_sold is computed from orders and posts; enter another metric',
    )
  })
})
