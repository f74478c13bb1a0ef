// Not a page anyone opens: server/body-limits.ts turns a request whose body it refused (larger than
// its route takes, or of unknown length) into GET /request-refused, so that the answer is the
// app's own error page (413 or 411, naming the limit) rather than plain text.
import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { notFound } from '~/services/http.server'

export async function loader({ context }: LoaderFunctionArgs) {
  const refused = context.refusedBody
  if (!refused) throw notFound()
  throw data(refused, { status: refused.status, headers: { 'Cache-Control': 'no-store' } })
}

export default function RequestRefused() {
  return null
}
