// /admin/backups (admins): the backups in BACKUP_DIR, newest first, with their size, age and
// whether a restore has verified them; "Back up now" takes one (as `npm run db:backup` does, with
// its off-site copy when BACKUP_S3_URL is set); each can be downloaded. Below, how this shop can
// back up every day: the button on the embedded database, cron on PostgreSQL and Neon.
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
 * How this shop can take a backup every day. The embedded database is open in the running app,
 * and `npm run db:backup` refuses to open it then: the button on this page is what works. On
 * PostgreSQL or Neon, cron runs the command with the app's settings.
 */
function Schedule({ driver, pgliteDir, appDir, settingsSet }: ReturnType<typeof useLoaderData<typeof loader>>) {
  const inFolder = `cd ${shellWord(appDir)} && npm run db:backup`
  if (driver === 'pglite') {
    return (
      <section aria-labelledby="schedule">
        <h2 id="schedule">Backing up every day</h2>
        <p>
          {`This shop keeps its data in the built-in database (in ${pgliteDir}). While the app is running, `}
          <strong>Back up now</strong>
          {' above is the way to take a backup: pressing it once a day, at closing time say, keeps a fresh copy.'}
        </p>
        <p>
          {'The command '}
          <code>npm run db:backup</code>
          {' works only while the app is stopped (the built-in database can be open in one program at a time, so it '}
          {'refuses while the app runs). To back up from a script: stop the app, run this, then start the app again:'}
        </p>
        <Command text={inFolder} label="the backup command" />
        <p className="hint">
          Backups on a timer while the app keeps running need PostgreSQL or Neon (set DATABASE_URL): this page then
          shows the line for cron.
        </p>
      </section>
    )
  }
  const assignments = settingsSet.map((name) => `${name}='…'`).join(' ')
  return (
    <section aria-labelledby="schedule">
      <h2 id="schedule">Backing up every day</h2>
      <p>
        Have the server&apos;s cron run this every hour. It takes a backup when the newest one is more than a day old, and
        otherwise does nothing:
      </p>
      <Command text={`${inFolder} -- --if-older-than 24h`} label="the backup command" />
      <p>
        {`Cron starts it with almost no settings: give it the same values the app has for ${settingsSet.join(', ')}. `}
        {'For example, as a line of '}
        <code>crontab -e</code>
        {', with the app’s value in place of each …:'}
      </p>
      <Command text={`0 * * * * ${inFolder.replace('npm run', `${assignments} npm run`)} -- --if-older-than 24h`} label="the cron line" />
      <p className="hint">
        {'It needs '}
        <code>pg_dump</code>
        {' at least as new as the database server (on Debian, the postgresql-client package of that version).'}
        {driver === 'neon'
          ? ' Neon also keeps its own history of every change for its restore window; these backups are the copy outside Neon.'
          : ''}
      </p>
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
