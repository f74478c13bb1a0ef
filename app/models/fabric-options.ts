// The catalog's fixed choices, shared by the model and the pages (safe in the browser bundle).
import type { StockReason } from './schema'

export const PAGE_SIZE = 50
/** Offsets stay bounded: past this page, narrow the search instead. */
export const MAX_PAGE = 200
/** The list counts matches up to this many, so that the count costs no more than a page. */
export const COUNT_CAP = 1000

export const SORTS = ['relevance', 'name', 'price', 'price-desc', 'stock', 'updated'] as const
export type FabricSort = (typeof SORTS)[number]
export const STOCK_FILTERS = ['in', 'low', 'out'] as const

/** The reasons staff choose when they adjust stock by hand. */
export const ADJUST_REASONS = ['received', 'sold', 'damaged', 'correction'] as const satisfies readonly StockReason[]

export const REASON_LABELS: Record<StockReason, string> = {
  received: 'Received',
  sold: 'Sold in shop',
  damaged: 'Damaged',
  correction: 'Count correction',
  initial: 'First stock',
  import: 'Etsy import',
  returned: 'Returned to stock',
}

/** The descriptive fields an edit may change (stock changes only through adjustStock). */
export interface FabricFields {
  name: string
  description: string | null
  category: string | null
  subcategory: string | null
  price: string
  weight: string | null
  width: string | null
  composition: string | null
  careInstructions: string | null
  tags: string[]
  sku: string | null
  etsyListingId: string | null
  lowStockThreshold: number
}
export const FABRIC_FIELDS = [
  'name',
  'description',
  'category',
  'subcategory',
  'price',
  'weight',
  'width',
  'composition',
  'careInstructions',
  'tags',
  'sku',
  'etsyListingId',
  'lowStockThreshold',
] as const satisfies readonly (keyof FabricFields)[]

/** How long each text may be: the same for the form and the Etsy import (Etsy's own limits, or more). */
export const FABRIC_LIMITS = {
  name: 200,
  sku: 64,
  description: 100_000,
  composition: 1000,
  careInstructions: 1000,
  category: 80,
  tags: 50,
  tag: 50,
} as const
