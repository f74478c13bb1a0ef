import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Confirm, ConfirmLink } from '~/components/confirm'
import { DataTable } from '~/components/data-table'
import { FieldError, FormErrors, SelectField, TextField } from '~/components/form'
import { listUndeliveredMail } from '~/models/mail-outbox.server'
import { userRole } from '~/models/schema'
import { changeRole, listUsers, setUserEnabled, type ChangeUserResult } from '~/models/user.server'
import { inviteStaff, requireAdmin, resendMail } from '~/auth/auth.server'
import { redirectWithFlash } from '~/services/flash.server'
import { useTimeZone } from '~/components/time-zone'
import { formatDateTime } from '~/utils/format'
import { EmailAddress, searchParamsOf, text } from '~/utils/validation'

export const meta: MetaFunction = () => [{ title: 'Users · Tara Hub' }]

const Role = z.enum(userRole.enumValues, { error: 'Choose admin or user.' })

const Invite = z.object({
  intent: z.literal('invite'),
  email: EmailAddress,
  name: text('Enter their name.').trim().min(1, 'Enter their name.').max(100, 'Keep the name under 100 characters.'),
  role: Role,
})
const ChangeRole = z.object({ intent: z.literal('role'), userId: z.uuid(), from: Role, to: Role })
const ChangeStatus = z.object({ intent: z.literal('status'), userId: z.uuid(), enabled: z.enum(['true', 'false']) })
const Resend = z.object({ intent: z.literal('resend'), mailId: z.uuid() })
const UserAction = z.discriminatedUnion('intent', [Invite, ChangeRole, ChangeStatus, Resend])

const ROLE_OPTIONS = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Admin' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  const [users, undelivered] = await Promise.all([listUsers(), listUndeliveredMail()])
  // `?disable=<id>` asks before disabling that user (components/confirm.tsx).
  return { users, undelivered, confirmDisable: searchParamsOf(request).get('disable') }
}

function problemText(result: Extract<ChangeUserResult, { ok: false }>): string {
  switch (result.problem) {
    case 'last-admin':
      return 'This is the last enabled admin: make someone else an admin first.'
    case 'changed':
      return `Someone changed this user meanwhile: they are now ${result.current?.disabled ? 'disabled, ' : ''}${result.current?.role}. Nothing was changed; look again and retry.`
    case 'not-found':
      return 'This user no longer exists.'
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: UserAction })
  if (submission.status !== 'success') {
    const userId = submission.payload.userId
    return data({ result: submission.reply(), intent: submission.payload.intent, userId }, { status: 400 })
  }
  const value = submission.value
  if (value.intent === 'invite') {
    const invited = await inviteStaff({ email: value.email, name: value.name, role: value.role, invitedBy: admin })
    if (!invited.ok) {
      return data(
        {
          result: submission.reply({ fieldErrors: { email: ['Someone with this email is already a user.'] } }),
          intent: value.intent,
          userId: undefined,
        },
        { status: 409 },
      )
    }
    // Should the mail not go out, it shows under "Mail not sent" below.
    return redirectWithFlash('/users', `Invited ${value.email}: a sign-in link is on its way.`)
  }
  if (value.intent === 'resend') {
    const resent = await resendMail(value.mailId)
    return redirectWithFlash(
      '/users',
      resent.ok ? `Sending the mail to ${resent.email} again.` : 'That mail is already on its way again.',
    )
  }
  const changed =
    value.intent === 'role'
      ? await changeRole({ id: value.userId, from: value.from, to: value.to })
      : await setUserEnabled({ id: value.userId, enabled: value.enabled === 'true' })
  if (!changed.ok) {
    return data(
      { result: submission.reply({ formErrors: [problemText(changed)] }), intent: value.intent, userId: value.userId },
      { status: 409 },
    )
  }
  const message =
    value.intent === 'role' ? `Role changed to ${value.to}.` : value.enabled === 'true' ? 'User enabled.' : 'User disabled and signed out.'
  return redirectWithFlash('/users', message)
}

type ActionData = ReturnType<typeof useActionData<typeof action>>
type UserRow = Awaited<ReturnType<typeof listUsers>>[number]
type MailRow = Awaited<ReturnType<typeof listUndeliveredMail>>[number]

function ResendForm({ mail }: { mail: MailRow }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="resend" />
      <input type="hidden" name="mailId" value={mail.id} />
      <button type="submit" className="secondary" aria-label={`Send the mail to ${mail.email} again`}>
        Send again
      </button>
    </Form>
  )
}

function resultFor(actionData: ActionData, intent: string, userId?: string) {
  return actionData && actionData.intent === intent && actionData.userId === userId ? actionData.result : undefined
}

function InviteForm({ actionData }: { actionData: ActionData }) {
  const [form, fields] = useForm<z.input<typeof Invite>>({
    id: 'invite',
    lastResult: resultFor(actionData, 'invite'),
    defaultValue: { role: 'user' },
  })
  return (
    <Form method="post" className="card stack" aria-labelledby="invite-title" {...getFormProps(form)}>
      <h2 id="invite-title">Invite someone</h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="invite" />
      <TextField label="Email" field={fields.email} type="email" autoComplete="off" />
      <TextField label="Name" field={fields.name} autoComplete="off" />
      <SelectField label="Role" field={fields.role} options={ROLE_OPTIONS} />
      <button type="submit">Send invitation</button>
    </Form>
  )
}

function RoleForm({ user, actionData }: { user: UserRow; actionData: ActionData }) {
  const [form, fields] = useForm<z.input<typeof ChangeRole>>({
    id: `role-${user.id}`,
    lastResult: resultFor(actionData, 'role', user.id),
    defaultValue: { to: user.role },
  })
  const label = `Role of ${user.email}`
  return (
    <Form method="post" className="inline-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="role" />
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="from" value={user.role} />
      <label className="visually-hidden" htmlFor={fields.to.id}>
        {label}
      </label>
      <select
        id={fields.to.id}
        name={fields.to.name}
        defaultValue={user.role}
        aria-invalid={form.errors ? true : undefined}
        aria-describedby={form.errors ? form.errorId : undefined}
      >
        {ROLE_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <button type="submit" aria-label={`Change role of ${user.email}`}>
        Change
      </button>
      <FieldError id={form.errorId} errors={form.errors} />
    </Form>
  )
}

function StatusForm({ user, actionData, asking }: { user: UserRow; actionData: ActionData; asking: boolean }) {
  const [form] = useForm({ id: `status-${user.id}`, lastResult: resultFor(actionData, 'status', user.id) })
  const who = user.email
  const status = (
    <span className={user.disabled ? 'status status-cancelled' : 'status status-delivered'}>
      {user.disabled ? 'Disabled' : 'Enabled'}
    </span>
  )
  if (!user.disabled) {
    // Disabling signs them out at once: it asks first (components/confirm.tsx).
    return (
      <div className="inline-form">
        {status}
        <ConfirmLink dialog={`disable-${user.id}`} to={`?disable=${user.id}`} describedBy={form.errors ? form.errorId : undefined}>
          Disable {who}…
        </ConfirmLink>
        <FieldError id={form.errorId} errors={form.errors} />
        <Confirm
          id={`disable-${user.id}`}
          open={asking}
          title={`Disable ${who}?`}
          confirmLabel={`Disable ${who}`}
          cancelTo="/users"
          fields={{ intent: 'status', userId: user.id, enabled: 'false' }}
        >
          <p>They are signed out at once and cannot sign in until an admin enables them again.</p>
        </Confirm>
      </div>
    )
  }
  return (
    <Form method="post" className="inline-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="enabled" value="true" />
      {status}
      <button
        type="submit"
        className="secondary"
        aria-label={`Enable ${who}`}
        aria-describedby={form.errors ? form.errorId : undefined}
      >
        Enable
      </button>
      <FieldError id={form.errorId} errors={form.errors} />
    </Form>
  )
}

export default function UsersPage() {
  const timeZone = useTimeZone()
  const { users, undelivered, confirmDisable } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <h1>Users</h1>
      <div className="cards">
        <InviteForm actionData={actionData} />
      </div>
      {undelivered.length > 0 ? (
        <>
          <h2 className="section-title" id="undelivered-title">
            Mail not sent
          </h2>
          <p>These sign-in links and invitations could not be sent, even after several tries.</p>
          <DataTable
            rows={undelivered}
            empty="All mail was sent."
            columns={[
              { header: 'To', cell: (m) => (m.name ? `${m.name} <${m.email}>` : m.email) },
              { header: 'What', cell: (m) => (m.kind === 'invitation' ? 'Invitation' : 'Sign-in link') },
              { header: 'Asked for', cell: (m) => formatDateTime(m.createdAt, timeZone) },
              { header: 'Given up', cell: (m) => (m.failedAt ? formatDateTime(m.failedAt, timeZone) : '—') },
              { header: 'Why', cell: (m) => `SMTP ${m.lastError ?? 'unknown'} (${m.attempts} tries)` },
              { header: 'Send again', cell: (m) => <ResendForm mail={m} /> },
            ]}
          />
        </>
      ) : null}
      <h2 className="section-title">Staff</h2>
      <DataTable
        rows={users}
        empty="No users yet."
        columns={[
          { header: 'Name', cell: (u) => u.name ?? '—' },
          { header: 'Email', cell: (u) => u.email },
          { header: 'Role', cell: (u) => <RoleForm user={u} actionData={actionData} /> },
          { header: 'Last sign-in', cell: (u) => (u.lastSignInAt ? formatDateTime(u.lastSignInAt, timeZone) : 'Never') },
          { header: 'Status', cell: (u) => <StatusForm user={u} actionData={actionData} asking={confirmDisable === u.id} /> },
        ]}
      />
    </>
  )
}
