// The Etsy orders import (upload → preview → confirm) on every driver: both files, either alone,
// which is which by its header; matching lines to fabrics by listing id, SKU, then title; stock
// taken in sale-date order and never below zero; row-numbered errors and all-or-nothing writes;
// importing the same files twice adds nothing; the plan's digest.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MaxPartSizeExceededError, unstable_parseMultipartFormData } from '@remix-run/node'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { asc, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { readableVariations } from '~/models/etsy/order-rows'
import {
  confirmOrdersImport,
  MAX_ORDERS_FILE_MEGABYTES,
  ordersUpload,
  previewOrdersImport,
} from '~/models/etsy/orders-import.server'
import type { OrdersImportPreview } from '~/models/etsy/preview'
import { storeFile as storeOrdersFile } from '~/models/etsy/upload-store.server'
import { ANALYTICS_DAYS_QUEUE, analyticsSettled } from '~/models/analytics-refresh.server'
import { adjustStock } from '~/models/fabric.server'
import { analytics, fabrics, orderEvents, orders, stockMovements, users, type NewFabric } from '~/models/schema'
import { rows } from '~/services/db.server'
import { addDays, dayOf } from '~/utils/dates'
import { TARGETS, useMigratedDatabase } from '../setup/databases'
import { insertFabric } from '../setup/factories'
import { useJobs } from '../setup/jobs'

// Read by env() on first use (each test file has its own modules): the sample files are in
// dollars, and the shop is not on UTC, so that noon in its time zone is not noon UTC.
const uploadDir = mkdtempSync(path.join(tmpdir(), 'tara-etsy-orders-test-'))
vi.stubEnv('UPLOAD_DIR', uploadDir)
vi.stubEnv('SHOP_CURRENCY', 'USD')
vi.stubEnv('SHOP_TIMEZONE', 'America/New_York')
afterAll(() => {
  vi.unstubAllEnvs()
  rmSync(uploadDir, { recursive: true, force: true })
})

const FIXTURES = path.resolve('tests/fixtures/etsy')
const ORDERS_FILE = path.join(FIXTURES, 'EtsySoldOrders.csv')
const ITEMS_FILE = path.join(FIXTURES, 'EtsySoldOrderItems.csv')
const importsDir = path.join(uploadDir, '.imports')
const GONE = /no longer here/

type Csv = { header: string[]; rows: Record<string, string>[] }

/** A fixture file as header + rows by column name, to copy and change. */
function readCsv(file: string): Csv {
  const [header, ...records] = parse(readFileSync(file, 'utf8')) as string[][]
  return { header: header!, rows: records.map((r) => Object.fromEntries(header!.map((c, i) => [c, r[i]!]))) }
}
const ORDERS = readCsv(ORDERS_FILE)
const ITEMS = readCsv(ITEMS_FILE)

let fileCounter = 0
async function uploadText(content: string | Buffer): Promise<string> {
  const file = path.join(uploadDir, `source-${++fileCounter}.csv`)
  writeFileSync(file, content)
  return storeOrdersFile({ file })
}
async function upload({ header, rows }: Csv): Promise<string> {
  const records = rows.map((row) => header.map((c) => row[c] ?? ''))
  return uploadText(stringify([header, ...records], { record_delimiter: 'windows' }))
}
const uploadFixtures = async () => [await storeOrdersFile({ file: ORDERS_FILE }), await storeOrdersFile({ file: ITEMS_FILE })]

// The admin importing (orders are read and written on their behalf); set by the suite.
let importer = ''

async function preview(uploadIds: string[]): Promise<OrdersImportPreview> {
  const result = await previewOrdersImport({ uploadIds, userId: importer })
  if (!result.ok) throw new Error(`expected a preview, got: ${result.problem}`)
  return result.preview
}

/** The errors as file, row, column and message (most tests need no more of them). */
const messages = (p: OrdersImportPreview) => p.errors.map(({ file, row, column, message }) => ({ file, row, column, message }))

async function problemOf(uploadIds: string[]) {
  const result = await previewOrdersImport({ uploadIds, userId: importer })
  if (result.ok) throw new Error('expected a problem with the files')
  return result
}

const money = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.')
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'))
}
const amount = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`

describe('readable variations', () => {
  it("turns Etsy's name:value list into words", () => {
    expect(readableVariations('Length:Half yard')).toBe('Length: Half yard')
    expect(readableVariations('Length:Half yard,Colour: Sage')).toBe('Length: Half yard, Colour: Sage')
    expect(readableVariations('Custom')).toBe('Custom')
  })
})

describe.each(TARGETS)('Etsy orders on %s', (target) => {
  const database = useMigratedDatabase(target)
  // The rollups that changes ask for run on the job queue, as in the app.
  useJobs(database, [ANALYTICS_DAYS_QUEUE])
  let adminId: string

  beforeAll(async () => {
    const [admin] = await database.db.insert(users).values({ email: `admin-${target}@example.com`, role: 'admin' }).returning()
    adminId = admin!.id
    importer = adminId
  })

  beforeEach(async () => {
    await analyticsSettled()
    await database.db.delete(analytics)
    await database.db.delete(stockMovements)
    await database.db.delete(orderEvents)
    await database.db.delete(orders)
    await database.db.delete(fabrics)
  })

  async function confirm(p: OrdersImportPreview) {
    return confirmOrdersImport({ uploadIds: p.uploadIds, digest: p.digest, userId: adminId })
  }

  const addFabric = (values: Partial<NewFabric> & { name: string }) => insertFabric(database.db, values)

  const count = async (table: typeof orders | typeof orderEvents | typeof stockMovements | typeof fabrics) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n
  const orderBy = async (etsyOrderId: string) =>
    (await database.db.select().from(orders).where(eq(orders.etsyOrderId, etsyOrderId)))[0]!
  const stockOf = async (id: string) =>
    (await database.db.select({ q: fabrics.stockQuantity, inStock: fabrics.inStock }).from(fabrics).where(eq(fabrics.id, id)))[0]!
  async function movementsOf(fabricId: string) {
    return database.db
      .select({ delta: stockMovements.delta, after: stockMovements.quantityAfter, order: orders.etsyOrderId, note: stockMovements.note })
      .from(stockMovements)
      .leftJoin(orders, eq(orders.id, stockMovements.orderId))
      .where(eq(stockMovements.fabricId, fabricId))
      .orderBy(asc(stockMovements.createdAt))
  }

  /** Fabrics that the fixture's lines match by each path, and some they must not match. */
  async function catalog() {
    return {
      // Listing id 1400000014: four orders want 4, 3, 1 and 4; there are 5.
      sage: await addFabric({ name: 'Sage dots (shop name)', sku: 'SHOP-SAGE', etsyListingId: '1400000014', stockQuantity: 5 }),
      // SKU TH-10007, plenty of stock.
      charcoal: await addFabric({ name: 'Charcoal flannel (shop name)', sku: 'TH-10007', stockQuantity: 100 }),
      // Title only, in another case and with spaces around it.
      cream: await addFabric({ name: '  cream polka dot FLANNEL, Cotton Fabric by the Half Yard ', stockQuantity: 6 }),
      // The listing id wins over the SKU.
      terracotta: await addFabric({ name: 'Terracotta voile', etsyListingId: '1400000022', stockQuantity: 20 }),
      terracottaBySku: await addFabric({ name: 'Terracotta voile (old)', sku: 'TH-10022', stockQuantity: 20 }),
      // Two fabrics share a listing id: neither matches, and the SKU does.
      jerseyTwins: [
        await addFabric({ name: 'Jersey twin 1', etsyListingId: '1400000013', stockQuantity: 9 }),
        await addFabric({ name: 'Jersey twin 2', etsyListingId: '1400000013', stockQuantity: 9 }),
      ],
      jersey: await addFabric({ name: 'Cream jersey', sku: 'TH-10013', stockQuantity: 3 }),
      // Two fabrics share the title: the lines stay unmatched.
      tealTwins: [
        await addFabric({ name: 'Teal Botanical Quilting Cotton, Bamboo Fabric by the Half Yard', stockQuantity: 9 }),
        await addFabric({ name: 'Teal Botanical Quilting Cotton, Bamboo Fabric by the Half Yard', stockQuantity: 9 }),
      ],
    }
  }

  it('imports both files: orders, lines matched by listing id, SKU and title, statuses, exact totals, and stock never below zero', async () => {
    const c = await catalog()
    const p = await preview(await uploadFixtures())
    expect(p.errors).toEqual([])
    expect(p.files).toEqual({ orders: true, items: true })
    expect(p.counts).toEqual({
      orders: 40,
      new: 40,
      alreadyImported: 0,
      errors: 0,
      pending: 8,
      shipped: 32,
      cancelled: 0,
      delivered: 0,
      withoutLines: 0,
      lines: 56,
      byListingId: 8,
      bySku: 8,
      byTitle: 4,
      unmatched: 36,
      shortfalls: 7,
      unitsTaken: 3 + 2 + 7 + 6 + 11 + 3,
    })
    // The earliest sale first.
    expect(p.newOrders[0]).toEqual({
      etsyOrderId: '3000000056',
      saleDate: '2024-03-04',
      customerName: 'Farah Rossi',
      status: 'shipped',
      lines: 1,
      total: '17.30',
    })
    expect(p.unmatchedLines[0]).toEqual({
      file: 'EtsySoldOrderItems.csv',
      row: 2,
      etsyOrderId: '3000000000',
      name: 'Indigo Stripe Jersey Knit, Wool Fabric by the Half Yard (Length: Half yard)',
    })
    // The teal lines stay unmatched: two fabrics have that title.
    expect(p.unmatchedLines.filter((l) => l.name.startsWith('Teal Botanical'))).toHaveLength(4)
    // By fabric (name, case and spaces aside), then in the order the stock was given out.
    expect(p.shortfalls).toEqual([
      { fabricId: c.jersey.id, fabricName: 'Cream jersey', etsyOrderId: '3000000273', wanted: 3, taken: 2 },
      { fabricId: c.jersey.id, fabricName: 'Cream jersey', etsyOrderId: '3000000266', wanted: 3, taken: 0 },
      { fabricId: c.jersey.id, fabricName: 'Cream jersey', etsyOrderId: '3000000112', wanted: 1, taken: 0 },
      { fabricId: c.cream.id, fabricName: c.cream.name, etsyOrderId: '3000000203', wanted: 4, taken: 0 },
      { fabricId: c.sage.id, fabricName: 'Sage dots (shop name)', etsyOrderId: '3000000021', wanted: 4, taken: 2 },
      { fabricId: c.sage.id, fabricName: 'Sage dots (shop name)', etsyOrderId: '3000000140', wanted: 1, taken: 0 },
      { fabricId: c.sage.id, fabricName: 'Sage dots (shop name)', etsyOrderId: '3000000231', wanted: 4, taken: 0 },
    ])
    // The preview writes nothing.
    expect(await count(orders)).toBe(0)
    expect(await count(stockMovements)).toBe(0)

    const result = await confirm(p)
    expect(result).toEqual({ ok: true, counts: p.counts, shortfalls: p.shortfalls, files: p.files, unmatchedLines: p.unmatchedLines })
    expect(await count(orders)).toBe(40)

    // One order in full: noon of its sale date in the shop's time zone (EDT), its address with
    // the country as a code, the line named with its variation, and an exact line total.
    const first = await orderBy('3000000000')
    expect(first).toMatchObject({
      userId: null,
      customerEmail: null,
      customerName: 'Farah Okafor',
      shippingAddress: {
        name: 'Farah Okafor',
        line1: '620 Mill St',
        line2: 'Apt 2',
        city: 'Portland',
        region: 'OR',
        postalCode: '97205',
        country: 'US',
      },
      items: [
        {
          fabricId: null,
          name: 'Indigo Stripe Jersey Knit, Wool Fabric by the Half Yard (Length: Half yard)',
          sku: 'TH-10015',
          unitPrice: '13.93',
          quantity: 3,
          lineTotal: '41.79',
        },
      ],
      totalAmount: '51.67',
      shippingAmount: '6.95',
      taxAmount: '2.93',
      status: 'pending',
      carrier: null,
      trackingNumber: null,
      version: 1,
    })
    expect(first.createdAt.toISOString()).toBe('2025-05-19T16:00:00.000Z')
    // Winter: EST.
    expect((await orderBy('3000000007')).createdAt.toISOString()).toBe('2024-12-18T17:00:00.000Z')
    expect((await orderBy('3000000007')).shippingAddress).toEqual({
      name: 'Hana García',
      line1: '346 Mill St',
      city: 'Leeds',
      postalCode: 'LS1 4AP',
      country: 'GB',
    })
    // Two lines of one fabric stay two lines; matched lines carry the fabric, and its SKU when Etsy has none.
    expect((await orderBy('3000000126')).items.map((i) => [i.fabricId, i.quantity, i.unitPrice, i.lineTotal])).toEqual([
      [c.terracotta.id, 2, '10.48', '20.96'],
      [null, 3, '8.06', '24.18'],
      [null, 2, '18.77', '37.54'],
    ])

    // Every order as the files have it: status, totals to the cent, and its lines.
    const all = await database.db.select().from(orders)
    for (const row of ORDERS.rows) {
      const order = all.find((o) => o.etsyOrderId === row['Order ID'])!
      expect(order.status).toBe(row['Date Shipped'] ? 'shipped' : 'pending')
      expect([order.totalAmount, order.shippingAmount, order.taxAmount]).toEqual([row['Order Total'], row.Shipping, row['Sales Tax']])
      const lines = ITEMS.rows.filter((i) => i['Order ID'] === row['Order ID'])
      expect(order.items.map((i) => [i.quantity, i.unitPrice, i.lineTotal])).toEqual(
        lines.map((l) => [Number(l.Quantity), l.Price, amount(money(l.Price!) * BigInt(l.Quantity!))]),
      )
    }
    // Numbers follow the sale dates.
    const numbered = [...all].sort((a, b) => a.number - b.number)
    expect(numbered.map((o) => o.createdAt.getTime())).toEqual([...numbered.map((o) => o.createdAt.getTime())].sort((a, b) => a - b))

    // One event per order, by the importer.
    const events = await database.db.select().from(orderEvents)
    expect(events).toHaveLength(40)
    for (const e of events) {
      expect(e).toMatchObject({ userId: adminId, fromStatus: null, note: 'Imported from Etsy' })
      expect(e.toStatus).toBe(all.find((o) => o.id === e.orderId)!.status)
    }

    // Stock, per fabric in sale-date order: each movement's quantity after is the real running
    // quantity, and none for a take of nothing.
    expect(await movementsOf(c.sage.id)).toEqual([
      { delta: -3, after: 2, order: '3000000063', note: 'Etsy order 3000000063' },
      { delta: -2, after: 0, order: '3000000021', note: 'Etsy order 3000000021' },
    ])
    expect(await stockOf(c.sage.id)).toEqual({ q: 0, inStock: false })
    expect((await movementsOf(c.charcoal.id)).map((m) => [m.order, m.delta, m.after])).toEqual([
      ['3000000210', -2, 98],
      ['3000000070', -3, 95],
      ['3000000007', -1, 94],
      ['3000000098', -1, 93],
    ])
    expect((await movementsOf(c.cream.id)).map((m) => [m.order, m.delta, m.after])).toEqual([
      ['3000000133', -3, 3],
      ['3000000196', -1, 2],
      ['3000000049', -2, 0],
    ])
    // Order 3000000126 has two lines of this fabric: one movement of their sum.
    expect((await movementsOf(c.terracotta.id)).map((m) => [m.order, m.delta, m.after])).toEqual([
      ['3000000245', -3, 17],
      ['3000000126', -2, 15],
      ['3000000084', -4, 11],
      ['3000000196', -2, 9],
    ])
    expect((await movementsOf(c.jersey.id)).map((m) => [m.order, m.delta, m.after])).toEqual([
      ['3000000070', -1, 2],
      ['3000000273', -2, 0],
    ])
    for (const untouched of [c.terracottaBySku, ...c.jerseyTwins, ...c.tealTwins]) {
      expect(await movementsOf(untouched.id)).toEqual([])
      expect((await stockOf(untouched.id)).q).toBe(untouched.stockQuantity)
    }
    const movements = await database.db.select().from(stockMovements)
    expect(movements).toHaveLength(15)
    for (const m of movements) expect(m).toMatchObject({ reason: 'sold', userId: adminId })
    expect(movements.every((m) => all.some((o) => o.id === m.orderId))).toBe(true)

    // Every day from the first sale to the last is rolled up: Etsy's revenue and orders in the
    // analytics equal the imported orders', days without a sale included.
    await analyticsSettled()
    const [figures] = await rows<{ revenue: string; orders: number; days: number; sales: string; placed: number; span: number }>(
      database.db,
      sql`select (select sum((metric_value->>'value')::numeric)::text from analytics where metric_type = 'revenue' and platform = 'etsy') as revenue,
                 (select sum((metric_value->>'value')::int)::int from analytics where metric_type = 'orders' and platform = 'etsy') as orders,
                 (select count(*)::int from analytics where metric_type = 'revenue' and platform = 'etsy') as days,
                 (select sum(total_amount)::text from orders where status <> 'cancelled') as sales,
                 (select count(*)::int from orders where status <> 'cancelled') as placed,
                 (select (max(created_at at time zone 'America/New_York')::date - min(created_at at time zone 'America/New_York')::date + 1)::int from orders) as span`,
    )
    expect(figures).toEqual({ revenue: figures!.sales, orders: figures!.placed, days: figures!.span, sales: figures!.sales, placed: 40, span: figures!.days })
    expect(figures!.days).toBeGreaterThan(2)

    // The uploads are gone once imported: confirming twice is impossible.
    expect((await problemOf(p.uploadIds)).problem).toMatch(GONE)
    expect(await confirm(p)).toMatchObject({ ok: false, problem: expect.stringMatching(GONE) })
  })

  it('importing the same files twice adds nothing: not an order, an event nor a movement', async () => {
    await catalog()
    expect(await confirm(await preview(await uploadFixtures()))).toMatchObject({ ok: true })
    const snapshot = async () => ({
      orders: await database.db.select().from(orders).orderBy(asc(orders.id)),
      events: await database.db.select().from(orderEvents).orderBy(asc(orderEvents.id)),
      movements: await database.db.select().from(stockMovements).orderBy(asc(stockMovements.id)),
      fabrics: await database.db.select().from(fabrics).orderBy(asc(fabrics.id)),
    })
    const before = await snapshot()

    const again = await preview(await uploadFixtures())
    expect(again.counts).toMatchObject({ orders: 40, new: 0, alreadyImported: 40, errors: 0, lines: 0, shortfalls: 0, unitsTaken: 0 })
    expect(again.newOrders).toEqual([])
    expect(await confirm(again)).toMatchObject({ ok: true, counts: { new: 0, alreadyImported: 40 } })
    // Either file alone, too.
    for (const file of [ORDERS_FILE, ITEMS_FILE]) {
      const one = await preview([await storeOrdersFile({ file })])
      expect(one.counts).toMatchObject({ new: 0, alreadyImported: 40 })
      expect(await confirm(one)).toMatchObject({ ok: true })
    }
    expect(await snapshot()).toEqual(before)
  })

  it('the items file alone: orders from its rows, shipping and tax once per order, total = lines + shipping + tax', async () => {
    const c = await catalog()
    const p = await preview([await storeOrdersFile({ file: ITEMS_FILE })])
    expect(p.files).toEqual({ orders: false, items: true })
    expect(p.counts).toMatchObject({ orders: 40, new: 40, lines: 56, byListingId: 8, bySku: 8, byTitle: 4, unmatched: 36, shortfalls: 7 })
    expect(await confirm(p)).toMatchObject({ ok: true })

    const all = await database.db.select().from(orders)
    expect(all).toHaveLength(40)
    for (const row of ORDERS.rows) {
      const order = all.find((o) => o.etsyOrderId === row['Order ID'])!
      const lines = ITEMS.rows.filter((i) => i['Order ID'] === row['Order ID'])
      const sum = lines.reduce((s, l) => s + money(l.Price!) * BigInt(l.Quantity!), 0n)
      expect(order.totalAmount).toBe(amount(sum + money(lines[0]!['Order Shipping']!) + money(lines[0]!['Order Sales Tax']!)))
      expect([order.shippingAmount, order.taxAmount]).toEqual([lines[0]!['Order Shipping'], lines[0]!['Order Sales Tax']])
      expect(order.status).toBe(lines[0]!['Date Shipped'] ? 'shipped' : 'pending')
      expect(order.items).toHaveLength(lines.length)
    }
    // The generator's own totals agree with that sum.
    expect(all.map((o) => [o.etsyOrderId, o.totalAmount]).sort()).toEqual(ORDERS.rows.map((r) => [r['Order ID'], r['Order Total']]).sort())
    // Name and address from the item rows (Ship Name, Ship Address1…).
    expect(await orderBy('3000000000')).toMatchObject({
      customerName: 'Farah Okafor',
      shippingAddress: { name: 'Farah Okafor', line1: '980 Mill St', city: 'Portland', region: 'OR', postalCode: '97205', country: 'US' },
      items: [{ name: 'Indigo Stripe Jersey Knit, Wool Fabric by the Half Yard (Length: Half yard)', quantity: 3, lineTotal: '41.79' }],
    })
    expect((await orderBy('3000000000')).shippingAddress).not.toHaveProperty('line2')
    expect(await count(stockMovements)).toBe(15)
    expect((await stockOf(c.sage.id)).q).toBe(0)
  })

  it('the orders file alone: orders without lines, totals from the file, no stock taken', async () => {
    const c = await catalog()
    const p = await preview([await storeOrdersFile({ file: ORDERS_FILE })])
    expect(p.files).toEqual({ orders: true, items: false })
    expect(p.counts).toMatchObject({ orders: 40, new: 40, withoutLines: 40, lines: 0, byListingId: 0, unmatched: 0, shortfalls: 0, unitsTaken: 0 })
    expect(p.newOrders).toHaveLength(40)
    expect(p.newOrders.every((o) => o.lines === 0)).toBe(true)
    expect(await confirm(p)).toMatchObject({ ok: true, counts: { new: 40, withoutLines: 40 } })
    const all = await database.db.select().from(orders)
    expect(all).toHaveLength(40)
    expect(all.every((o) => o.items.length === 0)).toBe(true)
    expect(all.map((o) => [o.etsyOrderId, o.totalAmount]).sort()).toEqual(ORDERS.rows.map((r) => [r['Order ID'], r['Order Total']]).sort())
    expect(await count(stockMovements)).toBe(0)
    expect((await stockOf(c.sage.id)).q).toBe(5)
    expect(await count(orderEvents)).toBe(40)
  })

  it('a cancelled order (either spelling) takes no stock; shipped and pending orders do', async () => {
    const fabric = await addFabric({ name: 'Counted linen', sku: 'CL-1', stockQuantity: 10 })
    const order = (id: string, sale: string, status: string, shipped = '') => ({
      ...ORDERS.rows[0]!,
      'Order ID': id,
      'Sale Date': sale,
      Status: status,
      'Date Shipped': shipped,
      'Order Total': '20.00',
    })
    const item = (id: string, quantity: string) => ({ ...ITEMS.rows[0]!, 'Order ID': id, Quantity: quantity, SKU: 'CL-1', 'Listing ID': '', 'Transaction ID': `T${id}` })
    const p = await preview([
      await upload({
        header: ORDERS.header,
        rows: [
          order('1', '01/02/25', 'Canceled'),
          order('2', '01/03/25', 'Cancelled', '01/04/25'),
          order('3', '01/04/25', 'Completed', '01/05/25'),
          order('4', '01/05/25', ''),
        ],
      }),
      await upload({ header: ITEMS.header, rows: [item('1', '4'), item('2', '4'), item('3', '3'), item('4', '2')] }),
    ])
    expect(p.counts).toMatchObject({ new: 4, cancelled: 2, shipped: 1, pending: 1, bySku: 4, shortfalls: 0, unitsTaken: 5 })
    expect(await confirm(p)).toMatchObject({ ok: true })
    expect((await database.db.select({ id: orders.etsyOrderId, status: orders.status }).from(orders).orderBy(asc(orders.number)))).toEqual([
      { id: '1', status: 'cancelled' },
      { id: '2', status: 'cancelled' },
      { id: '3', status: 'shipped' },
      { id: '4', status: 'pending' },
    ])
    expect((await movementsOf(fabric.id)).map((m) => [m.order, m.delta, m.after])).toEqual([
      ['3', -3, 7],
      ['4', -2, 5],
    ])
    expect(await stockOf(fabric.id)).toEqual({ q: 5, inStock: true })
  })

  it('a bad row fails the whole import: every error named by file, row and column, and nothing written', async () => {
    const c = await catalog()
    const orderRows = ORDERS.rows.map((r) => ({ ...r }))
    orderRows[1]!['Sale Date'] = '13/45/24' // row 3
    orderRows[3]!['Order Total'] = '12,50' // row 5
    orderRows[3]!.Shipping = '-1'
    orderRows[5]!['Order ID'] = '' // row 7
    orderRows[7]!['Ship Country'] = 'Atlantis' // row 9
    orderRows[9]!['Currency'] = 'EUR' // row 11
    orderRows[10]!['Order ID'] = orderRows[0]!['Order ID']! // row 12
    orderRows[11]!['Date Shipped'] = 'soon' // row 13
    const itemRows = ITEMS.rows.map((r) => ({ ...r }))
    itemRows[0]!.Quantity = '0' // row 2
    itemRows[2]!.Price = 'abc' // row 4
    itemRows[4]!['Order ID'] = '3999999999' // row 6
    const p = await preview([await upload({ header: ORDERS.header, rows: orderRows }), await upload({ header: ITEMS.header, rows: itemRows })])
    // Each with the Etsy order id its row has, for the summary to name it.
    expect(p.errors.slice(0, 2).map((e) => e.etsyOrderId)).toEqual([ORDERS.rows[1]!['Order ID'], ORDERS.rows[3]!['Order ID']])
    expect(p.errors.find((e) => e.row === 7)!.etsyOrderId).toBeNull()
    expect(messages(p)).toEqual([
      { file: 'EtsySoldOrders.csv', row: 3, column: 'Sale Date', message: '"13/45/24" is not a date like 05/19/25 (month/day/year)' },
      { file: 'EtsySoldOrders.csv', row: 5, column: 'Shipping', message: '"-1" is not an amount like 12.50' },
      { file: 'EtsySoldOrders.csv', row: 5, column: 'Order Total', message: '"12,50" is not an amount like 12.50' },
      { file: 'EtsySoldOrders.csv', row: 7, column: 'Order ID', message: 'is empty' },
      { file: 'EtsySoldOrders.csv', row: 9, column: 'Ship Country', message: '"Atlantis" is not a country we know' },
      { file: 'EtsySoldOrders.csv', row: 11, column: 'Currency', message: '"EUR" is not the shop\'s currency (USD)' },
      { file: 'EtsySoldOrders.csv', row: 12, column: 'Order ID', message: '"3000000000" is also on row 2' },
      { file: 'EtsySoldOrders.csv', row: 13, column: 'Date Shipped', message: '"soon" is not a date like 05/19/25 (month/day/year)' },
      { file: 'EtsySoldOrderItems.csv', row: 2, column: 'Quantity', message: '"0" is not a whole number of 1 or more' },
      { file: 'EtsySoldOrderItems.csv', row: 4, column: 'Price', message: '"abc" is not an amount like 12.50' },
      {
        file: 'EtsySoldOrderItems.csv',
        row: 6,
        column: 'Order ID',
        message: '"3999999999" is not in EtsySoldOrders.csv: upload both files of the same download',
      },
      // The lines of the orders whose ids went missing (rows 7 and 12) have no order either.
      ...[
        [8, '3000000035'],
        [15, '3000000070'],
        [16, '3000000070'],
        [17, '3000000070'],
      ].map(([row, id]) => ({
        file: 'EtsySoldOrderItems.csv',
        row,
        column: 'Order ID',
        message: `"${id}" is not in EtsySoldOrders.csv: upload both files of the same download`,
      })),
    ])
    expect(p.counts.errors).toBe(14)
    expect(p.moreErrors).toBe(0)

    const result = await confirm(p)
    expect(result).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(orders)).toBe(0)
    expect(await count(orderEvents)).toBe(0)
    expect(await count(stockMovements)).toBe(0)
    expect((await stockOf(c.sage.id)).q).toBe(5)
    // Nothing was written, and the uploads stay for another look.
    expect((await preview(p.uploadIds)).digest).toBe(p.digest)
  })

  it('the items file alone: rows of one order must agree, and a row of the wrong length is named', async () => {
    const itemRows = ITEMS.rows.slice(0, 6).map((r) => ({ ...r }))
    // Rows 5 and 6 are order 3000000021's.
    itemRows[4]!['Order Shipping'] = '9.99'
    itemRows[1]!['Ship Country'] = ''
    const text = stringify(
      [ITEMS.header, ...itemRows.map((row) => ITEMS.header.map((c) => row[c] ?? '')), ['05/19/25', 'Short row']],
      { record_delimiter: 'windows' },
    )
    const p = await preview([await uploadText(text)])
    expect(messages(p)).toEqual([
      { file: 'EtsySoldOrderItems.csv', row: 3, column: 'Ship Country', message: 'is empty' },
      { file: 'EtsySoldOrderItems.csv', row: 6, column: 'Order Shipping', message: 'differs from row 5, the first row of the same order' },
      { file: 'EtsySoldOrderItems.csv', row: 8, column: null, message: 'This row has 2 values where the header has 33 columns' },
    ])
    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(orders)).toBe(0)
  })

  it('tells the files apart by their headers, whatever their order, and says plainly what is wrong with others', async () => {
    // Items first: still the orders from the orders file, with their lines.
    const [ordersId, itemsId] = await uploadFixtures()
    const swapped = await preview([itemsId!, ordersId!])
    expect(swapped.uploadIds).toEqual([ordersId, itemsId])
    expect(swapped.counts).toMatchObject({ new: 40, lines: 56 })

    const neither = await uploadText('Date,Amount\r\n01/02/24,3.00\r\n')
    expect(await problemOf([ordersId!, neither])).toMatchObject({
      problem: expect.stringMatching(/^This is neither of Etsy's sold-orders files/),
      uploadId: neither,
    })
    // An upload that can never be imported is not kept; nor are the others of the form.
    expect(existsSync(path.join(importsDir, `${neither}.csv`))).toBe(false)
    expect(existsSync(path.join(importsDir, `${ordersId}.csv`))).toBe(false)

    const listings = await storeOrdersFile({ file: path.join(FIXTURES, 'EtsyListingsDownload.csv') })
    expect((await problemOf([listings])).problem).toMatch(/^This is Etsy's listings file/)
    const twice = await problemOf([await storeOrdersFile({ file: ORDERS_FILE }), await storeOrdersFile({ file: ORDERS_FILE })])
    expect(twice.problem).toBe('Both files are EtsySoldOrders.csv: upload EtsySoldOrderItems.csv as the other one, or only one file.')
    expect((await problemOf([await uploadText('')])).problem).toBe('The file is empty.')
    expect((await problemOf([await uploadText(`${ORDERS.header.join(',')}\r\n`)])).problem).toBe(
      "EtsySoldOrders.csv has Etsy's header row but no orders.",
    )
    const withoutTotal = ORDERS.header.filter((c) => c !== 'Order Total' && c !== 'Status')
    expect((await problemOf([await upload({ header: withoutTotal, rows: ORDERS.rows })])).problem).toBe(
      "The first row of EtsySoldOrders.csv is not Etsy's header row: it has no Order Total, Status.",
    )
    const png = await uploadText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))
    expect((await problemOf([png])).problem).toMatch(/^This is not a CSV text file/)
    const unclosed = await uploadText(`${ITEMS.header.join(',')}\r\n"05/19/25,no end\r\n`)
    expect((await problemOf([unclosed])).problem).toMatch(/the quoted value that starts in row 2 is never closed/)
    // Only random upload ids are ever turned into paths.
    expect((await problemOf(['../../../etc/passwd'])).problem).toMatch(GONE)
    expect((await problemOf([])).problem).toMatch(GONE)
    expect(await confirmOrdersImport({ uploadIds: ['../x'], digest: 'a'.repeat(32), userId: adminId })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(GONE),
    })
  })

  it('refuses a file saved as Windows-1252, naming the file and its row, and writes nothing', async () => {
    // The third order's street, with its value spanning two lines before it; then "Café £12" as
    // Windows-1252 writes it (é = E9, £ = A3), in the fourth order's name: row 5.
    const rows = ORDERS.rows.map((row) => ({ ...row }))
    rows[2]!['Street 2'] = 'Flat 3\r\nRear entrance'
    rows[3]!['Full Name'] = '@@'
    const records = rows.map((row) => ORDERS.header.map((c) => row[c] ?? ''))
    const [head, tail] = stringify([ORDERS.header, ...records], { record_delimiter: 'windows' }).split('@@')
    const cafe1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xa3, 0x31, 0x32])
    const ordersId = await uploadText(Buffer.concat([Buffer.from(head!), cafe1252, Buffer.from(tail!)]))
    const itemsId = await storeOrdersFile({ file: ITEMS_FILE })
    expect(await problemOf([ordersId, itemsId])).toEqual({
      ok: false,
      problem:
        'Row 5 of EtsySoldOrders.csv is not UTF-8 text (the file may have been saved as Windows-1252): ' +
        'save it as UTF-8 and upload it again.',
      uploadId: ordersId,
    })
    expect(await database.db.$count(orders)).toBe(0)
    expect(await database.db.$count(stockMovements)).toBe(0)

    // In the header row itself: which file it is cannot be told, but its row can.
    const header = Buffer.concat([Buffer.from('Sale Date,Order ID,Full Name,'), Buffer.from([0xa3]), Buffer.from('\r\n')])
    expect((await problemOf([await uploadText(header)])).problem).toMatch(/^Row 1 is not UTF-8 text/)

    // As UTF-8 with a byte order mark, the same name is read as it is.
    const good = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${head}Café £12${tail}`)])
    const p = await preview([await uploadText(good)])
    expect(await confirm(p)).toMatchObject({ ok: true })
    expect(await database.db.$count(orders, eq(orders.customerName, 'Café £12'))).toBe(1)
  })

  it('writes nothing when the catalog or the orders changed after the preview, and shows the new plan', async () => {
    const c = await catalog()
    const p = await preview(await uploadFixtures())
    await adjustStock({ id: c.sage.id, delta: 1, reason: 'received', userId: adminId })

    const result = await confirm(p)
    if (result.ok || !('preview' in result)) throw new Error('expected the catalog-changed answer')
    expect(result.problem).toBe('changed')
    expect(result.preview.digest).not.toBe(p.digest)
    expect(result.preview.counts.unitsTaken).toBe(p.counts.unitsTaken + 1)
    expect(await count(orders)).toBe(0)
    expect(await stockOf(c.sage.id)).toEqual({ q: 6, inStock: true })

    // Meanwhile the orders file alone is imported: the both-files plan now skips those orders.
    const other = await preview([await storeOrdersFile({ file: ORDERS_FILE })])
    expect(await confirm(other)).toMatchObject({ ok: true, counts: { new: 40 } })
    const stale = await confirm(result.preview)
    expect(stale).toMatchObject({ ok: false, problem: 'changed', preview: { counts: { new: 0, alreadyImported: 40 } } })
    expect(await count(orders)).toBe(40)
    expect(await count(stockMovements)).toBe(1)
  })

  it('files wholly in another currency are said once, with what to set, and not on every row; nothing is imported', async () => {
    await catalog()
    const inPounds = (csv: Csv): Csv => ({ header: csv.header, rows: csv.rows.map((r) => ({ ...r, Currency: 'GBP' })) })
    const orderRows = inPounds(ORDERS).rows
    orderRows[2]!['Order Total'] = 'abc' // row 4
    const p = await preview([await upload({ header: ORDERS.header, rows: orderRows }), await upload(inPounds(ITEMS))])
    expect(p.currency).toEqual({
      file: 'GBP',
      shop: 'USD',
      message:
        "These files' prices are in GBP; this shop's prices are in USD (SHOP_CURRENCY). Tara Hub does not convert: " +
        'export the files from an Etsy shop in USD, or set SHOP_CURRENCY=GBP if the shop really sells in GBP.',
    })
    // The rows keep only their other errors (and the lines of the order that has one).
    expect(messages(p).filter((e) => e.file === 'EtsySoldOrders.csv')).toEqual([
      { file: 'EtsySoldOrders.csv', row: 4, column: 'Order Total', message: '"abc" is not an amount like 12.50' },
    ])
    expect(p.errors.some((e) => e.column === 'Currency')).toBe(false)
    expect(await confirm(p)).toMatchObject({ ok: false, problem: 'errors' })

    // One file alone, without any other error: the currency alone stops it.
    const items = await preview([await upload(inPounds(ITEMS))])
    expect(items).toMatchObject({ errors: [], counts: { new: 40, errors: 0 }, currency: { file: 'GBP', shop: 'USD' } })
    expect(items.currency!.message).toMatch(/^This file's prices are in GBP;.* export the file from an Etsy shop in USD/)
    expect(await confirm(items)).toMatchObject({ ok: false, problem: 'errors' })
    expect(await count(orders)).toBe(0)
    expect(await count(stockMovements)).toBe(0)
  })

  it('marks orders older than N days delivered, in the same transaction; cancelled and refunded ones stay as the file says', async () => {
    const fabric = await addFabric({ name: 'Aged linen', sku: 'AL-1', stockQuantity: 20 })
    const today = dayOf(new Date(), 'America/New_York')
    /** A day N days ago as Etsy writes it (MM/DD/YY). */
    const ago = (n: number) => {
      const [y, m, d] = addDays(today, -n).split('-')
      return `${m}/${d}/${y!.slice(2)}`
    }
    const order = (id: string, daysAgo: number, { status = '', shipped = false } = {}) => ({
      ...ORDERS.rows[0]!,
      'Order ID': id,
      'Sale Date': ago(daysAgo),
      Status: status,
      'Date Shipped': shipped ? ago(daysAgo - 1) : '',
      'Order Total': '20.00',
    })
    const sold: Record<string, number> = { '10': 400, '11': 31, '12': 45, '13': 60, '14': 60, '15': 30, '16': 2 }
    const item = (id: string) => ({
      ...ITEMS.rows[0]!,
      'Order ID': id,
      'Sale Date': ago(sold[id]!),
      Quantity: '1',
      SKU: 'AL-1',
      'Listing ID': '',
      'Transaction ID': `T${id}`,
    })
    const ids = Object.keys(sold)
    const uploads = async () => [
      await upload({
        header: ORDERS.header,
        rows: [
          order('10', 400, { shipped: true }),
          order('11', 31, { shipped: true }),
          order('12', 45), // never marked shipped: long since sent all the same
          order('13', 60, { status: 'Canceled' }),
          order('14', 60, { status: 'Refunded', shipped: true }),
          order('15', 30, { shipped: true }), // exactly 30 days: not older
          order('16', 2),
        ],
      }),
      await upload({ header: ITEMS.header, rows: ids.map(item) }),
    ]
    const p = await previewOrdersImport({ uploadIds: await uploads(), userId: importer, deliveredAfterDays: 30 })
    if (!p.ok) throw new Error(p.problem)
    expect(p.preview.delivered).toEqual({ afterDays: 30, before: addDays(today, -30) })
    expect(p.preview.counts).toMatchObject({ new: 7, delivered: 3, shipped: 2, pending: 1, cancelled: 1, unitsTaken: 6, errors: 0 })
    expect(Object.fromEntries(p.preview.newOrders.map((o) => [o.etsyOrderId, o.status]))).toEqual({
      '10': 'delivered',
      '11': 'delivered',
      '12': 'delivered',
      '13': 'cancelled',
      '14': 'shipped',
      '15': 'shipped',
      '16': 'pending',
    })
    expect(await count(orders)).toBe(0)

    // Confirmed with another number of days than previewed, the plan is not the one shown: nothing is written.
    const other = await confirmOrdersImport({ uploadIds: p.preview.uploadIds, digest: p.preview.digest, userId: adminId, deliveredAfterDays: 50 })
    expect(other).toMatchObject({ ok: false, problem: 'changed', preview: { counts: { delivered: 1 } } })
    // Nor without the option.
    expect(await confirm(p.preview)).toMatchObject({ ok: false, problem: 'changed', preview: { delivered: null, counts: { delivered: 0 } } })
    expect(await count(orders)).toBe(0)

    const result = await confirmOrdersImport({ uploadIds: p.preview.uploadIds, digest: p.preview.digest, userId: adminId, deliveredAfterDays: 30 })
    expect(result).toMatchObject({ ok: true, counts: { new: 7, delivered: 3 } })
    const statuses = await database.db
      .select({ id: orders.etsyOrderId, status: orders.status, event: orderEvents.toStatus })
      .from(orders)
      .innerJoin(orderEvents, eq(orderEvents.orderId, orders.id))
      .orderBy(asc(orders.etsyOrderId))
    expect(statuses.map((s) => [s.id, s.status, s.event])).toEqual([
      ['10', 'delivered', 'delivered'],
      ['11', 'delivered', 'delivered'],
      ['12', 'delivered', 'delivered'],
      ['13', 'cancelled', 'cancelled'],
      ['14', 'shipped', 'shipped'],
      ['15', 'shipped', 'shipped'],
      ['16', 'pending', 'pending'],
    ])
    // Delivered orders took their stock as any sold order does; the cancelled one took none.
    expect(await stockOf(fabric.id)).toEqual({ q: 14, inStock: true })

    // The items file alone has no status: every order older than the days is marked.
    await database.db.delete(stockMovements)
    await database.db.delete(orderEvents)
    await database.db.delete(orders)
    const alone = await previewOrdersImport({ uploadIds: [(await uploads())[1]!], userId: importer, deliveredAfterDays: 30 })
    expect(alone.ok && alone.preview.counts).toMatchObject({ new: 7, delivered: 5 })
    await analyticsSettled()
  })

  it('stores each of the form’s two files, and keeps nothing of them when one is too large', async () => {
    const boundary = 'etsy-orders-boundary'
    const part = (name: string, filename: string, body: Buffer) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        body,
        Buffer.from('\r\n'),
      ])
    const request = (...parts: Buffer[]) =>
      new Request('http://localhost/orders/import', {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
      })
    const before = readdirSync(importsDir)
    const tooLarge = ordersUpload()
    await expect(
      unstable_parseMultipartFormData(
        request(
          part('orders', 'a.csv', readFileSync(ORDERS_FILE)),
          part('items', 'b.csv', Buffer.alloc(MAX_ORDERS_FILE_MEGABYTES * 1024 * 1024 + 1, 'a')),
        ),
        tooLarge.handler,
      ),
    ).rejects.toBeInstanceOf(MaxPartSizeExceededError)
    await tooLarge.discard()
    expect(readdirSync(importsDir).sort()).toEqual(before.sort())

    // The option's text fields are kept, and no other.
    const text = (name: string, value: string) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    const form = await unstable_parseMultipartFormData(
      request(
        text('markDelivered', 'on'),
        part('orders', 'anything.csv', readFileSync(ITEMS_FILE)),
        text('deliveredAfterDays', '45'),
        text('other', 'x'),
        part('items', 'other.csv', readFileSync(ORDERS_FILE)),
      ),
      ordersUpload().handler,
    )
    expect([form.get('markDelivered'), form.get('deliveredAfterDays'), form.get('other')]).toEqual(['on', '45', null])
    const ids = [form.get('orders'), form.get('items')].map(String)
    expect(ids.every((id) => /^[a-f0-9]{32}$/.test(id))).toBe(true)
    expect((await preview(ids)).counts).toMatchObject({ new: 40, lines: 56 })
  })
})
