// /admin/backups (admins): the backups in BACKUP_DIR, newest first, with their size, age and
// whether a restore has verified them; "Back up now" takes one (as `npm run db:backup` does, with
// its off-site copy when BACKUP_S3_URL is set); each can be downloaded.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { useTimeZone } from '~/components/time-zone'
import { requireAdmin } from '~/auth/auth.server'
import { backupNow, backupsPage } from '~/services/backup/jobs.server'
import { redirectWithFlash } from '~/services/flash.server'
import { formatDateTime } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Backups · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return backupsPage()
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request)
  const result = await backupNow()
  if (!result.ok) return data({ problem: result.problem }, { status: 500 })
  return redirectWithFlash('/admin/backups', result.message)
}

/** "3 h", "2 days": how long ago, roughly. */
function age(from: string, now: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(now) - Date.parse(from)) / 60_000))
  if (minutes < 60) return `${minutes} min`
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`
  return `${Math.round(minutes / (24 * 60))} days`
}

export default function BackupsPage() {
  const { backups, dir, keep, offsite, now } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const timeZone = useTimeZone()
  return (
    <>
      <h1>Backups</h1>
      <p className="hint">
        {`Kept in ${dir}: the newest ${keep} and the weekly ones. `}
        {offsite ? `Each is also copied to ${offsite}.` : 'No off-site copy: set BACKUP_S3_URL for one.'}
        {' Schedule `npm run db:backup -- --if-older-than 24h` to take one a day.'}
      </p>
      <Form method="post">
        <button type="submit" disabled={busy}>
          Back up now
        </button>
      </Form>
      {failed ? (
        <p className="form-error" role="alert">
          {failed.problem}
        </p>
      ) : null}
      <DataTable
        rows={backups.map((b) => ({ ...b, id: b.name }))}
        empty="No backups yet."
        columns={[
          { header: 'Taken', cell: (b) => formatDateTime(b.created, timeZone) },
          { header: 'Age', cell: (b) => age(b.created, now) },
          { header: 'Size', numeric: true, cell: (b) => b.size },
          { header: 'Kind', cell: (b) => (b.weekly ? 'Weekly' : 'Daily') },
          {
            header: 'Verified',
            cell: (b) => (b.verified ? `Restored and checked ${formatDateTime(b.verified.at, timeZone)}` : 'Not yet restored'),
          },
          {
            header: 'File',
            cell: (b) => (
              <a href={`/admin/backups/${b.name}`} download>
                Download<span className="visually-hidden">{` ${b.name}`}</span>
              </a>
            ),
          },
        ]}
      />
    </>
  )
}
