// What the job queue has done and will do, read from pg-boss's own tables (pgboss.job, where
// jobs stay a day after they end, and pgboss.archive, a week): for /admin/jobs, the dashboard's
// warning (/healthz reads the queue itself: app/models/health.server.ts).
//
//   jobsPage(now)       → every kind: its schedule and next run, waiting/active/failed counts, its last runs
//   jobWarnings(now)    → scheduled kinds whose last run failed, or that have not run for twice their period
import cronParser from 'cron-parser'
import { lastOutcomes, lastRuns, queuesMadeAt, stateCounts, type JobState as State, type RunRow } from '~/models/job-runs.server'
import { env } from '~/services/env.server'
import { JOB_KINDS, type JobKind } from './kinds.server'

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

/** The next `count` times a cron fires after `now`, in `timeZone`. */
function nextTimes(cron: string, timeZone: string, now: Date, count: number): Date[] {
  const interval = cronParser.parseExpression(cron, { tz: timeZone, currentDate: now })
  return Array.from({ length: count }, () => interval.next().toDate())
}

/** How long a cron waits between runs (the gap after the next run). */
function periodMs(cron: string, timeZone: string, now: Date): number {
  const [first, second] = nextTimes(cron, timeZone, now, 2)
  return second!.getTime() - first!.getTime()
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString())

function toRun(row: RunRow): JobRun {
  const started = row.started_on ? new Date(row.started_on).getTime() : null
  const ended = row.completed_on ? new Date(row.completed_on).getTime() : null
  return {
    id: row.id,
    state: row.state,
    createdAt: iso(row.created_on)!,
    startedAt: iso(row.started_on),
    endedAt: iso(row.completed_on),
    durationMs: started !== null && ended !== null ? ended - started : null,
    result: row.state === 'completed' ? row.summary : row.error,
    tries: row.retry_count + 1,
    retryAt: row.state === 'retry' ? iso(row.start_after) : null,
  }
}

const cronOf = (kind: JobKind) => kind.cron?.(env()) ?? null

export async function jobsPage(now = new Date(), kinds: JobKind[] = JOB_KINDS): Promise<JobKindStatus[]> {
  const timeZone = env().SHOP_TIMEZONE
  const names = kinds.map((k) => k.name)
  const [counts, runs] = await Promise.all([stateCounts(names), lastRuns(names, RUNS_SHOWN)])
  return kinds.map((kind) => {
    const cron = cronOf(kind)
    const count = (states: State[]) =>
      counts.filter((c) => c.name === kind.name && states.includes(c.state)).reduce((sum, c) => sum + c.count, 0)
    return {
      name: kind.name,
      title: kind.title,
      cron,
      schedule: cron ? describeCron(cron) : null,
      nextRun: cron ? nextTimes(cron, timeZone, now, 1)[0]!.toISOString() : null,
      counts: { waiting: count(['created', 'retry']), active: count(['active']), failed: count(['failed']) },
      runs: runs.filter((r) => r.name === kind.name).map(toRun),
    }
  })
}

export interface JobWarning {
  name: string
  title: string
  problem: string
}

/**
 * The scheduled kinds whose last run failed for good, or that have not completed a run for
 * twice their period (counted from when their queue was made, for a new shop).
 */
export async function jobWarnings(now = new Date(), kinds: JobKind[] = JOB_KINDS): Promise<JobWarning[]> {
  const timeZone = env().SHOP_TIMEZONE
  const scheduled = kinds.filter((k) => cronOf(k))
  const names = scheduled.map((k) => k.name)
  const [last, queues] = await Promise.all([lastOutcomes(names), queuesMadeAt(names)])
  const warnings: JobWarning[] = []
  for (const kind of scheduled) {
    const latest = last.find((l) => l.name === kind.name)
    if (latest?.state === 'failed') {
      warnings.push({ name: kind.name, title: kind.title, problem: `failed at ${iso(latest.ended)}: ${latest.error ?? 'no reason given'}` })
      continue
    }
    const since = latest?.last_success ?? queues.find((q) => q.name === kind.name)?.created_on
    if (!since) continue
    const period = periodMs(cronOf(kind)!, timeZone, now)
    if (now.getTime() - new Date(since).getTime() > 2 * period) {
      warnings.push({
        name: kind.name,
        title: kind.title,
        problem: latest ? `has not run since ${iso(since)}` : `has never run (its schedule: ${describeCron(cronOf(kind)!)})`,
      })
    }
  }
  return warnings
}
