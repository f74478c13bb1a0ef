// GET /calendar/<token>.ics: a user's secret feed of the content calendar, for a phone's
// calendar app to subscribe to. No session: the secret token in the address is the key
// (app/models/calendar-feed.server.ts). Anything else under this pattern is a plain 404.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { calendarIcs, findFeedUser, tokenFromFeedPath } from '~/models/calendar-feed.server'

const notFound = () =>
  new Response('Not found', {
    status: 404,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })

// The only route that needs no requireUser: calendar apps send no cookies.
export async function loader({ params }: LoaderFunctionArgs) {
  const token = tokenFromFeedPath(params.feed)
  if (!token) return notFound()
  const owner = await findFeedUser(token)
  if (!owner) return notFound()
  return new Response(await calendarIcs({ userId: owner.userId, now: new Date() }), {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="tara-hub.ics"',
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
      // The address is the secret: never pass it on as a referrer.
      'Referrer-Policy': 'no-referrer',
    },
  })
}
