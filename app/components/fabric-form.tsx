// The fabric form (new and edit): the fields with their units (the schemas the actions check are
// in app/models/fabric-form.ts). Works with JavaScript off.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { FormErrors, TextAreaField, TextField } from '~/components/form'
import type { FabricFormValues } from '~/models/fabric-form'
import { currencySymbol } from '~/utils/money'

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
