import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextField } from '~/components/form'
import { LINK_TTL_MINUTES } from '~/models/session.server'
import { clientAddress, getUser, requestSignInLink, takeSignInRequest } from '~/auth/auth.server'
import { safeRedirect } from '~/utils/redirect'
import { EmailAddress, searchParamsOf, text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Sign in · Tara Hub' }]

// Retry-After on a 429 reaches the browser.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders

const LinkRequest = z.object({
  email: EmailAddress,
  redirectTo: text().optional(),
})

// The sign-in page itself needs no session: it is one of the three public pages.
export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(searchParamsOf(request).get('redirectTo'))
  if (await getUser(request)) throw redirect(redirectTo)
  return { redirectTo }
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The per-address limit comes before the body is read: a flood costs one counter each.
  const limit = await takeSignInRequest(clientAddress(context))
  if (!limit.allowed) {
    const minutes = Math.ceil(limit.retryAfterSeconds / 60)
    const message = `Too many sign-in requests. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
    const result: SubmissionResult<string[]> = { status: 'error', initialValue: null, error: { '': [message] } }
    return data(
      { result, sentTo: null },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
    )
  }
  const submission = parseWithZod(await request.formData(), { schema: LinkRequest })
  if (submission.status !== 'success') return data({ result: submission.reply(), sentTo: null }, { status: 400 })
  // The same answer, in the same time, whether or not the address is a user's, whatever the
  // mail server does: the mail (if any) goes out afterwards, from the outbox.
  await requestSignInLink({ email: submission.value.email, redirectTo: safeRedirect(submission.value.redirectTo) })
  return { result: null, sentTo: submission.value.email, linkMinutes: LINK_TTL_MINUTES }
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm<z.input<typeof LinkRequest>>({ id: 'login', lastResult: actionData?.result })

  if (actionData?.sentTo) {
    return (
      <section className="narrow">
        <h1>Check your email</h1>
        <p>
          If <strong>{actionData.sentTo}</strong> belongs to a staff account, a sign-in link is on its way. It works
          once, for {actionData.linkMinutes} minutes.
        </p>
        <p>Nothing arrived after a few minutes? Look in the spam folder, or ask for another link.</p>
        <Form method="get">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit">Ask for another link</button>
        </Form>
      </section>
    )
  }

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p>We will email you a link to sign in. There is no password.</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField label="Email" field={fields.email} type="email" autoComplete="email" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit">Email me a sign-in link</button>
      </Form>
    </section>
  )
}
