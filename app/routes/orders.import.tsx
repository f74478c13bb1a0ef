// /orders/import: an admin uploads Etsy's sold-orders files (either or both), sees what importing
// them would do, and confirms. The upload (multipart) answers with the preview; the confirm form
// (the upload ids + the plan's digest) imports exactly that plan, or shows the new one if the
// catalog or the orders moved meanwhile.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FieldError, FormErrors } from '~/components/form'
import { ImportPreview, PreviewTable } from '~/components/import-preview'
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

/** A problem (at a file field, or about the whole form), or a preview (with a notice when it is a second look). */
type ActionData =
  | { problem: string; field: Field | null; preview?: undefined; notice?: undefined }
  | { preview: OrdersImportPreview; notice?: string; problem?: undefined; field?: undefined }

const problem = (message: string, field: Field | null, status: number) =>
  data<ActionData>({ problem: message, field }, { status })

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
      if (read.problem === 'too-large') {
        return problem(ORDERS_FILE_TOO_LARGE, ORDERS_UPLOAD_FIELDS.find((f) => f === read.field) ?? null, 413)
      }
      // A body cut short, or not the multipart it says it is: nothing to do but send it again.
      return problem('The upload could not be read. Try again.', null, 400)
    }
    const { form } = read
    const uploads = ORDERS_UPLOAD_FIELDS.flatMap((field) => {
      const uploadId = form.get(field)
      return isImportId(uploadId) ? [{ field, uploadId }] : []
    })
    if (!uploads.length) return problem('Choose EtsySoldOrders.csv, EtsySoldOrderItems.csv, or both.', 'orders', 400)
    const result = await previewOrdersImport({ uploadIds: uploads.map((u) => u.uploadId), userId: admin.id })
    if (!result.ok) return problem(result.problem, uploads.find((u) => u.uploadId === result.uploadId)?.field ?? null, 400)
    return data<ActionData>({ preview: result.preview }, { status: result.preview.counts.errors ? 422 : 200 })
  }

  const form = await request.formData()
  const uploadIds = form.getAll('uploadId')
  const digest = form.get('digest')
  if (!uploadIds.length || !uploadIds.every(isImportId) || !isImportDigest(digest)) {
    return problem('This preview cannot be confirmed: upload the files again.', null, 400)
  }
  const result = await confirmOrdersImport({ uploadIds, digest, userId: admin.id })
  if (result.ok) {
    return redirectWithFlash('/orders', importedMessage(result.counts, result.files))
  }
  if ('preview' in result) {
    const notice =
      result.problem === 'changed' ? 'The catalog or the orders changed since the preview: check again.' : undefined
    return data<ActionData>({ preview: result.preview, notice }, { status: 409 })
  }
  return problem(result.problem, null, 400)
}


function Preview({ preview, notice, currency }: { preview: OrdersImportPreview; notice?: string; currency: string }) {
  const { counts, files } = preview
  const today = dayOf(new Date(), useTimeZone())
  return (
    <ImportPreview
      notice={notice}
      figures={[
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
              Of the new orders, {counts.pending} {counts.pending === 1 ? 'is' : 'are'} pending, {counts.shipped} shipped and{' '}
              {counts.cancelled} cancelled. {files.items ? `They take ${counts.unitsTaken} units from stock; cancelled orders take none.` : null}
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
        intro: 'Nothing can be imported while the files have errors. Correct these rows, then upload the files again.',
        lines: preview.errors.map((e) => `${e.file}, row ${e.row}: ${e.column ? `${e.column} ` : ''}${e.message}`),
        more: preview.moreErrors,
      }}
      nothingToDo={counts.new === 0 ? 'Every order in the files has been imported already: there is nothing to import.' : null}
      confirm={{ uploadIds: preview.uploadIds, digest: preview.digest }}
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

export default function ImportOrdersPage() {
  const { currency, maxMegabytes } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const fieldProblem = (field: Field) => (result?.problem && result.field === field ? result.problem : undefined)
  return (
    <>
      <h1>Import Etsy orders</h1>
      <div className="cards">
        <Form method="post" encType="multipart/form-data" className="card stack" aria-labelledby="upload-title">
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
          <button type="submit">Upload and preview</button>
        </Form>
      </div>
      {result?.preview ? <Preview preview={result.preview} notice={result.notice} currency={currency} /> : null}
    </>
  )
}
