// The orders import form's one option besides its files, shared by the page that shows it and
// the action that reads it: "Mark orders older than [30] days as delivered". Etsy's history is
// full of orders sent long ago that its file still shows as shipped (or, without a shipping
// date, pending); imported as they are, they would all stay open. No server code.
import { z } from 'zod'
import { readWholeNumber, text } from '~/utils/validation'

export const DELIVERED_AFTER_DAYS = { min: 1, max: 3650, default: 30 } as const

/** The option's fields, by name: the multipart reader keeps these text fields, and only these. */
export const ORDERS_OPTION_FIELDS = ['markDelivered', 'deliveredAfterDays'] as const

const DAYS_MESSAGE = `Enter a whole number of days from ${DELIVERED_AFTER_DAYS.min} to ${DELIVERED_AFTER_DAYS.max.toLocaleString('en-GB')}, like ${DELIVERED_AFTER_DAYS.default}.`

/** The option as typed → the number of days (null when the box is not ticked). */
export const OrdersImportOptions = z
  .object({
    markDelivered: z.boolean().optional(),
    deliveredAfterDays: text().optional(),
  })
  .transform(({ markDelivered, deliveredAfterDays }, ctx) => {
    if (!markDelivered) return { deliveredAfterDays: null }
    const days = readWholeNumber(deliveredAfterDays, DELIVERED_AFTER_DAYS)
    if (days === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['deliveredAfterDays'],
        message: deliveredAfterDays ? DAYS_MESSAGE : `Enter a number of days, like ${DELIVERED_AFTER_DAYS.default}.`,
      })
      return z.NEVER
    }
    return { deliveredAfterDays: days }
  })

export type OrdersImportOptionsInput = { markDelivered?: string; deliveredAfterDays?: string }
