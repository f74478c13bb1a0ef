// The preview an import page shows after an upload. First, when anything stops the import, an
// error summary (GOV.UK's pattern: a focusable box with a heading that counts the rows to fix, a
// problem of the whole upload said once, then a link to each row's place in the table of rows
// to fix); then what the import would do, in figures; then the form that confirms it, shown only
// when there is nothing to fix; then the tables: the rows to fix first, then the rows it would write.
// Both Etsy imports (listings, sold orders) render it; they differ in figures, words and tables.
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Figure, MoreRows } from './figures'
import { formatCount, formatNumber } from '~/utils/format'

/** A row of the upload that has errors: one entry of the summary, and one row of the table of rows to fix. */
export interface ErrorRow {
  /** The id of its row in the table ("row-3", "orders-row-3"): the summary links to it. */
  id: string
  /** How the summary names it: "Row 3, Sage Linen (SKU TH-1)". */
  label: string
  /** Its cells in the table, under the table's columns (the last column, what is wrong, is added). */
  cells: string[]
  messages: string[]
}

/** Errors in upload order, one entry per row (`key` tells rows apart), each with all its messages. */
export function errorRows<E>(
  errors: E[],
  row: (error: E) => { key: string; label: string; cells: string[]; message: string },
): ErrorRow[] {
  const byKey = new Map<string, ErrorRow>()
  for (const error of errors) {
    const { key, label, cells, message } = row(error)
    const known = byKey.get(key)
    if (known) known.messages.push(message)
    else byKey.set(key, { id: key, label, cells, messages: [message] })
  }
  return [...byKey.values()]
}

// Until the shared number formatter: counts with thousands separators.
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
  errors: {
    /** Rows with errors in the whole upload (more than are listed, maybe). */
    count: number
    /** What is wrong with the whole upload (another currency), said once before the rows; null when nothing is. */
    problem: string | null
    /** The heading when no row has errors but the upload has a problem: "The file needs fixing before anything is imported". */
    problemHeading: string
    /** What to do about the rows: "Correct these rows in the file, then upload it again." */
    fix: string
    /** The table's columns before "What is wrong" ("Row", "Title", "SKU"), and its first rows. */
    columns: string[]
    rows: ErrorRow[]
    /** Errors beyond the ones listed. */
    more: number
  }
  /** What to say when the upload would change nothing; null when it would. */
  nothingToDo: string | null
  /** What the confirm form sends back: the uploads, the plan's digest, and the options the plan was made with. */
  confirm: { uploadIds: string[]; digest: string; fields?: Record<string, string> }
  /** The tables (PreviewTable). */
  children?: ReactNode
}) {
  const blocked = errors.count > 0 || errors.problem !== null
  return (
    <section className="stack" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {notice ? (
        <div className="form-error" role="alert">
          <p>{notice}</p>
        </div>
      ) : null}
      {blocked ? <ErrorSummary errors={errors} /> : null}
      <dl className="figures" aria-label="What the import would do">
        {figures.map((f) => (
          <Figure key={f.label} label={f.label} value={f.value} />
        ))}
      </dl>
      {summary}
      {blocked ? null : nothingToDo ? (
        <p>{nothingToDo}</p>
      ) : (
        <Form method="post" className="stack">
          {confirm.uploadIds.map((uploadId) => (
            <input key={uploadId} type="hidden" name="uploadId" value={uploadId} />
          ))}
          <input type="hidden" name="digest" value={confirm.digest} />
          {Object.entries(confirm.fields ?? {}).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <p>Nothing has been written yet. Confirm to import all of it at once.</p>
          <button type="submit">Confirm import</button>
        </Form>
      )}
      {errors.rows.length ? (
        <section aria-labelledby="error-rows-title">
          <h3 id="error-rows-title">Rows to fix</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {errors.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                  <th scope="col">What is wrong</th>
                </tr>
              </thead>
              <tbody>
                {errors.rows.map((r) => (
                  <tr key={r.id} id={r.id}>
                    {r.cells.map((cell, i) => (
                      <td key={i}>{cell || <span className="empty">—</span>}</td>
                    ))}
                    <td>
                      {r.messages.length === 1 ? (
                        r.messages[0]
                      ) : (
                        <ul className="plain">
                          {r.messages.map((m, i) => (
                            <li key={i}>{m}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {children}
    </section>
  )
}

/**
 * The box that comes first when anything stops the import: focusable (tabindex -1, so that a
 * script may move focus to it), announced (role alert), its heading counting the rows to fix.
 */
function ErrorSummary({ errors }: { errors: Parameters<typeof ImportPreview>[0]['errors'] }) {
  const heading = errors.count
    ? `${formatNumber(errors.count)} ${errors.count === 1 ? 'row needs' : 'rows need'} fixing before anything is imported`
    : errors.problemHeading
  return (
    <div className="error-summary" id="error-summary" tabIndex={-1}>
      <div role="alert" aria-labelledby="error-summary-title">
        <h3 id="error-summary-title">{heading}</h3>
        {errors.problem ? <p className="error-summary-problem">{errors.problem}</p> : null}
        {errors.rows.length ? (
          <>
            <p>{errors.fix}</p>
            <ul className="error-summary-list">
              {errors.rows.map((r) => (
                <li key={r.id}>
                  <a href={`#${r.id}`}>{`${r.label}: ${r.messages.join('; ')}`}</a>
                </li>
              ))}
            </ul>
            {errors.more ? <p>{`…and ${formatCount(errors.more, 'more error', 'more errors')} further on.`}</p> : null}
          </>
        ) : null}
      </div>
    </div>
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
