// Starting and stopping the background jobs of one instance (`npm start`, `npm run worker`), and
// the jobs page's two buttons.
//
//   startJobs(handle, { work })   → the queues, and with `work` (JOBS=on) the schedule and the workers
//   stopJobs({ timeoutMs })       → no new jobs; running ones finish, or are tried again elsewhere
//   runJobNow(name) / retryJob(name, id)
import { errorSummary } from '~/services/error-summary.server'
import { logger, withLogContext } from '~/services/logger.server'
import { env, type Env } from '~/services/env.server'
import { queue, queueStarted, retryFailed, sendJob, startQueue, stopQueue, workOn, type QueueDatabase, type QueueJob } from '~/services/queue.server'
import { isUuid } from '~/utils/validation'
import { JOB_KINDS, type JobKind } from './kinds.server'

/** A failed try as the jobs page shows it: the error's summary (no values, no paths), no stack. */
class JobFailed extends Error {
  override name = 'JobFailed'
  constructor(message: string) {
    super(message)
    this.stack = message
  }
}

/** The kinds this instance started (all of them, but for a test that starts a few). */
let startedKinds: JobKind[] = JOB_KINDS
const kindNamed = (name: string) => startedKinds.find((k) => k.name === name)

const timeoutOf = (kind: JobKind, e: Env) => e.JOB_TIMEOUT_SECONDS ?? kind.timeoutSeconds

function queueOptions(kind: JobKind, e: Env) {
  return {
    name: kind.name,
    policy: kind.policy,
    retryLimit: kind.retryLimit,
    retryDelay: e.JOB_RETRY_DELAY_SECONDS ?? kind.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: timeoutOf(kind, e),
  }
}

/**
 * One try of one job: every line logged meanwhile carries its id and kind; what it throws becomes
 * a JobFailed without values.
 */
function runOne(kind: JobKind, job: QueueJob<Record<string, unknown>>, e: Env): Promise<{ summary: string }> {
  return withLogContext({ jobId: job.id, job: kind.name }, async () => {
    const started = performance.now()
    const durationMs = () => Math.round(performance.now() - started)
    logger().debug({ tries: job.retryCount + 1 }, `job ${kind.name} started`)
    try {
      const summary = await kind.run(job, e)
      logger().info({ durationMs: durationMs(), tries: job.retryCount + 1 }, `job ${kind.name}: ${summary}`)
      return { summary }
    } catch (error) {
      const summary = errorSummary(error)
      logger().warn({ durationMs: durationMs(), tries: job.retryCount + 1 }, `job ${kind.name} failed: ${summary}`)
      throw new JobFailed(summary)
    }
  })
}

/**
 * Starts the queue on `handle` and makes sure every kind's queue exists with today's settings.
 * With `work` (JOBS=on, the default) this instance also keeps the schedule (one instance sends
 * each slot, whichever gets there first) and runs JOBS_CONCURRENCY jobs of each kind at once.
 */
export async function startJobs(
  handle: QueueDatabase,
  { work = env().JOBS === 'on', concurrency = env().JOBS_CONCURRENCY, kinds = JOB_KINDS }: { work?: boolean; concurrency?: number; kinds?: JobKind[] } = {},
): Promise<void> {
  const e = env()
  startedKinds = kinds
  const boss = await startQueue(handle, {
    work,
    onError: (error) => logger().warn(`job queue: ${errorSummary(error)}`),
  })
  for (const kind of kinds) {
    await boss.createQueue(kind.name, queueOptions(kind, e))
    await boss.updateQueue(kind.name, queueOptions(kind, e))
  }
  if (!work) return
  for (const kind of kinds) {
    const cron = kind.cron?.(e)
    if (cron) await boss.schedule(kind.name, cron, { scheduled: true }, { tz: e.SHOP_TIMEZONE })
    else await boss.unschedule(kind.name)
  }
  for (const kind of kinds) {
    for (let i = 0; i < concurrency; i++) {
      await workOn<Record<string, unknown>>(kind.name, (job) => runOne(kind, job, e))
    }
  }
}

/** Stops taking jobs; waits up to `timeoutMs` for the running ones (the rest are tried again later). */
export async function stopJobs({ timeoutMs = env().SHUTDOWN_TIMEOUT * 1000 }: { timeoutMs?: number } = {}): Promise<void> {
  await stopQueue({ timeoutMs })
}

/**
 * Whether "Run now" can run a kind: the scheduled kinds, which need to be told nothing. A kind
 * that only runs when the app sends it with what to do (the analytics of the days a change
 * touched) has nothing to run by hand: sent empty, it could only fail.
 */
export function canRunNow(kind: JobKind): boolean {
  return kind.cron !== undefined
}

const NOT_STARTED = 'The job queue is not running in this app (it starts with npm start or npm run worker).'

/** "Run now" on the jobs page: a job of this kind, at once; no retries (the admin is watching). */
export async function runJobNow(name: string): Promise<{ ok: true; id: string } | { ok: false; problem: string }> {
  const kind = kindNamed(name)
  if (!kind) return { ok: false, problem: 'There is no such job.' }
  if (!canRunNow(kind)) return { ok: false, problem: `${kind.title} runs by itself when the app needs it: it cannot be run by hand.` }
  if (!queueStarted()) return { ok: false, problem: NOT_STARTED }
  const id = await sendJob(kind.name, {}, { retryLimit: 0 })
  if (!id) return { ok: false, problem: `${kind.title} is already waiting to run.` }
  return { ok: true, id }
}

/**
 * "Retry" on the jobs page: a failed job runs again. Refused when the job is not (or no longer)
 * a failed one, and, for a kind that keeps one job waiting at a time, while another of its jobs
 * waits to be tried again (the queue's unique index on stately jobs refuses a second one).
 */
export async function retryJob(name: string, id: string): Promise<{ ok: true } | { ok: false; problem: string }> {
  const kind = kindNamed(name)
  if (!kind || !isUuid(id)) return { ok: false, problem: 'There is no such job run.' }
  if (!queueStarted()) return { ok: false, problem: NOT_STARTED }
  const job = await queue().getJobById(kind.name, id)
  if (job?.state !== 'failed') return { ok: false, problem: `This run of ${kind.title} has not failed, or is no longer kept: nothing to retry.` }
  if (!(await retryFailed(kind.name, id))) {
    return { ok: false, problem: `Another run of ${kind.title} is already waiting to be tried again: retry this one after it has run.` }
  }
  return { ok: true }
}
