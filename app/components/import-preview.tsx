// The preview an import page shows after an upload: what the import would do, in figures; the
// errors that stop it, or the form that confirms it; then tables of the rows it would write.
// Both Etsy imports (listings, sold orders) render it; they differ in figures, words and tables.
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Figure, MoreRows } from './figures'

export function ImportPreview({
  notice,
  figures,
  summary,
  errors,
  nothingToDo,
  confirm,
  children,
}: {
  /** Shown on top when the preview is a second look (the catalog moved since the first). */
  notice?: string
  figures: { label: string; value: number }[]
  /** Paragraphs under the figures. */
  summary?: ReactNode
  /** Rows with errors (`count`), the first of them as lines, and how many more there are. */
  errors: { count: number; intro: string; lines: string[]; more: number }
  /** What to say when the upload would change nothing; null when it would. */
  nothingToDo: string | null
  /** What the confirm form sends back: the uploads and the plan's digest. */
  confirm: { uploadIds: string[]; digest: string }
  /** The tables (PreviewTable). */
  children?: ReactNode
}) {
  return (
    <section className="stack" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {notice ? (
        <div className="form-error" role="alert">
          <p>{notice}</p>
        </div>
      ) : null}
      <dl className="figures" aria-label="What the import would do">
        {figures.map((f) => (
          <Figure key={f.label} label={f.label} value={f.value} />
        ))}
      </dl>
      {summary}

      {errors.count ? (
        <section aria-labelledby="errors-title">
          <h3 id="errors-title">Errors</h3>
          <p>{errors.intro}</p>
          <ul>
            {errors.lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          {errors.more ? <p>and {errors.more} more</p> : null}
        </section>
      ) : nothingToDo ? (
        <p>{nothingToDo}</p>
      ) : (
        <Form method="post" className="stack">
          {confirm.uploadIds.map((uploadId) => (
            <input key={uploadId} type="hidden" name="uploadId" value={uploadId} />
          ))}
          <input type="hidden" name="digest" value={confirm.digest} />
          <p>Nothing has been written yet. Confirm to import all of it at once.</p>
          <button type="submit">Confirm import</button>
        </Form>
      )}
      {children}
    </section>
  )
}

/** One table of a preview: the first rows of one kind, and how many more the upload holds. Nothing when there are none. */
export function PreviewTable({
  id,
  title,
  intro,
  shown,
  total,
  what,
  where,
  children,
}: {
  id: string
  title: string
  intro?: string
  /** Rows in the table, and of this kind in the upload. */
  shown: number
  total: number
  /** "new fabrics", and "the file": for the line under the table. */
  what: string
  where: string
  /** The table's head and body. */
  children: ReactNode
}) {
  if (!shown) return null
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {intro ? <p>{intro}</p> : null}
      <div className="table-wrap">
        <table>{children}</table>
      </div>
      <MoreRows shown={shown} total={total} what={what} where={where} />
    </section>
  )
}
