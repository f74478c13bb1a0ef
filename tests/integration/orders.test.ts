// Orders on every driver: placing one takes stock in the same transaction and never oversells
// (50 at once for the last 10 units), totals in exact decimals, the status workflow and its
// timeline, cancelling gives back what was taken, edits guarded by a version; ticked orders
// changed at once by the same rules, and two bulk cancels at once giving stock back once.
import { asc, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFabric } from '~/models/fabric.server'
import { changeStatuses, planStatusChange } from '~/models/order-bulk.server'
import { changeStatus, getOrder, placeOrder, priceLines, transitionProblem, updateOrderDetails, type Actor } from '~/models/order.server'
import { fabrics, orderEvents, orders, ordersVisible, stockMovements, users } from '~/models/schema'
import { asAppUser, type Transaction } from '~/services/db.server'
import { TARGETS, expectPgError, useMigratedDatabase } from '../setup/databases'
import { fabricFields } from '../setup/factories'

const customer = {
  customerName: 'Ada Okafor',
  customerEmail: 'ada@example.com',
  shippingAddress: { name: 'Ada Okafor', line1: '1 Mill St', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
  notes: null,
}

describe('pricing lines', () => {
  it('multiplies and adds in whole cents, never in floating point', () => {
    // In floating point 0.1 × 3 is 0.30000000000000004 and 0.1 + 0.2 is 0.30000000000000004.
    const { items, total } = priceLines([
      { fabricId: 'a', name: 'A', sku: null, price: '0.10', quantity: 3 },
      { fabricId: 'b', name: 'B', sku: 'B-1', price: '0.20', quantity: 1 },
      { fabricId: 'c', name: 'C', sku: null, price: '19.99', quantity: 7 },
    ])
    expect(items.map((i) => i.lineTotal)).toEqual(['0.30', '0.20', '139.93'])
    expect(total).toBe('140.43')
  })
})

describe('the workflow', () => {
  const admin: Actor = { id: 'a', role: 'admin' }
  const staff: Actor = { id: 'u', role: 'user' }
  it('allows only the next steps, and a return only to an admin', () => {
    expect(transitionProblem('pending', 'processing', staff)).toBeNull()
    expect(transitionProblem('processing', 'shipped', staff)).toBeNull()
    expect(transitionProblem('shipped', 'delivered', staff)).toBeNull()
    expect(transitionProblem('pending', 'cancelled', staff)).toBeNull()
    expect(transitionProblem('processing', 'cancelled', staff)).toBeNull()
    expect(transitionProblem('pending', 'delivered', admin)).toMatch(/only after it has shipped/)
    expect(transitionProblem('pending', 'shipped', admin)).toMatch(/processing/)
    expect(transitionProblem('shipped', 'cancelled', staff)).toMatch(/Only an admin/)
    expect(transitionProblem('shipped', 'cancelled', admin)).toBeNull()
    expect(transitionProblem('delivered', 'cancelled', admin)).toMatch(/cannot change/)
    expect(transitionProblem('cancelled', 'pending', admin)).toMatch(/cannot change/)
  })
})

describe.each(TARGETS)('orders on %s', (target) => {
  const database = useMigratedDatabase(target)
  let staff: Actor
  let admin: Actor

  beforeAll(async () => {
    const [u, a] = await database.db
      .insert(users)
      .values([
        { email: `staff-${target}@example.com`, name: 'Sam Staff' },
        { email: `admin-${target}@example.com`, role: 'admin' },
      ])
      .returning()
    staff = { id: u!.id, role: 'user' }
    admin = { id: a!.id, role: 'admin' }
  })

  async function fabric(name: string, price: string, stock: number) {
    const created = await createFabric({ fields: fabricFields({ name, price }), initialStock: stock, userId: admin.id })
    if (!created.ok) throw new Error('fabric not created')
    return created.id
  }
  const stockOf = async (id: string) =>
    (await database.db.select({ n: fabrics.stockQuantity, inStock: fabrics.inStock }).from(fabrics).where(eq(fabrics.id, id)))[0]!
  const movementsOf = (id: string) =>
    database.db
      .select({ delta: stockMovements.delta, reason: stockMovements.reason, after: stockMovements.quantityAfter, orderId: stockMovements.orderId })
      .from(stockMovements)
      .where(eq(stockMovements.fabricId, id))
      .orderBy(asc(stockMovements.createdAt), asc(stockMovements.quantityAfter))

  it('places an order: prices from the catalog, exact totals, stock taken with movements, the first event', async () => {
    const dime = await fabric('Dime Ribbon', '0.10', 20)
    const linen = await fabric('Sage Linen', '18.50', 5)
    const placed = await placeOrder({
      details: customer,
      lines: [
        { fabricId: dime, quantity: 3 },
        { fabricId: linen, quantity: 2 },
      ],
      actor: staff,
    })
    expect(placed.ok).toBe(true)
    if (!placed.ok) return
    expect(placed.total).toBe('37.30')
    const order = await getOrder(placed.id, staff.id)
    expect(order).toMatchObject({
      number: placed.number,
      status: 'pending',
      totalAmount: '37.30',
      customerName: 'Ada Okafor',
      shippingAddress: customer.shippingAddress,
      placedBy: 'Sam Staff',
      version: 1,
    })
    expect(order!.items).toEqual([
      { fabricId: dime, name: 'Dime Ribbon', sku: null, unitPrice: '0.10', quantity: 3, lineTotal: '0.30' },
      { fabricId: linen, name: 'Sage Linen', sku: null, unitPrice: '18.50', quantity: 2, lineTotal: '37.00' },
    ])
    const [row] = await database.db.select({ userId: orders.userId }).from(orders).where(eq(orders.id, placed.id))
    expect(row!.userId).toBe(staff.id)
    expect(order!.events).toMatchObject([{ fromStatus: null, toStatus: 'pending', by: 'Sam Staff', note: 'Order placed' }])
    expect(await stockOf(dime)).toEqual({ n: 17, inStock: true })
    expect(await movementsOf(linen)).toEqual([
      { delta: 5, reason: 'initial', after: 5, orderId: null },
      { delta: -2, reason: 'sold', after: 3, orderId: placed.id },
    ])

    // A later price change never rewrites the order.
    await database.db.update(fabrics).set({ price: '99.00', name: 'Renamed' }).where(eq(fabrics.id, linen))
    expect((await getOrder(placed.id, staff.id))!.items[1]).toMatchObject({ name: 'Sage Linen', unitPrice: '18.50' })
  })

  it('adds up the same fabric on two lines, and takes its stock once', async () => {
    const id = await fabric('Twice Listed', '2.25', 10)
    const placed = await placeOrder({
      details: customer,
      lines: [
        { fabricId: id, quantity: 2 },
        { fabricId: id, quantity: 3 },
      ],
      actor: staff,
    })
    expect(placed).toMatchObject({ ok: true, total: '11.25' })
    expect(await stockOf(id)).toEqual({ n: 5, inStock: true })
  })

  it('refuses the whole order when a line lacks stock, naming it and what is left', async () => {
    const plenty = await fabric('Plenty Cotton', '5.00', 50)
    const scarce = await fabric('Scarce Silk', '40.00', 2)
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(orders)
    const refused = await placeOrder({
      details: customer,
      lines: [
        { fabricId: plenty, quantity: 4 },
        { fabricId: scarce, quantity: 3 },
      ],
      actor: staff,
    })
    expect(refused).toEqual({
      ok: false,
      problem: 'stock',
      shortages: [{ index: 1, fabricId: scarce, name: 'Scarce Silk', wanted: 3, left: 2 }],
    })
    expect(await stockOf(plenty)).toEqual({ n: 50, inStock: true })
    expect(await stockOf(scarce)).toEqual({ n: 2, inStock: true })
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(orders)
    expect(after).toEqual(before)
  })

  it('refuses unknown and archived fabrics, and an order with no lines', async () => {
    const gone = await fabric('Archived Tweed', '9.00', 4)
    await database.db.update(fabrics).set({ archivedAt: new Date() }).where(eq(fabrics.id, gone))
    expect(await placeOrder({ details: customer, lines: [{ fabricId: gone, quantity: 1 }], actor: staff })).toEqual({
      ok: false,
      problem: 'unknown-fabric',
      indexes: [0],
    })
    expect(await placeOrder({ details: customer, lines: [{ fabricId: 'not-an-id', quantity: 1 }], actor: staff })).toMatchObject({
      problem: 'unknown-fabric',
    })
    expect(await placeOrder({ details: customer, lines: [], actor: staff })).toEqual({ ok: false, problem: 'no-lines' })
  })

  it('sells exactly the last 10 units to 50 orders placed at once, and refuses the other 40', async () => {
    const last = await fabric('Last Bolt', '12.00', 10)
    const other = await fabric('Other Bolt', '3.00', 1000)
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        placeOrder({
          details: { ...customer, customerName: `Buyer ${i}` },
          // Half of them also take another fabric, listed first: locks are taken in id order.
          lines: i % 2 ? [{ fabricId: other, quantity: 1 }, { fabricId: last, quantity: 1 }] : [{ fabricId: last, quantity: 1 }],
          actor: staff,
        }),
      ),
    )
    const placed = attempts.filter((a) => a.ok)
    expect(placed).toHaveLength(10)
    expect(attempts.filter((a) => !a.ok && a.problem === 'stock')).toHaveLength(40)
    expect(await stockOf(last)).toEqual({ n: 0, inStock: false })
    const sold = await database.db
      .select({ n: sql<number>`-sum(${stockMovements.delta})::int` })
      .from(stockMovements)
      .where(sql`${stockMovements.fabricId} = ${last} and ${stockMovements.reason} = 'sold'`)
    expect(sold[0]!.n).toBe(10)
    // Each sale recorded the quantity really left after it: 9, 8, ..., 0.
    const afters = (await movementsOf(last)).filter((m) => m.reason === 'sold').map((m) => m.after)
    expect(afters.sort((a, b) => b - a)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    const otherTaken = placed.length - attempts.filter((a, i) => a.ok && i % 2 === 0).length
    expect(await stockOf(other)).toEqual({ n: 1000 - otherTaken, inStock: true })
  })

  describe('status changes', () => {
    async function newOrder(stock = 10) {
      const id = await fabric(`Workflow ${Math.random().toString(36).slice(2)}`, '4.00', stock)
      const placed = await placeOrder({ details: customer, lines: [{ fabricId: id, quantity: 3 }], actor: staff })
      if (!placed.ok) throw new Error('not placed')
      return { orderId: placed.id, fabricId: id }
    }
    const versionOf = async (id: string) => (await getOrder(id, staff.id))!.version

    it('walks pending → processing → shipped → delivered, each step an event', async () => {
      const { orderId } = await newOrder()
      expect(await changeStatus({ id: orderId, version: 1, to: 'processing', actor: staff })).toMatchObject({ ok: true })
      const noTracking = await changeStatus({ id: orderId, version: 2, to: 'shipped', actor: staff, carrier: 'Royal Mail' })
      expect(noTracking).toMatchObject({ ok: false, problem: 'tracking', fieldErrors: { trackingNumber: expect.stringMatching(/tracking/) } })
      expect(
        await changeStatus({ id: orderId, version: 2, to: 'shipped', actor: staff, carrier: 'Royal Mail', trackingNumber: ' RM123GB ', note: 'Two parcels' }),
      ).toMatchObject({ ok: true })
      expect(await changeStatus({ id: orderId, version: 3, to: 'delivered', actor: staff })).toMatchObject({ ok: true })
      const order = (await getOrder(orderId, staff.id))!
      expect(order).toMatchObject({ status: 'delivered', carrier: 'Royal Mail', trackingNumber: 'RM123GB', version: 4 })
      expect(order.events.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([
        [null, 'pending', 'Order placed'],
        ['pending', 'processing', null],
        ['processing', 'shipped', 'Royal Mail, tracking RM123GB · Two parcels'],
        ['shipped', 'delivered', null],
      ])
    })

    it('refuses illegal steps with a message and changes nothing', async () => {
      const { orderId } = await newOrder()
      expect(await changeStatus({ id: orderId, version: 1, to: 'delivered', actor: admin })).toMatchObject({
        ok: false,
        problem: 'illegal',
        message: expect.stringMatching(/only after it has shipped/),
      })
      expect(await changeStatus({ id: orderId, version: 1, to: 'shipped', actor: admin, carrier: 'DPD', trackingNumber: 'X1' })).toMatchObject({
        problem: 'illegal',
      })
      const order = (await getOrder(orderId, staff.id))!
      expect(order).toMatchObject({ status: 'pending', version: 1, trackingNumber: null })
      expect(order.events).toHaveLength(1)
    })

    it('refuses a step over a stale version, and says what the order is now', async () => {
      const { orderId } = await newOrder()
      expect(await changeStatus({ id: orderId, version: 1, to: 'processing', actor: staff })).toMatchObject({ ok: true })
      const stale = await changeStatus({ id: orderId, version: 1, to: 'cancelled', actor: staff })
      expect(stale).toMatchObject({ ok: false, problem: 'conflict', current: { status: 'processing', version: 2 } })
    })

    it('cancelling gives back every unit, once, with a movement', async () => {
      const { orderId, fabricId } = await newOrder(10)
      expect(await stockOf(fabricId)).toEqual({ n: 7, inStock: true })
      expect(await changeStatus({ id: orderId, version: 1, to: 'cancelled', actor: staff, note: 'Changed her mind' })).toEqual({
        ok: true,
        status: 'cancelled',
        restocked: 3,
      })
      expect(await stockOf(fabricId)).toEqual({ n: 10, inStock: true })
      expect((await movementsOf(fabricId)).slice(-1)).toEqual([{ delta: 3, reason: 'returned', after: 10, orderId }])
      // Cancelled is final: no second restock.
      expect(await changeStatus({ id: orderId, version: 2, to: 'cancelled', actor: admin })).toMatchObject({ problem: 'illegal' })
      expect(await stockOf(fabricId)).toEqual({ n: 10, inStock: true })
    })

    it('gives back stock to a fabric that ran out, and two cancels at once restock once', async () => {
      const { orderId, fabricId } = await newOrder(3)
      expect(await stockOf(fabricId)).toEqual({ n: 0, inStock: false })
      const both = await Promise.all([
        changeStatus({ id: orderId, version: 1, to: 'cancelled', actor: staff }),
        changeStatus({ id: orderId, version: 1, to: 'cancelled', actor: admin }),
      ])
      expect(both.filter((r) => r.ok)).toHaveLength(1)
      expect(await stockOf(fabricId)).toEqual({ n: 3, inStock: true })
    })

    it('lets only an admin cancel a shipped order (a return)', async () => {
      const { orderId, fabricId } = await newOrder(10)
      await changeStatus({ id: orderId, version: 1, to: 'processing', actor: staff })
      await changeStatus({ id: orderId, version: 2, to: 'shipped', actor: staff, carrier: 'DPD', trackingNumber: 'D1' })
      expect(await changeStatus({ id: orderId, version: 3, to: 'cancelled', actor: staff })).toMatchObject({
        problem: 'illegal',
        message: expect.stringMatching(/Only an admin/),
      })
      expect(await changeStatus({ id: orderId, version: await versionOf(orderId), to: 'cancelled', actor: admin, note: 'Returned' })).toMatchObject({
        ok: true,
        restocked: 3,
      })
      expect(await stockOf(fabricId)).toEqual({ n: 10, inStock: true })
    })
  })

  describe('changing ticked orders at once', () => {
    async function newOrder(fabricId: string, quantity = 2) {
      const placed = await placeOrder({ details: customer, lines: [{ fabricId, quantity }], actor: staff })
      if (!placed.ok) throw new Error('not placed')
      return { id: placed.id, number: placed.number }
    }
    const statusOf = async (id: string) => (await getOrder(id, staff.id))!.status

    it('moves those the workflow allows, and names each other one with the reason', async () => {
      const id = await fabric('Bulk Lawn', '3.00', 20)
      const a = await newOrder(id)
      const b = await newOrder(id)
      const c = await newOrder(id)
      await changeStatus({ id: b.id, version: 1, to: 'processing', actor: staff })
      const unknown = '00000000-0000-4000-8000-000000000000'
      const outcome = await changeStatuses({ ids: [a.id, b.id, c.id.toUpperCase(), 'junk', unknown, a.id], to: 'processing', actor: staff })
      expect(outcome.moving).toEqual([
        { id: a.id, number: a.number, status: 'pending' },
        { id: c.id, number: c.number, status: 'pending' },
      ])
      expect(outcome.refused).toEqual([
        { id: b.id, number: b.number, status: 'processing', reason: 'The order is already processing.' },
      ])
      expect(outcome.missing).toBe(1)
      expect(await statusOf(a.id)).toBe('processing')
      const order = (await getOrder(c.id, staff.id))!
      expect(order).toMatchObject({ status: 'processing', version: 2 })
      expect(order.events.at(-1)).toMatchObject({ fromStatus: 'pending', toStatus: 'processing', by: 'Sam Staff' })

      // Delivered only after shipping; shipping is never done in bulk (each order needs its tracking number).
      const delivered = await changeStatuses({ ids: [a.id], to: 'delivered', actor: admin })
      expect(delivered.moving).toEqual([])
      expect(delivered.refused[0]!.reason).toMatch(/only after it has shipped/)
      const shipped = await changeStatuses({ ids: [a.id], to: 'shipped', actor: admin })
      expect(shipped.refused[0]!.reason).toMatch(/tracking number/)
      expect(await statusOf(a.id)).toBe('processing')
    })

    it('marks shipped Etsy history delivered, and lets only an admin cancel shipped orders', async () => {
      const imported = await database.db
        .insert(orders)
        .values([
          { customerName: 'Etsy buyer 1', status: 'shipped', etsyOrderId: `E-bulk-1-${target}` },
          { customerName: 'Etsy buyer 2', status: 'shipped', etsyOrderId: `E-bulk-2-${target}` },
        ])
        .returning({ id: orders.id })
      const ids = imported.map((o) => o.id)
      const refused = await changeStatuses({ ids, to: 'cancelled', actor: staff })
      expect(refused.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/Only an admin/), expect.stringMatching(/Only an admin/)])
      const outcome = await changeStatuses({ ids, to: 'delivered', actor: staff, note: 'Etsy history' })
      expect(outcome.moving).toHaveLength(2)
      expect(outcome.refused).toEqual([])
      const order = (await getOrder(ids[0]!, staff.id))!
      expect(order.status).toBe('delivered')
      expect(order.events.at(-1)!.note).toMatch(/^Etsy history · /)
    })

    it('cancels ticked orders giving back what each took, and two bulk cancels at once give it back once', async () => {
      const id = await fabric('Bulk Voile', '5.00', 10)
      const other = await fabric('Bulk Twill', '6.00', 10)
      const a = await newOrder(id, 3)
      const b = await newOrder(id, 4)
      const placed = await placeOrder({ details: customer, lines: [{ fabricId: other, quantity: 5 }, { fabricId: id, quantity: 1 }], actor: staff })
      if (!placed.ok) throw new Error('not placed')
      expect(await stockOf(id)).toEqual({ n: 2, inStock: true })
      expect(await stockOf(other)).toEqual({ n: 5, inStock: true })

      // What the confirmation shows: nothing changes yet.
      const plan = await planStatusChange({ ids: [a.id, b.id, placed.id], to: 'cancelled', actor: staff })
      expect(plan.moving.map((o) => o.id)).toEqual([a.id, b.id, placed.id])
      expect(await stockOf(id)).toEqual({ n: 2, inStock: true })

      // Two people cancel the same orders (ticked in a different order) at the same moment.
      const both = await Promise.all([
        changeStatuses({ ids: [a.id, b.id, placed.id], to: 'cancelled', actor: staff, note: 'Duplicate' }),
        changeStatuses({ ids: [placed.id, b.id, a.id], to: 'cancelled', actor: admin }),
      ])
      expect(both.map((o) => o.moving.length).sort()).toEqual([0, 3])
      const [first, second] = both[0]!.moving.length ? both : [both[1]!, both[0]!]
      expect(first.restocked).toBe(3 + 4 + 1 + 5)
      expect(second.restocked).toBe(0)
      expect(second.refused.map((r) => r.reason)).toEqual(Array(3).fill('The order is already cancelled.'))
      expect(await stockOf(id)).toEqual({ n: 10, inStock: true })
      expect(await stockOf(other)).toEqual({ n: 10, inStock: true })
      const returned = (await movementsOf(id)).filter((m) => m.reason === 'returned')
      expect(returned.map((m) => m.delta).sort()).toEqual([1, 3, 4])
      for (const o of [a.id, b.id, placed.id]) {
        const events = (await getOrder(o, staff.id))!.events
        expect(events.filter((e) => e.toStatus === 'cancelled')).toHaveLength(1)
      }
    })
  })

  describe('editing details', () => {
    it('saves over the version it was loaded at, and never over someone else’s change', async () => {
      const id = await fabric('Edit Me Cotton', '1.00', 5)
      const placed = await placeOrder({ details: customer, lines: [{ fabricId: id, quantity: 1 }], actor: staff })
      if (!placed.ok) throw new Error('not placed')
      const first = await updateOrderDetails({
        id: placed.id,
        version: 1,
        details: { ...customer, notes: 'Gift wrap' },
        actor: staff,
      })
      expect(first).toEqual({ ok: true })
      const second = await updateOrderDetails({
        id: placed.id,
        version: 1,
        details: { ...customer, customerName: 'Overwriter' },
        actor: admin,
      })
      expect(second).toMatchObject({ ok: false, problem: 'conflict', current: { notes: 'Gift wrap', customerName: 'Ada Okafor', version: 2 } })
      const events = await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, placed.id))
      expect(events.map((e) => e.note)).toEqual(['Order placed', 'Details edited'])
    })
  })

  describe('the database keeps its own rules', () => {
    it('refuses a shipped shop order without a tracking number, and a second import of an Etsy order id', async () => {
      const shipped = database.db.insert(orders).values({ customerName: 'X', status: 'shipped' })
      expect(await expectPgError(shipped)).toBe('23514')
      await database.db.insert(orders).values({ customerName: 'Etsy buyer', status: 'shipped', etsyOrderId: 'E-1' })
      expect(await expectPgError(database.db.insert(orders).values({ customerName: 'Again', etsyOrderId: 'E-1' }))).toBe('23505')
    })

    it('numbers orders in sequence, from 1001', async () => {
      const [a] = await database.db.insert(orders).values({ customerName: 'N1' }).returning({ number: orders.number })
      const [b] = await database.db.insert(orders).values({ customerName: 'N2' }).returning({ number: orders.number })
      expect(a!.number).toBeGreaterThanOrEqual(1001)
      expect(b!.number).toBe(a!.number + 1)
    })
  })
  it('the database itself refuses what an order query forgets: no user named, a disabled one, deleting, other columns', async () => {
    const linen = await fabric('RLS linen', '10.00', 5)
    const placed = await placeOrder({ details: customer, lines: [{ fabricId: linen, quantity: 1 }], actor: staff })
    if (!placed.ok) throw new Error(placed.problem)
    // The app role with nobody named: a deliberately unscoped read sees no order, writes none.
    const unscoped = <T>(work: (tx: Transaction) => Promise<T>) =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'app_user', true)`)
        return work(tx)
      })
    expect(await unscoped((tx) => tx.select({ id: orders.id }).from(orders))).toEqual([])
    // Nor through the list's view.
    expect(await unscoped((tx) => tx.select({ id: ordersVisible.id }).from(ordersVisible))).toEqual([])
    expect(await unscoped((tx) => tx.update(orders).set({ notes: 'forgot the user' }).returning({ id: orders.id }))).toEqual([])
    expect(await expectPgError(unscoped((tx) => tx.insert(orders).values({ customerName: 'Nobody', items: [] })))).toBe('42501')
    expect(await database.db.$count(orders)).toBeGreaterThan(0)

    // A signed-in staff member sees every order; once disabled, none.
    const seen = await asAppUser(staff.id, (tx) => tx.select({ id: orders.id }).from(orders))
    expect(seen.map((o) => o.id)).toContain(placed.id)
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, staff.id))
    try {
      expect(await asAppUser(staff.id, (tx) => tx.select({ id: orders.id }).from(orders))).toEqual([])
      expect(await getOrder(placed.id, staff.id)).toBeNull()
    } finally {
      await database.db.update(users).set({ disabledAt: null }).where(eq(users.id, staff.id))
    }

    // Nobody deletes or empties an order, nor turns the policies off (app_user owns nothing).
    expect(await expectPgError(asAppUser(admin.id, (tx) => tx.delete(orders).where(eq(orders.id, placed.id))))).toBe('42501')
    expect(await expectPgError(asAppUser(admin.id, (tx) => tx.execute(sql`truncate orders`)))).toBe('42501')
    expect(
      await expectPgError(asAppUser(admin.id, (tx) => tx.execute(sql`alter table orders disable row level security`))),
    ).toBe('42501')
  })
})
