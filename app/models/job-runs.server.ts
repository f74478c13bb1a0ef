// What the job queue has done, read from pg-boss's own tables: pgboss.job, where jobs stay a day
// after they end, and pgboss.archive, where they stay a week (app/services/queue.server.ts). The
// jobs page and the dashboard's warning (app/jobs/status.server.ts) read them through these.
import { sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'

export interface RunRow {
  id: string
  name: string
  state: JobState
  created_on: string
  started_on: string | null
  completed_on: string | null
  start_after: string
  retry_count: number
  summary: string | null
  error: string | null
}

// A success's output is { summary }; a failure's, the error pg-boss kept ({ message }), or its
// own timeout's ({ value: { message } }).
const RUN_COLUMNS = sql.raw(`id, name, state::text as state, created_on::text, started_on::text, completed_on::text,
  start_after::text, retry_count, output->>'summary' as summary,
  coalesce(output->>'message', output->'value'->>'message') as error`)

/** The last runs of these kinds (running, waiting to be tried again, or ended), newest first. */
export async function lastRuns(names: string[], perKind: number): Promise<RunRow[]> {
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

export async function stateCounts(names: string[]) {
  return rows<{ name: string; state: JobState; count: number }>(
    db,
    sql`select name, state::text as state, count(*)::int as count from pgboss.job
        where name in ${names} and state in ('created', 'retry', 'active', 'failed')
        group by name, state`,
  )
}

/**
 * Each queue's last ended run (completed, or failed for good) with its error: one pass over the
 * ended runs (a week of them: the mail alone is 10,000).
 */
export async function lastOutcomes(names: string[]) {
  return rows<{ name: string; state: JobState; ended: string; error: string | null }>(
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
  )
}

/** When each queue was made (a kind that has never run is late counted from then). */
export async function queuesMadeAt(names: string[]) {
  return rows<{ name: string; created_on: string }>(db, sql`select name, created_on::text from pgboss.queue where name in ${names}`)
}
