// The job queue across real app instances (`npm start`, server/index.ts, each its own process) on
// one database: each slot of a schedule runs once with two instances; a job whose instance is
// killed (-9) is tried again after its timeout and completes once; SIGTERM lets a running job
// finish; sign-in mail leaves from the queue after the page has answered; and on the embedded
// database the scheduled backup is made by the running app. A backup is held mid-way by a lock
// the test takes on a table (pg_dump waits for it), so "mid-way" is a state, not a moment.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import PgBoss from 'pg-boss'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase } from '~/services/db.server'
import { freePort } from '../../scripts/free-port'
import { createPgDatabase } from '../setup/databases'
import { runToEnd } from '../setup/processes'
import { startSmtpSink } from '../setup/smtp-sink'

const dirs: string[] = []
const cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined)
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `tara-jobs-${name}-`))
  dirs.push(dir)
  return dir
}

/** Polls `check` every `everyMs` until it gives a value (not undefined), for up to `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

interface Instance {
  url: string
  output(): string
  /** The exit code (null after a signal that killed it). */
  exited: Promise<number | null>
  /** To the app's process alone, as Docker and Kubernetes stop a container's main process. */
  signal(signal: NodeJS.Signals): void
  /** kill -9 of the app and every process it started (its pg_dump). */
  kill(): void
}

/**
 * `npm start` (or `npm run worker`: `script`) as one process in its own group (a kill takes its
 * pg_dump with it); resolves once it says it is `ready`.
 */
async function startInstance(
  env: Record<string, string>,
  { script = 'server/index.ts', ready = 'Tara Hub is ready' }: { script?: string; ready?: string } = {},
): Promise<Instance> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(40),
    SHOP_TIMEZONE: 'UTC',
    PORT: String(port),
    APP_URL: url,
    ...env,
  }
  delete childEnv.REDIS_URL
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: childEnv, detached: true })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const instance: Instance = {
    url,
    output: () => output,
    exited,
    signal: (signal) => child.kill(signal),
    kill: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    },
  }
  cleanup.push(async () => {
    instance.kill()
    await exited
  })
  await Promise.race([
    waitFor('the instance to start', () => (output.includes(ready) ? true : undefined), 90_000),
    exited.then((code) => Promise.reject(new Error(`the instance exited with ${code}: ${output}`))),
  ])
  return instance
}

/** A migrated PostgreSQL database (and the app's login), an owner client on it, dropped after the file. */
async function migratedDatabase() {
  const database = await createPgDatabase('tara_jobs')
  const handle = createDatabase({ url: database.appUrl, ownerUrl: database.url, poolMax: 1 })
  await handle.migrate()
  await handle.close()
  const owner = new pg.Client({ connectionString: database.url })
  // Dropping the database at the end ends this connection.
  owner.on('error', () => undefined)
  await owner.connect()
  cleanup.push(() => database.drop())
  cleanup.push(() => owner.end())
  const env = { DATABASE_URL: database.url, APP_DATABASE_URL: database.appUrl }
  return { database, owner, env }
}

/** A migrated database, a mail server (taking `delayMs` per mail) and a backup folder: what instances need. */
async function shopSetup(name: string, { delayMs = 0 }: { delayMs?: number } = {}) {
  const { database, owner, env } = await migratedDatabase()
  const smtp = await startSmtpSink({ delayMs })
  cleanup.push(() => smtp.close())
  const backups = tempDir(name)
  return { database, owner, smtp, backups, env: { ...env, SMTP_URL: smtp.url, BACKUP_DIR: backups } }
}

/**
 * A bare machine's shop on the embedded database, backed up every minute, logging each job's
 * start; `made()` lists the backups written so far.
 */
function embeddedShop(name: string) {
  const dir = tempDir(name)
  const backups = path.join(dir, 'backups')
  const env = {
    DATABASE_URL: '',
    APP_DATABASE_URL: '',
    SMTP_URL: '',
    LOG_LEVEL: 'debug',
    PGLITE_DIR: path.join(dir, 'pglite'),
    BACKUP_DIR: backups,
    BACKUP_CRON: '* * * * *',
  }
  const made = () => {
    try {
      return readdirSync(backups).filter((f) => /^tara-.*\.sql$/.test(f))
    } catch {
      return []
    }
  }
  return { env, made }
}

/** Asks `url`'s sign-in page for a link for `email`, as its form does. */
const askForLink = (url: string, email: string) =>
  fetch(`${url}/login`, {
    method: 'POST',
    headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }),
    redirect: 'manual',
  })

type Client = pg.Client
const jobRows = async (client: Client, name: string) =>
  (
    await client.query<{ id: string; state: string; retry_count: number; output: { summary?: string } | null }>(
      `select id, state::text, retry_count, output from pgboss.job where name = $1 order by created_on`,
      [name],
    )
  ).rows

const backupsIn = (dir: string) => readdirSync(dir).filter((f) => /^tara-.*\.dump$/.test(f))

/**
 * Queues a backup from outside the instances, through pg-boss on the owner's connection, with two
 * retries 1 s apart (a backup's own first retry waits 5 minutes).
 */
async function queueBackup(client: Client): Promise<string> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => client.query(text, values) },
    migrate: false,
    supervise: false,
    schedule: false,
  })
  await boss.start()
  try {
    return (await boss.send('backup', {}, { retryLimit: 2, retryDelay: 1, retryBackoff: false }))!
  } finally {
    await boss.stop({ graceful: false, close: false })
  }
}

/** Holds an exclusive lock on `fabrics` until released: a backup started meanwhile waits in pg_dump. */
async function holdFabricsLock(url: string) {
  const locker = new pg.Client({ connectionString: url })
  locker.on('error', () => undefined)
  await locker.connect()
  cleanup.push(() => locker.end())
  await locker.query('begin')
  await locker.query('lock table fabrics in access exclusive mode')
  return () => locker.query('rollback')
}

describe.concurrent('jobs across app instances', () => {
  it('runs each minute of a one-minute backup schedule once with two instances on one database', async () => {
    const { owner, env, backups } = await shopSetup('twice')
    const common = { ...env, BACKUP_CRON: '* * * * *' }
    const [a, b] = await Promise.all([startInstance(common), startInstance(common)])
    // Until a third slot has been sent, so that the two before it are over: each instance looks
    // every 30 s, whichever is first sends the slot's job.
    const slotsOf = async () =>
      (
        await owner.query<{ slot: string }>(
          `select singleton_on::text as slot from pgboss.job where name = '__pgboss__send-it' and data->>'name' = 'backup' order by 1`,
        )
      ).rows.map((r) => r.slot)
    const slots = await waitFor('three backup slots', async () => ((await slotsOf()).length >= 3 ? slotsOf() : undefined), 240_000)
    const minutes = slots.map((s) => Date.parse(`${s.replace(' ', 'T')}Z`) / 60_000)
    // One each minute: none twice, none missed.
    expect(minutes).toEqual(minutes.map((_, i) => minutes[0]! + i))
    const done = await waitFor('the first two backups', async () => {
      const completed = (await jobRows(owner, 'backup')).filter((j) => j.state === 'completed')
      return completed.length >= 2 ? completed : undefined
    })
    a.signal('SIGTERM')
    b.signal('SIGTERM')
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0])
    const jobs = await jobRows(owner, 'backup')
    // One backup job per slot sent, each run once and completed (the last slot's may still wait
    // for the next start), and one backup file for each.
    const ran = jobs.filter((j) => j.state !== 'created')
    expect(jobs.length).toBeLessThanOrEqual(slots.length)
    expect(jobs.length - ran.length).toBeLessThanOrEqual(1)
    expect(ran.length).toBeGreaterThanOrEqual(2)
    expect(ran.map((j) => [j.state, j.retry_count])).toEqual(ran.map(() => ['completed', 0]))
    expect(backupsIn(backups)).toHaveLength(ran.length)
    expect(done[0]!.output?.summary).toMatch(/^Backup tara-.*\.dump \(.*\)\.$/)
  }, 300_000)

  it('tries a job again after its timeout when its instance was killed mid-way (-9); it completes once', async () => {
    const { database, owner, env, backups } = await shopSetup('killed')
    const common = { ...env, JOB_TIMEOUT_SECONDS: '5' }
    const first = await startInstance(common)
    const release = await holdFabricsLock(database.url)
    const id = await queueBackup(owner)
    await waitFor('the backup to start', async () => ((await jobRows(owner, 'backup'))[0]?.state === 'active' ? true : undefined))
    first.kill()
    expect(await first.exited).toBe(null)
    await release()
    expect(backupsIn(backups)).toEqual([])
    // Another instance finds it lost once its 5 s are up (its maintenance looks every 15 s), and runs it.
    const second = await startInstance(common)
    const job = await waitFor(
      'the backup to be tried again',
      async () => (await jobRows(owner, 'backup')).find((j) => j.id === id && j.state === 'completed'),
      90_000,
    )
    expect(job.retry_count).toBe(1)
    expect(backupsIn(backups)).toHaveLength(1)
    second.signal('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 180_000)

  it('finishes a running job on SIGTERM, serving no new request meanwhile, then exits', async () => {
    const { database, owner, env, backups } = await shopSetup('sigterm')
    const instance = await startInstance({ ...env, SHUTDOWN_TIMEOUT: '60' })
    const release = await holdFabricsLock(database.url)
    const id = await queueBackup(owner)
    await waitFor('the backup to start', async () => ((await jobRows(owner, 'backup'))[0]?.state === 'active' ? true : undefined))
    instance.signal('SIGTERM')
    await waitFor('the stop to begin', () => (instance.output().includes('SIGTERM: stopping') ? true : undefined))
    // It no longer takes requests, and is still there: the backup waits for the lock.
    await expect(fetch(`${instance.url}/healthz`)).rejects.toThrow()
    expect((await jobRows(owner, 'backup'))[0]?.state).toBe('active')
    await release()
    expect(await instance.exited).toBe(0)
    const [job] = await jobRows(owner, 'backup')
    expect(job).toMatchObject({ id, state: 'completed', retry_count: 0 })
    expect(backupsIn(backups)).toHaveLength(1)
  }, 180_000)

  it('sends sign-in mail from the queue after the sign-in page has answered', async () => {
    // A mail server that takes 2 s to accept each mail.
    const { owner, env, smtp } = await shopSetup('mail', { delayMs: 2_000 })
    await owner.query(`insert into users (email, name, role) values ('kim@example.com', 'Kim', 'user')`)
    const instance = await startInstance(env)
    const started = Date.now()
    const answer = await askForLink(instance.url, 'kim@example.com')
    const answeredAfter = Date.now() - started
    expect(answer.status).toBeLessThan(400)
    // The page did not wait for the mail server, which had not taken the mail yet.
    expect(answeredAfter).toBeLessThan(2_000)
    expect(smtp.messages).toEqual([])
    const mail = await waitFor('the mail', () => smtp.messages.find((m) => m.to.includes('kim@example.com')))
    expect(Date.now() - started).toBeGreaterThan(answeredAfter)
    expect(mail.text).toContain(`${instance.url}/login/link?token=`)
    // The queue's mail job sent it, once the server had taken it.
    await waitFor('the mail job', async () =>
      (await jobRows(owner, 'mail')).find((j) => j.state === 'completed' && j.output?.summary?.startsWith('Sent 1')),
    )
    instance.signal('SIGTERM')
    expect(await instance.exited).toBe(0)
  }, 180_000)

  it('leaves the jobs of a page-only instance (JOBS=off) to `npm run worker`, which needs a database server', async () => {
    const { owner, env: common, smtp } = await shopSetup('worker')
    await owner.query(`insert into users (email, name, role) values ('lee@example.com', 'Lee', 'user')`)
    const web = await startInstance({ ...common, JOBS: 'off' })
    expect(web.output()).toContain('jobs off')
    const answer = await askForLink(web.url, 'lee@example.com')
    expect(answer.status).toBeLessThan(400)
    // Queued, and nobody runs it.
    const waiting = await waitFor('the mail job', async () => (await jobRows(owner, 'mail')).find((j) => j.state === 'created'))
    expect(smtp.messages).toEqual([])
    const worker = await startInstance(common, { script: 'server/worker.ts', ready: 'Tara Hub worker is running the jobs' })
    await waitFor('the mail', () => smtp.messages.find((m) => m.to.includes('lee@example.com')))
    await waitFor('the job done', async () => ((await jobRows(owner, 'mail')).find((j) => j.id === waiting.id)?.state === 'completed' ? true : undefined))
    worker.signal('SIGTERM')
    web.signal('SIGTERM')
    expect(await Promise.all([worker.exited, web.exited])).toEqual([0, 0])

    // The embedded database is open in `npm start`, which runs its jobs itself.
    const refused = await runToEnd([process.execPath, '--import', 'tsx', 'server/worker.ts'], {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      DATABASE_URL: '',
    })
    expect(refused.status).toBe(1)
    expect(refused.output.trim()).toBe(
      'npm run worker needs DATABASE_URL: the embedded database is open in `npm start`, which runs the jobs itself.',
    )
  }, 180_000)

  it('on the embedded database too, a job killed (-9) mid-way is tried again after a restart, and completes once', async () => {
    const { env, made } = embeddedShop('embedded-kill')
    const embedded = { ...env, JOB_TIMEOUT_SECONDS: '5', JOB_RETRY_DELAY_SECONDS: '1' }
    // The schedule's first slot starts a backup; the app is killed as soon as it says so.
    const first = await startInstance(embedded)
    const started = await waitFor(
      'the backup to start',
      () => /"jobId":"([^"]+)","job":"backup"[^\n]*"msg":"job backup started"/.exec(first.output())?.[1],
      90_000,
      10,
    )
    first.kill()
    expect(await first.exited).toBe(null)
    expect(made()).toEqual([])
    // Started again on the same database: the lost job is found once its 5 s are up, and runs once.
    const second = await startInstance(embedded)
    const done = `"jobId":"${started}"[^\\n]*"msg":"job backup: Backup tara-`
    await waitFor('the lost backup to be made', () => (new RegExp(done).test(second.output()) ? true : undefined), 120_000)
    expect(second.output().match(new RegExp(done, 'g'))).toHaveLength(1)
    expect(second.output()).toMatch(new RegExp(`"jobId":"${started}"[^\\n]*"tries":2`))
    expect(made().length).toBeGreaterThanOrEqual(1)
    second.signal('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 300_000)

  it('makes the scheduled backup of the embedded database while the app runs, and finishes one on SIGTERM', async () => {
    const { env, made } = embeddedShop('embedded')
    const instance = await startInstance(env)
    await waitFor('a backup', () => (made().length > 0 ? true : undefined), 150_000)
    // The app served throughout, and the job says what it made.
    expect((await fetch(`${instance.url}/healthz`)).status).toBe(200)
    expect(instance.output()).toMatch(/"msg":"job backup: Backup tara-.*\.sql/)
    // The next minute's backup is stopped with SIGTERM as it starts: it finishes, then the app stops.
    const before = instance.output().length
    const startedAgain = () => instance.output().slice(before).includes('"msg":"job backup started"')
    await waitFor('the next backup to start', () => (startedAgain() ? true : undefined), 90_000)
    instance.signal('SIGTERM')
    expect(await instance.exited).toBe(0)
    expect(instance.output().slice(before)).toMatch(/SIGTERM: stopping[\s\S]*"msg":"job backup: Backup tara-/)
    // Every backup that started (one a minute, however many went by) finished, and made its file.
    const count = (text: string) => instance.output().split(text).length - 1
    expect(count('"msg":"job backup started"')).toBeGreaterThanOrEqual(2)
    expect(count('"msg":"job backup: Backup tara-')).toBe(count('"msg":"job backup started"'))
    expect(made()).toHaveLength(count('"msg":"job backup started"'))
  }, 240_000)
})
