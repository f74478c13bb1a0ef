// What /admin/jobs and the dashboard's warning read from the job queue (app/jobs/status.server.ts) and
// what its buttons do (app/jobs/runner.server.ts), on the embedded database and PostgreSQL. The
// queue runs no worker here (JOBS off): each test takes its jobs through their states itself, with
// pg-boss's own fetch, fail and complete, as a worker would.
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { canRunNow, retryJob, runJobNow, startJobs, stopJobs } from '~/jobs/runner.server'
import { JOB_KINDS } from '~/jobs/kinds.server'
import { jobsPage, jobWarnings, type JobRun } from '~/jobs/status.server'
import { queue, sendJob } from '~/services/queue.server'
import { useMigratedDatabase } from '../setup/databases'

vi.stubEnv('SHOP_TIMEZONE', 'UTC')
vi.stubEnv('BACKUP_AT', '03:30')

/** One job of `name` sent and taken by a "worker": its id. */
async function sendAndFetch(name: string): Promise<string> {
  const id = await sendJob(name, {}, { retryLimit: 0 })
  expect(id).toBeTruthy()
  const [job] = await queue().fetch(name)
  expect(job?.id).toBe(id)
  return id!
}

async function runOf(name: string, id: string): Promise<JobRun | undefined> {
  return (await jobsPage()).find((k) => k.name === name)?.runs.find((r) => r.id === id)
}

describe('without a running queue (the dev server)', () => {
  it('Run now and Retry say so instead of failing', async () => {
    expect(await runJobNow('cleanup')).toEqual({ ok: false, problem: expect.stringMatching(/job queue is not running/) })
    expect(await retryJob('cleanup', randomUUID())).toEqual({ ok: false, problem: expect.stringMatching(/job queue is not running/) })
  })
})

describe.each(['pglite', 'postgres'] as const)('the jobs page on %s', (target) => {
  const database = useMigratedDatabase(target)
  beforeAll(async () => {
    await startJobs(database.handle, { work: false })
  })
  afterAll(async () => {
    await stopJobs({ timeoutMs: 1000 })
  })

  it('offers Run now for the scheduled kinds only, and refuses the others, unknown ones and a second one waiting', async () => {
    const page = await jobsPage()
    expect(page.map((k) => k.name)).toEqual(JOB_KINDS.map((k) => k.name))
    for (const kind of page) expect(kind.canRunNow).toBe(kind.schedule !== null)
    expect(page.find((k) => k.name === 'analytics-days')?.canRunNow).toBe(false)
    expect(JOB_KINDS.filter(canRunNow).map((k) => k.name)).not.toContain('analytics-days')

    // Sent empty, the analytics of the days a change touched could only fail.
    expect(await runJobNow('analytics-days')).toEqual({ ok: false, problem: expect.stringMatching(/cannot be run by hand/) })
    expect(await runJobNow('no-such-job')).toEqual({ ok: false, problem: 'There is no such job.' })

    const sent = await runJobNow('cleanup')
    expect(sent).toEqual({ ok: true, id: expect.any(String) })
    expect(await runJobNow('cleanup')).toEqual({ ok: false, problem: 'Clean-up is already waiting to run.' })
    const [job] = await queue().fetch('cleanup')
    await queue().complete('cleanup', job!.id, { summary: 'Deleted nothing.' })
  })

  it('shows a failed run sent again without its old end, duration or result until its new try ends', async () => {
    const id = await sendAndFetch('cleanup')
    await queue().fail('cleanup', id, { message: 'Error: boom' })
    const failed = await runOf('cleanup', id)
    expect(failed).toMatchObject({ state: 'failed', result: 'Error: boom', tries: 1 })
    expect(failed?.endedAt).not.toBeNull()
    expect(failed?.durationMs).toBeGreaterThanOrEqual(0)

    expect(await retryJob('cleanup', id)).toEqual({ ok: true })
    // Waiting: pg-boss keeps the failure's completed_on and output; the page shows the error as the last try's.
    expect(await runOf('cleanup', id)).toMatchObject({ state: 'retry', endedAt: null, durationMs: null, result: 'Error: boom', tries: 1 })

    const [again] = await queue().fetch('cleanup')
    expect(again?.id).toBe(id)
    expect(await runOf('cleanup', id)).toMatchObject({ state: 'active', endedAt: null, durationMs: null, result: null, tries: 2 })

    await queue().complete('cleanup', id, { summary: 'Deleted 2 ended session(s).' })
    const done = await runOf('cleanup', id)
    expect(done).toMatchObject({ state: 'completed', result: 'Deleted 2 ended session(s).', tries: 2 })
    expect(Date.parse(done!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(done!.startedAt!))
    expect(done?.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('refuses to retry, without an error, what it cannot: a second run waiting for a kind that keeps one, a run not failed, a bad id', async () => {
    const kind = 'analytics-today'
    const first = await sendAndFetch(kind)
    const secondId = await sendJob(kind, {}, { retryLimit: 0 })
    await queue().fail(kind, first, { message: 'Error: first' })
    const [second] = await queue().fetch(kind)
    expect(second?.id).toBe(secondId)
    await queue().fail(kind, secondId!, { message: 'Error: second' })

    expect(await retryJob(kind, first)).toEqual({ ok: true })
    // The queue's unique index lets one job of a stately kind wait to be tried again.
    expect(await retryJob(kind, secondId!)).toEqual({
      ok: false,
      problem: 'Another run of Analytics of today is already waiting to be tried again: retry this one after it has run.',
    })
    expect(await runOf(kind, secondId!)).toMatchObject({ state: 'failed' })
    expect(await retryJob(kind, first)).toEqual({ ok: false, problem: expect.stringMatching(/has not failed/) })
    expect(await retryJob(kind, 'not-a-uuid')).toEqual({ ok: false, problem: 'There is no such job run.' })
    expect(await retryJob('no-such-job', first)).toEqual({ ok: false, problem: 'There is no such job run.' })

    // Once the first has run, the second can be retried.
    const [retried] = await queue().fetch(kind)
    await queue().complete(kind, retried!.id, { summary: 'Rolled up.' })
    expect(await retryJob(kind, secondId!)).toEqual({ ok: true })
    const [last] = await queue().fetch(kind)
    await queue().complete(kind, last!.id, { summary: 'Rolled up.' })
  })

  it('gives a warning’s time and error apart from its words, for a failed, a late and a never-run kind', async () => {
    const failed = await sendAndFetch('backup')
    await queue().fail('backup', failed, { message: 'BackupError: pg_dump failed' })
    const [backup] = (await jobWarnings()).filter((w) => w.name === 'backup')
    expect(backup).toMatchObject({ title: 'Backup', reason: 'failed', error: 'BackupError: pg_dump failed' })
    expect(backup?.problem).toMatch(/^failed at \S+: BackupError: pg_dump failed$/)
    expect(Math.abs(Date.parse(backup!.at!) - Date.now())).toBeLessThan(60_000)

    const done = await sendAndFetch('cleanup')
    await queue().complete('cleanup', done, { summary: 'Deleted nothing.' })
    const ended = (await runOf('cleanup', done))!.endedAt!
    const later = new Date(Date.parse(ended) + 3 * 3600_000)
    const warnings = await jobWarnings(later)
    // Clean-up runs hourly: three hours on, it is late; the mail, every minute, has never run.
    expect(warnings.find((w) => w.name === 'cleanup')).toMatchObject({ reason: 'late', at: ended, error: null })
    expect(warnings.find((w) => w.name === 'mail')).toMatchObject({ reason: 'never', error: null })
    expect(warnings.find((w) => w.name === 'backup')).toMatchObject({ reason: 'failed' })
    // Not scheduled: never warned about.
    expect(warnings.find((w) => w.name === 'analytics-days')).toBeUndefined()
  })

  it('reads a week of runs quickly (the last success is not looked up once per run)', async () => {
    // A week of the mail job, every minute: 10,000 runs in the archive.
    await database.db.execute(sql`
      insert into pgboss.job (id, name, state, created_on, started_on, completed_on, output)
      select gen_random_uuid(), 'mail', 'completed', t, t, t + interval '1 second', '{"summary":"Sent 0."}'::jsonb
      from generate_series(now() - interval '7 days', now() - interval '25 hours', interval '1 minute') t`)
    await database.db.execute(sql`
      with moved as (delete from pgboss.job where name = 'mail' and state = 'completed' returning *)
      insert into pgboss.archive select *, now() from moved`)
    const started = performance.now()
    const warnings = await jobWarnings()
    // Seconds before; a bound far above what it takes now, so only that comes back to fail it.
    expect(performance.now() - started).toBeLessThan(3000)
    // Its last run ended 25 hours ago: late for a job of every minute.
    expect(warnings.find((w) => w.name === 'mail')).toMatchObject({ reason: 'late' })
    expect((await jobsPage()).find((k) => k.name === 'mail')?.runs).toHaveLength(5)
  })

  it('gives each kind’s next run in the shop’s zone, for any "now", earlier or later than the last asked', async () => {
    const nextBackup = async (now: string) => (await jobsPage(new Date(now))).find((k) => k.name === 'backup')?.nextRun
    expect(await nextBackup('2030-01-01T00:00:00Z')).toBe('2030-01-01T03:30:00.000Z')
    expect(await nextBackup('2030-01-01T03:29:59Z')).toBe('2030-01-01T03:30:00.000Z')
    expect(await nextBackup('2030-01-01T03:30:00Z')).toBe('2030-01-02T03:30:00.000Z')
    expect(await nextBackup('2029-12-30T12:00:00Z')).toBe('2029-12-31T03:30:00.000Z')
    const page = await jobsPage(new Date('2030-01-01T00:00:00Z'))
    expect(page.find((k) => k.name === 'backup')).toMatchObject({ schedule: 'every day at 03:30', cron: '30 3 * * *' })
    expect(page.find((k) => k.name === 'cleanup')).toMatchObject({ schedule: 'every hour at :17', nextRun: '2030-01-01T00:17:00.000Z' })
  })
})
