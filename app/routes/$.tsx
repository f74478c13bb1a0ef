// Any address no other route matches: a real 404 inside the app shell (for signed-in staff).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/services/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return null
}
