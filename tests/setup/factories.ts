// Small builders of valid model input for tests: override only what a test is about.
import type { FabricFields } from '~/models/fabric.server'

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
