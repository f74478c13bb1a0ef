import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { PlatformTag, StatusLabel } from '~/components/calendar-views'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { FormErrors, TextField } from '~/components/form'
import { useTimeZone } from '~/components/time-zone'
import {
  contentStatus,
  ENGAGEMENT_FIELDS,
  ENGAGEMENT_LABELS,
  PLATFORM_LABELS,
  PLATFORMS,
  TYPE_LABELS,
} from '~/models/content-options'
import {
  canEdit,
  deleteEntry,
  duplicateEntry,
  getEntry,
  recordEngagement,
  setPublished,
  type ChangeResult,
} from '~/models/content.server'
import { engagementSchema } from '~/models/content-form'
import type { EngagementReading } from '~/models/json-types'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { toLocalInput } from '~/utils/dates'
import { formatDateTime, formatNumber } from '~/utils/format'
import { formatHashtags } from '~/utils/hashtags'
import { searchParamsOf } from '~/utils/validation'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.entry.title ?? 'Entry'} · Tara Hub` }]

const OtherIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('publish') }),
  z.object({ intent: z.literal('unpublish') }),
  z.object({ intent: z.literal('delete') }),
  z.object({ intent: z.literal('duplicate'), platform: z.enum(PLATFORMS) }),
])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const entry = await getEntry({ id: params.id!, actor: user })
  if (!entry) throw notFound()
  const editable = canEdit(user, entry)
  return {
    entry,
    editable,
    // `?delete` shows the question in the page (components/confirm.tsx).
    confirmDelete: editable && searchParamsOf(request).has('delete'),
    now: toLocalInput(new Date(), env().SHOP_TIMEZONE),
  }
}

function refused(result: ChangeResult | { ok: false; problem: 'not-published' }) {
  if (result.ok) return null
  if (result.problem === 'not-found') return notFound()
  if (result.problem === 'forbidden') return new Response('Only its author or an admin can change this entry.', { status: 403 })
  return null
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const id = params.id!
  const formData = await request.formData()
  const here = `/calendar/entries/${id}`
  if (formData.get('intent') === 'engagement') {
    const submission = parseWithZod(formData, { schema: engagementSchema(env().SHOP_TIMEZONE, new Date()) })
    if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
    const result = await recordEngagement({ id, actor: user, reading: submission.value })
    if (!result.ok && result.problem === 'not-published') {
      return data(submission.reply({ formErrors: ['Mark the entry as published before recording how it did.'] }), {
        status: 409,
      })
    }
    const refusal = refused(result)
    if (refusal) throw refusal
    return redirectWithFlash(here, 'Engagement recorded.')
  }
  const submission = parseWithZod(formData, { schema: OtherIntent })
  if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
  const value = submission.value
  switch (value.intent) {
    case 'publish':
    case 'unpublish': {
      const refusal = refused(await setPublished({ id, actor: user, published: value.intent === 'publish' }))
      if (refusal) throw refusal
      return redirectWithFlash(here, value.intent === 'publish' ? 'Marked as published.' : 'Marked as not published.')
    }
    case 'delete': {
      const refusal = refused(await deleteEntry({ id, actor: user }))
      if (refusal) throw refusal
      return redirectWithFlash('/calendar', 'Entry deleted.')
    }
    case 'duplicate': {
      const copy = await duplicateEntry({ id, actor: user, platform: value.platform })
      if (copy.ok) return redirectWithFlash(`/calendar/entries/${copy.id}`, `Duplicated to ${PLATFORM_LABELS[value.platform]}.`)
      if (copy.problem === 'not-found') throw notFound()
      // Too long for that platform: open the copy in the form, to shorten and save.
      return redirect(`/calendar/entries/new?copy=${id}&platform=${value.platform}`)
    }
  }
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function EngagementForm({ now }: { now: string }) {
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm<Record<(typeof ENGAGEMENT_FIELDS)[number] | 'readAt', string>>({
    id: 'engagement',
    lastResult,
    defaultValue: { readAt: now },
  })
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="engagement" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="field-row">
        {ENGAGEMENT_FIELDS.map((f) => (
          <TextField key={f} label={ENGAGEMENT_LABELS[f]} field={fields[f]} inputMode="numeric" autoComplete="off" />
        ))}
      </div>
      <p className="hint">Like 2,400. Leave a figure blank if you did not read it.</p>
      <TextField label="Read on" field={fields.readAt} type="datetime-local" />
      <p>
        <button type="submit">Record engagement</button>
      </p>
    </Form>
  )
}

export default function EntryPage() {
  const { entry, editable, confirmDelete, now } = useLoaderData<typeof loader>()
  const timeZone = useTimeZone()
  const status = contentStatus(entry)
  const { history = [], ...latest } = entry.engagementMetrics
  const readings = [...(latest.readAt ? [latest as EngagementReading] : []), ...[...history].reverse()]
  return (
    <>
      <p>
        <Link to="/calendar">← Calendar</Link>
      </p>
      <h1>{entry.title}</h1>
      <p>
        <PlatformTag platform={entry.platform} /> {TYPE_LABELS[entry.contentType]} · <StatusLabel status={status} />
        {editable ? (
          <>
            {' · '}
            <Link to="edit">Edit</Link>
          </>
        ) : null}
      </p>
      <dl className="details">
        <Detail label="Scheduled">
          {entry.scheduledDate ? formatDateTime(entry.scheduledDate, timeZone, { weekday: true }) : 'Not yet (draft)'}
        </Detail>
        <Detail label="Published on">{entry.publishedDate ? formatDateTime(entry.publishedDate, timeZone) : 'No'}</Detail>
        <Detail label="Author">{entry.author}</Detail>
        <Detail label="Hashtags">{entry.hashtags.length ? formatHashtags(entry.hashtags) : '—'}</Detail>
        <Detail label="Fabrics">
          {entry.fabrics.length ? (
            <ul className="choices">
              {entry.fabrics.map((f) => (
                <li key={f.id}>
                  <Link to={`/fabrics/${f.id}`}>{f.name}</Link>
                  {f.sku ? ` (${f.sku})` : null}
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </Detail>
        <Detail label="Media">
          {entry.mediaUrls.length ? (
            <ul className="choices">
              {entry.mediaUrls.map((url) => (
                <li key={url}>
                  <a href={url} rel="noreferrer noopener">
                    {url}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </Detail>
      </dl>
      {entry.description ? (
        <section aria-labelledby="description-heading">
          <h2 id="description-heading">Description</h2>
          <p className="pre-wrap">{entry.description}</p>
        </section>
      ) : null}

      <section aria-labelledby="actions-heading" className="stack">
        <h2 id="actions-heading">Actions</h2>
        <div className="button-row">
          {editable ? (
            <Form method="post">
              <input type="hidden" name="intent" value={entry.published ? 'unpublish' : 'publish'} />
              <button type="submit">{entry.published ? 'Mark as not published' : 'Mark as published'}</button>
            </Form>
          ) : null}
          {PLATFORMS.filter((p) => p !== entry.platform).map((p) => (
            <Form method="post" key={p}>
              <input type="hidden" name="intent" value="duplicate" />
              <input type="hidden" name="platform" value={p} />
              <button type="submit" className="secondary">
                Duplicate to {PLATFORM_LABELS[p]}
              </button>
            </Form>
          ))}
          {editable ? (
            <ConfirmLink dialog="delete-entry" to="?delete">
              Delete entry “{entry.title}”…
            </ConfirmLink>
          ) : null}
        </div>
        {editable ? (
          <Confirm
            id="delete-entry"
            open={confirmDelete}
            level={3}
            title={`Delete “${entry.title}”?`}
            confirmLabel={`Delete entry “${entry.title}”`}
            cancelTo="."
            fields={{ intent: 'delete' }}
          >
            <p>It leaves the calendar and everyone’s phone calendars. This cannot be undone.</p>
          </Confirm>
        ) : null}
      </section>

      {entry.published ? (
        <section aria-labelledby="engagement-heading" className="stack">
          <h2 id="engagement-heading">Engagement</h2>
          {readings.length ? (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Engagement readings, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Read on</th>
                    {ENGAGEMENT_FIELDS.map((f) => (
                      <th scope="col" key={f} className="num">
                        {ENGAGEMENT_LABELS[f]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {readings.map((r, i) => (
                    <tr key={`${r.readAt}-${i}`}>
                      <th scope="row">{formatDateTime(r.readAt, timeZone)}</th>
                      {ENGAGEMENT_FIELDS.map((f) => (
                        <td key={f} className="num">
                          {r[f] == null ? <span className="muted">not read</span> : formatNumber(r[f])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="empty">No figures recorded yet.</p>
          )}
          {editable ? <EngagementForm now={now} /> : null}
        </section>
      ) : null}
    </>
  )
}
