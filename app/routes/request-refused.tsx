// Not a page anyone opens: the server turns a request it refused before any route into
// GET /request-refused (server/refuse.ts), so that the answer is the app's own page rather than
// plain text:
//   - a body larger than its route takes, or of unknown length (server/body-limits.ts): 413 or
//     411, naming the limit (the root's error page);
//   - a change sent from a page at another address than APP_URL (the Origin check, server/app.ts):
//     403, saying where it came from and what to set.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { notFound } from '~/services/http.server'

export const meta: MetaFunction = () => [{ title: 'Not saved · Tara Hub' }]

export async function loader({ context }: LoaderFunctionArgs) {
  const origin = context.refusedOrigin
  if (origin) return data(origin, { status: 403, headers: { 'Cache-Control': 'no-store' } })
  const refused = context.refusedBody
  if (!refused) throw notFound()
  throw data(refused, { status: refused.status, headers: { 'Cache-Control': 'no-store' } })
}

/** The Origin check's 403: every value shown is text (escaped), and `origin` is a plain http(s) origin or null. */
export default function RequestRefused() {
  const { origin, appUrl } = useLoaderData<typeof loader>()
  return (
    <section className="error-page">
      <h1>Not saved: this came from another address</h1>
      {origin ? (
        <>
          <p>
            This page was sent from <strong>{origin}</strong>, but the app is set up for <strong>{appUrl}</strong>.
            To keep other websites from making changes in your name, the app only takes changes from its own
            address, so nothing was saved.
          </p>
          <p>
            {`If you opened the app at ${origin}, set `}
            <code>{`APP_URL=${origin}`}</code>
            {' and restart the app. Otherwise, open the app at '}
            <a href={appUrl}>{appUrl}</a> and try again.
          </p>
        </>
      ) : (
        <>
          <p>
            Your browser did not say which page sent this, and the app only takes changes from its own pages at{' '}
            <strong>{appUrl}</strong>, so nothing was saved.
          </p>
          <p>
            Open the app at <a href={appUrl}>{appUrl}</a> and try again. If that is not the address you use for the
            app, set <code>APP_URL</code> to it and restart the app.
          </p>
        </>
      )}
    </section>
  )
}
