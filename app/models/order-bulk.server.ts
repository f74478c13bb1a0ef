// Changing the status of many orders at once (the orders list's ticked orders, e.g. an Etsy
// history's shipped orders → delivered): the workflow and the stock rules of one order's change
// (order.server.ts), for all of them in one transaction. An order that cannot move is reported by
// number with the reason; nothing is skipped silently.
//
// Concurrency: the ticked orders' rows are locked first (in id order), then the status is read and
// checked, then changed with an UPDATE that still requires a status the change may start from.
// Two people cancelling the same orders at once: the second waits for the first's locks, then reads
// "cancelled" and reports the orders as already cancelled, so stock goes back once. Before stock
// goes back, every fabric the cancelled orders took from is locked in one statement, in id order,
// as placing an order does, so that no two transactions wait on each other's fabrics.
import { and, asc, inArray, ne, sql } from 'drizzle-orm'
import { asAppUser, type Transaction } from '~/services/db.server'
import { isUuid } from '~/utils/validation'
import { refreshAnalytics } from './analytics-refresh.server'
import { MAX_BULK_ORDERS, ORDER_STATUSES, TRANSITIONS } from './order-options'
import { giveBackStock, transitionProblem, type Actor } from './order.server'
import { fabrics, orderEvents, orders, stockMovements, type OrderStatus } from './schema'

/** A ticked order, as the change found it. */
export interface BulkOrder {
  id: string
  number: number
  status: OrderStatus
}

/** A ticked order that does not move, and why (in words a person reads). */
export interface BulkRefusal extends BulkOrder {
  reason: string
}

export interface BulkPlan {
  /** The orders that move (or would), in the order ticked. */
  moving: BulkOrder[]
  refused: BulkRefusal[]
  /** Ticked ids that are no order (any more). */
  missing: number
}

export interface BulkOutcome extends BulkPlan {
  /** Units back in stock (cancelling). */
  restocked: number
}

/** Why an order cannot move to `to` at once with others, or null. */
export function bulkProblem(from: OrderStatus, to: OrderStatus, actor: Actor): string | null {
  if (to === 'shipped' && from !== 'shipped') {
    return 'Shipping needs the order’s own tracking number: ship it from its page.'
  }
  return transitionProblem(from, to, actor)
}

/** The ticked ids, each once, lowercased; not more than MAX_BULK_ORDERS. */
function tickedIds(ids: string[]) {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))]
  if (wanted.length > MAX_BULK_ORDERS) throw new RangeError(`At most ${MAX_BULK_ORDERS} orders at once`)
  return wanted
}

async function readTicked(tx: Transaction, wanted: string[], { lock }: { lock: boolean }) {
  const query = tx
    .select({ id: orders.id, number: orders.number, status: orders.status, createdAt: orders.createdAt })
    .from(orders)
    .where(inArray(orders.id, wanted))
    .orderBy(asc(orders.id))
  return lock ? query.for('update') : query
}

function plan(wanted: string[], found: (BulkOrder & { createdAt: Date })[], to: OrderStatus, actor: Actor) {
  const byId = new Map(found.map((o) => [o.id, o]))
  const moving: (BulkOrder & { createdAt: Date })[] = []
  const refused: BulkRefusal[] = []
  for (const id of wanted) {
    const order = byId.get(id)
    if (!order) continue
    const reason = bulkProblem(order.status, to, actor)
    if (reason) refused.push({ id, number: order.number, status: order.status, reason })
    else moving.push(order)
  }
  return { moving, refused, missing: wanted.length - found.length }
}

const bare = ({ id, number, status }: BulkOrder): BulkOrder => ({ id, number, status })

/**
 * What changing the ticked orders to `to` would do, without doing it: for the confirmation
 * that a bulk cancel asks first. The change itself checks everything again.
 */
export async function planStatusChange({ ids, to, actor }: { ids: string[]; to: OrderStatus; actor: Actor }): Promise<BulkPlan> {
  const wanted = tickedIds(ids)
  if (!wanted.length) return { moving: [], refused: [], missing: 0 }
  const found = await asAppUser(actor.id, (tx) => readTicked(tx, wanted, { lock: false }))
  const { moving, refused, missing } = plan(wanted, found, to, actor)
  return { moving: moving.map(bare), refused, missing }
}

/** The statuses an order may move to `to` from. */
const sourcesOf = (to: OrderStatus) => ORDER_STATUSES.filter((s) => TRANSITIONS[s].includes(to))

/**
 * Moves every ticked order that the workflow allows to `to`, in one transaction: each change is an
 * event (with the note), and cancelling gives back what each order took, exactly as one order's
 * cancel does. The others are reported with the reason; unknown ids are counted.
 */
export async function changeStatuses({
  ids,
  to,
  actor,
  note,
}: {
  ids: string[]
  to: OrderStatus
  actor: Actor
  note?: string | null
}): Promise<BulkOutcome> {
  const wanted = tickedIds(ids)
  if (!wanted.length) return { moving: [], refused: [], missing: 0, restocked: 0 }
  const outcome = await asAppUser(actor.id, async (tx) => {
    const found = await readTicked(tx, wanted, { lock: true })
    const { moving, refused, missing } = plan(wanted, found, to, actor)
    if (!moving.length) return { moving, refused, missing, restocked: 0 }
    const movingIds = moving.map((o) => o.id)
    const changed = await tx
      .update(orders)
      .set({ status: to, version: sql`${orders.version} + 1` })
      .where(and(inArray(orders.id, movingIds), ne(orders.status, to), inArray(orders.status, sourcesOf(to))))
      .returning({ id: orders.id })
    if (changed.length !== moving.length) throw new Error('Order status changed under a lock')
    let restocked = 0
    if (to === 'cancelled') {
      await tx
        .select({ id: fabrics.id })
        .from(fabrics)
        .where(
          inArray(
            fabrics.id,
            tx.select({ id: stockMovements.fabricId }).from(stockMovements).where(inArray(stockMovements.orderId, movingIds)),
          ),
        )
        .orderBy(asc(fabrics.id))
        .for('update')
      for (const order of moving) restocked += await giveBackStock(tx, { orderId: order.id, number: order.number, actor })
    }
    await tx.insert(orderEvents).values(
      moving.map((o) => ({
        orderId: o.id,
        userId: actor.id,
        fromStatus: o.status,
        toStatus: to,
        note: [note?.trim(), 'Changed on the orders list, with other ticked orders'].filter(Boolean).join(' · '),
      })),
    )
    return { moving, refused, missing, restocked }
  })
  // Each order counts on the day it was placed: its figures (and status counts) change there.
  refreshAnalytics(outcome.moving.map((o) => o.createdAt))
  return { ...outcome, moving: outcome.moving.map(bare) }
}
