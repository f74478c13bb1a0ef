// The only module that knows which database driver runs (DESIGN.md §3):
//   no DATABASE_URL          → embedded PGlite on disk (PGLITE_DIR, `memory://` in tests)
//   a host ending in neon.tech → Neon's serverless driver, Pool(max DB_POOL_MAX)
//   any other postgres:// URL → node-postgres, Pool(max DB_POOL_MAX), TLS when the URL asks
// Queries are written once against the common Drizzle API and run on all three.
// The app works as the role app_user, which owns nothing (drizzle/0010_least_privilege.sql):
// every connection it opens starts as app_user; only migrations, backups, restores and seeding
// open `owner` handles that keep the URL's own role. On PostgreSQL and Neon the app logs in as a
// role of its own (APP_DATABASE_URL, made by ensureAppLogin) that is a member of app_user and
// app_rollup only, so no statement can take it back to the owner (appLoginProblem, checked at start).
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { remember } from '@epic-web/remember'
import { Pool as NeonPool, neonConfig } from '@neondatabase/serverless'
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { drizzle as drizzleNeon } from 'drizzle-orm/neon-serverless'
import { migrate as migrateNeon } from 'drizzle-orm/neon-serverless/migrator'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import ws from 'ws'
import { env } from './env.server'
import { errorSummary } from './error-summary.server'
import { logger } from './logger.server'

// What may be logged of an error lives in error-summary.server.ts (the logger uses it too).
export { errorSummary, loggableError } from './error-summary.server'

// The handle knows no tables: queries name them (app/models/schema.ts), so this module needs nothing from app/models.
type NoTables = Record<string, never>
export type Database = PgDatabase<PgQueryResultHKT, NoTables, ExtractTablesWithRelations<NoTables>>
/** A handle made with `schema` (DatabaseOptions), for Drizzle's relational queries (`db.query.*`). */
export type RelationalDatabase<S extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, S, ExtractTablesWithRelations<S>>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
export type Driver = 'pglite' | 'neon' | 'node-postgres'

export const MIGRATIONS_DIR = path.resolve(process.cwd(), 'drizzle')

export interface DatabaseHandle {
  db: Database
  driver: Driver
  /** Applies pending migrations from drizzle/ (or `folder`: the fault drills use a copy) in one transaction. */
  migrate(folder?: string): Promise<void>
  close(): Promise<void>
  /**
   * Plain SQL with $1… parameters on this handle's connections (the job queue's own statements,
   * app/services/queue.server.ts). Text without values may hold several statements; the result
   * is the last one's.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
  /** The embedded database itself (backups of it go through the instance that has it open). */
  pglite?: PGlite
}

export interface DatabaseOptions {
  /** A postgres:// URL; unset means the embedded database. */
  url?: string
  /**
   * The owner's URL (DATABASE_URL) when `url` logs in as the app's own role (APP_DATABASE_URL):
   * an app handle's migrate() connects with it. Defaults to `url`.
   */
  ownerUrl?: string
  /** Where the embedded database lives (`memory://` for a throw-away one). */
  pgliteDir?: string
  poolMax?: number
  /** Forces a driver (tests run the Neon driver against a local proxy). */
  driver?: Driver
  /**
   * Keep the URL's own role, the tables' owner: for migrations, backups, restores and seeding.
   * Otherwise every connection starts as APP_ROLE, and migrate() opens an owner connection of its own.
   */
  owner?: boolean
  /**
   * Tables and relations for Drizzle's relational queries (`db.query.*`, typed by casting `db` to
   * RelationalDatabase). The app passes none: its queries name their tables.
   */
  schema?: Record<string, unknown>
}

/** The role the app works as: it owns nothing and has only the grants the app needs. */
export const APP_ROLE = 'app_user'

export function driverFor(url: string | undefined): Driver {
  if (!url) return 'pglite'
  return new URL(url).hostname.endsWith('.neon.tech') ? 'neon' : 'node-postgres'
}

// The URL parameters that say how to use TLS, read here rather than by node-postgres.
const TLS_PARAMS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat']

/** The PEM file a URL parameter names (`sslrootcert=system`: Node's own CAs); errors name the file only. */
function readPem(parsed: URL, param: string): string | undefined {
  const file = parsed.searchParams.get(param)
  if (!file || (param === 'sslrootcert' && file === 'system')) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(`The database URL's ${param} cannot be read: ${file} (${(error as { code?: string }).code})`)
  }
}

/**
 * TLS as libpq's sslmode says (node-postgres alone would verify the certificate in every mode):
 *   disable → none; prefer, require → encrypted, not verified (require with an sslrootcert is verify-ca)
 *   verify-ca → the certificate must chain to sslrootcert (Node's CAs without it); verify-full → and name the host
 * sslcert/sslkey are sent as the client certificate. No sslmode (or another value) goes to node-postgres as is.
 */
function nodePgConfig(url: string, max: number, owner: boolean): pg.PoolConfig {
  const parsed = new URL(url)
  const sslmode = parsed.searchParams.get('sslmode')
  const base = { max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, ...roleOption(parsed, owner) }
  parsed.searchParams.delete('options')
  if (!sslmode || !['disable', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    return { ...base, connectionString: parsed.toString() }
  }
  const ca = readPem(parsed, 'sslrootcert')
  const cert = readPem(parsed, 'sslcert')
  const key = readPem(parsed, 'sslkey')
  for (const param of TLS_PARAMS) parsed.searchParams.delete(param)
  const connectionString = parsed.toString()
  if (sslmode === 'disable') return { ...base, connectionString, ssl: false }
  const client = { ...(cert && { cert }), ...(key && { key }) }
  if (sslmode === 'prefer' || (sslmode === 'require' && !ca)) {
    return { ...base, connectionString, ssl: { rejectUnauthorized: false, ...client } }
  }
  const skipHostname = sslmode !== 'verify-full' && { checkServerIdentity: () => undefined }
  return { ...base, connectionString, ssl: { ...(ca && { ca }), ...client, ...skipHostname } }
}

/**
 * The startup option that makes a connection begin as APP_ROLE (RESET ROLE comes back to it), with
 * any `options` the URL has (the URL's own would replace it: callers take it out of the URL). A
 * pooler that drops startup options would connect as the owner: the app checks at start (checkAppRole).
 */
function roleOption(parsed: URL, owner: boolean): { options?: string } {
  const given = parsed.searchParams.get('options') ?? ''
  if (owner) return given ? { options: given } : {}
  return { options: `${given} -c role=${APP_ROLE}`.trim() }
}

// The embedded database has one session: it switches that session once the role exists (a new
// database has it only after its migrations).
const SWITCH_TO_APP_ROLE = `select set_config('role', '${APP_ROLE}', false) from pg_catalog.pg_roles where rolname = '${APP_ROLE}'`

const migrationsConfig = { migrationsFolder: MIGRATIONS_DIR }

/**
 * A database handle for the driver the URL (or its absence) picks. migrate() applies every
 * pending migration in one transaction: if one fails, none of them is applied.
 */
export function createDatabase(options: DatabaseOptions = {}): DatabaseHandle {
  const driver = options.driver ?? driverFor(options.url)
  const migrations = (folder = MIGRATIONS_DIR) => ({ migrationsFolder: folder })
  const max = options.poolMax ?? 20
  const owner = options.owner ?? false
  if (driver === 'pglite') {
    const dir = options.pgliteDir ?? './data/pglite'
    if (!dir.startsWith('memory://')) mkdirSync(path.resolve(dir), { recursive: true })
    const client = new PGlite(dir)
    // Queued before any query of the app's (a database that cannot open fails those too).
    const switched = owner ? Promise.resolve() : client.query(SWITCH_TO_APP_ROLE).then(() => undefined)
    switched.catch(() => undefined)
    const db = drizzlePglite(client, { schema: options.schema })
    return {
      db: db as unknown as Database,
      driver,
      migrate: async (folder) => {
        await switched
        if (!owner) await client.query('reset role')
        try {
          await migratePglite(db, migrations(folder))
        } finally {
          if (!owner) await client.query(SWITCH_TO_APP_ROLE)
        }
      },
      close: () => client.close(),
      executeSql: async (text, values) => {
        if (values?.length) return client.query(text, values)
        const results = await client.exec(text)
        return { rows: results.at(-1)?.rows ?? [] }
      },
      pglite: client,
    }
  }
  if (!options.url) throw new Error(`The ${driver} driver needs a database URL`)
  if (driver === 'neon') {
    neonConfig.webSocketConstructor ??= ws
    const parsed = new URL(options.url)
    const role = roleOption(parsed, owner)
    parsed.searchParams.delete('options')
    const pool = new NeonPool({ connectionString: parsed.toString(), max, connectionTimeoutMillis: 5_000, ...role })
    pool.on('error', (error: Error) => logger().warn(`database pool: ${errorSummary(error)}`))
    pool.on('connect', (client: { on(event: 'error', listener: (error: Error) => void): unknown }) =>
      client.on('error', (error: Error) => logger().warn(`database connection: ${errorSummary(error)}`)),
    )
    const db = drizzleNeon(pool, { schema: options.schema })
    return {
      db: db as unknown as Database,
      driver,
      migrate: owner ? (folder) => migrateNeon(db, migrations(folder)) : ownerMigrate(options),
      close: () => pool.end(),
      executeSql: (text, values) => poolQuery(pool, text, values),
    }
  }
  const pool = new pg.Pool(nodePgConfig(options.url, max, owner))
  // An idle connection the server closed must not crash the process.
  pool.on('error', (error) => logger().warn(`database pool: ${errorSummary(error)}`))
  // Nor one lost in the middle of a request (the database restarted, the network dropped): the
  // request's query fails (a 503 page, its transaction never committed); the process goes on.
  pool.on('connect', (client) => client.on('error', (error) => logger().warn(`database connection: ${errorSummary(error)}`)))
  const db = drizzleNodePg(pool, { schema: options.schema })
  return {
    db: db as unknown as Database,
    driver,
    migrate: owner ? (folder) => migrateNodePg(db, migrations(folder)) : ownerMigrate(options),
    close: () => pool.end(),
    executeSql: (text, values) => poolQuery(pool, text, values),
  }
}

/** A pool's query; several statements give one result each, and the last one is returned. */
async function poolQuery(
  pool: { query(text: string, values?: unknown[]): Promise<unknown> },
  text: string,
  values?: unknown[],
): Promise<{ rows: unknown[] }> {
  const result = (await pool.query(text, values)) as { rows: unknown[] } | { rows: unknown[] }[]
  return Array.isArray(result) ? (result.at(-1) ?? { rows: [] }) : result
}

/**
 * migrate() of an app handle: app_user may not change the schema, so it runs on an owner
 * connection; a handle that logs in as a role of its own (`ownerUrl` set) then makes sure of that role.
 */
function ownerMigrate(options: DatabaseOptions) {
  return async (folder?: string) => {
    const handle = createDatabase({ ...options, url: options.ownerUrl ?? options.url, owner: true, poolMax: 1 })
    try {
      await handle.migrate(folder)
      if (options.url && options.ownerUrl && options.ownerUrl !== options.url) await ensureAppLogin(handle.db, options.url)
    } finally {
      await handle.close()
    }
  }
}

/** How many migrations in drizzle/ the database has not applied yet. */
export async function pendingMigrations(db: Database): Promise<number> {
  const files = readMigrationFiles(migrationsConfig)
  const [table] = await rows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  )
  if (!table?.t) return files.length
  const [last] = await rows<{ created_at: string | null }>(
    db,
    sql`select max(created_at)::text as created_at from drizzle.__drizzle_migrations`,
  )
  const lastMillis = Number(last?.created_at ?? 0)
  return files.filter((f) => f.folderMillis > lastMillis).length
}

/** Rows of a raw `sql` query, the same on every driver. */
export async function rows<T>(db: Database | Transaction, query: ReturnType<typeof sql>) {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

// SQLSTATE classes and socket errors that mean "the database is not answering".
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '3D000', // the database does not exist (dropped, or a wrong URL)
])
const UNAVAILABLE_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'connect ECONNREFUSED',
    'PGlite is closed',
    'WebSocket',
    // node-postgres, on a client whose connection died (the ROLLBACK after a killed transaction fails so).
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
  ].join('|'),
  'i',
)

/** True when an error (or one of its causes) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; depth++) {
    if (typeof e !== 'object') return false
    const { code, message, cause, errors } = e as {
      code?: unknown
      message?: unknown
      cause?: unknown
      errors?: unknown
    }
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true
    // 55000 is object_not_in_prerequisite_state: an outage only when it says the database takes no
    // connections (ALTER DATABASE … ALLOW_CONNECTIONS false, as during maintenance).
    if (code === '55000' && typeof message === 'string' && /not currently accepting connections/i.test(message)) return true
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true
    if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true // AggregateError
    e = cause
  }
  return false
}

/** The SQLSTATE of a database error (23505 and the like), looking through Drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown }
    if (typeof code === 'string') return code
    e = cause
  }
  return undefined
}

/**
 * The database the environment names (DATABASE_URL, APP_DATABASE_URL, PGLITE_DIR, DB_POOL_MAX):
 * the app's handle logs in with APP_DATABASE_URL when it is set; an owner handle with DATABASE_URL.
 */
export function createDatabaseFromEnv({ poolMax, owner }: { poolMax?: number; owner?: boolean } = {}): DatabaseHandle {
  const e = env()
  return createDatabase({
    url: !owner && e.APP_DATABASE_URL ? e.APP_DATABASE_URL : e.DATABASE_URL,
    ownerUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    poolMax: poolMax ?? e.DB_POOL_MAX,
    owner,
  })
}

// The app's database, opened on first use. remember() keeps it across the dev server's module
// reloads, so that editing a module never opens a second pool (or a second PGlite on the same files).
const current = remember('tara-hub.database', () => ({ handle: undefined as DatabaseHandle | undefined }))

function handle(): DatabaseHandle {
  current.handle ??= createDatabaseFromEnv()
  return current.handle
}

/** The handle `db` uses now. */
export function currentDatabase(): DatabaseHandle {
  return handle()
}

/** Makes `db` use this handle (start, scripts, tests); returns it. */
export function setDatabase(next: DatabaseHandle): DatabaseHandle {
  current.handle = next
  return next
}

/**
 * Runs `work` with `db` on `database` (the demo loads through the models into whichever database
 * it is given), then points `db` back where it was, or at nothing. `work` must leave nothing
 * running in the background.
 */
export async function usingDatabase<T>(database: Database, work: () => Promise<T>): Promise<T> {
  const previous = current.handle
  if (previous?.db === database) return work()
  current.handle = {
    db: database,
    driver: previous?.driver ?? 'pglite',
    migrate: () => Promise.reject(new Error('usingDatabase: migrate through the database handle itself')),
    executeSql: () => Promise.reject(new Error('usingDatabase: no plain SQL on a borrowed database')),
    close: async () => {},
  }
  try {
    return await work()
  } finally {
    current.handle = previous
  }
}

/** The app's Drizzle database. */
export const db: Database = new Proxy({} as Database, {
  get(_target, prop) {
    const real = handle().db
    const value = Reflect.get(real, prop, real) as unknown
    return typeof value === 'function' ? value.bind(real) : value
  },
})

/**
 * A Drizzle prepared statement for the current database, prepared once per database.
 * `build` receives the real database and returns `query.prepare(name)`.
 */
export function prepared<T>(build: (database: Database) => T): () => T {
  const cache = new WeakMap<Database, T>()
  return () => {
    const real = handle().db
    let statement = cache.get(real)
    if (!statement) {
      statement = build(real)
      cache.set(real, statement)
    }
    return statement
  }
}

/**
 * Runs `work` in a transaction as the database role `app_user`, on behalf of `userId`: the
 * row-level security policies (drizzle/0006_content_rls.sql, 0009_orders_rls.sql) and the view
 * orders_visible then decide what it may read and write, whatever the queries inside forget.
 * Both settings end with the transaction.
 */
export async function asAppUser<T>(userId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('app.user_id', ${userId}, true)`)
    return work(tx)
  })
}

/**
 * Runs `work` in a transaction of `database` as `role` (drizzle/0010_least_privilege.sql):
 * 'app_rollup' reads every order and post and writes figures only, for the analytics rollup;
 * 'none' is the connection's own role, the owner, for loading the demo and seeding.
 */
export async function asRole<T>(
  role: 'app_rollup' | 'none',
  work: (tx: Transaction) => Promise<T>,
  database: Database = db,
): Promise<T> {
  return database.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${role}, true)`)
    return work(tx)
  })
}

/** Throws unless this handle works as APP_ROLE (a pooler that drops the `role` startup option would leave it the owner). */
export async function checkAppRole(database: Database = db): Promise<void> {
  const [row] = await rows<{ role: string }>(database, sql`select current_user as role`)
  if (row?.role !== APP_ROLE) {
    throw new Error(
      `The app's database connections run as ${row?.role}, not ${APP_ROLE}: does a connection pooler drop the ` +
        `"options" startup parameter? Connect directly, or let the pooler pass "options".`,
    )
  }
}

/**
 * Why the role this handle logs in as could become the tables' owner (a superuser, the owner
 * itself, or a member of it: then `select set_config('role', '<owner>', false)` would leave
 * app_user), or null when it cannot. The embedded database has one user and is never asked.
 */
export async function appLoginProblem(database: Database = db): Promise<string | null> {
  const [row] = await rows<{ login: string; owner: string; superuser: boolean; member: boolean }>(
    database,
    sql`select session_user::text as login, pg_get_userbyid(c.relowner)::text as owner, r.rolsuper as superuser,
          pg_has_role(session_user, c.relowner, 'MEMBER') as member
        from pg_catalog.pg_class c, pg_catalog.pg_roles r
        where c.oid = 'public.fabrics'::regclass and r.rolname = session_user`,
  )
  if (!row) return 'the tables cannot be found'
  if (row.superuser) return `it logs in as ${row.login}, a superuser`
  if (row.login === row.owner) return `it logs in as ${row.login}, the tables' owner`
  if (row.member) return `it logs in as ${row.login}, a member of the tables' owner ${row.owner}`
  return null
}

/**
 * Creates (or updates) the role APP_DATABASE_URL logs in as, on the owner's connection: LOGIN,
 * the URL's password, and membership in app_user and app_rollup only. Role names and passwords
 * cannot be bound parameters, so they travel as transaction settings and PL/pgSQL quotes them
 * (format's %I and %L). Refuses a role that is, or could become, the owner or a superuser.
 */
export async function ensureAppLogin(owner: Database, appUrl: string): Promise<{ role: string; created: boolean }> {
  const parsed = new URL(appUrl)
  const role = decodeURIComponent(parsed.username)
  if (!role) throw new Error('APP_DATABASE_URL names no user to log in as.')
  const password = decodeURIComponent(parsed.password)
  return owner.transaction(async (tx) => {
    const [before] = await rows<{ exists: boolean }>(
      tx,
      sql`select exists (select from pg_catalog.pg_roles where rolname = ${role}) as exists,
            set_config('tara.app_login', ${role}, true), set_config('tara.app_password', ${password}, true)`,
    )
    await tx.execute(sql.raw(`DO $$
DECLARE
  login text := current_setting('tara.app_login');
  secret text := current_setting('tara.app_password');
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = login) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', login);
  ELSE
    EXECUTE format('ALTER ROLE %I LOGIN', login);
  END IF;
  IF secret <> '' THEN
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, secret);
  END IF;
  EXECUTE format('GRANT ${APP_ROLE}, app_rollup TO %I', login);
END
$$`))
    await tx.execute(sql`select set_config('tara.app_password', '', true)`)
    const [check] = await rows<{ unsafe: boolean; owner: boolean }>(
      tx,
      sql`select r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolbypassrls or r.rolreplication as unsafe,
            pg_has_role(r.oid, c.relowner, 'MEMBER') as owner
          from pg_catalog.pg_roles r, pg_catalog.pg_class c
          where r.rolname = ${role} and c.oid = 'public.fabrics'::regclass`,
    )
    if (check?.owner) throw new Error(`APP_DATABASE_URL's role ${role} is, or is a member of, the tables' owner: give the app a role of its own.`)
    if (check?.unsafe) {
      throw new Error(`APP_DATABASE_URL's role ${role} may create roles or databases, bypass row-level security or replicate: give the app a plain role.`)
    }
    return { role, created: !before?.exists }
  })
}
