// /admin/backups (admins): the backups in BACKUP_DIR, newest first, with their size, age and
// whether a restore has verified them; "Back up now" takes one (as `npm run db:backup` does, with
// its off-site copy when BACKUP_S3_URL is set); each can be downloaded. Below, when the app backs
// up by itself (the job queue's schedule: app/jobs) and how to take one by hand.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DataTable } from '~/components/data-table'
import { useTimeZone } from '~/components/time-zone'
import { requireAdmin } from '~/auth/auth.server'
import { backupSchedule } from '~/jobs/status.server'
import { backupNow, backupsPage } from '~/services/backup/jobs.server'
import { redirectWithFlash } from '~/services/flash.server'
import { formatDateTime } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Backups · Tara Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return { ...(await backupsPage()), schedule: backupSchedule() }
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

/** A word as a shell reads it: quoted when it holds anything but plain path characters. */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

/** A command to copy: shown whole (wrapped, never scrolling sideways), with a Copy button once JavaScript runs. */
function Command({ text, label }: { text: string; label: string }) {
  return (
    <div>
      <pre className="pre-wrap">
        <code>{text}</code>
      </pre>
      <button type="button" hidden data-copy={text}>
        {`Copy ${label}`}
      </button>
    </div>
  )
}

/**
 * When the app backs up by itself (every instance that runs jobs keeps the schedule, on every kind
 * of database), and how to take one by hand: the embedded database is open in the running app,
 * and `npm run db:backup` refuses to open it then.
 */
function Schedule({ driver, pgliteDir, appDir, schedule }: ReturnType<typeof useLoaderData<typeof loader>>) {
  const timeZone = useTimeZone()
  const weekday = schedule.weeklyOn[0]!.toUpperCase() + schedule.weeklyOn.slice(1)
  const inFolder = `cd ${shellWord(appDir)} && npm run db:backup`
  return (
    <section aria-labelledby="schedule">
      <h2 id="schedule">Backing up every day</h2>
      <p>
        {`The app backs up by itself ${schedule.schedule} (the shop's time); on ${weekday}s the backup is the weekly one. `}
        {`The next: ${formatDateTime(schedule.nextRun, timeZone)}. Every run, and any that failed, are on `}
        <Link to="/admin/jobs">Jobs</Link>.
      </p>
      {schedule.jobsOff ? (
        <p className="hint">This instance runs no jobs (JOBS=off): another instance, or npm run worker, makes them.</p>
      ) : null}
      {driver === 'pglite' ? (
        <>
          <p>
            {`This shop keeps its data in the built-in database (in ${pgliteDir}). While the app is running, `}
            <strong>Back up now</strong>
            {' above takes one more at once.'}
          </p>
          <p>
            {'The command '}
            <code>npm run db:backup</code>
            {' works only while the app is stopped (the built-in database can be open in one program at a time):'}
          </p>
          <Command text={inFolder} label="the backup command" />
        </>
      ) : (
        <>
          <p>
            <strong>Back up now</strong>
            {' above takes one more at once; so does this command on the server, with the app’s settings:'}
          </p>
          <Command text={inFolder} label="the backup command" />
          <p className="hint">
            {'It needs '}
            <code>pg_dump</code>
            {' at least as new as the database server (on Debian, the postgresql-client package of that version).'}
            {driver === 'neon'
              ? ' Neon also keeps its own history of every change for its restore window; these backups are the copy outside Neon.'
              : ''}
          </p>
        </>
      )}
    </section>
  )
}

export default function BackupsPage() {
  const page = useLoaderData<typeof loader>()
  const { backups, dir, keep, offsite, now } = page
  const failed = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const timeZone = useTimeZone()
  return (
    <>
      <h1>Backups</h1>
      <p className="hint">
        {`Kept in ${dir}: the newest ${keep} and the weekly ones. `}
        {offsite ? `Each is also copied to ${offsite}.` : 'No off-site copy: set BACKUP_S3_URL for one.'}
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
      <Schedule {...page} />
    </>
  )
}
