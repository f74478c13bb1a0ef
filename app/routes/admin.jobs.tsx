// /admin/jobs (admins): every kind of background job (app/jobs/kinds.server.ts), with its schedule in
// words and its next run in the shop's time zone, how many of its jobs wait, run or have failed, and
// its last runs: when, how long, what they did or why they failed. "Run now" sends a job of a kind
// at once; "Retry" sends a failed run again. Plain forms: all of it works without JavaScript.
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DataTable } from '~/components/data-table'
import { useTimeZone } from '~/components/time-zone'
import { requireAdmin } from '~/auth/auth.server'
import { JOB_KINDS } from '~/jobs/kinds.server'
import { canRunNow, retryJob, runJobNow } from '~/jobs/runner.server'
import { jobsPage, type JobKindStatus, type JobRun } from '~/jobs/status.server'
import { redirectWithFlash } from '~/services/flash.server'
import { formatDateTime, formatNumber } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Jobs · Tara Hub' }]

const RunNow = z.object({
  intent: z.literal('run'),
  kind: z.enum(JOB_KINDS.filter(canRunNow).map((k) => k.name), { error: 'There is no such job to run now.' }),
})
const Retry = z.object({
  intent: z.literal('retry'),
  kind: z.enum(JOB_KINDS.map((k) => k.name), { error: 'There is no such job.' }),
  id: z.uuid({ error: 'There is no such job run to retry.' }),
})
const JobAction = z.discriminatedUnion('intent', [RunNow, Retry], { error: 'Choose Run now or Retry.' })

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request)
  return { kinds: await jobsPage() }
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: JobAction })
  if (submission.status !== 'success') {
    const problem = Object.values(submission.error ?? {})
      .flat()
      .find((message) => message)
    return data({ problem: problem ?? 'Choose Run now or Retry.' }, { status: 400 })
  }
  const value = submission.value
  const title = JOB_KINDS.find((k) => k.name === value.kind)?.title ?? value.kind
  if (value.intent === 'run') {
    const sent = await runJobNow(value.kind)
    if (!sent.ok) return data({ problem: sent.problem }, { status: 409 })
    return redirectWithFlash('/admin/jobs', `${title} queued.`)
  }
  const retried = await retryJob(value.kind, value.id)
  if (!retried.ok) return data({ problem: retried.problem }, { status: 409 })
  return redirectWithFlash('/admin/jobs', `${title}: the failed run is queued again.`)
}

/** "850 ms", "4.2 s", "38 s", "3 min 5 s". */
function duration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

const STATE_LABELS: Record<JobRun['state'], string> = {
  created: 'Waiting',
  retry: 'Waiting to try again',
  active: 'Running',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function RunState({ run, kind, busy }: { run: JobRun; kind: JobKindStatus; busy: boolean }) {
  const timeZone = useTimeZone()
  return (
    <div className="inline-form">
      <span className={`status status-${run.state}`}>{STATE_LABELS[run.state]}</span>
      {run.state === 'failed' ? (
        <Form method="post">
          <input type="hidden" name="intent" value="retry" />
          <input type="hidden" name="kind" value={kind.name} />
          <input type="hidden" name="id" value={run.id} />
          <button type="submit" className="secondary" disabled={busy}>
            Retry
            <span className="visually-hidden">{` ${kind.title} run of ${formatDateTime(run.startedAt ?? run.createdAt, timeZone)}`}</span>
          </button>
        </Form>
      ) : null}
    </div>
  )
}

function RunResult({ run }: { run: JobRun }) {
  const timeZone = useTimeZone()
  if (run.state === 'active') return <span className="muted">Running…</span>
  if (run.state === 'retry') {
    return (
      <>
        {`The last try failed: ${run.result ?? 'no reason given'}. `}
        {run.retryAt ? `Next try ${formatDateTime(run.retryAt, timeZone)}.` : null}
      </>
    )
  }
  return <>{run.result ?? '—'}</>
}

function JobKind({ kind, busy }: { kind: JobKindStatus; busy: boolean }) {
  const timeZone = useTimeZone()
  const { waiting, active, failed } = kind.counts
  const headingId = `job-${kind.name}`
  return (
    <section className="job" aria-labelledby={headingId}>
      <h2 id={headingId}>{kind.title}</h2>
      <dl className="details">
        <dt>Schedule</dt>
        <dd>{kind.schedule ? capitalized(kind.schedule) : 'None: the app sends it when something needs it'}</dd>
        <dt>Next run</dt>
        <dd>
          {kind.nextRun ? (
            <time dateTime={kind.nextRun}>{formatDateTime(kind.nextRun, timeZone, { weekday: true })}</time>
          ) : (
            '—'
          )}
        </dd>
        <dt>Jobs now</dt>
        <dd>{`${formatNumber(waiting)} waiting, ${formatNumber(active)} running, ${formatNumber(failed)} failed`}</dd>
      </dl>
      {kind.canRunNow ? (
        <Form method="post" className="job-run">
          <input type="hidden" name="intent" value="run" />
          <input type="hidden" name="kind" value={kind.name} />
          <button type="submit" disabled={busy}>
            Run<span className="visually-hidden">{` ${kind.title}`}</span> now
          </button>
        </Form>
      ) : null}
      <DataTable
        rows={kind.runs}
        empty="No runs in the last week."
        columns={[
          {
            header: 'Started',
            cell: (run) => {
              const at = run.startedAt ?? run.createdAt
              return <time dateTime={at}>{formatDateTime(at, timeZone)}</time>
            },
          },
          { header: 'State', cell: (run) => <RunState run={run} kind={kind} busy={busy} /> },
          { header: 'Took', numeric: true, cell: (run) => duration(run.durationMs) },
          { header: 'Tries', numeric: true, cell: (run) => formatNumber(run.tries) },
          { header: 'Result', cell: (run) => <RunResult run={run} /> },
        ]}
      />
    </section>
  )
}

export default function JobsPage() {
  const { kinds } = useLoaderData<typeof loader>()
  const refused = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const timeZone = useTimeZone()
  return (
    <>
      <div className="page-head">
        <h1>Jobs</h1>
        <Link to="/admin/jobs">Refresh</Link>
      </div>
      <p className="hint">
        {`What the app does by itself in the background, and its last runs (kept a week). Times are the shop's (${timeZone}). `}
        {'Run now sends a job at once, without the retries a scheduled one gets.'}
      </p>
      {refused ? (
        <p className="form-error" role="alert">
          {refused.problem}
        </p>
      ) : null}
      {kinds.map((kind) => (
        <JobKind key={kind.name} kind={kind} busy={busy} />
      ))}
    </>
  )
}
