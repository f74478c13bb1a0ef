// One order: placing it (stock taken in the same transaction), its status workflow (cancelling
// gives back what it took), edits guarded by a version, and its page with the timeline.
// The list, its export and packing slips are in order-list.server.ts; the Etsy import in
// etsy/orders-import.server.ts.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { asAppUser, db, rows, type Transaction } from '~/services/db.server'
import { fromCents, toCents } from '~/utils/money'
import { isUuid } from '~/utils/validation'
import type { OrderItem, ShippingAddress } from './json-types'
import { refreshAnalytics } from './analytics-refresh.server'
import { ADMIN_ONLY_TRANSITIONS, MAX_ORDER_LINES, ORDER_STATUS_LABELS, TRANSITIONS, orderLabel } from './order-options'
import { fabrics, orderEvents, orders, stockMovements, users, type OrderStatus } from './schema'

export interface Actor {
  id: string
  role: 'admin' | 'user'
}

/** What staff type about the customer (everything but the lines). */
export interface OrderDetails {
  customerName: string
  customerEmail: string | null
  shippingAddress: ShippingAddress | null
  notes: string | null
}

export interface OrderLineInput {
  fabricId: string
  quantity: number
}

/** A line the catalog cannot fill: its place on the form (0-based), and what is left. */
export interface Shortage {
  index: number
  fabricId: string
  name: string
  wanted: number
  left: number
}

export type PlaceOrderResult =
  | { ok: true; id: string; number: number; total: string }
  | { ok: false; problem: 'no-lines' }
  | { ok: false; problem: 'unknown-fabric'; indexes: number[] }
  | { ok: false; problem: 'stock'; shortages: Shortage[] }

/**
 * The same fabric on two lines is one line (quantities added), so that each fabric is taken
 * from stock once; lines keep the order they were first entered in.
 */
export function mergeLines(lines: OrderLineInput[]): (OrderLineInput & { indexes: number[] })[] {
  const merged = new Map<string, OrderLineInput & { indexes: number[] }>()
  lines.forEach((line, index) => {
    const seen = merged.get(line.fabricId)
    if (seen) {
      seen.quantity += line.quantity
      seen.indexes.push(index)
    } else merged.set(line.fabricId, { ...line, indexes: [index] })
  })
  return [...merged.values()]
}

/** Each line priced from the catalog, in whole cents: `unit price × quantity`, and their sum. */
export function priceLines(lines: { fabricId: string; name: string; sku: string | null; price: string; quantity: number }[]) {
  const items: OrderItem[] = lines.map((l) => ({
    fabricId: l.fabricId,
    name: l.name,
    sku: l.sku,
    unitPrice: fromCents(toCents(l.price)),
    quantity: l.quantity,
    lineTotal: fromCents(toCents(l.price) * l.quantity),
  }))
  const total = fromCents(items.reduce((sum, item) => sum + toCents(item.lineTotal), 0))
  return { items, total }
}

/**
 * Places an order: every line's fabric is locked (in id order, so that concurrent orders never
 * deadlock), checked, and its quantity taken, in one transaction with the order, its stock
 * movements and its first event. If any line lacks stock, nothing at all is written and every
 * short line is named with what is left. Prices come from the catalog, never from the form.
 */
export async function placeOrder({
  details,
  lines,
  actor,
}: {
  details: OrderDetails
  lines: OrderLineInput[]
  actor: Actor
}): Promise<PlaceOrderResult> {
  if (!lines.length) return { ok: false, problem: 'no-lines' }
  if (lines.length > MAX_ORDER_LINES) throw new RangeError(`At most ${MAX_ORDER_LINES} lines`)
  const badIds = lines.flatMap((l, i) => (isUuid(l.fabricId) ? [] : [i]))
  if (badIds.length) return { ok: false, problem: 'unknown-fabric', indexes: badIds }
  const wanted = mergeLines(lines)
  const placed = await asAppUser(actor.id, async (tx) => {
    const ids = wanted.map((l) => l.fabricId).sort()
    const found = await tx
      .select({
        id: fabrics.id,
        name: fabrics.name,
        sku: fabrics.sku,
        price: fabrics.price,
        stock: fabrics.stockQuantity,
      })
      .from(fabrics)
      .where(and(inArray(fabrics.id, ids), isNull(fabrics.archivedAt)))
      .orderBy(asc(fabrics.id))
      .for('update')
    const byId = new Map(found.map((f) => [f.id, f]))
    const missing = wanted.filter((l) => !byId.has(l.fabricId)).flatMap((l) => l.indexes)
    if (missing.length) return { ok: false, problem: 'unknown-fabric', indexes: missing.sort((a, b) => a - b) } as const
    const shortages = wanted.flatMap((l) => {
      const fabric = byId.get(l.fabricId)!
      return fabric.stock >= l.quantity
        ? []
        : [{ index: l.indexes[0]!, fabricId: l.fabricId, name: fabric.name, wanted: l.quantity, left: fabric.stock }]
    })
    if (shortages.length) return { ok: false, problem: 'stock', shortages } as const

    const { items, total } = priceLines(wanted.map((l) => ({ ...byId.get(l.fabricId)!, fabricId: l.fabricId, quantity: l.quantity })))
    const [order] = await tx
      .insert(orders)
      .values({
        userId: actor.id,
        customerName: details.customerName,
        customerEmail: details.customerEmail,
        shippingAddress: details.shippingAddress,
        notes: details.notes,
        items,
        totalAmount: total,
      })
      .returning({ id: orders.id, number: orders.number, createdAt: orders.createdAt })
    const taken = await takeStock(tx, wanted)
    await tx.insert(stockMovements).values(
      taken.map((t) => ({
        fabricId: t.id,
        userId: actor.id,
        orderId: order!.id,
        delta: -t.quantity,
        reason: 'sold' as const,
        note: `Order ${orderLabel(order!.number)}`,
        quantityAfter: t.after,
      })),
    )
    await tx.insert(orderEvents).values({ orderId: order!.id, userId: actor.id, toStatus: 'pending', note: 'Order placed' })
    return { ok: true, id: order!.id, number: order!.number, total, createdAt: order!.createdAt } as const
  })
  if (!placed.ok) return placed
  refreshAnalytics([placed.createdAt])
  return { ok: true, id: placed.id, number: placed.number, total: placed.total }
}

/**
 * Takes each line's quantity in one conditional UPDATE. The rows are locked already, so the
 * condition always holds; it stays as the last guard against ever going below zero.
 */
async function takeStock(tx: Transaction, lines: OrderLineInput[]) {
  const values = sql.join(
    lines.map((l) => sql`(${l.fabricId}::uuid, ${l.quantity}::int)`),
    sql`, `,
  )
  const taken = await rows<{ id: string; quantity: number; after: number }>(
    tx,
    sql`update ${fabrics} f
        set stock_quantity = f.stock_quantity - v.quantity, in_stock = f.stock_quantity - v.quantity > 0
        from (values ${values}) as v(id, quantity)
        where f.id = v.id and f.stock_quantity >= v.quantity
        returning f.id, v.quantity, f.stock_quantity as after`,
  )
  if (taken.length !== lines.length) throw new Error('Stock changed under a lock')
  return taken
}

// ---- The status workflow --------------------------------------------------------------------

export type ChangeStatusProblem =
  | { problem: 'not-found' }
  | { problem: 'conflict'; current: OrderPage }
  | { problem: 'illegal'; message: string }
  | { problem: 'tracking'; fieldErrors: { carrier?: string; trackingNumber?: string } }

/** Why `from → to` is not allowed for this actor, or null when it is. */
export function transitionProblem(from: OrderStatus, to: OrderStatus, actor: Actor): string | null {
  if (from === to) return `The order is already ${ORDER_STATUS_LABELS[to].toLowerCase()}.`
  if (!TRANSITIONS[from].includes(to)) {
    if (to === 'delivered') return 'An order can be marked delivered only after it has shipped.'
    if (to === 'shipped') return 'An order ships after processing: start processing it first.'
    if (from === 'delivered' || from === 'cancelled') {
      return `A ${ORDER_STATUS_LABELS[from].toLowerCase()} order cannot change any more.`
    }
    return `A ${ORDER_STATUS_LABELS[from].toLowerCase()} order cannot become ${ORDER_STATUS_LABELS[to].toLowerCase()}.`
  }
  if (actor.role !== 'admin' && ADMIN_ONLY_TRANSITIONS.some(([f, t]) => f === from && t === to)) {
    return 'Only an admin can cancel a shipped order (as a return).'
  }
  return null
}

/**
 * Moves an order to `to`, if the workflow allows it, over the version the form showed. Shipping
 * needs a carrier and a tracking number. Cancelling gives back exactly what the order took from
 * stock (an Etsy order may have taken less than it asked). Every change is an event.
 */
export async function changeStatus({
  id,
  version,
  to,
  actor,
  note,
  carrier,
  trackingNumber,
}: {
  id: string
  version: number
  to: OrderStatus
  actor: Actor
  note?: string | null
  carrier?: string | null
  trackingNumber?: string | null
}): Promise<{ ok: true; status: OrderStatus; restocked: number } | ({ ok: false } & ChangeStatusProblem)> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  const outcome = await asAppUser(actor.id, async (tx) => {
    const [order] = await tx
      .select({ id: orders.id, number: orders.number, status: orders.status, version: orders.version, createdAt: orders.createdAt })
      .from(orders)
      .where(eq(orders.id, id))
      .for('update')
    if (!order) return { ok: false, problem: 'not-found' } as const
    if (order.version !== version) return { ok: false, problem: 'conflict' } as const
    const illegal = transitionProblem(order.status, to, actor)
    if (illegal) return { ok: false, problem: 'illegal', message: illegal } as const
    const shipping = to === 'shipped' ? { carrier: carrier?.trim() || null, trackingNumber: trackingNumber?.trim() || null } : null
    if (shipping && (!shipping.carrier || !shipping.trackingNumber)) {
      return {
        ok: false,
        problem: 'tracking',
        fieldErrors: {
          carrier: shipping.carrier ? undefined : 'Choose the carrier.',
          trackingNumber: shipping.trackingNumber ? undefined : 'Enter the tracking number to ship the order.',
        },
      } as const
    }
    await tx
      .update(orders)
      .set({ status: to, version: sql`${orders.version} + 1`, ...(shipping ?? {}) })
      .where(eq(orders.id, id))
    const restocked = to === 'cancelled' ? await giveBackStock(tx, { orderId: id, number: order.number, actor }) : 0
    const details = shipping ? `${shipping.carrier}, tracking ${shipping.trackingNumber}` : null
    await tx.insert(orderEvents).values({
      orderId: id,
      userId: actor.id,
      fromStatus: order.status,
      toStatus: to,
      note: [details, note?.trim()].filter(Boolean).join(' · ') || null,
    })
    return { ok: true, status: to, restocked, createdAt: order.createdAt } as const
  })
  if (!outcome.ok && outcome.problem === 'conflict') {
    const current = await getOrder(id, actor.id)
    return current ? { ok: false, problem: 'conflict', current } : { ok: false, problem: 'not-found' }
  }
  if (!outcome.ok) return outcome
  // The order counts on the day it was placed: its figures (and status counts) change there.
  refreshAnalytics([outcome.createdAt])
  return { ok: true, status: outcome.status, restocked: outcome.restocked }
}

/**
 * Puts back, per fabric, what the order's stock movements took; returns the units given back.
 * Call it inside the transaction that cancels the order, with the order's row locked (so that
 * two cancels never both give back); the bulk change (order-bulk.server.ts) uses it too.
 */
export async function giveBackStock(tx: Transaction, { orderId, number, actor }: { orderId: string; number: number; actor: Actor }) {
  const returned = await rows<{ id: string; quantity: number; after: number }>(
    tx,
    sql`with taken as (
          select fabric_id, -sum(delta)::int as quantity from ${stockMovements}
          where order_id = ${orderId} group by fabric_id having sum(delta) < 0
        ), locked as (
          select f.id from ${fabrics} f join taken t on t.fabric_id = f.id order by f.id for update of f
        )
        update ${fabrics} f
        set stock_quantity = f.stock_quantity + t.quantity, in_stock = true
        from taken t
        where f.id = t.fabric_id and f.id in (select id from locked)
        returning f.id, t.quantity, f.stock_quantity as after`,
  )
  if (returned.length) {
    await tx.insert(stockMovements).values(
      returned.map((r) => ({
        fabricId: r.id,
        userId: actor.id,
        orderId,
        delta: r.quantity,
        reason: 'returned' as const,
        note: `Order ${orderLabel(number)} cancelled`,
        quantityAfter: r.after,
      })),
    )
  }
  return returned.reduce((sum, r) => sum + r.quantity, 0)
}

// ---- Edits ----------------------------------------------------------------------------------

/**
 * Saves the customer's details over the version the form was loaded at; when someone changed
 * the order in between, nothing is written and the current order comes back. The lines are
 * not edited: stock was taken for them (cancel and place a new order instead).
 */
export async function updateOrderDetails({
  id,
  version,
  details,
  actor,
}: {
  id: string
  version: number
  details: OrderDetails & { carrier?: string | null; trackingNumber?: string | null }
  actor: Actor
}): Promise<{ ok: true } | { ok: false; problem: 'not-found' } | { ok: false; problem: 'conflict'; current: OrderPage }> {
  if (!isUuid(id)) return { ok: false, problem: 'not-found' }
  const saved = await asAppUser(actor.id, async (tx) => {
    const [row] = await tx
      .update(orders)
      .set({ ...details, version: sql`${orders.version} + 1` })
      .where(and(eq(orders.id, id), eq(orders.version, version)))
      .returning({ status: orders.status })
    if (!row) return false
    await tx
      .insert(orderEvents)
      .values({ orderId: id, userId: actor.id, fromStatus: row.status, toStatus: row.status, note: 'Details edited' })
    return true
  })
  if (saved) return { ok: true }
  const current = await getOrder(id, actor.id)
  return current ? { ok: false, problem: 'conflict', current } : { ok: false, problem: 'not-found' }
}

// ---- The order page -------------------------------------------------------------------------

/** One order with who placed it and its timeline (oldest first), or null; read as `userId`. */
export async function getOrder(id: string, userId: string) {
  if (!isUuid(id)) return null
  return asAppUser(userId, (tx) => readOrder(tx, id))
}

async function readOrder(tx: Transaction, id: string) {
  const [order] = await tx
    .select({
      id: orders.id,
      number: orders.number,
      customerName: orders.customerName,
      customerEmail: orders.customerEmail,
      shippingAddress: orders.shippingAddress,
      items: orders.items,
      totalAmount: orders.totalAmount,
      shippingAmount: orders.shippingAmount,
      taxAmount: orders.taxAmount,
      status: orders.status,
      etsyOrderId: orders.etsyOrderId,
      carrier: orders.carrier,
      trackingNumber: orders.trackingNumber,
      notes: orders.notes,
      version: orders.version,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
      placedBy: sql<string | null>`coalesce(${users.name}, ${users.email})`,
    })
    .from(orders)
    .leftJoin(users, eq(users.id, orders.userId))
    .where(eq(orders.id, id))
  if (!order) return null
  const events = await tx
    .select({
      id: orderEvents.id,
      fromStatus: orderEvents.fromStatus,
      toStatus: orderEvents.toStatus,
      note: orderEvents.note,
      createdAt: orderEvents.createdAt,
      by: sql<string | null>`coalesce(${users.name}, ${users.email})`,
    })
    .from(orderEvents)
    .leftJoin(users, eq(users.id, orderEvents.userId))
    .where(eq(orderEvents.orderId, id))
    .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id))
  return { ...order, events }
}
export type OrderPage = NonNullable<Awaited<ReturnType<typeof getOrder>>>

/** Current fabrics by id for the new-order form's lines: name, SKU, price and stock. */
export async function lineFabrics(ids: string[]) {
  const valid = [...new Set(ids.filter(isUuid))]
  if (!valid.length) return []
  return db
    .select({
      id: fabrics.id,
      name: fabrics.name,
      sku: fabrics.sku,
      price: fabrics.price,
      stockQuantity: fabrics.stockQuantity,
    })
    .from(fabrics)
    .where(and(inArray(fabrics.id, valid), isNull(fabrics.archivedAt)))
}
