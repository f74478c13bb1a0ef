// The job queue on a test's database, as an instance with JOBS=on runs it.
import { afterAll, beforeAll } from 'vitest'
import { JOB_KINDS } from '~/jobs/kinds.server'
import { startJobs, stopJobs } from '~/jobs/runner.server'
import type { DatabaseHandle } from '~/services/db.server'

/**
 * Starts the queue and workers on `database` before the file's tests (only the kinds named, so
 * that no schedule runs besides), and stops them after.
 */
export function useJobs(database: { handle: DatabaseHandle }, names: string[]) {
  beforeAll(async () => {
    await startJobs(database.handle, { work: true, kinds: JOB_KINDS.filter((k) => names.includes(k.name)) })
  })
  afterAll(async () => {
    await stopJobs({ timeoutMs: 5_000 })
  })
}
