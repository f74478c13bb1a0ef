// The demo's customers and orders, placed and moved on as staff do it: each order through
// placeOrder (which takes its stock), each step of its life through changeStatus (cancelling
// gives the stock back), in the order they happened. Only their dates are the demo's own: the
// models write "now", so backdateOrders() moves every row to the moment the demo says it happened.
import { sql } from 'drizzle-orm'
import { changeStatus, placeOrder, type Actor } from '~/models/order.server'
import type { ShippingAddress } from '~/models/json-types'
import { orderEvents, orders, stockMovements, type OrderStatus } from '~/models/schema'
import type { Transaction } from '~/services/db.server'
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS } from './customers'
import { ago, chance, digits, freshId, HOUR, int, later, notAfter, pick, shuffle, type Rng } from './random'

interface Customer {
  name: string
  email: string
  address: ShippingAddress
}

function demoAddress(rng: Rng, name: string): ShippingAddress {
  const place = pick(rng, PLACES)
  const number = int(rng, 1, 180)
  const line1 = place.streetFirst
    ? `${place.streetFirst} ${number}`
    : `${number} ${place.street ?? pick(rng, STREETS)}`
  return {
    name,
    line1,
    ...(chance(rng, 0.2) ? { line2: `Flat ${int(rng, 1, 12)}` } : {}),
    city: place.city,
    ...(place.region ? { region: place.region } : {}),
    postalCode: place.postalCode,
    country: place.country,
  }
}

/** 40 distinct customers; some of them order more than once. */
function demoCustomers(rng: Rng): Customer[] {
  const names = shuffle(
    rng,
    FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`)),
  ).slice(0, 40)
  return names.map((name) => {
    const local = name
      .toLowerCase()
      .replace(/\s+/g, '.')
      .normalize('NFD')
      .replace(/[^a-z.]/g, '')
    return { name, email: `${local}@${pick(rng, EMAIL_DOMAINS)}`, address: demoAddress(rng, name) }
  })
}

interface StatusPlan {
  count: number
  /** How long ago the order was placed, in hours. */
  age: [number, number]
  /** Hours from placing the order to its last update. */
  updatedAfter: [number, number]
}

// Recent orders are still open; older ones have shipped or arrived. Cancellations fall anywhere.
const STATUS_PLANS: Record<OrderStatus, StatusPlan> = {
  pending: { count: 6, age: [1, 60], updatedAfter: [0, 0] },
  processing: { count: 7, age: [6, 5 * 24], updatedAfter: [2, 20] },
  shipped: { count: 9, age: [2 * 24, 12 * 24], updatedAfter: [24, 48] },
  delivered: { count: 32, age: [9 * 24, 90 * 24 - 1], updatedAfter: [72, 192] },
  cancelled: { count: 6, age: [1 * 24, 90 * 24 - 1], updatedAfter: [1, 48] },
}
const ETSY_ORDERS = 20

const NOTES: Partial<Record<OrderStatus, string[]>> = {
  pending: ['Please cut in one continuous length.', 'Gift: no prices in the parcel, please.'],
  processing: ['Customer asked for a swatch of the matching thread.'],
  cancelled: ['Customer changed their mind before dispatch; refunded.', 'Duplicate order; refunded.'],
}

/** The steps each demo order took to where it is now. */
const DEMO_PATHS: Record<OrderStatus, OrderStatus[]> = {
  pending: [],
  processing: ['processing'],
  shipped: ['processing', 'shipped'],
  delivered: ['processing', 'shipped', 'delivered'],
  cancelled: ['cancelled'],
}

/** One demo order as planned: who, what (catalog positions), and when each step happened. */
export interface DemoOrder {
  status: OrderStatus
  createdAt: Date
  updatedAt: Date
  customer: Customer
  lines: { fabric: number; quantity: number }[]
  etsyOrderId: string | null
  /** The team member who placed it and moves it on (the admin imports Etsy's). */
  staff: number
  carrier: string | null
  trackingNumber: string | null
  notes: string | null
  /** Each status step and when it happened, in order. */
  steps: { to: OrderStatus; at: Date }[]
}

function trackingNumber(rng: Rng, country: string) {
  return `${country === 'GB' ? 'RM' : 'LX'}${digits(rng, 9)}GB`
}

/** 60 orders over the last 90 days, oldest first, over a catalog of `fabricCount` fabrics. */
export function planOrders(rng: Rng, today: Date, fabricCount: number, teamSize: number): DemoOrder[] {
  const customers = demoCustomers(rng)
  const plans = Object.entries(STATUS_PLANS).flatMap(([status, plan]) =>
    Array.from({ length: plan.count }, () => {
      const createdAt = ago(today, int(rng, plan.age[0] * HOUR, plan.age[1] * HOUR))
      const after = int(rng, plan.updatedAfter[0] * HOUR, plan.updatedAfter[1] * HOUR)
      return { status: status as OrderStatus, createdAt, updatedAt: notAfter(later(createdAt, after), today) }
    }),
  )
  plans.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  const fromEtsy = new Set(shuffle(rng, [...plans.keys()]).slice(0, ETSY_ORDERS))
  const etsyIds = new Set<string>()
  const catalog = [...Array(fabricCount).keys()]
  return plans.map(({ status, createdAt, updatedAt }, i) => {
    const customer = pick(rng, customers)
    const count = pick(rng, [1, 1, 1, 2, 2, 2, 3, 3, 4])
    const lines = shuffle(rng, catalog)
      .slice(0, count)
      .map((fabric) => ({ fabric, quantity: int(rng, 1, 6) }))
    const etsy = fromEtsy.has(i)
    const sent = status === 'shipped' || status === 'delivered'
    const path = DEMO_PATHS[status]
    const start = createdAt.getTime()
    const notes = NOTES[status]
    return {
      status,
      createdAt,
      updatedAt,
      customer,
      lines,
      etsyOrderId: etsy ? freshId(rng, etsyIds) : null,
      staff: etsy ? 0 : int(rng, 0, teamSize - 1),
      carrier: sent ? (customer.address.country === 'GB' ? 'Royal Mail' : 'DHL') : null,
      trackingNumber: sent ? trackingNumber(rng, customer.address.country) : null,
      notes: notes && chance(rng, 0.35) ? pick(rng, notes) : null,
      // Spread evenly up to the last update.
      steps: path.map((to, step) => ({
        to,
        at: new Date(start + ((updatedAt.getTime() - start) * (step + 1)) / path.length),
      })),
    }
  })
}

/** What the orders take from each fabric in all (cancelled ones take it and give it back). */
export function stockTaken(plan: DemoOrder[], fabricCount: number): number[] {
  const taken = Array<number>(fabricCount).fill(0)
  for (const order of plan) for (const line of order.lines) taken[line.fabric]! += line.quantity
  return taken
}

export interface PlacedOrder {
  id: string
  total: string
}

/**
 * Places every order and takes every step, in the order they happened, as the staff member of
 * each. The catalog must hold enough stock (stockTaken): a shortage is a bug of the demo.
 */
export async function placeDemoOrders(plan: DemoOrder[], fabricIds: string[], team: Actor[]): Promise<PlacedOrder[]> {
  type Action = { at: Date; order: number; step: number }
  const actions: Action[] = plan.flatMap((o, order) => [
    { at: o.createdAt, order, step: -1 },
    ...o.steps.map((s, step) => ({ at: s.at, order, step })),
  ])
  actions.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order || a.step - b.step)
  const placed: (PlacedOrder & { version: number })[] = []
  for (const { order, step } of actions) {
    const o = plan[order]!
    const actor = team[o.staff]!
    if (step < 0) {
      const result = await placeOrder({
        details: {
          customerName: o.customer.name,
          customerEmail: o.customer.email,
          shippingAddress: o.customer.address,
          notes: o.notes,
        },
        lines: o.lines.map((l) => ({ fabricId: fabricIds[l.fabric]!, quantity: l.quantity })),
        actor,
      })
      if (!result.ok) throw new Error(`The demo could not place an order: ${result.problem}`)
      placed[order] = { id: result.id, total: result.total, version: 1 }
      continue
    }
    const current = placed[order]!
    const changed = await changeStatus({
      id: current.id,
      version: current.version,
      to: o.steps[step]!.to,
      actor,
      carrier: o.carrier,
      trackingNumber: o.trackingNumber,
    })
    if (!changed.ok) throw new Error(`The demo could not move an order on: ${changed.problem}`)
    current.version += 1
  }
  return placed.map(({ id, total }) => ({ id, total }))
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`

/**
 * As the tables' owner, with updated_at's trigger off (it would write now()): every order, its
 * events and its stock movements get the moments the demo planned; Etsy's orders get their Etsy
 * id, no staff member (as the Etsy import leaves them), and the Etsy import's words.
 */
export async function backdateOrders(tx: Transaction, plan: DemoOrder[], placed: PlacedOrder[]) {
  const orderValues = sql.join(
    plan.map((o, i) => sql`(${placed[i]!.id}::uuid, ${at(o.createdAt)}, ${at(o.updatedAt)}, ${o.etsyOrderId}::text)`),
    sql`, `,
  )
  await tx.execute(sql`update ${orders} o
    set created_at = v.created_at, updated_at = v.updated_at, etsy_order_id = v.etsy,
        user_id = case when v.etsy is null then o.user_id end
    from (values ${orderValues}) as v(id, created_at, updated_at, etsy)
    where o.id = v.id`)
  const eventValues = sql.join(
    plan.flatMap((o, i) => [
      sql`(${placed[i]!.id}::uuid, 'pending'::order_status, ${at(o.createdAt)})`,
      ...o.steps.map((s) => sql`(${placed[i]!.id}::uuid, ${s.to}::order_status, ${at(s.at)})`),
    ]),
    sql`, `,
  )
  await tx.execute(sql`update ${orderEvents} e
    set created_at = v.at,
        note = case when o.etsy_order_id is not null and e.from_status is null then 'Imported from Etsy' else e.note end
    from (values ${eventValues}) as v(order_id, to_status, at), ${orders} o
    where e.order_id = v.order_id and e.to_status = v.to_status and o.id = e.order_id`)
  // What an order took is dated when it was placed; what a cancellation gave back, when it was cancelled.
  await tx.execute(sql`update ${stockMovements} m
    set created_at = o.created_at,
        note = case when o.etsy_order_id is not null then 'Etsy order ' || o.etsy_order_id else m.note end
    from ${orders} o
    where m.order_id = o.id and m.reason = 'sold'`)
  await tx.execute(sql`update ${stockMovements} m
    set created_at = e.created_at
    from ${orderEvents} e
    where m.order_id = e.order_id and m.reason = 'returned' and e.to_status = 'cancelled'`)
}
