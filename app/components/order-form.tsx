// The order forms: the zod schemas the actions check, the customer and address fields (new order
// and edit), and the lines of a new order. Work with JavaScript off: finding a fabric, adding
// and removing lines are submits that come back with the form as it was typed.
import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { z } from 'zod'
import { FieldError, FormErrors, SelectField, TextAreaField, TextField } from '~/components/form'
import type { ShippingAddress } from '~/models/json-types'
import { CARRIERS, MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '~/models/order-options'
import { COUNTRIES } from '~/utils/countries'
import { formatMoney, fromCents, toCents } from '~/utils/money'
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

type DetailsInput = { [K in keyof typeof detailsShape]: z.output<(typeof detailsShape)[K]> }

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

const countryOptions = [{ value: '', label: 'No address / choose…' }, ...COUNTRIES.map((c) => ({ value: c.code, label: c.name }))]

type DetailFields = Record<keyof DetailsInput, FieldMetadata<string | undefined>>

/** The customer, the shipping address and the notes. */
export function OrderDetailsFields({ fields }: { fields: DetailFields }) {
  return (
    <>
      <fieldset>
        <legend>Customer</legend>
        <TextField label="Customer name" field={fields.customerName} autoComplete="off" />
        <TextField
          label="Email (optional)"
          field={fields.customerEmail}
          type="email"
          autoComplete="off"
          hint="For sending tracking details. Etsy orders have none."
        />
      </fieldset>
      <fieldset>
        <legend>Shipping address</legend>
        <p className="hint">Leave empty for an order collected in the shop.</p>
        <TextField label="Recipient (if not the customer)" field={fields.shipName} autoComplete="off" />
        <TextField label="Address line 1" field={fields.line1} autoComplete="off" />
        <TextField label="Address line 2 (optional)" field={fields.line2} autoComplete="off" />
        <TextField label="Town or city" field={fields.city} autoComplete="off" />
        <TextField label="County, state or province (optional)" field={fields.region} autoComplete="off" />
        <TextField label="Postcode or ZIP" field={fields.postalCode} autoComplete="off" />
        <SelectField label="Country" field={fields.country} options={countryOptions} />
      </fieldset>
      <TextAreaField label="Notes (optional)" field={fields.notes} hint="Shown on the packing slip." />
    </>
  )
}

export interface LineFabric {
  id: string
  name: string
  sku: string | null
  price: string
  stockQuantity: number
}

/** The new-order form: fabrics (find, add, lines with quantities, remove), then the customer. */
export function NewOrderForm({
  lastResult,
  defaultValue,
  fabrics,
  matches,
  query,
  currency,
}: {
  lastResult: SubmissionResult<string[]> | null
  defaultValue: OrderFormValues
  /** The fabrics of the lines, by id. */
  fabrics: Record<string, LineFabric>
  /** Fabrics found by the last "Find fabrics". */
  matches: LineFabric[]
  query: string
  currency: string
}) {
  const [form, fields] = useForm({
    id: 'new-order',
    lastResult,
    defaultValue,
    shouldValidate: 'onSubmit',
  })
  const lines = fields.lines.getFieldList()
  const values = (lastResult?.initialValue ?? defaultValue) as OrderFormValues
  const estimate = (values.lines ?? []).reduce((sum, l) => {
    const fabric = l.fabricId ? fabrics[l.fabricId] : undefined
    const n = lineQuantity(l.quantity)
    return fabric && n ? sum + toCents(fabric.price) * n : sum
  }, 0)
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset>
        <legend>Fabrics</legend>
        {/* The first button: pressing Enter in any field finds fabrics, which loses nothing. */}
        <div className="field-row">
          <div className="field">
            <label htmlFor="fabric-query">Find a fabric by name or SKU</label>
            <input id="fabric-query" name="fabricQuery" type="search" defaultValue={query} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="add-quantity">Quantity to add</label>
            <input id="add-quantity" name="addQuantity" type="text" inputMode="numeric" defaultValue="1" size={5} />
          </div>
          <button type="submit" name="intent" value="find" formNoValidate>
            Find fabrics
          </button>
        </div>
        {matches.length ? (
          <table aria-label="Fabrics found">
            <thead>
              <tr>
                <th scope="col">Fabric</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  In stock
                </th>
                <th scope="col">
                  <span className="visually-hidden">Add</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {matches.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{f.sku ?? '—'}</td>
                  <td className="num">{formatMoney(f.price, currency)}</td>
                  <td className="num">{f.stockQuantity}</td>
                  <td>
                    <button type="submit" name="add" value={f.id} formNoValidate disabled={f.stockQuantity === 0} aria-label={`Add ${f.name}`}>
                      {f.stockQuantity === 0 ? 'Out of stock' : 'Add'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <table aria-label="Order lines">
          <thead>
            <tr>
              <th scope="col">Fabric</th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col">Quantity</th>
              <th scope="col" className="num">
                Line total
              </th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.length ? (
              lines.map((line, index) => {
                const { fabricId, quantity } = line.getFieldset()
                const fabric = fabricId.initialValue ? fabrics[fabricId.initialValue] : undefined
                const n = lineQuantity(quantity.initialValue)
                const name = fabric?.name ?? 'A fabric no longer in the catalog'
                return (
                  <tr key={line.key}>
                    <td>
                      <input {...getInputProps(fabricId, { type: 'hidden' })} key={fabricId.key} />
                      {name}
                      {fabric?.sku ? <span className="muted"> · {fabric.sku}</span> : null}
                      {fabric ? <span className="muted"> · {fabric.stockQuantity} in stock</span> : null}
                      <FieldError id={fabricId.errorId} errors={fabricId.errors} />
                    </td>
                    <td className="num">{fabric ? formatMoney(fabric.price, currency) : '—'}</td>
                    <td>
                      <label htmlFor={quantity.id} className="visually-hidden">
                        Quantity of {name}
                      </label>
                      <input
                        {...getInputProps(quantity, { type: 'text' })}
                        key={quantity.key}
                        inputMode="numeric"
                        size={5}
                      />
                      <FieldError id={quantity.errorId} errors={quantity.errors} />
                    </td>
                    <td className="num">
                      {fabric && n ? formatMoney(fromCents(toCents(fabric.price) * n), currency) : '—'}
                    </td>
                    <td>
                      <button type="submit" name="remove" value={String(index)} formNoValidate aria-label={`Remove ${name}`}>
                        Remove
                      </button>
                    </td>
                  </tr>
                )
              })
            ) : (
              <tr>
                <td colSpan={5} className="empty">
                  No fabrics yet: find one above and press “Add”.
                </td>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total at today’s prices
              </th>
              <td className="num">{formatMoney(fromCents(estimate), currency)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
        <FieldError id={fields.lines.errorId} errors={fields.lines.errors} />
      </fieldset>
      <OrderDetailsFields fields={fields as unknown as DetailFields} />
      <button type="submit" name="intent" value="place">
        Place order
      </button>
    </Form>
  )
}

/** The edit form: details, and the carrier and tracking number of a shipped order. */
export function EditOrderForm({
  lastResult,
  defaultValue,
  shipped,
  version,
  submitLabel,
}: {
  lastResult: SubmissionResult<string[]> | null
  defaultValue: OrderFormValues
  /** Shows the carrier and tracking number; an Etsy order may have none. */
  shipped: false | '1' | 'etsy'
  /** The version the form saves over: after a conflict, the one just shown. */
  version: number
  submitLabel: string
}) {
  const [form, fields] = useForm({ id: 'edit-order', lastResult, defaultValue, shouldValidate: 'onSubmit' })
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="version" value={version} />
      <OrderDetailsFields fields={fields as unknown as DetailFields} />
      {shipped ? (
        <fieldset>
          <legend>Shipping</legend>
          <input type="hidden" name="shipped" value={shipped} />
          <CarrierField field={fields.carrier} />
          <TextField label="Tracking number" field={fields.trackingNumber} autoComplete="off" />
        </fieldset>
      ) : null}
      <button type="submit">{submitLabel}</button>
    </Form>
  )
}

/** A carrier: one of the usual ones, or any other typed in (a datalist, no script). */
export function CarrierField({ field }: { field: FieldMetadata<string | undefined> }) {
  return (
    <>
      <TextField label="Carrier" field={field} autoComplete="off" list="carriers" hint="Pick one or type another." />
      <datalist id="carriers">
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </>
  )
}
