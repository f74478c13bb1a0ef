// Fresh databases for integration tests: embedded PGlite, the real PostgreSQL, and the
// real PostgreSQL through Neon's serverless driver (via a local WebSocket proxy).
// Every run makes its own database and drops it afterwards.
import { randomBytes } from 'node:crypto'
import { neonConfig } from '@neondatabase/serverless'
import ws from 'ws'
import { afterAll, beforeAll } from 'vitest'
import * as schema from '~/models/schema'
import { createDatabase, pgErrorCode, setDatabase, type DatabaseHandle } from '~/services/db.server'
import { ADMIN_URL, dropDatabases, dropRoles, recreateDatabase, urlAs } from '../../scripts/pg-admin'
import { startWsProxy } from '../../scripts/ws-proxy'

export const TARGETS = ['pglite', 'postgres', 'neon'] as const
export type Target = (typeof TARGETS)[number]

/**
 * Creates an empty PostgreSQL database with a unique name; `drop` removes it (and its app login).
 * `appUrl` logs in as a role of the app's own, as APP_DATABASE_URL does: the first migrate()
 * of a handle given `ownerUrl: url` creates it.
 */
export async function createPgDatabase(prefix = 'tara_test') {
  const suffix = randomBytes(6).toString('hex')
  const name = `${prefix}_${suffix}`
  const login = `tara_app_${suffix}`
  const url = await recreateDatabase(name)
  return {
    name,
    url,
    appUrl: urlAs(url, login),
    drop: async () => {
      await dropDatabases([name])
      await dropRoles([login])
    },
  }
}

export interface OpenTarget {
  /**
   * What the app's `db` uses: on PostgreSQL and Neon, connections that log in as the app's own
   * role (APP_DATABASE_URL) and work as app_user, as the app's do; migrate() makes that role.
   */
  handle: DatabaseHandle
  /**
   * The tables' owner, for a test's own rows and checks. The embedded database has one session,
   * so there the app's handle is the owner's too: its privileges are tested in privileges.test.ts.
   */
  owner: DatabaseHandle
  /** The owner's URL (PostgreSQL and Neon). */
  ownerUrl?: string
  /** Closes the connections and drops the database. */
  dispose(): Promise<void>
}

export async function openTarget(target: Target): Promise<OpenTarget> {
  if (target === 'pglite') {
    const handle = createDatabase({ pgliteDir: 'memory://', owner: true, schema })
    return { handle, owner: handle, dispose: () => handle.close() }
  }
  const database = await createPgDatabase()
  if (target === 'postgres') {
    const handle = createDatabase({ url: database.appUrl, ownerUrl: database.url, poolMax: 5 })
    const owner = createDatabase({ url: database.url, poolMax: 2, owner: true, schema })
    return {
      handle,
      owner,
      ownerUrl: database.url,
      dispose: async () => {
        await handle.close()
        await owner.close()
        await database.drop()
      },
    }
  }
  const server = new URL(ADMIN_URL)
  const proxy = await startWsProxy({ host: server.hostname, port: Number(server.port || 5432) })
  neonConfig.webSocketConstructor = ws
  neonConfig.wsProxy = () => `127.0.0.1:${proxy.port}/v1`
  neonConfig.useSecureWebSocket = false
  neonConfig.pipelineTLS = false
  neonConfig.pipelineConnect = false
  const handle = createDatabase({ url: database.appUrl, ownerUrl: database.url, driver: 'neon', poolMax: 5 })
  const owner = createDatabase({ url: database.url, driver: 'neon', poolMax: 2, owner: true, schema })
  return {
    handle,
    owner,
    ownerUrl: database.url,
    dispose: async () => {
      await handle.close()
      await owner.close()
      await proxy.close()
      await database.drop()
    },
  }
}

/** The SQLSTATE of a database error, looking through Drizzle's wrapper. */
export const pgCode = pgErrorCode

export async function expectPgError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    return pgCode(error)
  }
  throw new Error('expected the database to refuse this')
}

/**
 * A suite on a fresh, migrated database of `target` that the app's `db` points at: opened
 * before the suite's tests, dropped after them. Read `.db` inside tests and hooks.
 */
export function useMigratedDatabase(target: Target) {
  let open: OpenTarget | undefined
  beforeAll(async () => {
    open = await openTarget(target)
    setDatabase(open.handle)
    await open.handle.migrate()
  })
  afterAll(async () => {
    await open?.dispose()
  })
  const opened = () => {
    if (!open) throw new Error('the database opens in beforeAll: read .db inside a test or a hook')
    return open
  }
  return {
    /** The owner's database, for the test's own rows and checks (the app's is `db` from db.server). */
    get db() {
      return opened().owner.db
    },
    get handle() {
      return opened().handle
    },
  }
}
