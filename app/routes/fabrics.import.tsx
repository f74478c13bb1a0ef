// /fabrics/import: an admin uploads Etsy's listings file, sees what it would change, and confirms.
// The upload (multipart) answers with the preview; the confirm form (upload id + the plan's
// digest) imports exactly that plan, or shows the new one if the catalog moved meanwhile.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Fragment } from 'react'
import { errorRows, ImportPreview, PreviewTable } from '~/components/import-preview'
import {
  confirmListingsImport,
  listingsUploadHandler,
  MAX_IMPORT_MEGABYTES,
  previewListingsImport,
  TOO_LARGE_MESSAGE,
} from '~/models/etsy/listings-import.server'
import type { ListingsImportPreview } from '~/models/etsy/preview'
import { isImportDigest, isImportId } from '~/models/etsy/upload-store.server'
import { requireAdmin } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { readMultipart } from '~/services/http.server'
import { formatNumber } from '~/utils/format'
import { formatMoney } from '~/utils/money'

export const meta: MetaFunction = () => [{ title: 'Import Etsy listings · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return { currency: env().SHOP_CURRENCY, maxMegabytes: MAX_IMPORT_MEGABYTES }
}

/** A problem with the file (shown at the file field), or a preview (with a notice when it is a second look). */
type ActionData =
  | { problem: string; preview?: undefined; notice?: undefined }
  | { preview: ListingsImportPreview; notice?: string; problem?: undefined }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request)
  // The upload form is multipart (it carries the file); the confirm form is a plain one.
  const upload = await readMultipart({ request, upload: listingsUploadHandler() })
  if (upload) {
    if (!upload.ok) {
      if (upload.problem === 'too-large') return data<ActionData>({ problem: TOO_LARGE_MESSAGE }, { status: 413 })
      // A body cut short, or not the multipart it says it is: nothing to do but send it again.
      return data<ActionData>({ problem: 'The upload could not be read. Try again.' }, { status: 400 })
    }
    const uploadId = upload.form.get('file')
    if (!isImportId(uploadId)) return data<ActionData>({ problem: 'Choose the Etsy listings file to upload.' }, { status: 400 })
    const result = await previewListingsImport({ uploadId })
    if (!result.ok) return data<ActionData>({ problem: result.problem }, { status: 400 })
    return data<ActionData>({ preview: result.preview }, { status: result.preview.counts.errors ? 422 : 200 })
  }

  const form = await request.formData()
  const uploadId = form.get('uploadId')
  const digest = form.get('digest')
  if (!isImportId(uploadId) || !isImportDigest(digest)) {
    return data<ActionData>({ problem: 'This preview cannot be confirmed: upload the file again.' }, { status: 400 })
  }
  const result = await confirmListingsImport({ uploadId, digest, userId: admin.id })
  if (result.ok) {
    const { counts } = result
    return redirectWithFlash('/fabrics', `Imported: ${counts.new} new, ${counts.changed} changed, ${counts.unchanged} unchanged.`)
  }
  if ('preview' in result) {
    const notice = result.problem === 'changed' ? 'The catalog changed since the preview: check again.' : undefined
    return data<ActionData>({ preview: result.preview, notice }, { status: 409 })
  }
  return data<ActionData>({ problem: result.problem }, { status: 400 })
}

/** A value over several lines (descriptions, image addresses) as lines. */
function Lines({ text }: { text: string }) {
  if (!text) return <span className="empty">—</span>
  const lines = text.split('\n')
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {line}
          {i < lines.length - 1 ? <br /> : null}
        </Fragment>
      ))}
    </>
  )
}

function Preview({ preview, notice, currency: shopCurrency }: { preview: ListingsImportPreview; notice?: string; currency: string }) {
  const { counts } = preview
  // A file in another currency shows its prices as they are in the file.
  const currency = preview.currency?.file ?? shopCurrency
  return (
    <ImportPreview
      notice={notice}
      figures={[
        { label: 'New', value: counts.new },
        { label: 'Changed', value: counts.changed },
        { label: 'Unchanged', value: counts.unchanged },
        { label: 'Errors', value: counts.errors },
      ]}
      summary={
        preview.archived ? (
          <p>
            {preview.archived} of the fabrics the file matches {preview.archived === 1 ? 'is' : 'are'} archived: they are
            updated and stay archived.
          </p>
        ) : null
      }
      errors={{
        count: counts.errors,
        problem: preview.currency?.message ?? null,
        problemHeading: 'The file needs fixing before anything is imported',
        fix: 'Correct these rows in the file, then upload it again.',
        columns: ['Row', 'Title', 'SKU'],
        rows: errorRows(preview.errors, (e) => ({
          key: `row-${e.row}`,
          label: `Row ${e.row}${e.title ? `, ${e.title}` : ''}${e.sku ? ` (SKU ${e.sku})` : ''}`,
          cells: [String(e.row), e.title ?? '', e.sku ?? ''],
          message: e.message,
        })),
        more: preview.moreErrors,
      }}
      nothingToDo={
        counts.new + counts.changed === 0
          ? 'Every listing in the file is already in the catalog as it is: there is nothing to import.'
          : null
      }
      confirm={{ uploadIds: [preview.uploadId], digest: preview.digest }}
    >
      <PreviewTable
        id="new-title"
        title="New fabrics"
        shown={preview.newRows.length}
        total={counts.new}
        what="new fabrics"
        where="the file"
      >
        <thead>
          <tr>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col">Title</th>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Quantity
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.newRows.map((r) => (
            <tr key={r.row}>
              <td className="num">{r.row}</td>
              <td>{r.title}</td>
              <td>{r.sku ?? '—'}</td>
              <td className="num">{formatMoney(r.price, currency)}</td>
              <td className="num">{formatNumber(r.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </PreviewTable>
      <PreviewTable
        id="changed-title"
        title="Changed fabrics"
        shown={preview.changedRows.length}
        total={counts.changed}
        what="changed fabrics"
        where="the file"
      >
        <thead>
          <tr>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col">Fabric</th>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {preview.changedRows.map((r) =>
            r.changes.map((c, i) => (
              <tr key={`${r.row}-${c.field}`}>
                {i === 0 ? (
                  <>
                    <td className="num" rowSpan={r.changes.length}>
                      {r.row}
                    </td>
                    <td rowSpan={r.changes.length}>
                      {r.name}
                      {r.archived ? <span className="mark"> archived</span> : null}
                    </td>
                  </>
                ) : null}
                <th scope="row">{c.field}</th>
                <td>
                  <Lines text={c.before} />
                </td>
                <td>
                  <Lines text={c.after} />
                </td>
              </tr>
            )),
          )}
        </tbody>
      </PreviewTable>
    </ImportPreview>
  )
}

export default function ImportPage() {
  const { currency, maxMegabytes } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const problem = result?.problem
  return (
    <>
      <h1>Import Etsy listings</h1>
      <div className="cards">
        <Form method="post" encType="multipart/form-data" className="card stack" aria-labelledby="upload-title">
          <h2 id="upload-title">Upload</h2>
          <p>
            Download the file from Etsy (Shop Manager → Settings → Options → Download Data). Listings are matched to
            fabrics by SKU, then by title; prices must be in {currency}. Up to {maxMegabytes} MB. Nothing is
            written until you confirm.
          </p>
          <div className="field">
            <label htmlFor="listings-file">Etsy listings file (EtsyListingsDownload.csv)</label>
            <input
              id="listings-file"
              type="file"
              name="file"
              accept=".csv,text/csv"
              required
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'listings-file-error' : undefined}
            />
            {problem ? (
              <p className="field-error" id="listings-file-error" role="alert">
                {problem}
              </p>
            ) : null}
          </div>
          <button type="submit">Upload and preview</button>
          <p>
            <a href="/fabrics/export.csv">Download the catalog in the same format</a>
          </p>
        </Form>
      </div>
      {result?.preview ? <Preview preview={result.preview} notice={result.notice} currency={currency} /> : null}
    </>
  )
}
