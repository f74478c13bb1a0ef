// Placing an order, for `npm run bench` (budget: < 20 ms server time): the whole POST of the
// new-order form (session, form, the order's transaction, the redirect) next to the model's
// placeOrder alone, both placing a real two-line order that takes stock.
import { sql } from 'drizzle-orm'
import { placeOrder, type Actor } from '~/models/order.server'
import { rows, type Database } from '~/services/db.server'

export interface TimedRun {
  p50: number
  p95: number
}

export async function benchPlaceOrder({
  db,
  post,
  actor,
  time,
}: {
  db: Database
  /** Sends a form to /orders/new as the signed-in admin; resolves to the response. */
  post: (body: URLSearchParams) => Promise<Response>
  actor: Actor
  time: (run: () => Promise<unknown>) => Promise<TimedRun>
}) {
  // Two fabrics with stock for every order the bench places.
  const fabrics = await rows<{ id: string }>(
    db,
    sql`insert into fabrics (name, sku, price, stock_quantity, in_stock)
        values ('Bench Linen', 'BENCH-ORDER-1', 18.50, 1000000, true), ('Bench Ribbon', 'BENCH-ORDER-2', 0.10, 1000000, true)
        returning id`,
  )
  const [a, b] = fabrics.map((f) => f.id) as [string, string]
  const form = new URLSearchParams({
    intent: 'place',
    customerName: 'Bench Customer',
    customerEmail: 'bench@example.com',
    line1: '1 Mill St',
    city: 'Leeds',
    postalCode: 'LS1 4AP',
    country: 'GB',
    'lines[0].fabricId': a,
    'lines[0].quantity': '2',
    'lines[1].fabricId': b,
    'lines[1].quantity': '3',
  })
  const request = async () => {
    const response = await post(form)
    if (response.status !== 302) throw new Error(`placing an order answered ${response.status}`)
  }
  const model = async () => {
    const placed = await placeOrder({
      details: { customerName: 'Bench Customer', customerEmail: null, shippingAddress: null, notes: null },
      lines: [
        { fabricId: a, quantity: 2 },
        { fabricId: b, quantity: 3 },
      ],
      actor,
    })
    if (!placed.ok) throw new Error(`placeOrder refused: ${placed.problem}`)
  }
  return { server: await time(request), model: await time(model) }
}
