// The fabric form (new and edit): its zod schema, which the actions check, and the fields with
// their units. Works with JavaScript off.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextAreaField, TextField } from '~/components/form'
import { FABRIC_LIMITS } from '~/models/fabric-options'
import { currencySymbol } from '~/utils/money'
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

export function FabricForm({
  id,
  lastResult,
  defaultValue,
  suggestions,
  currency,
  isNew,
  submitLabel,
  children,
}: {
  id: string
  lastResult: SubmissionResult<string[]> | undefined
  defaultValue: FabricFormValues
  suggestions: { categories: string[]; subcategories: string[] }
  currency: string
  isNew: boolean
  submitLabel: string
  children?: React.ReactNode
}) {
  // The server checks the form (the same schema as the action's): no client JavaScript, whose
  // weight (zod and React, about 130 KB) would cost the tablet seconds on a slow connection.
  const [form, fields] = useForm<Record<keyof FabricFormValues, string>>({ id, lastResult, defaultValue })
  return (
    <Form method="post" className="stack fabric-form" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      {children}
      <TextField label="Name" field={fields.name} autoComplete="off" />
      <TextField label="SKU (your code, shared with the Etsy listing)" field={fields.sku} autoComplete="off" />
      <div className="field-row">
        <TextField label="Category" field={fields.category} list="category-suggestions" autoComplete="off" />
        <TextField label="Subcategory" field={fields.subcategory} list="subcategory-suggestions" autoComplete="off" />
      </div>
      <datalist id="category-suggestions">
        {suggestions.categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <datalist id="subcategory-suggestions">
        {suggestions.subcategories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="field-row">
        <TextField label={`Price (${currencySymbol(currency)})`} field={fields.price} inputMode="decimal" />
        <TextField label="Weight (g/m²)" field={fields.weight} inputMode="decimal" />
        <TextField label="Width (cm)" field={fields.width} inputMode="decimal" />
      </div>
      <TextField label="Composition" field={fields.composition} hint="For example: 55% linen, 45% cotton" />
      <TextAreaField label="Care instructions" field={fields.careInstructions} rows={2} />
      <TextAreaField label="Description" field={fields.description} rows={5} />
      <TextField label="Tags" field={fields.tags} hint="Separated by commas, for example: linen, sage, quilting" />
      <div className="field-row">
        <TextField label="Etsy listing id" field={fields.etsyListingId} inputMode="numeric" autoComplete="off" />
        <TextField label="Low stock at" field={fields.lowStockThreshold} inputMode="numeric" />
        {isNew ? <TextField label="Stock now" field={fields.initialStock} inputMode="numeric" /> : null}
      </div>
      <button type="submit">{submitLabel}</button>
    </Form>
  )
}
