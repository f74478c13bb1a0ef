// The orders list on every driver: the address read leniently, status tabs and their capped
// counts, dates in the shop's time zone (a day that starts at local midnight, across a
// daylight-saving change), search by name, email, #number and Etsy id, sorts and pages without
// overlap, the overdue flag, the accountant's CSV (orders and lines, every row, in batches) and
// packing slips. The time zone and "now" are arguments, so nothing depends on the clock.
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OrderItem } from '~/models/json-types'
import {
  exportFilename,
  exportOrders,
  LINE_EXPORT_COLUMNS,
  listOrders,
  ORDER_EXPORT_COLUMNS,
  orderSearchTerms,
  packingSlips,
  parseOrderQuery,
  readOrderAddress,
} from '~/models/order-list.server'
import { MAX_PACKING_SLIPS, ORDERS_COUNT_CAP, ORDERS_PAGE_SIZE, ORDERS_SEARCH_SAMPLE } from '~/models/order-options'
import { orders, users, type NewOrder } from '~/models/schema'
import { TARGETS, useMigratedDatabase } from '../setup/databases'

const TZ = 'America/New_York'
const NOW = new Date('2026-03-10T15:00:00Z')
const HOUR = 60 * 60 * 1000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

const query = (search: string) => parseOrderQuery(new URLSearchParams(search))
// The signed-in staff member the list is read for (its reads see no order without one).
let staffId = ''
const list = (search: string) => listOrders(staffId, query(search), { timeZone: TZ, now: NOW })
const names = async (search: string) => (await list(search)).items.map((o) => o.customerName)

function line(overrides: Partial<OrderItem> = {}): OrderItem {
  return { fabricId: null, name: 'Sage Linen', sku: 'SL-1', unitPrice: '12.50', quantity: 2, lineTotal: '25.00', ...overrides }
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return { text, chunks: chunks.length, records: parse(text.replace(/^\uFEFF/, '')) as string[][] }
}

describe('reading the list address', () => {
  it('keeps what makes sense and drops the rest, never failing', () => {
    expect(query('status=shipped&from=2026-03-01&to=2026-03-31&q=%20%231042%20&sort=total-desc&page=3')).toEqual({
      status: 'shipped',
      from: '2026-03-01',
      to: '2026-03-31',
      q: '#1042',
      sort: 'total-desc',
      page: 3,
    })
    expect(query('status=lost&from=2026-02-30&to=yesterday&q=&sort=random&page=-2')).toEqual({ sort: 'newest', page: 1 })
    expect(query('page=99999').page).toBe(1)
    // A range typed backwards is the same days.
    expect(query('from=2026-03-31&to=2026-03-01')).toMatchObject({ from: '2026-03-01', to: '2026-03-31' })
  })

  it('says next to the date boxes what is wrong, keeps what was typed, and what the list does instead', () => {
    const address = (search: string) => readOrderAddress(new URLSearchParams(search))
    expect(address('from=2026-03-01&to=2026-03-31')).toEqual({
      query: { from: '2026-03-01', to: '2026-03-31', sort: 'newest', page: 1 },
      typed: { from: '2026-03-01', to: '2026-03-31' },
      errors: {},
    })
    // Not a day: left out of the list's filter, said next to its box.
    const banana = address('from=banana&to=2026-03-31')
    expect(banana.query).toEqual({ to: '2026-03-31', sort: 'newest', page: 1 })
    expect(banana.typed).toEqual({ from: 'banana', to: '2026-03-31' })
    expect(banana.errors).toEqual({ from: expect.stringMatching(/YYYY-MM-DD \(“banana” is not a date\)/) })
    expect(address('to=2026-02-30').errors.to).toMatch(/“2026-02-30” is not a date/)
    // Backwards: the days between the two, and it says so.
    const backwards = address('from=2026-03-31&to=2026-03-01')
    expect(backwards.query).toMatchObject({ from: '2026-03-01', to: '2026-03-31' })
    expect(backwards.typed).toEqual({ from: '2026-03-31', to: '2026-03-01' })
    expect(backwards.errors).toEqual({ to: expect.stringMatching(/before the first/) })
    // Empty boxes are no mistake.
    expect(address('from=&to=').errors).toEqual({})
  })

  it('turns a search into a prefix query of words, numbers whole, and emails whole', () => {
    expect(orderSearchTerms('Amelia  Tay')).toBe('amelia:* & tay:*')
    expect(orderSearchTerms('#1042')).toBe('1042')
    expect(orderSearchTerms('1042')).toBe('1042:*')
    expect(orderSearchTerms('Ana.B+shop@Example.com')).toBe(`'ana.b+shop@example.com'`)
    // Part of an address: the part before the @ (the domain would match most orders).
    expect(orderSearchTerms('ana.b@exa')).toBe('ana:* & b')
    expect(orderSearchTerms(`O'Connor & !(x`)).toBe('o & connor:* & x')
    expect(orderSearchTerms('# & |')).toBeUndefined()
    expect(orderSearchTerms(undefined)).toBeUndefined()
  })
})

describe.each(TARGETS)('the orders list on %s', (target) => {
  const database = useMigratedDatabase(target)

  beforeAll(async () => {
    const [staff] = await database.db
      .insert(users)
      .values({ email: `staff-${target}@example.com`, name: 'Staff' })
      .returning({ id: users.id })
    staffId = staff!.id
  })

  async function place(values: Partial<NewOrder> & { customerName: string }) {
    const sent = values.status === 'shipped' || values.status === 'delivered'
    const [row] = await database.db
      .insert(orders)
      .values({
        items: [line()],
        totalAmount: '25.00',
        createdAt: ago(HOUR),
        trackingNumber: sent && !values.etsyOrderId ? 'RM123456789GB' : null,
        ...values,
      })
      .returning({ id: orders.id, number: orders.number })
    return row!
  }

  beforeEach(async () => {
    await database.db.delete(orders)
  })

  describe('a small shop', () => {
    let shop: Record<string, { id: string; number: number }>

    beforeEach(async () => {
      shop = {
        amelia: await place({
          customerName: 'Amelia Taylor',
          customerEmail: 'amelia.taylor@example.com',
          status: 'pending',
          createdAt: ago(1 * HOUR),
          totalAmount: '25.00',
          items: [line(), line({ name: 'Indigo Chambray', sku: 'IC-2' })],
        }),
        brown: await place({
          customerName: 'Amelia Brown',
          customerEmail: 'a.brown+fabric@example.org',
          status: 'processing',
          createdAt: ago(4 * 24 * HOUR),
          totalAmount: '80.00',
        }),
        olivia: await place({
          customerName: 'Olivia Taylor',
          customerEmail: 'olivia@example.net',
          status: 'shipped',
          etsyOrderId: '1234567890',
          createdAt: ago(5 * 24 * HOUR),
          totalAmount: '12.50',
        }),
        ruth: await place({
          customerName: 'Ruth Evans',
          customerEmail: 'ruth.evans@example.com',
          status: 'delivered',
          createdAt: ago(20 * 24 * HOUR),
          totalAmount: '140.00',
        }),
        isla: await place({ customerName: 'Isla Hughes', status: 'cancelled', createdAt: ago(2 * 24 * HOUR), totalAmount: '9.99' }),
        // Three days and a minute: overdue. Three days less a minute: not yet.
        rahul: await place({
          customerName: 'Rahul Patel',
          customerEmail: 'rahul@example.com',
          status: 'pending',
          createdAt: ago(3 * 24 * HOUR + 60_000),
          totalAmount: '55.00',
        }),
        mei: await place({ customerName: 'Mei Chen', status: 'pending', createdAt: ago(3 * 24 * HOUR - 60_000), totalAmount: '30.00' }),
      }
    })

    it('counts every tab for the other filters, and lists the chosen tab newest first', async () => {
      const all = await list('')
      expect(all.counts).toEqual({
        all: { count: 7, more: false },
        pending: { count: 3, more: false },
        processing: { count: 1, more: false },
        shipped: { count: 1, more: false },
        delivered: { count: 1, more: false },
        cancelled: { count: 1, more: false },
      })
      expect(all).toMatchObject({ page: 1, pages: 1, hasNext: false, more: false, searchTooBroad: false })
      expect(all.items.map((o) => o.customerName)).toEqual([
        'Amelia Taylor',
        'Isla Hughes',
        'Mei Chen',
        'Rahul Patel',
        'Amelia Brown',
        'Olivia Taylor',
        'Ruth Evans',
      ])
      const pending = await list('status=pending')
      expect(pending.items.map((o) => o.customerName)).toEqual(['Amelia Taylor', 'Mei Chen', 'Rahul Patel'])
      // The tabs count the other filters, whichever tab is open.
      expect(pending.counts).toEqual(all.counts)
      const amelia = pending.items[0]!
      expect(amelia).toMatchObject({
        id: shop.amelia!.id,
        number: shop.amelia!.number,
        customerEmail: 'amelia.taylor@example.com',
        status: 'pending',
        totalAmount: '25.00',
        etsyOrderId: null,
        itemCount: 2,
      })
      expect(amelia.createdAt).toEqual(ago(HOUR))
      const searched = await list('q=taylor&status=shipped')
      expect(searched.items.map((o) => o.customerName)).toEqual(['Olivia Taylor'])
      expect(searched.counts).toMatchObject({ all: { count: 2 }, pending: { count: 1 }, shipped: { count: 1 }, delivered: { count: 0 } })
    })

    it('flags pending and processing orders placed more than three days ago as overdue', async () => {
      const overdue = Object.fromEntries((await list('')).items.map((o) => [o.customerName, o.overdue]))
      expect(overdue).toEqual({
        'Amelia Taylor': false,
        'Amelia Brown': true,
        'Olivia Taylor': false,
        'Ruth Evans': false,
        'Isla Hughes': false,
        'Rahul Patel': true,
        'Mei Chen': false,
      })
    })

    it('finds orders by name, email (whole or in part), #number and Etsy order id', async () => {
      expect(await names('q=taylor')).toEqual(['Amelia Taylor', 'Olivia Taylor'])
      expect(await names('q=amelia')).toEqual(['Amelia Taylor', 'Amelia Brown'])
      expect(await names('q=AMELIA+tay')).toEqual(['Amelia Taylor'])
      expect(await names('q=amelia.taylor%40example.com')).toEqual(['Amelia Taylor'])
      expect(await names('q=a.brown%2Bfabric%40example.org')).toEqual(['Amelia Brown'])
      expect(await names('q=amelia.tay')).toEqual(['Amelia Taylor'])
      expect(await names('q=ruth.evans%40exam')).toEqual(['Ruth Evans'])
      expect(await names('q=example.org')).toEqual(['Amelia Brown'])
      expect(await names(`q=${encodeURIComponent(`#${shop.ruth!.number}`)}`)).toEqual(['Ruth Evans'])
      expect(await names(`q=${shop.ruth!.number}`)).toEqual(['Ruth Evans'])
      expect(await names('q=1234567890')).toEqual(['Olivia Taylor'])
      expect(await names('q=123456')).toEqual(['Olivia Taylor'])
      expect(await names('q=velvet')).toEqual([])
      // Operators and quotes are only words, never a syntax error.
      expect(await names(`q=${encodeURIComponent(`taylor' & !(`)}`)).toEqual(['Amelia Taylor', 'Olivia Taylor'])
      const search = await list('q=amelia')
      expect(search.counts).toMatchObject({ all: { count: 2 }, pending: { count: 1 }, processing: { count: 1 }, cancelled: { count: 0 } })
    })

    it('sorts by date and by total, either way', async () => {
      expect((await list('sort=total')).items.map((o) => o.totalAmount)).toEqual([
        '9.99',
        '12.50',
        '25.00',
        '30.00',
        '55.00',
        '80.00',
        '140.00',
      ])
      expect((await list('sort=total-desc')).items.map((o) => o.totalAmount)[0]).toBe('140.00')
      expect(await names('sort=oldest')).toEqual([
        'Ruth Evans',
        'Olivia Taylor',
        'Amelia Brown',
        'Rahul Patel',
        'Mei Chen',
        'Isla Hughes',
        'Amelia Taylor',
      ])
      // A search keeps the sort.
      expect((await list('q=taylor&sort=total-desc')).items.map((o) => o.totalAmount)).toEqual(['25.00', '12.50'])
      expect((await list('q=amelia&sort=total&status=processing')).items.map((o) => o.customerName)).toEqual(['Amelia Brown'])
    })

    it('exports the list as filtered, one row per order, in the list order', async () => {
      await place({
        customerName: '=HYPERLINK("http://evil.example")',
        customerEmail: 'evil@example.com',
        status: 'delivered',
        carrier: 'Royal Mail',
        trackingNumber: 'RM000000001GB',
        totalAmount: '37.40',
        shippingAmount: '4.50',
        taxAmount: '5.40',
        items: [line({ lineTotal: '27.50', unitPrice: '13.75' })],
        shippingAddress: { name: 'Eve', line1: '1 High Street', city: 'Bath', country: 'GB' },
        // 00:30 on 10 March in New York (summer time since the 8th) is 04:30 UTC.
        createdAt: new Date('2026-03-10T04:30:00Z'),
      })
      const { text, records, chunks } = await readAll(await exportOrders(staffId, query(''), { timeZone: TZ }))
      expect(text.startsWith('\uFEFFOrder,Placed,Status,')).toBe(true)
      expect(text).toContain('\r\n')
      expect(chunks).toBeGreaterThan(1)
      expect(records[0]).toEqual([...ORDER_EXPORT_COLUMNS])
      expect(records).toHaveLength(1 + 8)
      const evil = records.find((r) => r[4] === 'evil@example.com')!
      expect(evil).toEqual([
        expect.stringMatching(/^\d+$/),
        '2026-03-10 00:30',
        'Delivered',
        `'=HYPERLINK("http://evil.example")`,
        'evil@example.com',
        '',
        '1',
        '27.50',
        '4.50',
        '5.40',
        '37.40',
        'Royal Mail',
        'RM000000001GB',
        'United Kingdom',
      ])
      const filtered = await readAll(await exportOrders(staffId, query('status=pending&sort=total-desc'), { timeZone: TZ }))
      expect(filtered.records.slice(1).map((r) => r[3])).toEqual(['Rahul Patel', 'Mei Chen', 'Amelia Taylor'])
      const searched = await readAll(await exportOrders(staffId, query('q=taylor'), { timeZone: TZ }))
      expect(searched.records.slice(1).map((r) => [r[3], r[5]])).toEqual([
        ['Amelia Taylor', ''],
        ['Olivia Taylor', '1234567890'],
      ])
      expect(exportFilename({ timeZone: TZ, now: new Date('2026-03-10T03:00:00Z') })).toBe('orders-2026-03-09.csv')
      expect(exportFilename({ lines: true, timeZone: TZ, now: NOW })).toBe('order-lines-2026-03-10.csv')
    })

    it('exports one row per order line', async () => {
      const { records } = await readAll(await exportOrders(staffId, query('q=amelia+taylor'), { lines: true, timeZone: TZ }))
      expect(records).toEqual([
        [...LINE_EXPORT_COLUMNS],
        [String(shop.amelia!.number), '2026-03-10 10:00', 'Pending', 'Amelia Taylor', 'SL-1', 'Sage Linen', '12.50', '2', '25.00'],
        [String(shop.amelia!.number), '2026-03-10 10:00', 'Pending', 'Amelia Taylor', 'IC-2', 'Indigo Chambray', '12.50', '2', '25.00'],
      ])
      const all = await readAll(await exportOrders(staffId, query(''), { lines: true, timeZone: TZ }))
      expect(all.records).toHaveLength(1 + 8)
    })

    it('gives packing slips in the order asked, each once, ignoring what is not an order, none for a cancelled one', async () => {
      await database.db
        .update(orders)
        .set({
          notes: 'Gift: no prices, please.',
          shippingAddress: { name: 'Ruth Evans', line1: '12 Mill Lane', city: 'York', postalCode: 'YO1 7HH', country: 'GB' },
        })
        .where(sql`${orders.id} = ${shop.ruth!.id}`)
      const { slips, cancelled } = await packingSlips(staffId, [
        shop.ruth!.id,
        'not-an-id',
        shop.isla!.id,
        shop.amelia!.id.toUpperCase(),
        '00000000-0000-4000-8000-000000000000',
        shop.ruth!.id,
        shop.olivia!.id,
      ])
      expect(slips.map((s) => s.customerName)).toEqual(['Ruth Evans', 'Amelia Taylor', 'Olivia Taylor'])
      // Isla's order is cancelled: no slip, but named, so the page can say it was left out.
      expect(cancelled).toEqual([{ id: shop.isla!.id, number: shop.isla!.number }])
      expect(slips[0]).toMatchObject({
        number: shop.ruth!.number,
        notes: 'Gift: no prices, please.',
        shippingAddress: { line1: '12 Mill Lane', city: 'York', country: 'GB' },
        items: [line()],
      })
      expect(slips[1]!.items.map((i) => i.sku)).toEqual(['SL-1', 'IC-2'])
      expect(await packingSlips(staffId, [])).toEqual({ slips: [], cancelled: [] })
      expect(await packingSlips(staffId, ['nope', '1; drop table orders'])).toEqual({ slips: [], cancelled: [] })
    })
  })

  it('reads a date range as whole days in the shop’s time zone, across a daylight-saving change', async () => {
    // New York is UTC-5 until 8 March 2026, then UTC-4: 8 March has 23 hours.
    const at = {
      '28 Feb 23:59:59': '2026-03-01T04:59:59Z',
      '1 Mar 00:00': '2026-03-01T05:00:00Z',
      '1 Mar 23:59:59': '2026-03-02T04:59:59Z',
      '2 Mar 00:00': '2026-03-02T05:00:00Z',
      '8 Mar 00:00': '2026-03-08T05:00:00Z',
      '8 Mar 23:59': '2026-03-09T03:59:00Z',
      '9 Mar 00:00': '2026-03-09T04:00:00Z',
    }
    for (const [name, instant] of Object.entries(at)) await place({ customerName: name, createdAt: new Date(instant) })
    expect(await names('from=2026-03-01&to=2026-03-01')).toEqual(['1 Mar 23:59:59', '1 Mar 00:00'])
    expect(await names('from=2026-03-02&sort=oldest')).toEqual(['2 Mar 00:00', '8 Mar 00:00', '8 Mar 23:59', '9 Mar 00:00'])
    expect(await names('to=2026-02-28')).toEqual(['28 Feb 23:59:59'])
    expect(await names('from=2026-03-08&to=2026-03-08')).toEqual(['8 Mar 23:59', '8 Mar 00:00'])
    const range = await list('from=2026-03-01&to=2026-03-08&status=pending')
    expect(range.counts).toMatchObject({ all: { count: 5 }, pending: { count: 5 }, delivered: { count: 0 } })
    // Sorted by total within a range, and the export takes the same days.
    expect((await list('from=2026-03-01&to=2026-03-01&sort=total')).items).toHaveLength(2)
    const { records } = await readAll(await exportOrders(staffId, query('from=2026-03-08&to=2026-03-08'), { timeZone: TZ }))
    expect(records.slice(1).map((r) => [r[1], r[3]])).toEqual([
      ['2026-03-08 23:59', '8 Mar 23:59'],
      ['2026-03-08 00:00', '8 Mar 00:00'],
    ])
  })

  it('pages through many orders without overlap, placed at the same instant or for the same total', async () => {
    const many = ORDERS_PAGE_SIZE * 2 + 20
    await database.db.insert(orders).values(
      Array.from({ length: many }, (_, i) => ({
        customerName: `Bulk ${i}`,
        totalAmount: String(10 + (i % 3)),
        // Half of them at the same instant: only the id orders them.
        createdAt: i % 2 ? ago(HOUR) : ago(HOUR + i * 1000),
      })),
    )
    for (const sort of ['newest', 'oldest', 'total', 'total-desc']) {
      const pages = [1, 2, 3].map((page) => list(`sort=${sort}&page=${page}`))
      const [first, second, third] = await Promise.all(pages)
      expect(first!.items).toHaveLength(ORDERS_PAGE_SIZE)
      expect(second!.items).toHaveLength(ORDERS_PAGE_SIZE)
      expect(third!.items).toHaveLength(20)
      expect([first!.hasNext, second!.hasNext, third!.hasNext]).toEqual([true, true, false])
      expect(first!.pages).toBe(3)
      const ids = new Set([...first!.items, ...second!.items, ...third!.items].map((o) => o.id))
      expect(ids.size, sort).toBe(many)
    }
    // A date range sorted by total pages the same way.
    const day = query('from=2026-03-10&to=2026-03-10&sort=total')
    const inRange = await Promise.all([1, 2, 3].map((page) => listOrders(staffId, { ...day, page }, { timeZone: TZ, now: NOW })))
    expect(new Set(inRange.flatMap((l) => l.items.map((o) => o.id))).size).toBe(many)
    expect(inRange[0]!.items.map((o) => o.totalAmount).slice(0, 3)).toEqual(['10.00', '10.00', '10.00'])
    expect((await list('page=4')).items).toEqual([])
  })

  it('caps every count, and counts a broad search as "1,000+" with no count per status', async () => {
    const placed = ago(HOUR).toISOString()
    const add = (n: number, name: string, status: string) =>
      database.db.execute(sql`insert into orders (customer_name, status, created_at, tracking_number)
        select ${name} || ' ' || g, ${status}::order_status, ${placed}::timestamptz - g * interval '1 second', 'RM' || g
        from generate_series(1, ${n}::int) g`)
    await add(ORDERS_COUNT_CAP + 5, 'Bulk Buyer', 'pending')
    await add(3, 'Bulk Buyer', 'cancelled')
    await add(2, 'Other Buyer', 'processing')
    const all = await list('')
    expect(all.counts).toEqual({
      all: { count: ORDERS_COUNT_CAP, more: true },
      pending: { count: ORDERS_COUNT_CAP, more: true },
      processing: { count: 2, more: false },
      shipped: { count: 0, more: false },
      delivered: { count: 0, more: false },
      cancelled: { count: 3, more: false },
    })
    expect(all).toMatchObject({ pages: ORDERS_COUNT_CAP / ORDERS_PAGE_SIZE, more: true, hasNext: true })
    // A search that matches fewer than ORDERS_SEARCH_SAMPLE is counted by status from one pass.
    const bulk = await list('q=bulk&status=cancelled')
    expect(bulk.counts).toMatchObject({ all: { count: ORDERS_COUNT_CAP, more: true }, cancelled: { count: 3, more: false }, processing: { count: 0 } })
    expect(bulk.items.map((o) => o.customerName)).toEqual(['Bulk Buyer 1', 'Bulk Buyer 2', 'Bulk Buyer 3'])
    expect(bulk).toMatchObject({ searchTooBroad: false, pages: 1, hasNext: false })

    await add(ORDERS_SEARCH_SAMPLE, 'Bulk Seller', 'delivered')
    const broad = await list('q=bulk&status=cancelled')
    expect(broad.searchTooBroad).toBe(true)
    expect(broad.counts).toEqual({
      all: { count: ORDERS_COUNT_CAP, more: true },
      pending: null,
      processing: null,
      shipped: null,
      delivered: null,
      cancelled: null,
    })
    // The page is still exact: its own query.
    expect(broad.items.map((o) => o.customerName)).toEqual(['Bulk Buyer 1', 'Bulk Buyer 2', 'Bulk Buyer 3'])
    expect(broad).toMatchObject({ pages: null, hasNext: false })
    expect((await list('q=bulk')).items).toHaveLength(ORDERS_PAGE_SIZE)
  })

  it('streams every matching row in batches, never twice, whatever the sort', async () => {
    const many = 25
    await database.db.insert(orders).values(
      Array.from({ length: many }, (_, i) => ({
        customerName: `Same Moment ${i}`,
        totalAmount: i % 2 ? '10.00' : '20.00',
        createdAt: ago(HOUR),
        items: [line(), line({ sku: `X-${i}` })],
      })),
    )
    await place({ customerName: 'Not Matching', createdAt: ago(HOUR) })
    for (const sort of ['newest', 'oldest', 'total', 'total-desc']) {
      const { records, chunks } = await readAll(await exportOrders(staffId, query(`q=moment&sort=${sort}`), { timeZone: TZ, batchSize: 7 }))
      const rows = records.slice(1)
      expect(rows).toHaveLength(many)
      expect(new Set(rows.map((r) => r[0])).size).toBe(many)
      // The header, then one chunk per batch of 7.
      expect(chunks).toBe(1 + Math.ceil(many / 7))
      // The same order as the list's.
      const listed = await list(`q=moment&sort=${sort}`)
      expect(rows.map((r) => r[0])).toEqual(listed.items.map((o) => String(o.number)))
    }
    const lines = await readAll(await exportOrders(staffId, query('q=moment'), { lines: true, timeZone: TZ, batchSize: 4 }))
    expect(lines.records).toHaveLength(1 + many * 2)
  })

  it('makes at most MAX_PACKING_SLIPS slips at once', async () => {
    await database.db.insert(orders).values(
      Array.from({ length: MAX_PACKING_SLIPS + 5 }, (_, i) => ({ customerName: `Slip ${i}` })),
    )
    const ids = (await database.db.select({ id: orders.id }).from(orders)).map((r) => r.id)
    const { slips } = await packingSlips(staffId, ids)
    expect(slips).toHaveLength(MAX_PACKING_SLIPS)
    expect(slips.map((s) => s.id)).toEqual(ids.slice(0, MAX_PACKING_SLIPS))
  })
})
