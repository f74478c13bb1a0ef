import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { checkLoginToken, type TokenProblem } from '~/models/session.server'
import { signInWithLink } from '~/auth/auth.server'
import { searchParamsOf } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Sign in · Tara Hub' }]

// A page holding a sign-in token is never stored by a browser or a proxy.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

// The page a sign-in link opens (public). Opening it changes nothing: a mail scanner that
// fetches the link cannot use it up. The "Sign in" button's POST does.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = searchParamsOf(request).get('token') ?? ''
  const check = await checkLoginToken(token)
  if (!check.ok) return data({ token: null, email: null, problem: check.problem }, { status: 410 })
  return { token, email: check.email, problem: null }
}

export async function action({ request }: ActionFunctionArgs) {
  const outcome = await signInWithLink(request)
  if (outcome instanceof Response) return outcome
  return data({ problem: outcome.problem }, { status: 410 })
}

const PROBLEMS: Record<TokenProblem, { title: string; text: string }> = {
  expired: {
    title: 'This sign-in link has expired',
    text: 'Links work for 15 minutes. Ask for a new one: it takes a moment.',
  },
  used: {
    title: 'This sign-in link has already been used',
    text: 'Each link works once. If that was not you, ask for a new link and tell the shop admin.',
  },
  invalid: {
    title: 'This sign-in link is not valid',
    text: 'It may be incomplete (copy the whole link from the email), or the account may be disabled.',
  },
}

export default function SignInLinkPage() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const problem: TokenProblem | null = acted?.problem ?? loaded.problem
  if (problem) {
    const { title, text } = PROBLEMS[problem]
    return (
      <section className="narrow">
        <h1>{title}</h1>
        <p>{text}</p>
        <Form method="get" action="/login">
          <button type="submit">Request a new link</button>
        </Form>
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p>
        Signing in as <strong>{loaded.email}</strong>.
      </p>
      <Form method="post" action="/login/link">
        <input type="hidden" name="token" value={loaded.token ?? ''} />
        <button type="submit">Sign in</button>
      </Form>
    </section>
  )
}
