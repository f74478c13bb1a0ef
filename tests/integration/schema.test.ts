// The schema on every driver: migrations, round trips, enums, uniqueness, foreign keys, checks.
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as schema from '~/models/schema'
import { analytics, contentCalendar, fabrics, orders, users } from '~/models/schema'
import { MIGRATIONS_DIR, pendingMigrations, rows, type Database, type RelationalDatabase } from '~/services/db.server'
import { expectPgError, openTarget, TARGETS, type OpenTarget } from '../setup/databases'

const migrationCount = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).length

describe.each(TARGETS)('schema on %s', (target) => {
  let open: OpenTarget
  let db: Database

  beforeAll(async () => {
    open = await openTarget(target)
    db = open.owner.db
  })
  afterAll(async () => {
    await open?.dispose()
  })

  it('applies every migration to an empty database, and a second run is a no-op', async () => {
    expect(migrationCount).toBeGreaterThanOrEqual(2)
    expect(await pendingMigrations(db)).toBe(migrationCount)
    await open.handle.migrate()
    expect(await pendingMigrations(db)).toBe(0)
    const count = async () =>
      (await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]?.n
    expect(await count()).toBe(migrationCount)
    await open.handle.migrate()
    expect(await count()).toBe(migrationCount)
  })

  it('has the named indexes, including a partial one', async () => {
    const indexes = await rows<{ indexname: string; indexdef: string }>(
      db,
      sql`select indexname, indexdef from pg_indexes where schemaname = 'public'`,
    )
    const names = indexes.map((i) => i.indexname)
    for (const name of [
      'users_email_idx',
      'fabrics_category_idx',
      'content_scheduled_idx',
      'orders_status_idx',
      'analytics_date_idx',
    ]) {
      expect(names).toContain(name)
    }
    expect(indexes.find((i) => i.indexname === 'users_email_idx')?.indexdef).toMatch(/UNIQUE/)
    expect(indexes.some((i) => / WHERE /.test(i.indexdef))).toBe(true)
  })

  it('round-trips every table, with defaults and typed jsonb', async () => {
    const [user] = await db
      .insert(users)
      .values({ email: 'maria@example.com', name: 'Maria' })
      .returning()
    expect(user).toMatchObject({ email: 'maria@example.com', name: 'Maria', role: 'user', emailVerified: null })
    expect(user!.createdAt).toBeInstanceOf(Date)

    const [fabric] = await db
      .insert(fabrics)
      .values({
        name: 'Washed Linen — Sage',
        category: 'Linen',
        subcategory: 'Midweight',
        price: '18.50',
        weight: '185',
        width: '140',
        composition: '100% linen',
        careInstructions: 'Wash at 40°C',
        images: [{ src: '/uploads/a.webp', thumb: '/uploads/a-thumb.webp', alt: 'Sage linen' }],
        tags: ['linen', 'sage'],
        etsyListingId: '1234567890',
      })
      .returning()
    expect(fabric).toMatchObject({
      price: '18.50',
      inStock: false,
      stockQuantity: 0,
      lowStockThreshold: 5,
      version: 1,
      archivedAt: null,
      sku: null,
      etsyVariations: [],
      images: [{ src: '/uploads/a.webp', thumb: '/uploads/a-thumb.webp', alt: 'Sage linen' }],
      tags: ['linen', 'sage'],
    })
    expect(Number(fabric!.weight)).toBe(185)

    const [entry] = await db
      .insert(contentCalendar)
      .values({
        userId: user!.id,
        platform: 'instagram',
        contentType: 'reel',
        title: 'New linen in',
        scheduledDate: new Date('2026-12-01T10:00:00Z'),
        hashtags: ['linen', 'sewing'],
        engagementMetrics: { likes: 3, comments: 1, shares: 0, saves: 2, reach: 40, impressions: 55, readAt: '2026-12-02T09:00:00Z' },
      })
      .returning()
    expect(entry).toMatchObject({ published: false, mediaUrls: [], hashtags: ['linen', 'sewing'] })
    expect(entry!.engagementMetrics.likes).toBe(3)
    expect(entry!.scheduledDate?.toISOString()).toBe('2026-12-01T10:00:00.000Z')

    const [order] = await db
      .insert(orders)
      .values({
        userId: user!.id,
        customerName: 'Ada Lovelace',
        customerEmail: 'ada@example.com',
        items: [{ fabricId: fabric!.id, name: fabric!.name, sku: null, unitPrice: '18.50', quantity: 3, lineTotal: '55.50' }],
        totalAmount: '55.50',
        shippingAddress: { name: 'Ada', line1: '1 St James Sq', city: 'London', postalCode: 'SW1Y 4JU', country: 'GB' },
      })
      .returning()
    expect(order).toMatchObject({ status: 'pending', totalAmount: '55.50', trackingNumber: null })
    expect(order!.items[0]!.lineTotal).toBe('55.50')
    expect(order!.shippingAddress?.country).toBe('GB')

    const [metric] = await db
      .insert(analytics)
      .values({ metricType: 'revenue', metricValue: { value: 55.5 }, date: '2026-12-01', platform: 'shop' })
      .returning()
    expect(metric).toMatchObject({ metricType: 'revenue', metricValue: { value: 55.5 }, date: '2026-12-01' })

    // The owner handles of the tests are made with the schema (tests/setup/databases.ts).
    const relational = db as unknown as RelationalDatabase<typeof schema>
    const withRelations = await relational.query.users.findFirst({
      where: eq(users.id, user!.id),
      with: { content: true, orders: true },
    })
    expect(withRelations?.content.map((c) => c.id)).toEqual([entry!.id])
    expect(withRelations?.orders.map((o) => o.id)).toEqual([order!.id])
  })

  it('keeps updated_at current on every update', async () => {
    const [before] = await db.insert(fabrics).values({ name: 'Timestamp test' }).returning()
    await db.execute(sql`select pg_sleep(0.01)`)
    await db.update(fabrics).set({ name: 'Timestamp test, renamed' }).where(eq(fabrics.id, before!.id))
    const [after] = await db.select().from(fabrics).where(eq(fabrics.id, before!.id))
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime())
    expect(after!.createdAt.getTime()).toBe(before!.createdAt.getTime())
  })

  it('rejects values outside the enums', async () => {
    const bad = 'owner' as 'admin'
    expect(await expectPgError(db.insert(users).values({ email: 'enum@example.com', role: bad }))).toBe('22P02')
    const [user] = await db.insert(users).values({ email: 'enum2@example.com' }).returning()
    expect(
      await expectPgError(
        db.insert(contentCalendar).values({
          userId: user!.id,
          platform: 'tiktok' as 'instagram',
          contentType: 'post',
          title: 'x',
        }),
      ),
    ).toBe('22P02')
    expect(
      await expectPgError(db.insert(orders).values({ customerName: 'x', status: 'lost' as 'pending' })),
    ).toBe('22P02')
  })

  it('keeps users.email unique and lower-case', async () => {
    await db.insert(users).values({ email: 'same@example.com' })
    expect(await expectPgError(db.insert(users).values({ email: 'same@example.com' }))).toBe('23505')
    expect(await expectPgError(db.insert(users).values({ email: 'Same@Example.com' }))).toBe('23514')
  })

  it('holds the foreign keys', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000'
    expect(
      await expectPgError(
        db.insert(contentCalendar).values({ userId: nobody, platform: 'facebook', contentType: 'post', title: 'x' }),
      ),
    ).toBe('23503')
    expect(await expectPgError(db.insert(orders).values({ customerName: 'x', userId: nobody }))).toBe('23503')

    const [author] = await db.insert(users).values({ email: 'author@example.com' }).returning()
    await db
      .insert(contentCalendar)
      .values({ userId: author!.id, platform: 'pinterest', contentType: 'post', title: 'Pinned' })
    expect(await expectPgError(db.delete(users).where(eq(users.id, author!.id)))).toBe('23503')

    const [buyer] = await db.insert(users).values({ email: 'buyer@example.com' }).returning()
    const [order] = await db.insert(orders).values({ customerName: 'Buyer', userId: buyer!.id }).returning()
    await db.delete(users).where(eq(users.id, buyer!.id))
    const [kept] = await db.select().from(orders).where(eq(orders.id, order!.id))
    expect(kept?.userId).toBeNull()
  })

  it('refuses negative money and stock', async () => {
    expect(await expectPgError(db.insert(fabrics).values({ name: 'x', price: '-1.00' }))).toBe('23514')
    expect(await expectPgError(db.insert(fabrics).values({ name: 'x', stockQuantity: -1 }))).toBe('23514')
    expect(await expectPgError(db.insert(fabrics).values({ name: 'x', stockQuantity: 3, inStock: false }))).toBe('23514')
    expect(await expectPgError(db.insert(fabrics).values({ name: 'x', stockQuantity: 0, inStock: true }))).toBe('23514')
    expect(await expectPgError(db.insert(orders).values({ customerName: 'x', totalAmount: '-0.01' }))).toBe('23514')
  })
})
