// The job queue in one process, on every driver (PGlite, PostgreSQL and Neon, the last two as the
// app's own role): a failing job is tried again after waits that double, then stays failed with
// its error on the jobs page and the dashboard's warning, and runs again on "Retry"; rollups asked
// for after changes are queued once per range and run by the worker; the jobs page's schedule.
// The instances, the clock and the kill are in jobs-instances.test.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { JOB_KINDS, type JobKind } from '~/jobs/kinds.server'
import { retryJob, runJobNow, startJobs, stopJobs } from '~/jobs/runner.server'
import { describeCron, jobsPage, jobWarnings } from '~/jobs/status.server'
import { ANALYTICS_DAYS_QUEUE, analyticsSettled, refreshAnalytics } from '~/models/analytics-refresh.server'
import { placeOrder, type Actor } from '~/models/order.server'
import { health } from '~/models/health.server'
import { analytics, users } from '~/models/schema'
import { listBackups } from '~/services/backup/manifest.server'
import { rows } from '~/services/db.server'
import { env } from '~/services/env.server'
import { queue, wakeWorkers } from '~/services/queue.server'
import { TARGETS, useMigratedDatabase } from '../setup/databases'
import { insertFabric } from '../setup/factories'

vi.stubEnv('SHOP_TIMEZONE', 'Europe/London')
// Read by env() on first use: the backups of this file, and today (in London) as the weekly day.
const BACKUPS = mkdtempSync(path.join(tmpdir(), 'tara-jobs-backups-'))
afterAll(() => rmSync(BACKUPS, { recursive: true, force: true }))
vi.stubEnv('BACKUP_DIR', BACKUPS)
vi.stubEnv('BACKUP_WEEKLY_ON', new Date().toLocaleDateString('en-US', { weekday: 'long', timeZone: 'Europe/London' }))

/** Polls `check` until it gives a value (not undefined), for up to `ms`. */
async function waitFor<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('waited too long')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A job kind that fails while `broken` is set, noting when each try started. */
function flakyKind(name: string) {
  const tries: number[] = []
  const control = { broken: true }
  const kind: JobKind = {
    name,
    title: 'Flaky test job',
    cron: () => '0 4 * * *',
    policy: 'standard',
    retryLimit: 2,
    retryDelaySeconds: 1,
    timeoutSeconds: 60,
    async run() {
      tries.push(Date.now())
      if (control.broken) throw new Error('the printer is out of paper')
      return 'Printed.'
    },
  }
  return { kind, tries, control }
}

describe('the jobs page in words', () => {
  it('says common schedules in words, others as the cron', () => {
    expect(describeCron('30 3 * * *')).toBe('every day at 03:30')
    expect(describeCron('*/15 * * * *')).toBe('every 15 minutes')
    expect(describeCron('* * * * *')).toBe('every minute')
    expect(describeCron('17 * * * *')).toBe('every hour at :17')
    expect(describeCron('0 4 * * 1')).toBe('on the schedule 0 4 * * 1')
  })
})

describe('the backup job on the embedded database', () => {
  useMigratedDatabase('pglite')
  const backup = JOB_KINDS.find((k) => k.name === 'backup')!
  /** A job as the queue hands it to the kind (only what the kind reads). */
  const job = (data: Record<string, unknown>, createdOn: Date) =>
    ({ id: 'test', name: 'backup', data, createdOn, retryCount: 0 }) as unknown as Parameters<JobKind['run']>[0]

  it('is the weekly one when the schedule sends it on BACKUP_WEEKLY_ON, and is made once however often it runs', async () => {
    const scheduled = job({ scheduled: true }, new Date())
    expect(await backup.run(scheduled, env())).toMatch(/^Weekly backup tara-.*\.sql \(.*\)\.$/)
    // The same job again (its first run's process died after the backup was written): no second one.
    expect(await backup.run(scheduled, env())).toMatch(/^No new backup: the newest weekly backup, tara-.*, is .* old, made since this job was queued\.$/)
    // "Run now" on the same day is an ordinary one.
    expect(await backup.run(job({}, new Date()), env())).toMatch(/^Backup tara-.*\.sql/)
    expect((await listBackups(BACKUPS)).map((b) => b.weekly)).toEqual([false, true])
  })
})

describe.each(TARGETS)('the job queue on %s', (target) => {
  const database = useMigratedDatabase(target)
  const flaky = flakyKind(`flaky-${target}`)
  const rollups = JOB_KINDS.find((k) => k.name === ANALYTICS_DAYS_QUEUE)!

  afterAll(async () => {
    await stopJobs({ timeoutMs: 5_000 })
  })

  it('tries a failing job again after waits that double, then keeps it failed with its error; Retry runs it again', async () => {
    await startJobs(database.handle, { work: true, kinds: [flaky.kind] })
    const sent = await runJobNow(flaky.kind.name)
    expect(sent.ok).toBe(true)
    // "Run now" has no retries: a job sent as the schedule sends it has the kind's two.
    const id = (await queue().send(flaky.kind.name, { scheduled: true }))!
    wakeWorkers(flaky.kind.name)
    const failed = await waitFor(async () => {
      const job = await queue().getJobById(flaky.kind.name, id)
      return job?.state === 'failed' ? job : undefined
    })
    expect(failed.retryCount).toBe(2)
    // Three tries of the scheduled job (and one of the "Run now" one), the waits between them
    // doubling: 1–2 s, then 2–4 s (pg-boss adds up to as much again at random).
    const mine = flaky.tries.slice(-3)
    const [first, second] = [mine[1]! - mine[0]!, mine[2]! - mine[1]!]
    expect(first).toBeGreaterThanOrEqual(900)
    expect(second).toBeGreaterThanOrEqual(1900)
    expect(second).toBeGreaterThan(first)

    const [page] = await jobsPage(new Date(), [flaky.kind])
    expect(page).toMatchObject({ name: flaky.kind.name, schedule: 'every day at 04:00', counts: { failed: 2 } })
    expect(page!.runs[0]).toMatchObject({ id, state: 'failed', tries: 3, result: 'Error: the printer is out of paper' })
    expect(await jobWarnings(new Date(), [flaky.kind])).toEqual([
      {
        name: flaky.kind.name,
        title: 'Flaky test job',
        problem: expect.stringMatching(/^failed at .*: Error: the printer is out of paper$/),
        reason: 'failed',
        at: expect.any(String),
        error: 'Error: the printer is out of paper',
      },
    ])

    flaky.control.broken = false
    expect(await retryJob(flaky.kind.name, id)).toEqual({ ok: true })
    await waitFor(async () => ((await queue().getJobById(flaky.kind.name, id))?.state === 'completed' ? true : undefined))
    const [after] = await jobsPage(new Date(), [flaky.kind])
    expect(after!.runs[0]).toMatchObject({ id, state: 'completed', result: 'Printed.' })
    expect(after!.counts.failed).toBe(1)
    expect(await jobWarnings(new Date(), [flaky.kind])).toEqual([])
    // Only a failed job is retried; a kind this instance does not run is refused.
    expect(await retryJob(flaky.kind.name, id)).toEqual({ ok: false, problem: expect.stringMatching(/has not failed/) })
    expect(await runJobNow('no-such-job')).toEqual({ ok: false, problem: 'There is no such job.' })
    await stopJobs({ timeoutMs: 5_000 })
  })

  it('says on /healthz that the queue lags once a job has waited two minutes past its time', async () => {
    await startJobs(database.handle, { work: false, kinds: [flaky.kind] })
    expect(await health()).toEqual({ db: 'ok', queue: 'ok' })
    await queue().send(flaky.kind.name, {}, { startAfter: new Date(Date.now() - 60_000) })
    expect(await health()).toEqual({ db: 'ok', queue: 'ok' })
    await queue().send(flaky.kind.name, {}, { startAfter: new Date(Date.now() - 3 * 60_000) })
    expect(await health()).toEqual({ db: 'ok', queue: 'lagging' })
    await queue().purgeQueue(flaky.kind.name)
    expect(await health()).toEqual({ db: 'ok', queue: 'ok' })
    await stopJobs({ timeoutMs: 5_000 })
  })

  it('warns when a scheduled job has not run for twice its period', async () => {
    await startJobs(database.handle, { work: false, kinds: [flaky.kind, rollups] })
    const quiet = { ...flaky.kind, name: `quiet-${target}`, cron: () => '*/5 * * * *' }
    await startJobs(database.handle, { work: false, kinds: [quiet] })
    expect(await jobWarnings(new Date(), [quiet])).toEqual([])
    // Ten minutes and a second later it has still never run: two periods of five minutes.
    const later = new Date(Date.now() + 10 * 60_000 + 1_000)
    expect(await jobWarnings(later, [quiet])).toEqual([
      {
        name: quiet.name,
        title: 'Flaky test job',
        problem: 'has never run (its schedule: every 5 minutes)',
        reason: 'never',
        at: expect.any(String),
        error: null,
      },
    ])
    await stopJobs({ timeoutMs: 5_000 })
  })

  it('queues the rollup of a day once however many changes ask for it, and the worker runs it', async () => {
    const [user] = await database.db.insert(users).values({ email: `jobs-${target}@example.com`, name: 'Jo' }).returning()
    const actor: Actor = { id: user!.id, role: 'admin' }
    const fabric = await insertFabric(database.db, { name: 'Oat Linen', price: '10.00', stockQuantity: 50 })
    // Sending only (JOBS=off): the jobs wait.
    await startJobs(database.handle, { work: false, kinds: [rollups] })
    for (let i = 0; i < 3; i++) {
      const placed = await placeOrder({
        details: { customerName: `C${i}`, customerEmail: null, shippingAddress: null, notes: null },
        lines: [{ fabricId: fabric.id, quantity: 1 }],
        actor,
      })
      expect(placed.ok).toBe(true)
    }
    refreshAnalytics([new Date('2026-03-01T12:00:00Z')])
    await waitFor(async () => ((await queue().getQueueSize(ANALYTICS_DAYS_QUEUE)) === 2 ? true : undefined))
    const waiting = await rows<{ key: string }>(
      database.db,
      sql`select singleton_key as key from pgboss.job where name = ${ANALYTICS_DAYS_QUEUE} and state = 'created' order by 1`,
    )
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
    expect(waiting.map((w) => w.key)).toEqual(['2026-03-01:2026-03-01', `${today}:${today}`])
    await stopJobs({ timeoutMs: 5_000 })

    // An instance that works the queue runs them; the dashboard waits for them.
    await startJobs(database.handle, { work: true, kinds: [rollups] })
    await analyticsSettled()
    expect(await queue().getQueueSize(ANALYTICS_DAYS_QUEUE)).toBe(0)
    const [revenue] = await database.db
      .select({ value: analytics.metricValue })
      .from(analytics)
      .where(sql`${analytics.metricType} = 'revenue' and ${analytics.date} = ${today} and ${analytics.platform} = ''`)
    expect(revenue?.value).toMatchObject({ value: 30 })
  })
})
