// What the job queue has done and will do, read from pg-boss's own tables (pgboss.job, where
// jobs stay a day after they end, and pgboss.archive, a week): for /admin/jobs, the dashboard's
// warning (/healthz reads the queue itself: app/models/health.server.ts).
//
//   jobsPage(now)       → every kind: its schedule and next run, waiting/active/failed counts, its last runs
//   jobWarnings(now)    → scheduled kinds whose last run failed, or that have not run for twice their period
import cronParser from 'cron-parser'
import { lastOutcomes, lastRuns, queuesMadeAt, stateCounts, type JobState as State, type RunRow } from '~/models/job-runs.server'
import { env } from '~/services/env.server'
import { BACKUP_QUEUE, JOB_KINDS, type JobKind } from './kinds.server'
import { canRunNow } from './runner.server'

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
export async function jobWarnings(now = new Date(), kinds: JobKind[] = JOB_KINDS): Promise<JobWarning[]> {
  const timeZone = env().SHOP_TIMEZONE
  const scheduled = kinds.filter((k) => cronOf(k))
  const names = scheduled.map((k) => k.name)
  const [last, queues] = await Promise.all([lastOutcomes(names), queuesMadeAt(names)])
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
    // Its last ended run succeeded (else it failed, above): that is the last success.
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

/** The backup's schedule as /admin/backups says it: in words, the weekly one's day, the next run. */
export function backupSchedule(now = new Date()) {
  const e = env()
  const cron = JOB_KINDS.find((k) => k.name === BACKUP_QUEUE)!.cron!(e)
  return {
    schedule: describeCron(cron),
    weeklyOn: e.BACKUP_WEEKLY_ON,
    nextRun: nextTimes(cron, e.SHOP_TIMEZONE, now)[0].toISOString(),
    /** This instance runs no jobs: another one does (JOBS=off). */
    jobsOff: e.JOBS === 'off',
  }
}
