// The driver choice and how a database that does not answer is recognised.
import { sql } from 'drizzle-orm'
import type pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { users } from '~/models/schema'
import { databaseStatus, pingDatabase } from '~/models/health.server'
import { createDatabase, driverFor, isDatabaseUnavailable, loggableError, setDatabase } from '~/services/db.server'
import { createPgDatabase } from '../setup/databases'

const poolOptions = (handle: ReturnType<typeof createDatabase>) =>
  (handle.db as unknown as { $client: pg.Pool }).$client.options

async function failure(run: () => Promise<unknown>) {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

describe('driver choice', () => {
  it('picks the driver from DATABASE_URL', () => {
    expect(driverFor(undefined)).toBe('pglite')
    expect(driverFor('postgresql://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/neondb?sslmode=require')).toBe('neon')
    expect(driverFor('postgres://postgres@127.0.0.1:5432/shop')).toBe('node-postgres')
    expect(driverFor('postgres://db.example.com/shop')).toBe('node-postgres')
    expect(driverFor('postgres://neon.tech.example.com/shop')).toBe('node-postgres')
  })

  it('sizes the pool from DB_POOL_MAX and asks for TLS when the URL does', async () => {
    const plain = createDatabase({ url: 'postgres://postgres@127.0.0.1:5432/postgres', poolMax: 7 })
    expect(poolOptions(plain).max).toBe(7)
    expect(poolOptions(plain).ssl).toBeFalsy()
    const tls = createDatabase({ url: 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=require' })
    expect(poolOptions(tls).max).toBe(20)
    expect(poolOptions(tls).ssl).toEqual({ rejectUnauthorized: false })
    await Promise.all([plain.close(), tls.close()])
  })
})

describe('a database that does not answer', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const step of cleanup) await step()
  })

  it('is recognised when nothing listens on the port', async () => {
    const handle = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' })
    cleanup.push(() => handle.close())
    const error = await failure(() => handle.db.execute(sql`select 1`))
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it('is recognised when the database is dropped under a running app, and /healthz’s ping fails', async () => {
    const database = await createPgDatabase()
    const handle = setDatabase(createDatabase({ url: database.url }))
    cleanup.push(() => handle.close())
    expect(await databaseStatus()).toBe('ok')
    await database.drop()
    const error = await failure(() => pingDatabase())
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect(await databaseStatus()).toBe('unavailable')
  })

  it('is not confused with a bad query', async () => {
    const handle = createDatabase({ pgliteDir: 'memory://' })
    cleanup.push(() => handle.close())
    const error = await failure(() => handle.db.execute(sql`select * from no_such_table`))
    expect(isDatabaseUnavailable(error)).toBe(false)
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false)
  })
})

describe('logging a failed query', () => {
  it('keeps the SQL and the reason, never the bound values', async () => {
    const handle = createDatabase({ pgliteDir: 'memory://' })
    await handle.migrate()
    await handle.db.insert(users).values({ email: 'secret.person@example.com' })
    const error = await failure(() => handle.db.insert(users).values({ email: 'secret.person@example.com' }))
    await handle.close()
    const line = loggableError(error)
    expect(line).toMatch(/insert into "users"/)
    expect(line).toMatch(/23505 duplicate key value violates unique constraint "users_email_idx"/)
    expect(line).not.toContain('secret.person@example.com')
    expect(String((error as Error).message)).toContain('secret.person@example.com')
  })
})
