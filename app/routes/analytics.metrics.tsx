// /analytics/metrics: figures only the platforms know (followers, profile visits, …), entered one
// at a time or uploaded as CSV (date,metric_type,platform,value), all or nothing, with every
// problem named by its row. A figure already entered is replaced only when asked to.
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { DataTable } from '~/components/data-table'
import { FieldError, FormErrors, SelectField, TextField } from '~/components/form'
import { importFiguresCsv, ManualFigureFields, metricWords, type RowProblem } from '~/models/analytics-import.server'
import {
  FIGURES_CSV_COLUMNS,
  MAX_FIGURES_FILE_BYTES,
  METRIC_PLATFORMS,
  PLATFORM_LABELS,
  SUGGESTED_MANUAL_METRICS,
} from '~/models/analytics-options'
import { deleteManualFigure, recentManualFigures, saveManualFigures } from '~/models/analytics.server'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { readMultipart } from '~/services/http.server'
import { dayOf, formatShortDay, isDay, type Day } from '~/utils/dates'
import { formatCount, formatNumber } from '~/utils/format'
import { searchParamsOf, text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Figures entered by hand · Tara Hub' }]

const HERE = '/analytics/metrics'
const RECENT_FIGURES = 50
const FigureForm = ManualFigureFields.extend({ replace: z.literal('on').optional() })
const DeleteForm = z.object({
  metricType: text().min(1).max(40),
  date: text().refine(isDay),
  platform: text().max(20).default(''),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return {
    today: dayOf(new Date(), env().SHOP_TIMEZONE),
    recent: await recentManualFigures({ limit: RECENT_FIGURES }),
    // `?delete=<metric>|<day>|<platform>` asks before deleting that figure (components/confirm.tsx).
    confirmDelete: searchParamsOf(request).get('delete'),
  }
}

type UploadReply = { upload: { message: string; problems: RowProblem[]; total: number } }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const upload = await readMultipart({ request, maxPartBytes: MAX_FIGURES_FILE_BYTES })
  if (upload) {
    if (!upload.ok) {
      const message =
        upload.problem === 'too-large'
          ? `The file is larger than ${MAX_FIGURES_FILE_BYTES / 1024 / 1024} MB: split it and upload the parts.`
          : 'The upload could not be read. Try again.'
      return data<UploadReply>({ upload: { message, problems: [], total: 0 } }, { status: 400 })
    }
    const { form } = upload
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) {
      return data<UploadReply>({ upload: { message: 'Choose a CSV file.', problems: [], total: 0 } }, { status: 400 })
    }
    const result = await importFiguresCsv({ text: await file.text(), userId: user.id, replace: form.get('replace') === 'on' })
    if (!result.ok) {
      const message = `Nothing was saved: ${formatCount(result.total, 'problem')} in ${file.name}.`
      return data<UploadReply>({ upload: { message, problems: result.problems, total: result.total } }, { status: 400 })
    }
    const saved = result.added + result.replaced + result.unchanged
    return redirectWithFlash(
      HERE,
      `Saved ${formatCount(saved, 'figure')} from ${file.name}: ${formatNumber(result.added)} new, ${formatNumber(result.replaced)} replaced, ${formatNumber(result.unchanged)} unchanged.`,
    )
  }

  const formData = await request.formData()
  if (formData.get('intent') === 'delete') {
    const submission = parseWithZod(formData, { schema: DeleteForm })
    // The delete buttons send what the page gave them: anything else is no form of this page.
    if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
    const deleted = await deleteManualFigure(submission.value)
    return redirectWithFlash(HERE, deleted ? 'Figure deleted.' : 'That figure was already gone.')
  }
  const submission = parseWithZod(formData, { schema: FigureForm })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const { replace, ...figure } = submission.value
  const saved = await saveManualFigures({ figures: [figure], userId: user.id, replace: replace === 'on' })
  if (!saved.ok) {
    const current = formatNumber(saved.existing[0]!.value)
    return data(
      submission.reply({
        fieldErrors: { value: [`Already ${current} for this day; tick “Replace a figure already entered” to overwrite it.`] },
      }),
      { status: 409 },
    )
  }
  const today = dayOf(new Date(), env().SHOP_TIMEZONE)
  const what = `${PLATFORM_LABELS[figure.platform]} ${metricWords(figure.metricType)} on ${formatShortDay(figure.date, today)}`
  return redirectWithFlash(HERE, saved.replaced ? `Replaced ${what}.` : `Saved ${what}.`)
}

export default function MetricsPage() {
  const { recent, today, confirmDelete } = useLoaderData<typeof loader>()
  return (
    <>
      <p>
        <Link to="/analytics">← Analytics</Link>
      </p>
      <h1>Figures entered by hand</h1>
      <p className="hint">
        For what only the platforms know: followers, profile visits, link clicks. Sales and interactions are computed from
        orders and posts; they cannot be entered here.
      </p>
      <div className="cards">
        <section className="card" aria-labelledby="enter-figure">
          <h2 id="enter-figure">Enter a figure</h2>
          <FigureEntry />
        </section>
        <section className="card" aria-labelledby="upload-figures">
          <h2 id="upload-figures">Upload a CSV file</h2>
          <FigureUpload />
        </section>
      </div>
      <section aria-labelledby="recent-figures">
        <h2 id="recent-figures">Latest figures</h2>
        {recent.length >= RECENT_FIGURES ? <p className="hint">{`The latest ${RECENT_FIGURES}, newest day first.`}</p> : null}
        <DataTable
          rows={recent.map((r, n) => ({ ...r, n, id: `${r.metricType}|${r.date}|${r.platform}` }))}
          empty="No figures entered yet."
          columns={[
            { header: 'Day', cell: (r) => formatShortDay(r.date, today) },
            { header: 'Metric', cell: (r) => r.metricType.replaceAll('_', ' ') },
            { header: 'Platform', cell: (r) => PLATFORM_LABELS[r.platform as keyof typeof PLATFORM_LABELS] ?? r.platform },
            { header: 'Figure', numeric: true, cell: (r) => formatNumber(r.value) },
            { header: 'Delete', cell: (r) => <DeleteFigure {...r} today={today} asking={confirmDelete === r.id} /> },
          ]}
        />
      </section>
    </>
  )
}

function FigureEntry() {
  const { today } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const lastResult = reply && !('upload' in reply) ? reply : undefined
  const [form, fields] = useForm<Record<'date' | 'metricType' | 'platform' | 'value' | 'replace', string>>({
    id: 'figure',
    lastResult,
    defaultValue: { date: today },
  })
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.date.id}>Day</label>
        <input
          id={fields.date.id}
          type="date"
          name={fields.date.name}
          defaultValue={fields.date.initialValue}
          aria-invalid={fields.date.errors ? true : undefined}
          aria-describedby={fields.date.errors ? fields.date.errorId : undefined}
        />
        <FieldError id={fields.date.errorId} errors={fields.date.errors} />
      </div>
      <TextField
        label="Metric"
        field={fields.metricType}
        list="metric-names"
        autoComplete="off"
        hint="In words, e.g. Followers, Link clicks"
      />
      <datalist id="metric-names">
        {SUGGESTED_MANUAL_METRICS.map((m) => (
          <option key={m} value={m.replaceAll('_', ' ')} />
        ))}
      </datalist>
      <SelectField
        label="Platform"
        field={fields.platform}
        options={(['', ...METRIC_PLATFORMS] as const).map((p) => ({ value: p, label: PLATFORM_LABELS[p] }))}
      />
      <TextField label="Figure" field={fields.value} inputMode="decimal" />
      <div className="check">
        <input
          id={fields.replace.id}
          type="checkbox"
          name={fields.replace.name}
          defaultChecked={fields.replace.initialValue === 'on'}
        />
        <label htmlFor={fields.replace.id}>Replace a figure already entered</label>
      </div>
      <p>
        <button type="submit">Save figure</button>
      </p>
    </Form>
  )
}

function FigureUpload() {
  const reply = useActionData<typeof action>()
  const upload = reply && 'upload' in reply ? reply.upload : null
  const busy = useNavigation().state === 'submitting'
  return (
    <Form method="post" encType="multipart/form-data" className="stack">
      <p className="hint" id="figures-file-hint">
        {`Columns ${FIGURES_CSV_COLUMNS.join(',')} (platform may be empty for all), one figure per row, e.g. `}
        <code>2026-11-02,followers,instagram,2640</code>. Up to {MAX_FIGURES_FILE_BYTES / 1024 / 1024} MB. Nothing is saved
        if any row is wrong.
      </p>
      <div className="field">
        <label htmlFor="figures-file">CSV file</label>
        <input
          id="figures-file"
          type="file"
          name="file"
          accept=".csv,text/csv"
          aria-describedby={upload ? 'figures-file-hint figures-file-error' : 'figures-file-hint'}
          aria-invalid={upload ? true : undefined}
        />
      </div>
      {upload ? (
        <div className="field-error" id="figures-file-error" role="alert">
          <p>{upload.message}</p>
          {upload.problems.length ? (
            <ul>
              {upload.problems.map((p, i) => (
                <li key={i}>{`Row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`}</li>
              ))}
            </ul>
          ) : null}
          {upload.total > upload.problems.length ? <p>{`…and ${upload.total - upload.problems.length} more.`}</p> : null}
        </div>
      ) : null}
      <div className="check">
        <input id="figures-replace" type="checkbox" name="replace" value="on" />
        <label htmlFor="figures-replace">Replace figures already entered</label>
      </div>
      <p>
        <button type="submit" disabled={busy}>
          Upload figures
        </button>
      </p>
    </Form>
  )
}

function DeleteFigure({
  metricType,
  date,
  platform,
  n,
  id,
  asking,
  today,
}: {
  metricType: string
  date: string
  platform: string
  n: number
  id: string
  asking: boolean
  today: Day
}) {
  const where = platform ? `on ${PLATFORM_LABELS[platform as keyof typeof PLATFORM_LABELS] ?? platform}` : 'for all platforms'
  const what = `${metricType.replaceAll('_', ' ')} ${where}, ${formatShortDay(date as Day, today)}`
  // The question is in the page only when asked (up to 50 rows): with JavaScript on, the link
  // fetches the page with it, shown as a modal.
  return (
    <>
      <ConfirmLink dialog={`delete-figure-${n}`} to={`?delete=${encodeURIComponent(id)}`}>
        Delete<span className="visually-hidden">{` ${what}`}</span>…
      </ConfirmLink>
      {asking ? (
        <Confirm
          id={`delete-figure-${n}`}
          open
          title={`Delete the figure ${what}?`}
          confirmLabel={`Delete ${what}`}
          cancelTo="."
          fields={{ intent: 'delete', metricType, date, platform }}
        >
          <p>Charts and totals no longer count it. This cannot be undone.</p>
        </Confirm>
      ) : null}
    </>
  )
}
