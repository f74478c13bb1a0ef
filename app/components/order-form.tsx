// The order forms: the customer and address fields (new order and edit), and the lines of a new
// order (their schemas are in app/models/order-form.ts). Work with JavaScript off: finding a
// fabric, adding and removing lines are submits that come back with the form as it was typed.
import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { FieldError, FormErrors, SelectField, TextAreaField, TextField } from '~/components/form'
import { lineQuantity, type DetailsInput, type LineFabric, type OrderFormValues } from '~/models/order-form'
import { CARRIERS } from '~/models/order-options'
import { COUNTRIES } from '~/utils/countries'
import { formatNumber } from '~/utils/format'
import { formatMoney, fromCents, toCents } from '~/utils/money'

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

/** The new-order form: fabrics (find, add, lines with quantities, remove), then the customer. */
export function NewOrderForm({
  lastResult,
  defaultValue,
  fabrics,
  matches,
  query,
  addQuantity,
  addQuantityError,
  currency,
}: {
  lastResult: SubmissionResult<string[]> | null
  defaultValue: OrderFormValues
  /** The fabrics of the lines, by id. */
  fabrics: Record<string, LineFabric>
  /** Fabrics found by the last "Find fabrics". */
  matches: LineFabric[]
  query: string
  /** "Quantity to add" as typed, and why it could not be added. */
  addQuantity: string
  addQuantityError: string | null
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
        {/*
          "Find fabrics" must stay the form's first submit button: pressing Enter in a field submits
          with the first one (HTML's implicit submission, JavaScript or not), so Enter in the search
          box searches, and Enter anywhere else finds too, which loses nothing typed.
        */}
        <div className="field-row">
          <div className="field">
            <label htmlFor="fabric-query">Find a fabric by name or SKU</label>
            <input id="fabric-query" name="fabricQuery" type="search" defaultValue={query} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="add-quantity">Quantity to add</label>
            <input
              id="add-quantity"
              name="addQuantity"
              type="text"
              inputMode="numeric"
              defaultValue={addQuantity}
              size={5}
              aria-invalid={addQuantityError ? true : undefined}
              aria-describedby={addQuantityError ? 'add-quantity-error' : undefined}
            />
            <FieldError id="add-quantity-error" errors={addQuantityError ? [addQuantityError] : undefined} />
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
                  <td className="num">{formatNumber(f.stockQuantity)}</td>
                  <td>
                    {/* The name is hidden text, not an aria-label, so that what is read starts with what is seen. */}
                    <button type="submit" name="add" value={f.id} formNoValidate disabled={f.stockQuantity === 0}>
                      {f.stockQuantity === 0 ? 'Out of stock' : 'Add'}
                      <span className="visually-hidden">{`${f.stockQuantity === 0 ? ':' : ''} ${f.name}`}</span>
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
                      {fabric ? <span className="muted"> · {formatNumber(fabric.stockQuantity)} in stock</span> : null}
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
