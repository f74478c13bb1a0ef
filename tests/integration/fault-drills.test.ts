// Fault drills. On the real PostgreSQL, the database goes away in the middle of placing an order,
// after the order row is written and the stock taken but before the transaction ends: the order
// fails as "database unavailable" (the page then answers 503: app/entry.server.tsx), nothing of
// it stays, and the process goes on. On PGlite and PostgreSQL, a migration fails half-way:
// nothing of it, nor of the migrations pending with it, is applied.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeOrder, type Actor } from '~/models/order.server'
import { fabrics, orders, stockMovements, users } from '~/models/schema'
import { isDatabaseUnavailable, MIGRATIONS_DIR, pendingMigrations, rows, type Database } from '~/services/db.server'
import { openTarget, useMigratedDatabase } from '../setup/databases'
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
         where wait_event_type = 'Lock' and query ilike 'insert into "stock_movements"%' and pid <> pg_backend_pid()`,
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
