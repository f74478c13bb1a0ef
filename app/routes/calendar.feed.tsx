// /calendar/feed: the signed-in user's secret subscribe link for the content calendar
// (app/routes/calendar.$feed.tsx serves it). Only the link's hash is kept, so its full address
// is shown once, in the answer to "Create subscribe link" / "Make a new link". With JavaScript on, a
// Copy button copies it (app/enhance/enhance.js).
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { createFeed, FEED_PAST_DAYS, feedStatus, revokeFeed } from '~/models/calendar-feed.server'
import { requireUser } from '~/auth/auth.server'
import { env } from '~/services/env.server'
import { redirectWithFlash } from '~/services/flash.server'
import { formatDateTime } from '~/utils/format'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Subscribe on your phone · Calendar · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const status = await feedStatus({ userId: user.id })
  return data(
    {
      pastDays: FEED_PAST_DAYS,
      // `?revoke` asks before turning the link off (components/confirm.tsx).
      confirmRevoke: Boolean(status) && searchParamsOf(request).has('revoke'),
      feed: status
        ? {
            createdAt: status.createdAt.toISOString(),
            created: formatDateTime(status.createdAt, env().SHOP_TIMEZONE),
            lastUsed: status.lastUsedAt ? formatDateTime(status.lastUsedAt, env().SHOP_TIMEZONE) : null,
          }
        : null,
    },
    { headers: { 'Cache-Control': 'private, no-store' } },
  )
}

const FeedAction = z.object({ intent: z.enum(['create', 'revoke']) })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: FeedAction })
  if (submission.status !== 'success') return data({ url: null }, { status: 400 })
  if (submission.value.intent === 'create') {
    const { url } = await createFeed({ userId: user.id })
    // The only time the full address exists outside the phone: never cache this page.
    return data({ url }, { headers: { 'Cache-Control': 'private, no-store' } })
  }
  const had = await revokeFeed({ userId: user.id })
  return redirectWithFlash(
    '/calendar/feed',
    had ? 'The subscribe link is turned off: calendars that use it get nothing more.' : 'There was no link to turn off.',
  )
}

export default function CalendarFeedPage() {
  const { feed, pastDays, confirmRevoke } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const newUrl = actionData?.url ?? null
  return (
    <div className="narrow stack">
      <p>
        <Link to="/calendar">Back to the calendar</Link>
      </p>
      <h1>Subscribe on your phone</h1>
      <p>
        Your phone&apos;s calendar app can show the shop&apos;s content calendar: every planned post, story and reel, by
        everyone, from {pastDays} days ago onwards. It is read-only, and the app fetches changes by itself (most
        apps look every hour or so).
      </p>
      <p>
        The link is yours and secret: anyone who has it can read the calendar, without signing in. Don&apos;t share it.
        If it gets out, make a new link; the old one then stops working.
      </p>

      {newUrl ? (
        <section className="card stack" aria-labelledby="new-link-title">
          <h2 id="new-link-title">Your subscribe link</h2>
          <p role="status">Copy it now: it is shown only this once.</p>
          <div className="field">
            <label htmlFor="subscribe-url">Subscribe URL</label>
            <input id="subscribe-url" type="url" readOnly value={newUrl} spellCheck={false} />
          </div>
          <p>
            <button type="button" data-copy={newUrl} hidden>
              Copy the link
            </button>
          </p>
          <p>
            <a href={newUrl} rel="noreferrer">
              {newUrl}
            </a>
          </p>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="link-status-title">
        <h2 id="link-status-title">Your link</h2>
        {feed ? (
          <p>
            You have a subscribe link, made <time dateTime={feed.createdAt}>{feed.created}</time>.{' '}
            {feed.lastUsed ? `A calendar app last fetched it ${feed.lastUsed}.` : 'No calendar app has fetched it yet.'}
          </p>
        ) : (
          <p>You have no subscribe link.</p>
        )}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="create" />
          {feed ? (
            <p className="hint">
              A new link replaces this one: calendars subscribed with the old link stop getting updates until you
              subscribe them again with the new one.
            </p>
          ) : null}
          <button type="submit">{feed ? 'Make a new link' : 'Create subscribe link'}</button>
        </Form>
        {feed ? (
          <div className="stack">
            <p className="hint">Turning the link off stops every calendar that uses it.</p>
            <p>
              <ConfirmLink dialog="revoke-feed" to="?revoke">
                Turn off the link…
              </ConfirmLink>
            </p>
            <Confirm
              id="revoke-feed"
              open={confirmRevoke}
              level={3}
              title="Turn off your subscribe link?"
              confirmLabel="Turn off the link"
              cancelTo="/calendar/feed"
              fields={{ intent: 'revoke' }}
            >
              <p>Every calendar that uses it stops getting the shop&apos;s calendar. You can make a new link afterwards.</p>
            </Confirm>
          </div>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="how-title">
        <h2 id="how-title">How to subscribe</h2>
        <p>Copy the subscribe link, then:</p>
        <ul>
          <li>
            <strong>iPhone or iPad:</strong> Settings → Calendar → Accounts → Add Account → Other → Add Subscribed
            Calendar, paste the link, then Next and Save.
          </li>
          <li>
            <strong>Google Calendar</strong> (Android phones show it once added): on a computer, open Google Calendar,
            then Other calendars → + → From URL, paste the link and press Add calendar. Google fetches it from its own
            servers, so this works only when the shop&apos;s address is reachable from the internet.
          </li>
          <li>
            <strong>Outlook:</strong> Add calendar → Subscribe from web, paste the link.
          </li>
        </ul>
      </section>
    </div>
  )
}
