// zod schemas for every jsonb column; schema.ts types the columns with the inferred types,
// and model functions parse with these before they write.
import { z } from 'zod'

/** A decimal amount of money as text, e.g. "12.50": never a float. */
export const Money = z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'Enter an amount like 12.50')

export const FabricImage = z.object({
  src: z.string().min(1),
  thumb: z.string().min(1).optional(),
  alt: z.string().max(300).default(''),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
})
export type FabricImage = z.infer<typeof FabricImage>

/** One of an Etsy listing's variations, as its CSV export writes it (VALUES is comma-separated). */
export const EtsyVariation = z.object({ type: z.string(), name: z.string(), values: z.string() })
export type EtsyVariation = z.infer<typeof EtsyVariation>

export const Tags = z.array(z.string().trim().toLowerCase().min(1).max(50)).max(50)

export const OrderItem = z.object({
  fabricId: z.uuid().nullable(),
  name: z.string().min(1),
  sku: z.string().nullable(),
  unitPrice: Money,
  quantity: z.number().int().positive(),
  lineTotal: Money,
})
export type OrderItem = z.infer<typeof OrderItem>

export const ShippingAddress = z.object({
  name: z.string().min(1),
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string().min(1),
  region: z.string().optional(),
  // Some countries have no postcodes.
  postalCode: z.string().optional(),
  country: z.string().length(2, 'Use the two-letter country code'),
})
export type ShippingAddress = z.infer<typeof ShippingAddress>

const count = z.number().int().nonnegative()
/** A figure not read (left blank in the form) is null, not 0. */
const reading = count.nullable()
export const EngagementReading = z.object({
  likes: reading,
  comments: reading,
  shares: reading,
  saves: reading,
  reach: reading,
  impressions: reading,
  readAt: z.iso.datetime({ offset: true }),
})
export type EngagementReading = z.infer<typeof EngagementReading>

/** The latest reading, with every earlier one kept in `history` (oldest first). */
export const EngagementMetrics = EngagementReading.partial().extend({
  history: z.array(EngagementReading).optional(),
})
export type EngagementMetrics = z.infer<typeof EngagementMetrics>

/** `{ value, ...breakdowns }`: one figure per metric, date and platform. */
export const AnalyticsValue = z
  .object({ value: z.number().finite() })
  .catchall(z.union([z.number().finite(), z.record(z.string(), z.number().finite())]))
export type AnalyticsValue = z.infer<typeof AnalyticsValue>
