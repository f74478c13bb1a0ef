// Fresh databases for integration tests: embedded PGlite, the real PostgreSQL, and the
// real PostgreSQL through Neon's serverless driver (via a local WebSocket proxy).
// Every run makes its own database and drops it afterwards.
import { randomBytes } from 'node:crypto'
import { neonConfig } from '@neondatabase/serverless'
import pg from 'pg'
import ws from 'ws'
import { createDatabase, type DatabaseHandle } from '~/services/db.server'
import { startWsProxy } from '../../scripts/ws-proxy'

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const TARGETS = ['pglite', 'postgres', 'neon'] as const
export type Target = (typeof TARGETS)[number]

function urlFor(name: string) {
  const url = new URL(TEST_PG_URL)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty PostgreSQL database with a unique name; `drop` removes it. */
export async function createPgDatabase(prefix = 'tara_test') {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  // Identifiers cannot be bound parameters; the name is ours, [a-z0-9_] only.
  await admin((c) => c.query(`create database ${name}`))
  return {
    name,
    url: urlFor(name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  }
}

export interface OpenTarget {
  handle: DatabaseHandle
  /** Closes the connections and drops the database. */
  dispose(): Promise<void>
}

export async function openTarget(target: Target): Promise<OpenTarget> {
  if (target === 'pglite') {
    const handle = createDatabase({ pgliteDir: 'memory://' })
    return { handle, dispose: () => handle.close() }
  }
  const database = await createPgDatabase()
  if (target === 'postgres') {
    const handle = createDatabase({ url: database.url, poolMax: 5 })
    return {
      handle,
      dispose: async () => {
        await handle.close()
        await database.drop()
      },
    }
  }
  const server = new URL(TEST_PG_URL)
  const proxy = await startWsProxy({ host: server.hostname, port: Number(server.port || 5432) })
  neonConfig.webSocketConstructor = ws
  neonConfig.wsProxy = () => `127.0.0.1:${proxy.port}/v1`
  neonConfig.useSecureWebSocket = false
  neonConfig.pipelineTLS = false
  neonConfig.pipelineConnect = false
  const handle = createDatabase({ url: database.url, driver: 'neon', poolMax: 5 })
  return {
    handle,
    dispose: async () => {
      await handle.close()
      await proxy.close()
      await database.drop()
    },
  }
}

/** The SQLSTATE of a database error, looking through Drizzle's wrapper. */
export function pgCode(error: unknown): string | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

export async function expectPgError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    return pgCode(error)
  }
  throw new Error('expected the database to refuse this')
}
