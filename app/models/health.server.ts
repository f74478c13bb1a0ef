// Whether the database answers and the job queue keeps up (GET /healthz).
import { sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'

/** A job due for longer than this and still waiting means no instance is working its queue. */
const QUEUE_LAG_SECONDS = 120

/** One round trip to the database; throws when it does not answer. */
export async function pingDatabase(): Promise<void> {
  await db.execute(sql`select 1`)
}

export async function databaseStatus(): Promise<'ok' | 'unavailable'> {
  try {
    await pingDatabase()
    return 'ok'
  } catch {
    return 'unavailable'
  }
}

export interface Health {
  db: 'ok' | 'unavailable'
  /**
   * 'lagging' when a job has waited QUEUE_LAG_SECONDS past its time (pg-boss's own queues aside);
   * 'unknown' when the queue's tables cannot be read.
   */
  queue?: 'ok' | 'lagging' | 'unknown'
}

/** One round trip (two when it fails): the database answers, and whether a job waits too long. */
export async function health(): Promise<Health> {
  try {
    const [row] = await rows<{ lagging: boolean }>(
      db,
      sql`select exists (
            select from pgboss.job
            where state in ('created', 'retry') and start_after < now() - make_interval(secs => ${QUEUE_LAG_SECONDS})
              and not starts_with(name, '__pgboss')
          ) as lagging`,
    )
    return { db: 'ok', queue: row?.lagging ? 'lagging' : 'ok' }
  } catch {
    return (await databaseStatus()) === 'ok' ? { db: 'ok', queue: 'unknown' } : { db: 'unavailable' }
  }
}
