// The npm scripts on PostgreSQL: `npm start` never migrates by itself, a bad environment stops
// it, db:migrate / db:seed do their job once and refuse to do harm, analytics:rollup is idempotent.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '~/models/schema'
import { createDatabase, MIGRATIONS_DIR, pendingMigrations } from '~/services/db.server'
import { createPgDatabase } from '../setup/databases'
import { freePort } from '../../scripts/free-port'
import { runToEnd, signInWithToken } from '../setup/processes'

function run(script: string, env: Record<string, string>, args: string[] = []) {
  return runToEnd(['npx', 'tsx', script, ...args], {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(40),
    SMTP_URL: 'smtp://127.0.0.1:1',
    PORT: '39871',
    ...env,
  })
}
const start = (env: Record<string, string>) => run('server/index.ts', env)

describe('npm scripts on PostgreSQL', { timeout: 240_000 }, () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>
  beforeAll(async () => {
    database = await createPgDatabase()
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('refuses to start while migrations are pending, naming npm run db:migrate', async () => {
    const { status, output } = await start({ DATABASE_URL: database.url })
    expect(status).toBe(1)
    expect(output).toMatch(/migration\(s\) pending: run `npm run db:migrate` first/)
    expect(output.trim().split('\n')).toHaveLength(1)
  })

  it('stops on a bad value with a message that names the variable', async () => {
    const { status, output } = await start({ DATABASE_URL: database.url, DB_POOL_MAX: 'lots' })
    expect(status).toBe(1)
    expect(output).toMatch(/Invalid environment: DB_POOL_MAX/)
  })

  it('refuses a production start without SESSION_SECRET', async () => {
    const { status, output } = await start({ DATABASE_URL: database.url, SESSION_SECRET: '' })
    expect(status).toBe(1)
    expect(output).toMatch(/SESSION_SECRET is required in production/)
  })

  it('seeds only a migrated, empty database', async () => {
    const env = { DATABASE_URL: database.url, SHOP_CURRENCY: 'GBP' }
    expect(await run('scripts/seed.ts', env)).toMatchObject({ status: 1, output: expect.stringMatching(/run `npm run db:migrate` first/) })
    expect(await run('scripts/migrate.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/Applied \d+ migration/) })
    expect(await run('scripts/migrate.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/No pending migrations/) })
    expect(await run('scripts/seed.ts', env)).toMatchObject({ status: 0, output: expect.stringMatching(/40 fabrics, 60 orders/) })
    expect(await run('scripts/seed.ts', env)).toMatchObject({ status: 1, output: expect.stringMatching(/already has users or fabrics/) })
  })

  it("refuses a production start that logs in as the owner, or as an app login that does not exist yet", async () => {
    // The database was migrated by the test before.
    const asOwner = await start({ DATABASE_URL: database.url })
    expect(asOwner.status).toBe(1)
    expect(asOwner.output).toMatch(/login could become the tables' owner: it logs in as postgres, a superuser\. Set APP_DATABASE_URL/)
    const missing = await start({ DATABASE_URL: database.url, APP_DATABASE_URL: database.appUrl })
    expect(missing.status).toBe(1)
    expect(missing.output).toMatch(/\(APP_DATABASE_URL\) was refused: run `npm run db:migrate`, which creates its role/)
    // db:migrate makes it, once.
    const env = { DATABASE_URL: database.url, APP_DATABASE_URL: database.appUrl }
    expect((await run('scripts/migrate.ts', env)).output).toMatch(/No pending migrations.*\n.*The app logs in as tara_app_\w+ \(created/)
    expect((await run('scripts/migrate.ts', env)).output).toMatch(/The app logs in as tara_app_\w+ \(checked/)
  })

  it('refuses to start when SHOP_CURRENCY is not the currency the stored prices are in, saying what to set', async () => {
    // The database was seeded in pounds and its app login made by the tests before.
    const env = { DATABASE_URL: database.url, APP_DATABASE_URL: database.appUrl }
    const { status, output } = await start({ ...env, SHOP_CURRENCY: 'JPY' })
    expect(status).toBe(1)
    expect(output.trim()).toBe(
      'Prices in this shop are stored in GBP but SHOP_CURRENCY is JPY: set SHOP_CURRENCY=GBP (Tara Hub does not convert prices).',
    )
  })

  it('analytics:rollup rolls up the days asked for, writes nothing the second time, and explains bad arguments', async () => {
    const env = { DATABASE_URL: database.url, SHOP_TIMEZONE: 'Europe/London' }
    const rollup = (...args: string[]) => run('scripts/analytics-rollup.ts', env, args)
    // The seed rolled up its 90 days already: these 10 are all there, unchanged.
    expect(await rollup('--from', '2020-01-01', '--to', '2020-01-10')).toMatchObject({
      status: 0,
      output: expect.stringMatching(/Rolled up 10 day\(s\), 2020-01-01 to 2020-01-10 \(Europe\/London\), in [\d.]+ s: 160 figure\(s\) written, 10 day\(s\) changed/),
    })
    expect((await rollup('--from', '2020-01-01', '--to', '2020-01-10')).output).toMatch(/: 0 figure\(s\) written, 0 day\(s\) changed/)
    expect((await rollup()).output).toMatch(/Rolled up 2 day\(s\)/)
    const bad = await rollup('--from', '2020-02-30', '--to', '2020-03-01')
    expect(bad.status).toBe(1)
    expect(bad.output).toMatch(/--from must be a day such as 2025-01-31\nUsage: npm run analytics:rollup/)
    expect((await rollup('--from', '2020-02-01', '--to', '2020-01-01')).output).toMatch(/--from must not be after --to/)
  })

  it('user:create adds a staff member once, and explains bad arguments', async () => {
    const env = { DATABASE_URL: database.url }
    const create = (...args: string[]) => run('scripts/user-create.ts', env, args)
    expect(await create('--email', 'New.Owner@Example.com', '--name', 'New Owner', '--role', 'admin')).toMatchObject({
      status: 0,
      output: expect.stringMatching(/Created admin new.owner@example.com/),
    })
    expect(await create('--email', 'new.owner@example.com')).toMatchObject({
      status: 1,
      output: expect.stringMatching(/already exists/),
    })
    const bad = await create('--email', 'nobody', '--role', 'boss')
    expect(bad.status).toBe(1)
    expect(bad.output).toMatch(/--email must be an email address; --role must be admin or user\nUsage: npm run user:create/)
  })
})

/** Starts the app on a fresh embedded database; resolves with its output once it is ready. */
function startBare(env: Record<string, string>) {
  // An empty NODE_ENV is what a bare machine has: `npm start` defaults it.
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: '', DATABASE_URL: '', SESSION_SECRET: '', SMTP_URL: '', ...env }
  // Its own process group, so that stopping it stops npx, tsx and the app together.
  const child = spawn('npx', ['tsx', 'server/index.ts'], { env: childEnv as NodeJS.ProcessEnv, detached: true })
  let output = ''
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      // The link, when there is one, is printed right after this line.
      if (output.includes('Tara Hub is ready')) setTimeout(() => resolve(output), 300)
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)))
  })
  return { ready, stop: () => process.kill(-child.pid!, 'SIGTERM') }
}

describe('npm start on a bare machine', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-bare-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints a one-time link that signs the demo admin in; not when told it is production', async () => {
    const appUrl = 'http://127.0.0.1:39872'
    const app = startBare({ PORT: '39872', APP_URL: appUrl, PGLITE_DIR: path.join(dir, 'demo') })
    try {
      const output = await app.ready
      const link = output.match(/Sign in as admin@tara-hub\.local with this one-time link \(15 minutes\):\s+(\S+)/)?.[1]
      expect(link?.startsWith(`${appUrl}/login/link?token=`)).toBe(true)
      const token = new URL(link!).searchParams.get('token')!
      const page = await fetch(link!)
      expect(await page.text()).toContain('Signing in as <strong>admin@tara-hub.local</strong>')
      const cookie = await signInWithToken(appUrl, token)
      const dashboard = await fetch(appUrl, { headers: { Cookie: cookie }, redirect: 'manual' })
      expect(dashboard.status).toBe(200)
      expect(await dashboard.text()).toContain('Signed in as <strong>Shop Admin</strong>')
    } finally {
      app.stop()
    }

    const production = startBare({
      NODE_ENV: 'production',
      SESSION_SECRET: 'p'.repeat(40),
      PORT: '39873',
      APP_URL: 'http://127.0.0.1:39873',
      PGLITE_DIR: path.join(dir, 'production'),
    })
    try {
      const output = await production.ready
      expect(output).toContain('Tara Hub is ready')
      expect(output).not.toContain('one-time link')
      expect(output).not.toContain('token=')
    } finally {
      production.stop()
    }
  }, 90_000)
})

describe('npm start with only PORT set', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-port-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** A POST to /login from a page at `origin` (undefined: no Origin header). */
  const postFrom = (appUrl: string, origin: string | undefined) =>
    fetch(`${appUrl}/login`, {
      method: 'POST',
      headers: { ...(origin === undefined ? {} : { Origin: origin }), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'admin@tara-hub.local' }),
      redirect: 'manual',
    })

  it('serves, links and checks Origin at http://localhost:<PORT>; another Origin gets the 403 page saying what to set', async () => {
    const port = await freePort()
    const appUrl = `http://localhost:${port}`
    // No APP_URL at all (an empty one is the same as none).
    const app = startBare({ PORT: String(port), APP_URL: '', PGLITE_DIR: path.join(dir, 'pglite') })
    try {
      const output = await app.ready
      expect(output).toContain(`Tara Hub is ready at ${appUrl} (pglite database)`)
      const link = output.match(/one-time link \(15 minutes\):\s+(\S+)/)?.[1]
      expect(link?.startsWith(`${appUrl}/login/link?token=`)).toBe(true)
      // Signing in from the page at that address works (the Origin check takes it).
      const cookie = await signInWithToken(appUrl, new URL(link!).searchParams.get('token')!)
      const dashboard = await fetch(appUrl, { headers: { Cookie: cookie }, redirect: 'manual' })
      expect(await dashboard.text()).toContain('Signed in as <strong>Shop Admin</strong>')

      // The same app opened at another address: the app's own page (layout and stylesheet),
      // naming both addresses and what to set.
      const other = `http://127.0.0.1:${port}`
      const refused = await postFrom(appUrl, other)
      expect(refused.status).toBe(403)
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/)
      const page = await refused.text()
      expect(page).toMatch(/<style nonce=/)
      expect(page).toContain('<h1>Not saved: this came from another address</h1>')
      expect(page).toContain(`This page was sent from <strong>${other}</strong>, but the app is set up for <strong>${appUrl}</strong>.`)
      expect(page).toContain(`If you opened the app at ${other}, set <code>APP_URL=${other}</code> and restart the app.`)

      // No Origin, or one that is not an address: nothing of it is repeated, and the page still says what to do.
      const forged = '"><script>alert(1)</script>'
      for (const origin of [undefined, 'null', forged, `${other}/path<b>`]) {
        const answer = await postFrom(appUrl, origin)
        expect(answer.status).toBe(403)
        const text = await answer.text()
        expect(text).toContain('Your browser did not say which page sent this')
        expect(text).toContain(`Open the app at <a href="${appUrl}">${appUrl}</a> and try again.`)
        expect(text).not.toContain('<script>alert')
        expect(text).not.toContain('<b>')
      }
    } finally {
      app.stop()
    }
  }, 120_000)
})

describe('db:migrate on a database that holds rows', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-migrate-'))
  const databases: Awaited<ReturnType<typeof createPgDatabase>>[] = []
  afterAll(async () => {
    for (const d of databases) await d.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A PostgreSQL database migrated up to the one before the last migration, with a user in it. */
  async function oneMigrationBehind() {
    const older = path.join(dir, `drizzle-${databases.length}`)
    cpSync(MIGRATIONS_DIR, older, { recursive: true })
    const journalFile = path.join(older, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] }
    journal.entries.pop()
    writeFileSync(journalFile, JSON.stringify(journal))
    const database = await createPgDatabase()
    databases.push(database)
    const handle = createDatabase({ url: database.url, poolMax: 1, owner: true })
    await handle.migrate(older)
    await handle.db.insert(users).values({ email: 'kept@example.com' })
    const pending = await pendingMigrations(handle.db)
    await handle.close()
    expect(pending).toBe(1)
    return database
  }
  const pendingOn = async (url: string) => {
    const handle = createDatabase({ url, poolMax: 1, owner: true })
    try {
      return await pendingMigrations(handle.db)
    } finally {
      await handle.close()
    }
  }

  it('backs it up first, and migrates', async () => {
    const database = await oneMigrationBehind()
    const backups = path.join(dir, 'backups')
    const { status, output } = await run('scripts/migrate.ts', { DATABASE_URL: database.url, BACKUP_DIR: backups })
    expect(output).toMatch(/Backed up before migrating: .*tara-[\dT-]+Z\.dump \([\d.]+ KB\)\.\nApplied 1 migration\(s\)/)
    expect(status).toBe(0)
    expect(readdirSync(backups).filter((f) => f.endsWith('.dump'))).toHaveLength(1)
    expect(await pendingOn(database.url)).toBe(0)
  })

  it('stops, migrating nothing, when that backup fails; --no-backup migrates and says so loudly', async () => {
    const database = await oneMigrationBehind()
    // BACKUP_DIR under a regular file: it cannot be made.
    const blocker = path.join(dir, 'not-a-directory')
    writeFileSync(blocker, 'x')
    const failed = await run('scripts/migrate.ts', { DATABASE_URL: database.url, BACKUP_DIR: path.join(blocker, 'backups') })
    expect(failed.status).toBe(1)
    expect(failed.output).toMatch(/^No migration applied: the backup before migrating failed\. /)
    expect(await pendingOn(database.url)).toBe(1)

    const skipped = await run('scripts/migrate.ts', { DATABASE_URL: database.url, BACKUP_DIR: path.join(blocker, 'backups') }, ['--no-backup'])
    // The warning goes to stderr, the result to stdout.
    expect(skipped.output).toMatch(/⚠ --no-backup: migrating a database that holds 1 rows WITHOUT a backup first\./)
    expect(skipped.output).toMatch(/Applied 1 migration\(s\)/)
    expect(skipped.status).toBe(0)
    expect(await pendingOn(database.url)).toBe(0)
  })
})
