// What the job queue has done and will do, read from pg-boss's own tables (pgboss.job, where
// jobs stay a day after they end, and pgboss.archive, a week): for /admin/jobs, the dashboard's
// warning (/healthz reads the queue itself: app/models/health.server.ts).
//
//   jobsPage(now)       → every kind: its schedule and next run, waiting/active/failed counts, its last runs
//   jobWarnings(now)    → scheduled kinds whose last run failed, or that have not run for twice their period
import cronParser from 'cron-parser'
import { sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'
import { env } from '~/services/env.server'
import { JOB_KINDS, type JobKind } from './kinds.server'
import { canRunNow } from './runner.server'

type State = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'

export interface JobRun {
  id: string
  state: State
  createdAt: string
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  /** The job's one line when it succeeded, or its error when it failed. */
  result: string | null
  /** Tries so far (1 for the first). */
  tries: number
  /** When a job waiting to be tried again will be. */
  retryAt: string | null
}

export interface JobKindStatus {
  name: string
  title: string
  cron: string | null
  /** The schedule in words ("every day at 03:30"), or null when it only runs when asked. */
  schedule: string | null
  nextRun: string | null
  /** Whether the page offers "Run now" (runner.server.ts: canRunNow). */
  canRunNow: boolean
  counts: { waiting: number; active: number; failed: number }
  runs: JobRun[]
}

const RUNS_SHOWN = 5

const pad = (n: string | undefined) => (n ?? '0').padStart(2, '0')

/** A cron in words where it is a common one; the cron itself otherwise. */
export function describeCron(cron: string): string {
  const [minute, hour, day, month, weekday] = cron.trim().split(/\s+/)
  const everyDay = day === '*' && month === '*' && weekday === '*'
  if (everyDay && hour === '*' && minute === '*') return 'every minute'
  const step = /^\*\/(\d+)$/.exec(minute ?? '')
  if (everyDay && hour === '*' && step) return `every ${step[1]} minutes`
  if (everyDay && hour === '*' && /^\d+$/.test(minute ?? '')) return `every hour at :${pad(minute)}`
  if (everyDay && /^\d+$/.test(hour ?? '') && /^\d+$/.test(minute ?? '')) return `every day at ${pad(hour)}:${pad(minute)}`
  return `on the schedule ${cron}`
}

// cron-parser takes several milliseconds of CPU for each call (in a time zone), and the
// dashboard asks on every admin's view: the next two times are kept until the first has passed
// (for any instant from the one asked at up to the first time, they are the same two).
const upcoming = new Map<string, { from: number; times: [Date, Date] }>()

/** The next two times a cron fires after `now`, in `timeZone`. */
function nextTimes(cron: string, timeZone: string, now: Date): [Date, Date] {
  const key = `${timeZone} ${cron}`
  const at = now.getTime()
  const kept = upcoming.get(key)
  if (kept && at >= kept.from && at < kept.times[0].getTime()) return kept.times
  const interval = cronParser.parseExpression(cron, { tz: timeZone, currentDate: now })
  const times: [Date, Date] = [interval.next().toDate(), interval.next().toDate()]
  upcoming.set(key, { from: at, times })
  return times
}

/** How long a cron waits between runs (the gap after the next run). */
function periodMs(cron: string, timeZone: string, now: Date): number {
  const [first, second] = nextTimes(cron, timeZone, now)
  return second.getTime() - first.getTime()
}

interface RunRow {
  id: string
  name: string
  state: State
  created_on: string
  started_on: string | null
  completed_on: string | null
  start_after: string
  retry_count: number
  summary: string | null
  error: string | null
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString())

const ENDED: State[] = ['completed', 'failed', 'cancelled']

function toRun(row: RunRow): JobRun {
  // A failed job sent again ("Retry") keeps its failure's completed_on and output until its new
  // try ends: while it waits or runs, it has no end, and what it shows is the last try's error
  // (waiting to be tried again) or nothing yet (running).
  const ended = ENDED.includes(row.state)
  const startedMs = row.started_on ? new Date(row.started_on).getTime() : null
  const endedMs = ended && row.completed_on ? new Date(row.completed_on).getTime() : null
  return {
    id: row.id,
    state: row.state,
    createdAt: iso(row.created_on)!,
    startedAt: iso(row.started_on),
    endedAt: ended ? iso(row.completed_on) : null,
    durationMs: startedMs !== null && endedMs !== null ? endedMs - startedMs : null,
    result: row.state === 'completed' ? row.summary : row.state === 'active' ? null : row.error,
    tries: row.retry_count + 1,
    retryAt: row.state === 'retry' ? iso(row.start_after) : null,
  }
}

// A success's output is { summary }; a failure's, the error pg-boss kept ({ message }), or its
// own timeout's ({ value: { message } }).
const RUN_COLUMNS = sql.raw(`id, name, state::text as state, created_on::text, started_on::text, completed_on::text,
  start_after::text, retry_count, output->>'summary' as summary,
  coalesce(output->>'message', output->'value'->>'message') as error`)

/** The last runs of these kinds (running, waiting to be tried again, or ended), newest first. */
async function lastRuns(names: string[], perKind: number): Promise<RunRow[]> {
  return rows<RunRow>(
    db,
    sql`select * from (
          select *, row_number() over (partition by name order by coalesce(started_on, created_on) desc) as n
          from (
            select ${RUN_COLUMNS} from pgboss.job
            where name in ${names} and (state in ('active', 'completed', 'failed') or (state = 'retry' and started_on is not null))
            union all
            select ${RUN_COLUMNS} from pgboss.archive where name in ${names} and state in ('completed', 'failed')
          ) runs
        ) ranked
        where n <= ${perKind}
        order by name, n`,
  )
}

async function stateCounts(names: string[]) {
  return rows<{ name: string; state: State; count: number }>(
    db,
    sql`select name, state::text as state, count(*)::int as count from pgboss.job
        where name in ${names} and state in ('created', 'retry', 'active', 'failed')
        group by name, state`,
  )
}

const cronOf = (kind: JobKind) => kind.cron?.(env()) ?? null

export async function jobsPage(now = new Date()): Promise<JobKindStatus[]> {
  const timeZone = env().SHOP_TIMEZONE
  const names = JOB_KINDS.map((k) => k.name)
  const [counts, runs] = await Promise.all([stateCounts(names), lastRuns(names, RUNS_SHOWN)])
  return JOB_KINDS.map((kind) => {
    const cron = cronOf(kind)
    const count = (states: State[]) =>
      counts.filter((c) => c.name === kind.name && states.includes(c.state)).reduce((sum, c) => sum + c.count, 0)
    return {
      name: kind.name,
      title: kind.title,
      cron,
      schedule: cron ? describeCron(cron) : null,
      nextRun: cron ? nextTimes(cron, timeZone, now)[0].toISOString() : null,
      canRunNow: canRunNow(kind),
      counts: { waiting: count(['created', 'retry']), active: count(['active']), failed: count(['failed']) },
      runs: runs.filter((r) => r.name === kind.name).map(toRun),
    }
  })
}

export interface JobWarning {
  name: string
  title: string
  problem: string
  /** What is wrong: its last run failed, it has not run since `at`, or it has never run (its queue was made `at`). */
  reason: 'failed' | 'late' | 'never'
  /** When the last run failed, the last success, or when the queue was made (ISO); pages show it in the shop's zone. */
  at: string | null
  /** The failed run's error (a summary without values). */
  error: string | null
}

/**
 * The scheduled kinds whose last run failed for good, or that have not completed a run for
 * twice their period (counted from when their queue was made, for a new shop).
 */
export async function jobWarnings(now = new Date()): Promise<JobWarning[]> {
  const timeZone = env().SHOP_TIMEZONE
  const scheduled = JOB_KINDS.filter((k) => cronOf(k))
  const names = scheduled.map((k) => k.name)
  const [last, queues] = await Promise.all([
    // Each kind's last ended run, from one pass over the ended runs (a week of them: the mail
    // alone is 10,000). When it succeeded, it is also the last success; when it failed, that is
    // the warning. (A subquery per run for the last success took seconds.)
    rows<{ name: string; state: State; ended: string; error: string | null }>(
      db,
      sql`select name, state::text as state, completed_on::text as ended,
            coalesce(output->>'message', output->'value'->>'message') as error
          from (
            select distinct on (name) name, state, completed_on, output
            from (
              select name, state, completed_on, output from pgboss.job where name in ${names} and state in ('completed', 'failed')
              union all
              select name, state, completed_on, output from pgboss.archive where name in ${names} and state in ('completed', 'failed')
            ) runs
            order by name, completed_on desc
          ) latest`,
    ),
    rows<{ name: string; created_on: string }>(
      db,
      sql`select name, created_on::text from pgboss.queue where name in ${names}`,
    ),
  ])
  const warnings: JobWarning[] = []
  for (const kind of scheduled) {
    const latest = last.find((l) => l.name === kind.name)
    if (latest?.state === 'failed') {
      warnings.push({
        name: kind.name,
        title: kind.title,
        problem: `failed at ${iso(latest.ended)}: ${latest.error ?? 'no reason given'}`,
        reason: 'failed',
        at: iso(latest.ended),
        error: latest.error,
      })
      continue
    }
    const since = latest?.ended ?? queues.find((q) => q.name === kind.name)?.created_on
    if (!since) continue
    const period = periodMs(cronOf(kind)!, timeZone, now)
    if (now.getTime() - new Date(since).getTime() > 2 * period) {
      warnings.push({
        name: kind.name,
        title: kind.title,
        problem: latest ? `has not run since ${iso(since)}` : `has never run (its schedule: ${describeCron(cronOf(kind)!)})`,
        reason: latest ? 'late' : 'never',
        at: iso(since),
        error: null,
      })
    }
  }
  return warnings
}
