import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { Conflict } from '~/components/conflict'
import { ContentForm } from '~/components/content-form'
import { Flash } from '~/components/form'
import { entryFormValues } from '~/models/content-form'
import { readContentForm } from '~/models/content-form.server'
import { PLATFORM_LABELS, TYPE_LABELS } from '~/models/content-options'
import { canEdit, getEntry, updateEntry, type ContentEntryDetail, type ContentFields } from '~/models/content.server'
import type { ContentType, SocialPlatform } from '~/models/schema'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { toLocalInput } from '~/utils/dates'
import { formatHashtags } from '~/utils/hashtags'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.entry.title ?? 'entry'} · Tara Hub` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const entry = await getEntry({ id: params.id!, actor: user })
  if (!entry) throw notFound()
  if (!canEdit(user, entry)) throw new Response('Only its author or an admin can edit this entry.', { status: 403 })
  const { APP_URL: appUrl, SHOP_TIMEZONE: timeZone } = env()
  return { entry, values: entryFormValues(entry, { appUrl, timeZone }), appUrl }
}

const LABELS = {
  platform: 'Platform',
  contentType: 'Type',
  title: 'Title',
  description: 'Description',
  hashtags: 'Hashtags',
  scheduledAt: 'Scheduled for',
  media: 'Media',
  fabrics: 'Fabrics',
} as const
type Comparable = Record<keyof typeof LABELS, string>

/** An entry's fields as text, to set what is saved next to what this user typed. */
function comparable(
  fields: Omit<ContentFields, 'fabricIds'> & { fabricNames: string[] },
  timeZone: string,
): Comparable {
  return {
    platform: PLATFORM_LABELS[fields.platform as SocialPlatform],
    contentType: TYPE_LABELS[fields.contentType as ContentType],
    title: fields.title,
    description: fields.description ?? '',
    hashtags: formatHashtags(fields.hashtags),
    scheduledAt: fields.scheduledDate ? toLocalInput(new Date(fields.scheduledDate), timeZone).replace('T', ' ') : '',
    media: fields.mediaUrls.join('\n'),
    fabrics: fields.fabricNames.join(', '),
  }
}

function savedFields(entry: ContentEntryDetail) {
  return { ...entry, fabricNames: entry.fabrics.map((f) => f.name) }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const outcome = await readContentForm({ formData: await request.formData(), actor: user, edit: true })
  if (outcome.kind === 'render') {
    return data(
      { result: outcome.result, choices: outcome.choices, message: outcome.message ?? null, conflict: null },
      { status: outcome.status },
    )
  }
  const saved = await updateEntry({ id: params.id!, actor: user, version: outcome.version!, fields: outcome.fields })
  if (saved.ok) return redirectWithFlash(`/calendar/entries/${params.id}`, `Saved “${outcome.fields.title}”.`)
  if (saved.problem === 'not-found') throw notFound()
  if (saved.problem === 'forbidden') throw new Response('Only its author or an admin can edit this entry.', { status: 403 })
  // Nothing is written: the form keeps what this user typed, and shows what the other saved.
  const timeZone = env().SHOP_TIMEZONE
  const choices = await outcome.choices()
  const yours = comparable(
    { ...outcome.fields, fabricNames: choices.filter((c) => outcome.fields.fabricIds.includes(c.id)).map((c) => c.name) },
    timeZone,
  )
  return data(
    {
      result: outcome.reply({
        formErrors: ['Someone else changed this entry while you were editing it. Nothing was saved.'],
      }),
      choices,
      message: null,
      conflict: { version: saved.current.version, theirs: comparable(savedFields(saved.current), timeZone), yours },
    },
    { status: 409 },
  )
}

export default function EditEntryPage() {
  const { entry, values, appUrl } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const conflict = actionData?.conflict
  return (
    <>
      <p>
        <Link to={`/calendar/entries/${entry.id}`}>← {entry.title}</Link>
      </p>
      <h1>Edit {entry.title}</h1>
      {conflict ? (
        <Conflict
          thing="entry"
          fields={(Object.keys(LABELS) as (keyof Comparable)[]).map((key) => ({
            label: LABELS[key],
            theirs: conflict.theirs[key],
            yours: conflict.yours[key],
          }))}
        />
      ) : null}
      <Flash message={actionData?.message} />
      <ContentForm
        id="edit-entry"
        lastResult={actionData?.result}
        defaultValue={values}
        fabricChoices={actionData?.choices ?? entry.fabrics}
        appUrl={appUrl}
        submitLabel={conflict ? 'Save mine over theirs' : 'Save changes'}
      >
        {/* Saving again after a conflict means: over the version just shown. */}
        <input type="hidden" name="version" value={conflict?.version ?? entry.version} />
      </ContentForm>
    </>
  )
}
