// Fault drills. On the real PostgreSQL, the database goes away in the middle of placing an order,
// after the order row is written and the stock taken but before the transaction ends: the order
// fails as "database unavailable" (the page then answers 503: app/entry.server.tsx), nothing of
// it stays, and the process goes on. On PGlite and PostgreSQL, a migration fails half-way:
// nothing of it, nor of the migrations pending with it, is applied.
import { randomUUID } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleError } from '~/entry.server'
import { etsyListingsCsv } from '~/models/etsy/listings-export.server'
import { parseFabricQuery } from '~/models/fabric.server'
import { exportOrders, parseOrderQuery } from '~/models/order-list.server'
import { placeOrder, type Actor } from '~/models/order.server'
import { fabrics, orders, stockMovements, users } from '~/models/schema'
import {
  createDatabase,
  currentDatabase,
  errorSummary,
  isDatabaseUnavailable,
  loggableError,
  MIGRATIONS_DIR,
  pendingMigrations,
  pgErrorCode,
  rows,
  setDatabase,
  type Database,
} from '~/services/db.server'
import { ADMIN_URL, databaseUrl } from '../../scripts/pg-admin'
import { createPgDatabase, openTarget, useMigratedDatabase } from '../setup/databases'
import { captureLogs } from '../setup/logs'
import { insertFabric } from '../setup/factories'

describe('the database disappears in the middle of placing an order', () => {
  const database = useMigratedDatabase('postgres')
  let actor: Actor
  let fabricId: string
  let other: pg.Client

  beforeAll(async () => {
    const [user] = await database.db.insert(users).values({ email: 'drill@example.com' }).returning()
    actor = { id: user!.id, role: 'user' }
    fabricId = (await insertFabric(database.db, { name: 'Drill linen', price: '10.00', stockQuantity: 7 })).id
    const url = (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString!
    other = new pg.Client({ connectionString: url })
    await other.connect()
  })
  afterAll(async () => {
    await other?.end()
  })

  it('fails as unavailable, and leaves no order, no stock taken and no movement', async () => {
    // Another session holds stock_movements so that the order's transaction stops right before
    // writing its movements: the order row is in and the stock taken, uncommitted.
    await other.query('begin')
    await other.query('lock table stock_movements in share mode')
    const placing = placeOrder({
      details: { customerName: 'Mid Request', customerEmail: null, shippingAddress: null, notes: null },
      lines: [{ fabricId, quantity: 3 }],
      actor,
    }).then(
      () => null,
      (error: unknown) => error,
    )
    // Wait (by asking the server, not by sleeping) until the order's session waits on that lock.
    let pid: number | undefined
    for (let tries = 0; tries < 500 && !pid; tries++) {
      // Inside a transaction the activity view is a snapshot: take a fresh one each time.
      await other.query('select pg_stat_clear_snapshot()')
      const { rows } = await other.query<{ pid: number }>(
        `select pid from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock' and query ilike 'insert into "stock_movements"%'
           and pid <> pg_backend_pid()`,
      )
      pid = rows[0]?.pid
    }
    expect(pid).toBeDefined()
    const { rows: uncommitted } = await other.query<{ n: number }>(
      `select count(*)::int as n from pg_locks where pid = $1 and locktype = 'transactionid' and granted`,
      [pid],
    )
    expect(uncommitted[0]!.n).toBeGreaterThan(0)
    // The server ends that session, as when the database restarts or the network drops.
    await other.query('select pg_terminate_backend($1)', [pid])
    await other.query('rollback')

    const error = await placing
    expect(error).toBeInstanceOf(Error)
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect(await database.db.select().from(orders).where(eq(orders.customerName, 'Mid Request'))).toEqual([])
    const [fabric] = await database.db.select({ stock: fabrics.stockQuantity }).from(fabrics).where(eq(fabrics.id, fabricId))
    expect(fabric!.stock).toBe(7)
    expect(await database.db.$count(stockMovements, eq(stockMovements.fabricId, fabricId))).toBe(0)
    // The next order goes through on a fresh connection.
    const next = await placeOrder({
      details: { customerName: 'After the drill', customerEmail: null, shippingAddress: null, notes: null },
      lines: [{ fabricId, quantity: 3 }],
      actor,
    })
    expect(next.ok).toBe(true)
    const [after] = await database.db.select({ stock: fabrics.stockQuantity }).from(fabrics).where(eq(fabrics.id, fabricId))
    expect(after!.stock).toBe(4)
  })
})

/** What a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error,
  )
}

describe('outages that answer 503, not 500', () => {
  const database = useMigratedDatabase('postgres')
  let admin: pg.Client

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
  })

  it('a database that takes no connections (ALLOW_CONNECTIONS false, SQLSTATE 55000)', async () => {
    const closed = await createPgDatabase()
    await admin.query(`alter database ${closed.name} allow_connections false`)
    const handle = createDatabase({ url: closed.url, poolMax: 1 })
    try {
      const error = await rejection(handle.db.execute(sql`select 1`))
      expect(pgErrorCode(error)).toBe('55000')
      expect(isDatabaseUnavailable(error)).toBe(true)
    } finally {
      await handle.close()
      await admin.query(`alter database ${closed.name} allow_connections true`)
      await closed.drop()
    }
  })

  it('a connection killed in the middle of a transaction (the ROLLBACK then fails too)', async () => {
    // The pool's listener (db.server.ts) warns when the client sees its connection die: the next
    // statement, and then the ROLLBACK, meet a client that is no longer queryable.
    let noticed!: () => void
    const died = new Promise<void>((resolve) => (noticed = resolve))
    const logs = captureLogs((line) => {
      if (line.level === 'warn' && line.msg.startsWith('database connection:')) noticed()
    })
    try {
      const error = await rejection(
        database.handle.db.transaction(async (tx) => {
          const [me] = await rows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`)
          await admin.query('select pg_terminate_backend($1)', [me!.pid])
          await died
          await tx.execute(sql`select 1`)
        }),
      )
      expect(String((error as { cause?: Error }).cause?.message)).toMatch(/not queryable/)
      expect(isDatabaseUnavailable(error)).toBe(true)
    } finally {
      logs.restore()
    }
  })

  it('both CSV exports fail before they start when the database is missing (3D000)', async () => {
    const app = currentDatabase()
    const missing = createDatabase({ url: databaseUrl(`tara_missing_${Date.now()}`), poolMax: 1 })
    setDatabase(missing)
    try {
      const fabricsError = await rejection(etsyListingsCsv({ query: parseFabricQuery(new URLSearchParams()) }))
      expect(pgErrorCode(fabricsError)).toBe('3D000')
      expect(isDatabaseUnavailable(fabricsError)).toBe(true)
      const ordersError = await rejection(exportOrders(randomUUID(), parseOrderQuery(new URLSearchParams())))
      expect(isDatabaseUnavailable(ordersError)).toBe(true)
    } finally {
      setDatabase(app)
      await missing.close()
    }
  })

  it('an export whose connection dies half-way errors its stream: never a clean end', async () => {
    // More rows than the stream holds ahead of its reader, so that the export waits for the reader.
    await database.db.execute(sql`insert into ${fabrics} (name, price, stock_quantity, in_stock)
      select 'Drill fabric ' || n, 5, 1, true from generate_series(1, 6000) as n`)
    // Only this database's export: other test files run at the same time, with exports of their own.
    const [{ name }] = (await rows<{ name: string }>(database.db, sql`select current_database() as name`)) as [{ name: string }]
    const csv = await etsyListingsCsv({ query: parseFabricQuery(new URLSearchParams()) })
    let pid: number | undefined
    for (let tries = 0; tries < 500 && !pid; tries++) {
      const { rows: found } = await admin.query<{ pid: number }>(
        `select pid from pg_stat_activity
         where datname = $1 and state = 'idle in transaction' and query ilike 'fetch forward%'`,
        [name],
      )
      pid = found[0]?.pid
    }
    expect(pid).toBeDefined()
    await admin.query('select pg_terminate_backend($1)', [pid])
    const error = await rejection(new Response(csv).text())
    expect(isDatabaseUnavailable(error)).toBe(true)
  })
})

describe('logs never carry bound values', () => {
  const database = useMigratedDatabase('postgres')

  it('a failed query whose bound value is an email is logged without it', async () => {
    const email = 'private.person@example.com'
    await database.db.insert(users).values({ email })
    const duplicate = await rejection(database.db.insert(users).values({ email }))
    const badUuid = await rejection(database.db.select().from(users).where(eq(users.id, email)))
    const logged: string[] = []
    const logs = captureLogs()
    try {
      for (const failure of [duplicate, badUuid]) {
        handleError(failure, { request: new Request('http://app.test/users'), params: {}, context: {} })
        logged.push(loggableError(failure), errorSummary(failure))
      }
    } finally {
      logs.restore()
    }
    // handleError logged each failure as one error line, with its SQL and SQLSTATE.
    const lines = logs.lines()
    expect(lines.map((line) => line.level)).toEqual(['error', 'error'])
    expect(lines.map((line) => (line.err as { message: string }).message).join('\n')).toContain('insert into "users"')
    logged.push(logs.text())
    // What would have been logged: the values are in the errors themselves.
    expect(String((duplicate as Error).message)).toContain(email)
    expect(JSON.stringify((duplicate as { cause?: { detail?: string } }).cause?.detail)).toContain(email)
    const output = logged.join('\n')
    expect(output).toContain('insert into "users"')
    expect(output).toContain('23505')
    expect(output).toContain('22P02')
    expect(output).not.toContain(email)
    expect(output).not.toContain('private.person')
    expect(output).not.toContain('params:')
  })
})

describe.each(['pglite', 'postgres'] as const)('a migration that fails half-way on %s', (target) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-migrations-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('changes nothing: not the statements before the failure, nor the other pending migrations', async () => {
    // drizzle/ as it is, plus two new migrations: one fine, then one that fails on its second statement.
    cpSync(MIGRATIONS_DIR, dir, { recursive: true })
    const journalFile = path.join(dir, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] }
    const last = journal.entries.at(-1)!
    const add = (tag: string, body: string, n: number) => {
      writeFileSync(path.join(dir, `${tag}.sql`), body)
      journal.entries.push({ ...last, idx: last.idx + n, when: last.when + n, tag })
    }
    add('9998_fine', 'CREATE TABLE drill_fine (id integer);', 1)
    add('9999_broken', `CREATE TABLE drill_half (id integer);\n--> statement-breakpoint\nALTER TABLE orders ADD COLUMN drill integer NOT NULL DEFAULT 1 / 0;`, 2)
    writeFileSync(journalFile, JSON.stringify(journal))

    const open = await openTarget(target)
    try {
      await open.handle.migrate()
      const before = await schemaOf(open.handle.db)
      await expect(open.handle.migrate(dir)).rejects.toThrow(/drill/)
      expect(await schemaOf(open.handle.db)).toEqual(before)
      expect(await pendingMigrations(open.handle.db)).toBe(0)
    } finally {
      await open.dispose()
    }
  })
})

/** Every table and column in public, and the applied migrations: what a migration could change. */
async function schemaOf(db: Database) {
  return {
    columns: await rows<{ t: string; c: string }>(
      db,
      sql`select table_name as t, column_name as c from information_schema.columns where table_schema = 'public' order by 1, 2`,
    ),
    applied: await rows<{ hash: string }>(db, sql`select hash from drizzle.__drizzle_migrations order by id`),
  }
}
