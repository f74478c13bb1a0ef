import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireUser, signOut } from '~/auth/auth.server'

// Signing out is a POST (the header's button); a GET here changes nothing.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request)
  return signOut(request)
}
