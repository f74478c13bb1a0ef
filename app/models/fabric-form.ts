// The fabric form's rules, shared by the actions that check it and the form that shows it: the
// zod schemas (new and edit) and the text the form holds. No server code: the form imports it too.
import { z } from 'zod'
import { FABRIC_LIMITS } from './fabric-options'
import { parseTags } from '~/utils/tags'
import { optionalText as optional, text, Version, wholeNumber as bounded } from '~/utils/validation'

const decimal = (label: string, unit: string) =>
  text()
    .trim()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, `Enter the ${label} in ${unit} as a number like 140 or 140.5.`)
    .optional()
    .transform((v) => v || null)

const wholeNumber = (message: string) => bounded({ min: 0, max: 1_000_000, message })

export const FabricFormSchema = z.object({
  name: text('Enter the fabric’s name.')
    .trim()
    .min(1, 'Enter the fabric’s name.')
    .max(FABRIC_LIMITS.name, `Keep the name under ${FABRIC_LIMITS.name} characters.`),
  sku: optional(FABRIC_LIMITS.sku, 'SKU'),
  category: optional(FABRIC_LIMITS.category, 'category'),
  subcategory: optional(FABRIC_LIMITS.category, 'subcategory'),
  price: text('Enter the price, like 12.50.')
    .trim()
    .regex(/^\d{1,8}(\.\d{1,2})?$/, 'Enter the price as an amount like 12.50.'),
  weight: decimal('weight', 'grams per square metre'),
  width: decimal('width', 'centimetres'),
  composition: optional(FABRIC_LIMITS.composition, 'composition'),
  careInstructions: optional(FABRIC_LIMITS.careInstructions, 'care instructions'),
  description: optional(FABRIC_LIMITS.description, 'description'),
  tags: text()
    .optional()
    .transform((v) => parseTags(v))
    .refine((tags) => tags.length <= FABRIC_LIMITS.tags, `Use at most ${FABRIC_LIMITS.tags} tags.`)
    .refine((tags) => tags.every((t) => t.length <= FABRIC_LIMITS.tag), `Keep each tag under ${FABRIC_LIMITS.tag} characters.`),
  etsyListingId: text()
    .trim()
    .regex(/^\d{0,20}$/, 'The Etsy listing id is the number in the listing’s address, like 1234567890.')
    .optional()
    .transform((v) => v || null),
  lowStockThreshold: wholeNumber('Enter a whole number of 0 or more.'),
})

/** New fabrics also say how many they start with; edits carry the version they were loaded at. */
export const NewFabricSchema = FabricFormSchema.extend({ initialStock: wholeNumber('Enter a whole number of 0 or more.') })
export const EditFabricSchema = FabricFormSchema.extend({ version: Version })

export type FabricFormValues = Partial<Record<keyof z.input<typeof NewFabricSchema> | 'version', string>>
