// All queries about fabrics.
import { asc } from 'drizzle-orm'
import { db } from '~/services/db.server'
import { fabrics } from './schema'

export async function listFabrics({ limit = 100 }: { limit?: number } = {}) {
  return db
    .select({
      id: fabrics.id,
      name: fabrics.name,
      category: fabrics.category,
      price: fabrics.price,
      stockQuantity: fabrics.stockQuantity,
      inStock: fabrics.inStock,
    })
    .from(fabrics)
    .orderBy(asc(fabrics.name))
    .limit(limit)
}
