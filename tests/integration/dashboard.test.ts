// The dashboard's figures and the demo loader, on every driver.
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { getDashboard } from '~/models/dashboard.server'
import { DEMO_ADMIN_EMAIL, isDatabaseEmpty, loadDemo } from '~/seed/demo.server'
import { AnalyticsValue, EngagementMetrics, FabricImage, OrderItem, ShippingAddress, Tags } from '~/models/json-types'
import { analytics, contentCalendar, fabrics, orders, users } from '~/models/schema'
import { rows } from '~/services/db.server'
import { TARGETS, useMigratedDatabase } from '../setup/databases'

// A Wednesday; London is on UTC in November.
const now = new Date('2026-11-25T12:00:00Z')
const timeZone = 'Europe/London'
const inDays = (d: number) => new Date(now.getTime() + d * 24 * 3600 * 1000)

describe.each(TARGETS)('dashboard on %s', (target) => {
  const database = useMigratedDatabase(target)

  it('shows zeros on an empty database', async () => {
    expect(await isDatabaseEmpty(database.db)).toBe(true)
    const dashboard = await getDashboard(randomUUID(), { now, timeZone })
    expect(dashboard.fabrics).toEqual({ total: 0, inStock: 0, low: 0, out: 0 })
    expect(dashboard.orders.open).toBe(0)
    expect(dashboard.posts).toEqual({ nextSevenDays: 0, overdue: 0, upcoming: [], overdueList: [] })
    const none = { amount: '0', orders: 0 }
    expect(dashboard.sales).toEqual({ today: none, sameDayLastWeek: none, thisWeek: none, sameDaysLastWeek: none })
    expect(dashboard.toPack).toEqual({ total: 0, oldest: [], slipIds: [] })
    expect(dashboard.reorder).toEqual([])
  })

  it('counts stock, open orders and the coming week exactly', async () => {
    await database.db.insert(fabrics).values(
      [0, 3, 5, 6, 20].map((stock, i) => ({ name: `F${i}`, stockQuantity: stock, inStock: stock > 0 })),
    )
    await database.db.insert(orders).values(
      (['pending', 'pending', 'shipped', 'cancelled', 'delivered'] as const).map((status) => ({
        customerName: 'C',
        status,
        trackingNumber: status === 'shipped' || status === 'delivered' ? 'RM1GB' : null,
      })),
    )
    const [author] = await database.db.insert(users).values({ email: 'poster@example.com' }).returning()
    const post = (title: string, days: number, published = false) => ({
      userId: author!.id,
      platform: 'instagram' as const,
      contentType: 'post' as const,
      title,
      scheduledDate: inDays(days),
      published,
      publishedDate: published ? inDays(days) : null,
    })
    await database.db
      .insert(contentCalendar)
      .values([
        post('soon', 2),
        post('later', 10),
        post('missed', -1),
        post('missed long ago', -30),
        post('done', 1, true),
        post('published late', -2, true),
        post('sooner', 0.5),
      ])

    const dashboard = await getDashboard(author!.id, { now, timeZone, limit: 8 })
    expect(dashboard.fabrics).toEqual({ total: 5, inStock: 4, low: 2, out: 1 })
    expect(dashboard.reorder.map((f) => [f.name, f.stockQuantity])).toEqual([['F0', 0], ['F1', 3], ['F2', 5]])
    expect(dashboard.orders.byStatus).toEqual({ pending: 2, processing: 0, shipped: 1 })
    expect(dashboard.orders.open).toBe(3)
    expect(dashboard.posts.nextSevenDays).toBe(2)
    expect(dashboard.posts.overdue).toBe(2)
    expect(dashboard.posts.upcoming.map((p) => p.title)).toEqual(['sooner', 'soon'])
    expect(dashboard.posts.overdueList.map((p) => p.title)).toEqual(['missed', 'missed long ago'])
    // Each fabric's own threshold counts, and archived fabrics are not counted at all.
    await database.db.update(fabrics).set({ lowStockThreshold: 2 }).where(sql`${fabrics.name} = 'F1'`)
    expect((await getDashboard(author!.id, { now, timeZone })).fabrics.low).toBe(1)
    await database.db.update(fabrics).set({ archivedAt: now }).where(sql`${fabrics.name} in ('F0', 'F2', 'F4')`)
    expect((await getDashboard(author!.id, { now, timeZone })).fabrics).toEqual({ total: 2, inStock: 2, low: 0, out: 0 })
    expect((await getDashboard(author!.id, { now, timeZone })).reorder).toEqual([])
    // The list is cut to `limit`; the count still says how many there are (the page links to the rest).
    const cut = (await getDashboard(author!.id, { now, timeZone, limit: 1 })).posts
    expect(cut.upcoming.map((p) => p.title)).toEqual(['sooner'])
    expect(cut.nextSevenDays).toBe(2)

    await database.db.delete(contentCalendar)
    await database.db.delete(users)
    await database.db.delete(orders)
    await database.db.delete(fabrics)
  })

  it('sums sales today and this week against the same days last week, and lists the orders to pack oldest first', async () => {
    const [staff] = await database.db.insert(users).values({ email: 'counter@example.com' }).returning()
    const order = (at: string, totalAmount: string, status: 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled') => ({
      customerName: `Placed ${at}`,
      createdAt: new Date(at),
      totalAmount,
      status,
      trackingNumber: status === 'shipped' || status === 'delivered' ? 'RM1GB' : null,
    })
    await database.db.insert(orders).values([
      order('2026-11-25T09:00:00Z', '30.00', 'pending'), // today
      order('2026-11-25T10:00:00Z', '20.00', 'cancelled'), // today, but cancelled: not a sale
      order('2026-11-23T10:00:00Z', '15.50', 'delivered'), // Monday: this week
      order('2026-11-22T23:30:00Z', '7.00', 'pending'), // Sunday: last week, after its Wednesday
      order('2026-11-19T08:00:00Z', '100.00', 'delivered'), // last Thursday: after the same days
      order('2026-11-18T11:00:00Z', '10.00', 'shipped'), // Wednesday last week
      order('2026-11-16T08:00:00Z', '5.25', 'processing'), // Monday last week
    ])
    const dashboard = await getDashboard(staff!.id, { now, timeZone })
    expect(dashboard.days).toMatchObject({
      today: { from: '2026-11-25', to: '2026-11-25' },
      sameDayLastWeek: { from: '2026-11-18', to: '2026-11-18' },
      thisWeek: { from: '2026-11-23', to: '2026-11-25' },
      sameDaysLastWeek: { from: '2026-11-16', to: '2026-11-18' },
      nextSevenDays: { from: '2026-11-25', to: '2026-12-01' },
    })
    expect(dashboard.sales).toEqual({
      today: { amount: '30.00', orders: 1 },
      sameDayLastWeek: { amount: '10.00', orders: 1 },
      thisWeek: { amount: '45.50', orders: 2 },
      sameDaysLastWeek: { amount: '15.25', orders: 2 },
    })
    // Pending and processing, oldest first; every one's slip can be opened.
    expect(dashboard.toPack.total).toBe(3)
    expect(dashboard.toPack.oldest.map((o) => o.customerName)).toEqual([
      'Placed 2026-11-16T08:00:00Z',
      'Placed 2026-11-22T23:30:00Z',
      'Placed 2026-11-25T09:00:00Z',
    ])
    expect(dashboard.toPack.slipIds).toEqual(dashboard.toPack.oldest.map((o) => o.id))
    expect((await getDashboard(staff!.id, { now, timeZone, limit: 2 })).toPack).toMatchObject({ total: 3, oldest: [{}, {}] })
    await database.db.delete(orders)
    await database.db.delete(users)
  })

  it('counts the next 7 days as today and the six days after it, the days the calendar list shows', async () => {
    const [author] = await database.db.insert(users).values({ email: 'planner@example.com' }).returning()
    const post = (title: string, at: string) => ({
      userId: author!.id,
      platform: 'instagram' as const,
      contentType: 'post' as const,
      title,
      scheduledDate: new Date(at),
    })
    await database.db
      .insert(contentCalendar)
      .values([post('tonight', '2026-11-25T23:00:00Z'), post('last day', '2026-12-01T23:59:00Z'), post('day after', '2026-12-02T00:00:00Z')])
    const { posts } = await getDashboard(author!.id, { now, timeZone })
    expect(posts.nextSevenDays).toBe(2)
    expect(posts.upcoming.map((p) => p.title)).toEqual(['tonight', 'last day'])
    await database.db.delete(contentCalendar)
    await database.db.delete(users)
  })

  it('loads the demo: 40 fabrics, 60 orders in every status, 30 posts, 90 days of metrics, one admin', { timeout: 180_000 }, async () => {
    const counts = await loadDemo(database.db, { today: now })
    expect(counts).toMatchObject({ fabrics: 40, orders: 60, content: 30 })
    expect(await isDatabaseEmpty(database.db)).toBe(false)

    const [admin] = await rows<{ id: string; role: string }>(
      database.db,
      sql`select id, role::text from users where email = ${DEMO_ADMIN_EMAIL}`,
    )
    expect(admin?.role).toBe('admin')
    const statuses = await rows<{ status: string; n: number }>(
      database.db,
      sql`select status::text, count(*)::int as n from orders group by status order by status`,
    )
    expect(statuses.map((s) => s.status).sort()).toEqual(['cancelled', 'delivered', 'pending', 'processing', 'shipped'])
    const [days] = await rows<{ n: number; last: string }>(
      database.db,
      sql`select count(distinct date)::int as n, max(date)::text as last from analytics`,
    )
    expect(days).toEqual({ n: 90, last: '2026-11-25' })
    // Every order's total is the exact sum of its lines.
    const [mismatches] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from orders o
          where o.total_amount <> (select coalesce(sum((i->>'lineTotal')::numeric), 0) from jsonb_array_elements(o.items) i)`,
    )
    expect(mismatches?.n).toBe(0)

    // Every jsonb value the demo wrote has the shape its zod schema describes.
    for (const f of await database.db.select().from(fabrics)) {
      expect(() => Tags.parse(f.tags)).not.toThrow()
      expect(() => FabricImage.array().parse(f.images)).not.toThrow()
    }
    for (const o of await database.db.select().from(orders)) {
      expect(() => OrderItem.array().min(1).parse(o.items)).not.toThrow()
      expect(() => ShippingAddress.nullable().parse(o.shippingAddress)).not.toThrow()
    }
    for (const c of await database.db.select().from(contentCalendar)) {
      expect(() => EngagementMetrics.parse(c.engagementMetrics)).not.toThrow()
      expect(() => Tags.parse(c.hashtags)).not.toThrow()
    }
    for (const a of await database.db.select().from(analytics)) {
      expect(() => AnalyticsValue.parse(a.metricValue)).not.toThrow()
    }

    const dashboard = await getDashboard(admin!.id, { now, timeZone })
    expect(dashboard.fabrics.total).toBe(40)
    expect(dashboard.fabrics.low).toBeGreaterThan(0)
    expect(dashboard.fabrics.out).toBeGreaterThan(0)
    expect(dashboard.posts.nextSevenDays).toBeGreaterThan(0)
    expect(dashboard.posts.overdue).toBeGreaterThan(0)
  })
})
