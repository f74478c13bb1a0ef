// Small builders of valid model input for tests: override only what a test is about.
import type { FabricFields } from '~/models/fabric.server'
import { fabrics, type NewFabric } from '~/models/schema'
import type { Database } from '~/services/db.server'

/** A fabric's descriptive fields: a plain £10 fabric with nothing else filled in. */
export function fabricFields(overrides: Partial<FabricFields> = {}): FabricFields {
  return {
    name: 'Plain fabric',
    description: null,
    category: null,
    subcategory: null,
    price: '10.00',
    weight: null,
    width: null,
    composition: null,
    careInstructions: null,
    tags: [],
    sku: null,
    etsyListingId: null,
    lowStockThreshold: 5,
    ...overrides,
  }
}

/** Inserts a fabric straight into the table (no stock movement), its in-stock flag following the quantity. */
export async function insertFabric(db: Database, values: Partial<NewFabric> & { name: string }) {
  const quantity = values.stockQuantity ?? 0
  const [row] = await db
    .insert(fabrics)
    .values({ price: '10.00', ...values, stockQuantity: quantity, inStock: quantity > 0 })
    .returning()
  return row!
}
