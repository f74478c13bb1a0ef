// All queries about orders.
import { desc } from 'drizzle-orm'
import { db } from '~/services/db.server'
import { orders } from './schema'

export async function listOrders({ limit = 100 }: { limit?: number } = {}) {
  return db
    .select({
      id: orders.id,
      customerName: orders.customerName,
      status: orders.status,
      totalAmount: orders.totalAmount,
      etsyOrderId: orders.etsyOrderId,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .orderBy(desc(orders.createdAt))
    .limit(limit)
}
