// Least privilege (drizzle/0010_least_privilege.sql), on every driver, through the kind of handle
// the app itself opens: it works as app_user, which owns nothing and holds only the grants the app
// needs, so the database refuses what a query forgets (a user to act for, a table it should not
// touch, a schema change). Rows a test needs are written as the owner (asRole 'none').
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listOrders } from '~/models/order-list.server'
import { orders, ordersVisible, sessions, users } from '~/models/schema'
import {
  APP_ROLE,
  appLoginProblem,
  asAppUser,
  asRole,
  checkAppRole,
  createDatabase,
  ensureAppLogin,
  rows,
  setDatabase,
  type Database,
  type DatabaseHandle,
} from '~/services/db.server'
import { createPgDatabase, expectPgError, openTarget, TARGETS, type OpenTarget } from '../setup/databases'

const currentUser = async (db: Database) => (await rows<{ u: string }>(db, sql`select current_user as u`))[0]!.u

describe.each(TARGETS)('least privilege on %s', (target) => {
  let app: DatabaseHandle
  let open: OpenTarget | undefined
  let staffId: string
  let orderId: string

  beforeAll(async () => {
    if (target === 'pglite') {
      // The suites' embedded handle is the owner's (one session); this one is the app's kind.
      app = createDatabase({ pgliteDir: 'memory://' })
    } else {
      open = await openTarget(target)
      app = open.handle
    }
    setDatabase(app)
    await app.migrate()
    // The test's own rows, as the owner (the app's login cannot become the owner: see below).
    ;[staffId, orderId] = await asRole(
      'none',
      async (tx) => {
        const [staff] = await tx.insert(users).values({ email: 'staff@example.com' }).returning({ id: users.id })
        const [order] = await tx.insert(orders).values({ customerName: 'Ada' }).returning({ id: orders.id })
        return [staff!.id, order!.id]
      },
      (open?.owner ?? app).db,
    )
  })
  afterAll(async () => {
    if (open) await open.dispose()
    else await app?.close()
  })

  it('works as app_user, which owns nothing', async () => {
    expect(await currentUser(app.db)).toBe(APP_ROLE)
    await expect(checkAppRole(app.db)).resolves.toBeUndefined()
    const [owned] = await rows<{ n: number }>(
      app.db,
      sql`select ((select count(*) from pg_class where relowner = r.oid)
                + (select count(*) from pg_proc where proowner = r.oid)
                + (select count(*) from pg_namespace where nspowner = r.oid)
                + (select count(*) from pg_type where typowner = r.oid))::int as n
          from pg_roles r where r.rolname = ${APP_ROLE}`,
    )
    expect(owned!.n).toBe(0)
    // The migrations ran as the owner, on a connection of their own.
    const [owner] = await rows<{ o: string }>(app.db, sql`select tableowner::text as o from pg_tables where tablename = 'orders'`)
    expect(owner!.o).not.toBe(APP_ROLE)
  })

  it('cannot change the schema: no table made, altered, dropped or emptied, no function made', async () => {
    for (const statement of [
      sql`create table notes (id int)`,
      sql`create function leak(text) returns boolean language sql as 'select true'`,
      sql`alter table orders disable row level security`,
      sql`alter table users add column salary int`,
      sql`drop table sessions`,
      sql`drop view orders_visible`,
      sql`truncate fabrics`,
      sql`create schema scratch`,
    ]) {
      expect(await expectPgError(app.db.execute(statement)), String(statement.queryChunks[0])).toBe('42501')
    }
  })

  it('deletes only what the app deletes: never an order, its history, a movement, a fabric or a user', async () => {
    for (const table of ['orders', 'order_events', 'stock_movements', 'fabrics', 'users']) {
      const deleted = asAppUser(staffId, (tx) => tx.execute(sql`delete from ${sql.identifier(table)}`))
      expect(await expectPgError(deleted), table).toBe('42501')
    }
    // What it does delete, it may: a signed-out session.
    await app.db.insert(sessions).values({ idHash: 'a'.repeat(64), userId: staffId, expiresAt: new Date(Date.now() + 60_000) })
    expect(await app.db.delete(sessions).returning({ id: sessions.idHash })).toHaveLength(1)
  })

  it('holds grants on every table, so a new table without them is caught here rather than in use', async () => {
    const missing = await rows<{ t: string }>(
      app.db,
      sql`select relname::text as t from pg_class
          where relnamespace = 'public'::regnamespace and relkind in ('r', 'v')
            and not has_table_privilege(${APP_ROLE}, oid, 'SELECT')`,
    )
    expect(missing).toEqual([])
  })

  it('a query that forgets the signed-in user sees no order and writes none, in the table or the view', async () => {
    expect(await app.db.select({ id: orders.id }).from(orders)).toEqual([])
    expect(await app.db.select({ id: ordersVisible.id }).from(ordersVisible)).toEqual([])
    expect(await app.db.update(orders).set({ notes: 'nobody' }).returning({ id: orders.id })).toEqual([])
    expect(await expectPgError(app.db.insert(orders).values({ customerName: 'Nobody' }))).toBe('42501')
    // Someone nobody knows sees nothing either; the staff member sees the order.
    const stranger = await listOrders(randomUUID(), { sort: 'newest', page: 1 })
    expect(stranger.items).toEqual([])
    expect(stranger.counts.all).toEqual({ count: 0, more: false })
    const staff = await listOrders(staffId, { sort: 'newest', page: 1 })
    expect(staff.items.map((o) => o.id)).toEqual([orderId])
    expect(await asRole('none', (tx) => tx.$count(orders), app.db)).toBe(1)
  })

  it('the rollup role reads every order and post, and writes nothing but figures', async () => {
    expect(await asRole('app_rollup', (tx) => tx.$count(orders), app.db)).toBe(1)
    const edit = asRole('app_rollup', (tx) => tx.update(orders).set({ notes: 'rolled' }), app.db)
    expect(await expectPgError(edit)).toBe('42501')
    const session = asRole('app_rollup', (tx) => tx.execute(sql`select count(*) from sessions`), app.db)
    expect(await expectPgError(session)).toBe('42501')
  })
})

describe("the app's connections", () => {
  it('are checked at start: a pooler that dropped the role option would leave the app the owner', async () => {
    const database = await createPgDatabase()
    const owner = createDatabase({ url: database.url, owner: true, poolMax: 1 })
    try {
      await expect(checkAppRole(owner.db)).rejects.toThrow(/run as postgres, not app_user: does a connection pooler drop/)
      // RESET ROLE comes back to app_user: the role is the connection's own from its start.
      const app = createDatabase({ url: database.url, poolMax: 1 })
      try {
        await app.db.execute(sql`reset role`)
        expect(await currentUser(app.db)).toBe(APP_ROLE)
      } finally {
        await app.close()
      }
    } finally {
      await owner.close()
      await database.drop()
    }
  })

  it("keep the URL's own startup options beside the role", async () => {
    const database = await createPgDatabase()
    const url = new URL(database.url)
    url.searchParams.set('options', '-c statement_timeout=4321')
    const app = createDatabase({ url: url.toString(), poolMax: 1 })
    try {
      const [row] = await rows<{ u: string; t: string }>(app.db, sql`select current_user as u, current_setting('statement_timeout') as t`)
      expect(row).toEqual({ u: APP_ROLE, t: '4321ms' })
    } finally {
      await app.close()
      await database.drop()
    }
  })

  it('the embedded database works as app_user from its first query when reopened', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tara-privileges-'))
    try {
      const first = createDatabase({ pgliteDir: dir })
      await first.migrate()
      await first.close()
      const again = createDatabase({ pgliteDir: dir })
      try {
        expect(await currentUser(again.db)).toBe(APP_ROLE)
      } finally {
        await again.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.each(['postgres', 'neon'] as const)("the app's login on %s", (target) => {
  let open: OpenTarget

  beforeAll(async () => {
    open = await openTarget(target)
    await open.handle.migrate()
  })
  afterAll(async () => {
    await open?.dispose()
  })

  const owner = async () =>
    (await rows<{ o: string }>(open.owner.db, sql`select tableowner::text as o from pg_tables where tablename = 'fabrics'`))[0]!.o

  it('is a role of its own that cannot become the owner, whatever a statement tries', async () => {
    const db = open.handle.db
    expect(await appLoginProblem(db)).toBeNull()
    const tableOwner = await owner()
    for (const escape of [
      sql`select set_config('role', ${tableOwner}, false)`,
      sql.raw(`set role ${tableOwner}`),
      sql.raw(`set session authorization ${tableOwner}`),
      sql.raw(`reset role; set role ${tableOwner}`),
    ]) {
      expect(await expectPgError(db.execute(escape))).toBe('42501')
    }
    await db.execute(sql`reset role`)
    expect(await currentUser(db)).toBe(APP_ROLE)
    // Still nothing the owner may do: the escape would have made these possible.
    expect(await expectPgError(db.execute(sql`alter table orders disable row level security`))).toBe('42501')
    expect(await expectPgError(db.execute(sql`delete from fabrics`))).toBe('42501')
  })

  it('logged in as the owner instead, one set_config leaves app_user: the start refuses that in production', async () => {
    // Today's app connection logged in as the owner, with only the role option to keep it app_user.
    const database = createDatabase({ url: open.ownerUrl!, driver: target === 'neon' ? 'neon' : 'node-postgres', poolMax: 1 })
    try {
      expect(await appLoginProblem(database.db)).toMatch(/superuser|owner/)
      const tableOwner = await owner()
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', ${tableOwner}, true)`)
        expect(await currentUser(tx as unknown as Database)).toBe(tableOwner)
      })
    } finally {
      await database.close()
    }
  })

  it("is refused when it names the owner or a role that could become it", async () => {
    await expect(ensureAppLogin(open.owner.db, open.ownerUrl!)).rejects.toThrow(/owner|superuser|plain role/)
  })
})
