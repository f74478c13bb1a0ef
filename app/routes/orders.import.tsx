// /orders/import: an admin uploads Etsy's sold-orders files (either or both), sees what importing
// them would do, and confirms. The upload (multipart) answers with the preview; the confirm form
// (the upload ids + the plan's digest) imports exactly that plan, or shows the new one if the
// catalog or the orders moved meanwhile.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { FieldError, FormErrors, TextField } from '~/components/form'
import { errorRows, ImportPreview, PreviewTable } from '~/components/import-preview'
import { ETSY_ORDERS_FILE_NAMES } from '~/models/etsy/order-rows'
import {
  DELIVERED_AFTER_DAYS,
  ORDERS_OPTION_FIELDS,
  OrdersImportOptions,
  type OrdersImportOptionsInput,
} from '~/models/etsy/orders-import-form'
import {
  confirmOrdersImport,
  MAX_ORDERS_FILE_MEGABYTES,
  ORDERS_FILE_TOO_LARGE,
  ORDERS_UPLOAD_FIELDS,
  ordersUpload,
  previewOrdersImport,
} from '~/models/etsy/orders-import.server'
import type { OrdersImportCounts, OrdersImportPreview } from '~/models/etsy/preview'
import { isImportDigest, isImportId } from '~/models/etsy/upload-store.server'
import { ORDER_STATUS_LABELS } from '~/models/order-options'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { readMultipart } from '~/services/http.server'
import { useTimeZone } from '~/components/time-zone'
import { dayOf, formatShortDay } from '~/utils/dates'
import { formatMoney } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: 'Import Etsy orders · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return { currency: env().SHOP_CURRENCY, maxMegabytes: MAX_ORDERS_FILE_MEGABYTES }
}

type Field = (typeof ORDERS_UPLOAD_FIELDS)[number]

/**
 * A problem (at a file field, or about the whole form), or a preview (with a notice when it is a
 * second look); and the option as it was sent, with its errors, to show it again.
 */
interface ActionData {
  problem?: string
  field?: Field | null
  preview?: OrdersImportPreview
  notice?: string
  options?: SubmissionResult<string[]>
}

const problem = (message: string, field: Field | null, status: number, options?: SubmissionResult<string[]>) =>
  data<ActionData>({ problem: message, field, options }, { status })

/** The option's fields of a form (and nothing else of it, the upload ids least of all), checked. */
function readOptions(form: FormData) {
  const fields = new FormData()
  for (const name of ORDERS_OPTION_FIELDS) for (const value of form.getAll(name)) fields.append(name, value)
  return parseWithZod(fields, { schema: OrdersImportOptions })
}

/** The flash after an import: what was written, in one line. */
function importedMessage(counts: OrdersImportCounts, files: OrdersImportPreview['files']) {
  const skipped = counts.alreadyImported ? ` (${counts.alreadyImported} already imported, skipped)` : ''
  const orders = `Imported ${counts.new} Etsy ${counts.new === 1 ? 'order' : 'orders'}${skipped}`
  if (!files.items) return `${orders}, without their lines: those are in EtsySoldOrderItems.csv.`
  const matched = counts.lines - counts.unmatched
  const short = counts.shortfalls ? `; ${counts.shortfalls} short of stock` : ''
  return `${orders}: ${counts.lines} lines, ${matched} matched to fabrics, ${counts.unmatched} not${short}.`
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request)
  // The upload form is multipart (it carries the files); the confirm form is a plain one.
  const upload = ordersUpload()
  const read = await readMultipart({ request, upload: upload.handler })
  if (read) {
    if (!read.ok) {
      await upload.discard()
      const options = readOptions(read.values).reply()
      const fileField = ORDERS_UPLOAD_FIELDS.find((f) => f === read.field)
      if (read.problem === 'too-large' && fileField) return problem(ORDERS_FILE_TOO_LARGE, fileField, 413, options)
      // A body cut short, not the multipart it says it is, or an option of kilobytes: nothing to do but send it again.
      return problem('The upload could not be read. Try again.', null, 400, options)
    }
    const { form } = read
    const uploads = ORDERS_UPLOAD_FIELDS.flatMap((field) => {
      const uploadId = form.get(field)
      return isImportId(uploadId) ? [{ field, uploadId }] : []
    })
    const submission = readOptions(form)
    if (submission.status !== 'success') {
      await upload.discard()
      return data<ActionData>({ options: submission.reply() }, { status: 400 })
    }
    const options = submission.reply()
    if (!uploads.length) return problem('Choose EtsySoldOrders.csv, EtsySoldOrderItems.csv, or both.', 'orders', 400, options)
    const result = await previewOrdersImport({
      uploadIds: uploads.map((u) => u.uploadId),
      userId: admin.id,
      deliveredAfterDays: submission.value.deliveredAfterDays,
    })
    if (!result.ok) {
      return problem(result.problem, uploads.find((u) => u.uploadId === result.uploadId)?.field ?? null, 400, options)
    }
    const blocked = result.preview.counts.errors || result.preview.currency
    return data<ActionData>({ preview: result.preview, options }, { status: blocked ? 422 : 200 })
  }

  const form = await request.formData()
  const uploadIds = form.getAll('uploadId')
  const digest = form.get('digest')
  const submission = readOptions(form)
  if (!uploadIds.length || !uploadIds.every(isImportId) || !isImportDigest(digest) || submission.status !== 'success') {
    return problem('This preview cannot be confirmed: upload the files again.', null, 400)
  }
  const { deliveredAfterDays } = submission.value
  const result = await confirmOrdersImport({ uploadIds, digest, userId: admin.id, deliveredAfterDays })
  if (result.ok) {
    return redirectWithFlash('/orders', importedMessage(result.counts, result.files))
  }
  if ('preview' in result) {
    const notice =
      result.problem === 'changed' ? 'The catalog or the orders changed since the preview: check again.' : undefined
    return data<ActionData>({ preview: result.preview, notice, options: submission.reply() }, { status: 409 })
  }
  return problem(result.problem, null, 400)
}


function Preview({ preview, notice, currency: shopCurrency }: { preview: OrdersImportPreview; notice?: string; currency: string }) {
  const { counts, files, delivered } = preview
  // Files in another currency show their amounts as they are in the files.
  const currency = preview.currency?.file ?? shopCurrency
  const today = dayOf(new Date(), useTimeZone())
  return (
    <ImportPreview
      notice={notice}
      figures={[
        ...(delivered ? [{ label: 'Marked delivered', value: counts.delivered }] : []),
        { label: 'New orders', value: counts.new },
        { label: 'Already imported', value: counts.alreadyImported },
        { label: 'Lines', value: counts.lines },
        { label: 'Matched by listing ID', value: counts.byListingId },
        { label: 'Matched by SKU', value: counts.bySku },
        { label: 'Matched by title', value: counts.byTitle },
        { label: 'Unmatched lines', value: counts.unmatched },
        { label: 'Short of stock', value: counts.shortfalls },
        { label: 'Errors', value: counts.errors },
      ]}
      summary={
        <>
          {counts.new ? (
            <p>
              Of the new orders, {counts.pending} {counts.pending === 1 ? 'is' : 'are'} pending, {counts.shipped} shipped
              {delivered ? `, ${counts.delivered} delivered` : null} and {counts.cancelled} cancelled.{' '}
              {files.items ? `They take ${counts.unitsTaken} units from stock; cancelled orders take none.` : null}
            </p>
          ) : null}
          {delivered ? (
            <p>
              {`${counts.delivered} of the new ${counts.delivered === 1 ? 'order was' : 'orders were'} sold before ${formatShortDay(delivered.before, today)} `}
              {`(more than ${delivered.afterDays} ${delivered.afterDays === 1 ? 'day' : 'days'} ago) and will be marked delivered. `}
              Orders that Etsy’s file says are cancelled or refunded stay as it says.
            </p>
          ) : null}
          {!files.items ? (
            <p role="note">
              Only the orders file was uploaded: these orders would be imported without their lines, and take nothing from
              stock. The lines are in EtsySoldOrderItems.csv, and importing it later will not add them (orders already imported
              are skipped): to have the lines, upload both files together.
            </p>
          ) : counts.withoutLines ? (
            <p>{counts.withoutLines} of the new orders have no lines in EtsySoldOrderItems.csv and would be imported without any.</p>
          ) : null}
        </>
      }
      errors={{
        count: counts.errors,
        problem: preview.currency?.message ?? null,
        problemHeading: `The ${preview.uploadIds.length === 2 ? 'files need' : 'file needs'} fixing before anything is imported`,
        fix: 'Correct these rows, then upload the files again.',
        columns: ['File', 'Row', 'Etsy order'],
        rows: errorRows(preview.errors, (e) => ({
          key: `${e.file === ETSY_ORDERS_FILE_NAMES.items ? 'items' : 'orders'}-row-${e.row}`,
          label: `${e.file}, row ${e.row}${e.etsyOrderId ? `, order ${e.etsyOrderId}` : ''}`,
          cells: [e.file, String(e.row), e.etsyOrderId ?? ''],
          message: `${e.column ? `${e.column} ` : ''}${e.message}`,
        })),
        more: preview.moreErrors,
      }}
      nothingToDo={counts.new === 0 ? 'Every order in the files has been imported already: there is nothing to import.' : null}
      confirm={{
        uploadIds: preview.uploadIds,
        digest: preview.digest,
        fields: delivered ? { markDelivered: 'on', deliveredAfterDays: String(delivered.afterDays) } : undefined,
      }}
    >
      <PreviewTable
        id="short-title"
        title="Short of stock"
        intro="Stock goes to the orders in the order they were placed, and never below zero: these orders get less than they asked for."
        shown={preview.shortfalls.length}
        total={counts.shortfalls}
        what="shortfalls"
        where="the files"
      >
        <thead>
          <tr>
            <th scope="col">Fabric</th>
            <th scope="col">Etsy order</th>
            <th scope="col" className="num">
              Wanted
            </th>
            <th scope="col" className="num">
              Taken
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.shortfalls.map((s) => (
            <tr key={`${s.fabricId}-${s.etsyOrderId}`}>
              <td>
                <Link to={`/fabrics/${s.fabricId}`}>{s.fabricName}</Link>
              </td>
              <td>{s.etsyOrderId}</td>
              <td className="num">{s.wanted}</td>
              <td className="num">{s.taken}</td>
            </tr>
          ))}
        </tbody>
      </PreviewTable>
      <PreviewTable
        id="unmatched-title"
        title="Unmatched lines"
        intro="No fabric has these lines’ Etsy listing ID, SKU or title (or more than one has): they are kept as text and take nothing from stock."
        shown={preview.unmatchedLines.length}
        total={counts.unmatched}
        what="unmatched lines"
        where="the files"
      >
        <thead>
          <tr>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col">Etsy order</th>
            <th scope="col">Item</th>
          </tr>
        </thead>
        <tbody>
          {preview.unmatchedLines.map((l) => (
            <tr key={l.row}>
              <td className="num">{l.row}</td>
              <td>{l.etsyOrderId}</td>
              <td>{l.name}</td>
            </tr>
          ))}
        </tbody>
      </PreviewTable>
      <PreviewTable
        id="new-title"
        title="New orders"
        shown={preview.newOrders.length}
        total={counts.new}
        what="new orders"
        where="the files"
      >
        <thead>
          <tr>
            <th scope="col">Sale date</th>
            <th scope="col">Etsy order</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Lines
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.newOrders.map((o) => (
            <tr key={o.etsyOrderId}>
              <td>{formatShortDay(o.saleDate, today)}</td>
              <td>{o.etsyOrderId}</td>
              <td>{o.customerName}</td>
              <td>
                <span className={`status status-${o.status}`}>{ORDER_STATUS_LABELS[o.status]}</span>
              </td>
              <td className="num">{o.lines}</td>
              <td className="num">{formatMoney(o.total, currency)}</td>
            </tr>
          ))}
        </tbody>
      </PreviewTable>
    </ImportPreview>
  )
}

function FileField({ field, label, problem }: { field: Field; label: string; problem?: string }) {
  const id = `${field}-file`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        name={field}
        accept=".csv,text/csv"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} errors={problem ? [problem] : undefined} />
    </div>
  )
}

const UPLOAD_FORM_ID = 'orders-upload'

/** The option: "Mark orders older than [30] days as delivered", as typed when the page comes back. */
function DeliveredOption({ options }: { options?: SubmissionResult<string[]> }) {
  const [, fields] = useForm<OrdersImportOptionsInput>({
    // The fields name their form by its id (Conform's `form` attribute): the upload form's.
    id: UPLOAD_FORM_ID,
    lastResult: options,
    defaultValue: { deliveredAfterDays: String(DELIVERED_AFTER_DAYS.default) },
  })
  return (
    <fieldset className="stack">
      <legend>Orders sent long ago</legend>
      <p className="hint" id="delivered-hint">
        Etsy’s files show orders sent long ago as shipped (or, without a shipping date, pending): imported as they are, they
        stay open. Orders that the file says are cancelled or refunded stay as it says.
      </p>
      <div className="check">
        <input
          id={fields.markDelivered.id}
          type="checkbox"
          name={fields.markDelivered.name}
          value="on"
          defaultChecked={fields.markDelivered.initialValue === 'on'}
          aria-describedby="delivered-hint"
        />
        <label htmlFor={fields.markDelivered.id}>Mark old orders as delivered</label>
      </div>
      <TextField label="Orders older than this many days" field={fields.deliveredAfterDays} inputMode="numeric" />
    </fieldset>
  )
}

export default function ImportOrdersPage() {
  const { currency, maxMegabytes } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const fieldProblem = (field: Field) => (result?.problem && result.field === field ? result.problem : undefined)
  return (
    <>
      <h1>Import Etsy orders</h1>
      <div className="cards">
        <Form
          id={UPLOAD_FORM_ID}
          method="post"
          encType="multipart/form-data"
          className="card stack"
          aria-labelledby="upload-title"
        >
          <h2 id="upload-title">Upload</h2>
          <p>
            Download the files from Etsy (Shop Manager → Settings → Options → Download Data → Orders): the sold orders, the
            sold order items, or both. Each file is recognised by its first row, whichever field it is in. Orders already
            imported are skipped; lines are matched to fabrics by Etsy listing ID, then SKU, then title. Amounts must be in{' '}
            {currency}. Up to {maxMegabytes} MB a file. Nothing is written until you confirm.
          </p>
          {result?.problem && !result.field ? <FormErrors id="upload-error" errors={[result.problem]} /> : null}
          <FileField field="orders" label="Sold orders (EtsySoldOrders.csv)" problem={fieldProblem('orders')} />
          <FileField field="items" label="Sold order items (EtsySoldOrderItems.csv)" problem={fieldProblem('items')} />
          <DeliveredOption options={result?.options} />
          <button type="submit">Upload and preview</button>
        </Form>
      </div>
      {result?.preview ? <Preview preview={result.preview} notice={result.notice} currency={currency} /> : null}
    </>
  )
}
