import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { DataTable } from '~/components/data-table'
import { FabricGallery } from '~/components/fabric-gallery'
import { FieldError, FormErrors, SelectField, TextField } from '~/components/form'
import { StockMark } from '~/components/stock-mark'
import { ADJUST_REASONS, REASON_LABELS } from '~/models/fabric-options'
import { orderLabel } from '~/models/order-options'
import { adjustStock, getFabric, listStockMovements, setArchived } from '~/models/fabric.server'
import { requireAdmin, requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { useTimeZone } from '~/components/time-zone'
import { formatDateTime, formatNumber } from '~/utils/format'
import { formatMoney } from '~/utils/money'
import { searchParamsOf, text, wholeNumber } from '~/utils/validation'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.fabric.name ?? 'Fabric'} · Tara Hub` }]


const quantity = 'Enter how many, a whole number from 1 to 100000.'
const Adjust = z.object({
  intent: z.literal('adjust'),
  direction: z.enum(['add', 'remove'], { error: 'Choose add or take away.' }),
  quantity: wholeNumber({ min: 1, max: 100_000, message: quantity }),
  reason: z.enum(ADJUST_REASONS, { error: 'Choose a reason.' }),
  note: text().trim().max(500, 'Keep the note under 500 characters.').optional(),
})
const Archive = z.object({ intent: z.enum(['archive', 'restore']) })
const FabricAction = z.discriminatedUnion('intent', [Adjust, Archive])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const fabric = await getFabric(params.id!)
  if (!fabric) throw notFound()
  const movements = await listStockMovements({ fabricId: fabric.id, userId: user.id })
  const isAdmin = user.role === 'admin'
  // `?archive` shows the question in the page (components/confirm.tsx).
  const confirmArchive = isAdmin && !fabric.archivedAt && searchParamsOf(request).has('archive')
  return { fabric, movements, isAdmin, confirmArchive, currency: env().SHOP_CURRENCY }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: FabricAction })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const value = submission.value
  if (value.intent === 'adjust') {
    const delta = value.direction === 'add' ? value.quantity : -value.quantity
    const row = await adjustStock({ id: params.id!, delta, reason: value.reason, note: value.note, userId: user.id })
    if (!row) {
      const fabric = await getFabric(params.id!)
      if (!fabric) throw notFound()
      return data(
        submission.reply({
          fieldErrors: { quantity: [`Only ${fabric.stockQuantity} in stock: you cannot take away ${value.quantity}.`] },
        }),
        { status: 409 },
      )
    }
    return redirectWithFlash(`/fabrics/${params.id}`, `Stock is now ${row.stockQuantity}.`)
  }
  await requireAdmin(request)
  const changed = await setArchived({ ids: [params.id!], archived: value.intent === 'archive' })
  if (!changed && !(await getFabric(params.id!))) throw notFound()
  return redirectWithFlash(`/fabrics/${params.id}`, value.intent === 'archive' ? 'Fabric archived.' : 'Fabric restored.')
}

function StockForm() {
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm<{ direction: string; quantity: string; reason: string; note: string }>({
    id: 'adjust-stock',
    lastResult,
    defaultValue: { direction: 'add', reason: 'received' },
  })
  return (
    <Form method="post" className="card stack" aria-labelledby="adjust-title" {...getFormProps(form)}>
      <h2 id="adjust-title">Adjust stock</h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="adjust" />
      <fieldset className="choice">
        <legend>Change</legend>
        {(
          [
            ['add', 'Add'],
            ['remove', 'Take away'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={fields.direction.name}
              value={value}
              defaultChecked={(fields.direction.initialValue ?? 'add') === value}
            />{' '}
            {label}
          </label>
        ))}
        <FieldError id={fields.direction.errorId} errors={fields.direction.errors} />
      </fieldset>
      <TextField label="Quantity" field={fields.quantity} inputMode="numeric" autoComplete="off" />
      <SelectField
        label="Reason"
        field={fields.reason}
        options={ADJUST_REASONS.map((r) => ({ value: r, label: REASON_LABELS[r] }))}
      />
      <TextField label="Note (optional)" field={fields.note} autoComplete="off" />
      <button type="submit">Update stock</button>
    </Form>
  )
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  )
}

export default function FabricPage() {
  const timeZone = useTimeZone()
  const { fabric, movements, isAdmin, confirmArchive, currency } = useLoaderData<typeof loader>()
  return (
    <>
      <p>
        <Link to="/fabrics">← Fabrics</Link>
      </p>
      <h1>
        {fabric.name}
        {fabric.archivedAt ? <span className="mark mark-out"> archived</span> : null}
      </h1>
      {isAdmin ? (
        <div className="actions">
          <Link className="button" to={`/fabrics/${fabric.id}/edit`}>
            Edit
          </Link>
          <Link className="button secondary" to={`/fabrics/${fabric.id}/images`}>
            Manage images
          </Link>
          {fabric.archivedAt ? (
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <button type="submit" className="secondary">
                Restore
              </button>
            </Form>
          ) : (
            <ConfirmLink dialog="archive-fabric" to="?archive">
              Archive “{fabric.name}”…
            </ConfirmLink>
          )}
        </div>
      ) : null}
      {isAdmin && !fabric.archivedAt ? (
        <Confirm
          id="archive-fabric"
          open={confirmArchive}
          title={`Archive “${fabric.name}”?`}
          confirmLabel={`Archive “${fabric.name}”`}
          cancelTo="."
          fields={{ intent: 'archive' }}
        >
          <p>It leaves the fabric lists; its stock history and orders stay. You can restore it from the archived fabrics.</p>
        </Confirm>
      ) : null}
      <FabricGallery images={fabric.images} name={fabric.name} />
      {fabric.archivedAt ? null : (
        <p className="actions">
          <Link to={`/orders/new?fabric=${fabric.id}`}>New order for this fabric</Link>
          <Link to={`/calendar/entries/new?fabric=${fabric.id}`}>Plan a post about this fabric</Link>
        </p>
      )}
      <div className="cards">
        <dl className="card details">
          <Detail label="Stock">
            {formatNumber(fabric.stockQuantity)} <StockMark quantity={fabric.stockQuantity} threshold={fabric.lowStockThreshold} />
          </Detail>
          <Detail label="Low stock at">{formatNumber(fabric.lowStockThreshold)}</Detail>
          <Detail label="Price">{formatMoney(fabric.price, currency)}</Detail>
          <Detail label="SKU">{fabric.sku}</Detail>
          <Detail label="Category">
            {fabric.category}
            {fabric.subcategory ? ` › ${fabric.subcategory}` : null}
          </Detail>
          <Detail label="Weight">{fabric.weight ? `${fabric.weight} g/m²` : null}</Detail>
          <Detail label="Width">{fabric.width ? `${fabric.width} cm` : null}</Detail>
          <Detail label="Composition">{fabric.composition}</Detail>
          <Detail label="Care">{fabric.careInstructions}</Detail>
          <Detail label="Tags">
            {fabric.tags.length ? (
              <ul className="tags" aria-label="Tags">
                {fabric.tags.map((tag) => (
                  <li key={tag}>
                    <Link to={`/fabrics?tag=${encodeURIComponent(tag)}`}>{tag}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </Detail>
          <Detail label="Etsy listing">
            {fabric.etsyListingId ? (
              <a href={`https://www.etsy.com/listing/${fabric.etsyListingId}`} rel="noreferrer" target="_blank">
                {fabric.etsyListingId}
              </a>
            ) : null}
          </Detail>
          {fabric.etsyVariations.length ? (
            <Detail label="Etsy variations">
              {fabric.etsyVariations.map((v) => `${v.name || v.type}: ${v.values}`).join('; ')}
            </Detail>
          ) : null}
          <Detail label="Last updated">{formatDateTime(fabric.updatedAt, timeZone)}</Detail>
        </dl>
        <StockForm />
      </div>
      {fabric.description ? (
        <section aria-labelledby="description-title">
          <h2 id="description-title" className="section-title">
            Description
          </h2>
          <p className="description">{fabric.description}</p>
        </section>
      ) : null}
      <h2 className="section-title">Stock history</h2>
      <DataTable
        rows={movements}
        empty="No stock changes yet."
        columns={[
          { header: 'When', cell: (m) => formatDateTime(m.createdAt, timeZone) },
          { header: 'Change', numeric: true, cell: (m) => (m.delta > 0 ? `+${formatNumber(m.delta)}` : formatNumber(m.delta)) },
          { header: 'Stock after', numeric: true, cell: (m) => formatNumber(m.quantityAfter) },
          { header: 'Reason', cell: (m) => REASON_LABELS[m.reason] },
          {
            header: 'Note',
            cell: (m) =>
              m.orderId && m.orderNumber ? <Link to={`/orders/${m.orderId}`}>{m.note ?? orderLabel(m.orderNumber)}</Link> : (m.note ?? ''),
          },
          { header: 'By', cell: (m) => m.by ?? '—' },
        ]}
      />
    </>
  )
}
