// Any address no other route matches: a real 404 inside the app shell (for signed-in staff).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/auth.server'
import { notFound } from '~/services/http.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  throw notFound()
}

export default function NotFound() {
  return null
}
