// The order forms' rules, shared by the actions that check them and the components that show
// them: the zod schemas (new order and edit), the text a form shows for an order, and the
// quantity a line may hold. No server code: the forms import it too.
import { z } from 'zod'
import type { ShippingAddress } from './json-types'
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from './order-options'
import { COUNTRIES } from '~/utils/countries'
import { EmailAddress, optionalText as optional, readWholeNumber, text, Version } from '~/utils/validation'

const detailsShape = {
  customerName: text('Enter the customer’s name.')
    .trim()
    .min(1, 'Enter the customer’s name.')
    .max(200, 'Keep the name under 200 characters.'),
  customerEmail: text()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(EmailAddress.optional())
    .transform((v) => v?.toLowerCase() ?? null),
  shipName: optional(200, 'recipient’s name'),
  line1: optional(200, 'address line'),
  line2: optional(200, 'address line'),
  city: optional(100, 'town or city'),
  region: optional(100, 'county or state'),
  postalCode: optional(20, 'postcode'),
  country: text()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || COUNTRIES.some((c) => c.code === v), 'Choose a country from the list.'),
  notes: optional(2000, 'notes'),
}

/** The details' fields, checked (the edit form's fields share their names). */
export type DetailsInput = { [K in keyof typeof detailsShape]: z.output<(typeof detailsShape)[K]> }

/** An address is optional (an order collected in the shop has none), but a started one is whole. */
function checkAddress(v: DetailsInput, ctx: z.RefinementCtx) {
  // May see raw values (when other fields failed): it reads only whether each is filled in.
  if (!(v.line1 || v.line2 || v.city || v.region || v.postalCode || v.country)) return
  const need: [keyof DetailsInput, string][] = [
    ['line1', 'Enter the first line of the address.'],
    ['city', 'Enter the town or city.'],
    ['country', 'Choose the country.'],
  ]
  for (const [key, message] of need) if (!v[key]) ctx.addIssue({ code: 'custom', path: [key], message })
}

function toDetails({ shipName, line1, line2, city, region, postalCode, country, ...rest }: DetailsInput) {
  const shippingAddress: ShippingAddress | null =
    line1 && city && country
      ? {
          name: shipName ?? rest.customerName,
          line1,
          ...(line2 ? { line2 } : {}),
          city,
          ...(region ? { region } : {}),
          ...(postalCode ? { postalCode } : {}),
          country,
        }
      : null
  return { customerName: rest.customerName, customerEmail: rest.customerEmail, notes: rest.notes, shippingAddress }
}

// Checks that never abort the parse (a type error would), so that the whole-form checks still
// run and every error shows at once.
const quantity = text('Enter how many, like 2.')
  .trim()
  .regex(/^\d+$/, 'Enter a whole number.')
  .refine((v) => Number(v) >= 1, 'Enter 1 or more.')
  .refine((v) => Number(v) <= MAX_LINE_QUANTITY, `Enter at most ${MAX_LINE_QUANTITY.toLocaleString('en-US')}.`)
  .transform(Number)

/** A line's quantity as typed, if it is one an order may hold (else its total is not shown). */
export const lineQuantity = (typed: unknown) => readWholeNumber(typed, { min: 1, max: MAX_LINE_QUANTITY })

export const lineSchema = z.object({
  fabricId: z.uuid({ error: 'Pick the fabric again.' }),
  quantity,
})

export const newOrderSchema = z
  .object({
    ...detailsShape,
    lines: z
      .array(lineSchema)
      .optional()
      .transform((v) => v ?? [])
      .refine((v) => v.length >= 1, 'Add at least one fabric: find it by name or SKU, then press “Add”.')
      .refine((v) => v.length <= MAX_ORDER_LINES, `An order holds at most ${MAX_ORDER_LINES} lines.`),
  })
  // Run even when other fields are wrong, so that every error shows at once.
  .superRefine(checkAddress, { when: () => true })
  .transform(({ lines, ...details }) => ({ lines, details: toDetails(details) }))

export const editOrderSchema = z
  .object({
    ...detailsShape,
    version: Version,
    // "1": a shipped order, which keeps its tracking; "etsy": a shipped Etsy order, which may have none.
    shipped: z.enum(['1', 'etsy']).optional(),
    carrier: optional(60, 'carrier'),
    trackingNumber: optional(100, 'tracking number'),
  })
  .superRefine((v, ctx) => {
    checkAddress(v, ctx)
    if (v.shipped === '1' && !v.carrier) ctx.addIssue({ code: 'custom', path: ['carrier'], message: 'Choose the carrier.' })
    if (v.shipped === '1' && !v.trackingNumber) {
      ctx.addIssue({ code: 'custom', path: ['trackingNumber'], message: 'A shipped order keeps its tracking number.' })
    }
  }, { when: () => true })
  .transform(({ version, shipped, carrier, trackingNumber, ...details }) => ({
    version,
    details: { ...toDetails(details), ...(shipped ? { carrier, trackingNumber } : {}) },
  }))

/** The text a form shows for an order's details. */
export interface OrderFormValues {
  customerName?: string
  customerEmail?: string
  shipName?: string
  line1?: string
  line2?: string
  city?: string
  region?: string
  postalCode?: string
  country?: string
  notes?: string
  carrier?: string
  trackingNumber?: string
  version?: string
  lines?: { fabricId?: string; quantity?: string }[]
}

export function detailsFormValues(order: {
  customerName: string
  customerEmail: string | null
  shippingAddress: ShippingAddress | null
  notes: string | null
  carrier?: string | null
  trackingNumber?: string | null
}): OrderFormValues {
  const a = order.shippingAddress
  return {
    customerName: order.customerName,
    customerEmail: order.customerEmail ?? '',
    shipName: a && a.name !== order.customerName ? a.name : '',
    line1: a?.line1 ?? '',
    line2: a?.line2 ?? '',
    city: a?.city ?? '',
    region: a?.region ?? '',
    postalCode: a?.postalCode ?? '',
    country: a?.country ?? '',
    notes: order.notes ?? '',
    carrier: order.carrier ?? '',
    trackingNumber: order.trackingNumber ?? '',
  }
}

export interface LineFabric {
  id: string
  name: string
  sku: string | null
  price: string
  stockQuantity: number
}

