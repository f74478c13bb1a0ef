// The job queue: pg-boss on the app's own database (docs/decisions/0011-job-queue-pg-boss.md).
// Infrastructure only: which jobs exist and what they do is app/jobs/.
//
//   startQueue(handle, { work })   → pg-boss on this database handle; `work` also runs its
//                                    maintenance and schedule (an instance with JOBS=off only sends)
//   sendJob(name, data, options)   → a job, picked up at once by this instance's worker if it has one
//   workOn(name, handler)          → a worker of this instance for one queue
//   retryFailed(name, id)          → a failed job sent again
//   stopQueue({ timeoutMs })       → no new jobs; running ones finish (or are failed, to be retried)
//
// pg-boss's tables come from drizzle/0014_job_queue.sql (it is started with `migrate: false`), and
// its statements run on the app's own connections (DatabaseHandle.executeSql), so it works the
// same on PostgreSQL, Neon and the embedded database, as app_user.
import { remember } from '@epic-web/remember'
import PgBoss from 'pg-boss'
import type { DatabaseHandle } from './db.server'

/** What the queue needs of a database handle: plain SQL on its connections. */
export type QueueDatabase = Pick<DatabaseHandle, 'executeSql'>
export type QueueJob<T> = PgBoss.JobWithMetadata<T>

/** The schema of pg-boss's tables, as this app's migrations make them (drizzle/0014_job_queue.sql). */
const QUEUE_SCHEMA = 'pgboss'

/** How often one instance (whichever gets there first) fails timed-out jobs and archives old ones. */
const MAINTENANCE_SECONDS = 15

const state = remember('tara-hub.queue', () => ({
  boss: null as PgBoss | null,
  handle: null as QueueDatabase | null,
  /** This instance's workers, by queue: sendJob wakes them. */
  workers: new Map<string, string[]>(),
}))

/** Starts pg-boss on `handle`; with `work`, this instance also keeps the schedule and the maintenance. */
export async function startQueue(
  handle: QueueDatabase,
  { work, onError }: { work: boolean; onError: (error: Error) => void },
): Promise<PgBoss> {
  if (state.boss && state.handle === handle) return state.boss
  if (state.boss) await stopQueue({ timeoutMs: 1000 })
  const boss = new PgBoss({
    db: { executeSql: (text, values) => handle.executeSql(text, values) },
    schema: QUEUE_SCHEMA,
    migrate: false,
    supervise: work,
    schedule: work,
    maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
    // Which slots are due is looked at every 10 s by one instance: pg-boss sends a slot while it
    // is less than a minute old, so looking every 30 s (its default), skipped now and then when
    // two instances' timers meet, could let a minute's slot go by.
    cronMonitorIntervalSeconds: 10,
    // Completed jobs stay in pgboss.job for a day, failed ones for a week (the jobs page reads
    // them, and retries a failed one, there); then in pgboss.archive for a week.
    archiveCompletedAfterSeconds: 24 * 3600,
    archiveFailedAfterSeconds: 7 * 24 * 3600,
    deleteAfterDays: 7,
  })
  boss.on('error', onError)
  await boss.start()
  state.boss = boss
  state.handle = handle
  return boss
}

/** The started queue; throws when none is (a script that sends jobs must start it). */
export function queue(): PgBoss {
  if (!state.boss) throw new Error('The job queue is not started')
  return state.boss
}

export function queueStarted(): boolean {
  return state.boss !== null
}

/**
 * Sends a job to queue `name`; null when the queue's policy refused it (a like job is already
 * waiting). This instance's worker for that queue, if any, looks at once instead of at its next poll.
 */
export async function sendJob(name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const id = await queue().send(name, data, options)
  wakeWorkers(name)
  return id
}

/**
 * A failed job of queue `name` sent again, picked up at once by this instance's worker if it has
 * one; false when the queue's policy refuses it (a stately queue already has one waiting to be
 * tried again: its unique index says so).
 */
export async function retryFailed(name: string, id: string): Promise<boolean> {
  try {
    await queue().retry(name, id)
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') return false
    throw error
  }
  wakeWorkers(name)
  return true
}

/** This instance's workers for queue `name` look for jobs now rather than at their next poll. */
export function wakeWorkers(name: string): void {
  for (const worker of state.workers.get(name) ?? []) queue().notifyWorker(worker)
}

/**
 * A worker of this instance for queue `name`: one job at a time, every `pollingSeconds` or at
 * once after a sendJob here. What the handler returns is the job's output; what it throws fails it.
 */
export async function workOn<T>(
  name: string,
  handler: (job: PgBoss.JobWithMetadata<T>) => Promise<unknown>,
  { pollingSeconds = 2 }: { pollingSeconds?: number } = {},
): Promise<void> {
  const boss = queue()
  const id = await boss.work<T>(
    name,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: pollingSeconds },
    async ([job]) => (job ? handler(job) : undefined),
  )
  state.workers.set(name, [...(state.workers.get(name) ?? []), id])
}

/**
 * Stops taking jobs and waits up to `timeoutMs` for the running ones; those still running then
 * are failed (to be retried by any instance). The database handle stays open.
 */
export async function stopQueue({ timeoutMs }: { timeoutMs: number }): Promise<void> {
  const boss = state.boss
  if (!boss) return
  state.boss = null
  state.handle = null
  state.workers.clear()
  await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs })
}
