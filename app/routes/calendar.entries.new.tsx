import type { SubmissionResult } from '@conform-to/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ContentForm } from '~/components/content-form'
import { Flash } from '~/components/form'
import { entryFormValues, type ContentFormValues } from '~/models/content-form'
import { readContentForm } from '~/models/content-form.server'
import { PLATFORMS, platformProblems } from '~/models/content-options'
import { createEntry, fabricChoices, getEntry } from '~/models/content.server'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { isDay } from '~/utils/dates'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'New calendar entry · Tara Hub' }]

/**
 * `?date=YYYY-MM-DD` starts on that day; `?fabric=<id>` features a fabric; `?copy=<id>&platform=`
 * starts from a copy of an entry for another platform (a duplicate whose text is too long there).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { APP_URL: appUrl, SHOP_TIMEZONE: timeZone } = env()
  const params = searchParamsOf(request)
  const date = params.get('date')
  let defaultValue: ContentFormValues = {
    platform: 'instagram',
    contentType: 'post',
    scheduledAt: isDay(date) ? `${date}T10:00` : '',
    fabricIds: params.getAll('fabric'),
  }
  let lastResult: SubmissionResult<string[]> | null = null
  const source = params.get('copy') ? await getEntry({ id: params.get('copy')!, actor: user }) : null
  if (source) {
    const platform = PLATFORMS.find((p) => p === params.get('platform')) ?? source.platform
    defaultValue = { ...entryFormValues(source, { appUrl, timeZone }), platform }
    const problems = platformProblems({ platform, description: source.description, hashtags: source.hashtags })
    const error = Object.fromEntries(Object.entries(problems).map(([field, message]) => [field, [message]]))
    if (Object.keys(error).length) {
      lastResult = {
        status: 'error',
        initialValue: defaultValue as Record<string, string | string[]>,
        error: { ...error, '': ['This copy does not fit the platform’s limits yet: shorten it, then save.'] },
      }
    }
  }
  const choices = await fabricChoices({ actor: user, ids: defaultValue.fabricIds ?? [] })
  return { defaultValue, lastResult, choices, appUrl, copiedFrom: source?.title ?? null }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const outcome = await readContentForm({ formData: await request.formData(), actor: user, edit: false })
  if (outcome.kind === 'render') {
    return data({ result: outcome.result, choices: outcome.choices, message: outcome.message ?? null }, { status: outcome.status })
  }
  const id = await createEntry({ actor: user, fields: outcome.fields })
  return redirectWithFlash(`/calendar/entries/${id}`, `Added “${outcome.fields.title}” to the calendar.`)
}

export default function NewEntryPage() {
  const { defaultValue, lastResult, choices, appUrl, copiedFrom } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/calendar">← Calendar</Link>
      </p>
      <h1>New calendar entry</h1>
      {copiedFrom ? <p>A copy of “{copiedFrom}”.</p> : null}
      <Flash message={actionData?.message} />
      <ContentForm
        id="new-entry"
        lastResult={actionData?.result ?? lastResult}
        defaultValue={defaultValue}
        fabricChoices={actionData?.choices ?? choices}
        appUrl={appUrl}
        submitLabel="Add to calendar"
      />
    </>
  )
}
