// The demo shop is built through the models, as staff build a shop: its orders took their stock,
// each with a stock movement, so that cancelling a demo order gives its units back.
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { changeStatus } from '~/models/order.server'
import { DEMO_ADMIN_EMAIL, loadDemo } from '~/seed/demo.server'
import { rows } from '~/services/db.server'
import { useMigratedDatabase } from '../setup/databases'

const now = new Date('2026-11-25T12:00:00Z')

describe.each(['pglite', 'postgres'] as const)('the demo on %s', (target) => {
  const database = useMigratedDatabase(target)

  it('took every order line from stock, dated when the order was placed, and a cancel gives it back', { timeout: 180_000 }, async () => {
    expect(await loadDemo(database.db, { today: now })).toMatchObject({ fabrics: 40, orders: 60 })

    // Every line of every order has its "sold" movement of exactly that quantity, dated with the
    // order; a cancelled order also has the movement that gave it back, dated with the cancel.
    const lines = await rows<{ status: string; wanted: number; sold: number | null; returned: number | null; same_time: boolean }>(
      database.db,
      sql`select o.status::text as status, (i->>'quantity')::int as wanted,
            (select -sum(m.delta)::int from stock_movements m where m.order_id = o.id and m.fabric_id = (i->>'fabricId')::uuid and m.reason = 'sold') as sold,
            (select sum(m.delta)::int from stock_movements m where m.order_id = o.id and m.fabric_id = (i->>'fabricId')::uuid and m.reason = 'returned') as returned,
            (select bool_and(m.created_at = o.created_at) from stock_movements m where m.order_id = o.id and m.reason = 'sold') as same_time
          from orders o, jsonb_array_elements(o.items) i`,
    )
    expect(lines.length).toBeGreaterThan(60)
    for (const line of lines) {
      expect(line.sold).toBe(line.wanted)
      expect(line.same_time).toBe(true)
      expect(line.returned).toBe(line.status === 'cancelled' ? line.wanted : null)
    }
    // Each fabric's history adds up, step by step, to what it holds now.
    const [drift] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from (
            select m.quantity_after, sum(m.delta) over (partition by m.fabric_id order by m.seq) as running
            from stock_movements m) h
          where h.quantity_after <> h.running`,
    )
    expect(drift?.n).toBe(0)
    const [unbalanced] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from fabrics f
          where f.stock_quantity <> (select coalesce(sum(delta), 0) from stock_movements m where m.fabric_id = f.id)`,
    )
    expect(unbalanced?.n).toBe(0)

    // Cancelling a demo order, as the order page does, puts each of its lines back on the shelf.
    const [admin] = await rows<{ id: string }>(database.db, sql`select id from users where email = ${DEMO_ADMIN_EMAIL}`)
    const [order] = await rows<{ id: string; version: number; items: { fabricId: string; quantity: number }[] }>(
      database.db,
      sql`select id, version, items from orders where status = 'processing' order by number limit 1`,
    )
    const stock = async () =>
      new Map(
        (await rows<{ id: string; stock: number }>(database.db, sql`select id, stock_quantity as stock from fabrics`)).map((f) => [f.id, f.stock]),
      )
    const before = await stock()
    const cancelled = await changeStatus({ id: order!.id, version: order!.version, to: 'cancelled', actor: { id: admin!.id, role: 'admin' } })
    const units = order!.items.reduce((sum, item) => sum + item.quantity, 0)
    expect(cancelled).toEqual({ ok: true, status: 'cancelled', restocked: units })
    const after = await stock()
    for (const item of order!.items) expect(after.get(item.fabricId)).toBe(before.get(item.fabricId)! + item.quantity)
  })
})
