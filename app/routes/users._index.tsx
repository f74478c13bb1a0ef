import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DataTable } from '~/components/data-table'
import { FieldError, FormErrors, SelectField, TextField } from '~/components/form'
import { userRole } from '~/models/schema'
import { changeRole, listUsers, setUserEnabled, type ChangeUserResult } from '~/models/user.server'
import { inviteStaff, requireAdmin } from '~/services/auth.server'
import { redirectWithFlash } from '~/services/flash.server'
import { useTimeZone } from '~/components/time-zone'
import { formatDateTime } from '~/utils/format'
import { EmailAddress, text } from '~/utils/validation'

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
const UserAction = z.discriminatedUnion('intent', [Invite, ChangeRole, ChangeStatus])

const ROLE_OPTIONS = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Admin' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return { users: await listUsers() }
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
    return redirectWithFlash(
      '/users',
      'mailFailed' in invited
        ? `Added ${value.email}, but the email could not be sent: they can ask for a link on the sign-in page.`
        : `Invited ${value.email}: a sign-in link is on its way.`,
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

function StatusForm({ user, actionData }: { user: UserRow; actionData: ActionData }) {
  const [form] = useForm({ id: `status-${user.id}`, lastResult: resultFor(actionData, 'status', user.id) })
  const who = user.email
  return (
    <Form method="post" className="inline-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="enabled" value={user.disabled ? 'true' : 'false'} />
      <span className={user.disabled ? 'status status-cancelled' : 'status status-delivered'}>
        {user.disabled ? 'Disabled' : 'Enabled'}
      </span>
      <button
        type="submit"
        className="secondary"
        aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${who}`}
        aria-describedby={form.errors ? form.errorId : undefined}
      >
        {user.disabled ? 'Enable' : 'Disable'}
      </button>
      <FieldError id={form.errorId} errors={form.errors} />
    </Form>
  )
}

export default function UsersPage() {
  const timeZone = useTimeZone()
  const { users } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <h1>Users</h1>
      <div className="cards">
        <InviteForm actionData={actionData} />
      </div>
      <h2 className="section-title">Staff</h2>
      <DataTable
        rows={users}
        empty="No users yet."
        columns={[
          { header: 'Name', cell: (u) => u.name ?? '—' },
          { header: 'Email', cell: (u) => u.email },
          { header: 'Role', cell: (u) => <RoleForm user={u} actionData={actionData} /> },
          { header: 'Last sign-in', cell: (u) => (u.lastSignInAt ? formatDateTime(u.lastSignInAt, timeZone) : 'Never') },
          { header: 'Status', cell: (u) => <StatusForm user={u} actionData={actionData} /> },
        ]}
      />
    </>
  )
}
