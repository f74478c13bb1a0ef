// Whether the database answers (GET /healthz).
import { sql } from 'drizzle-orm'
import { db } from '~/services/db.server'

/** One round trip to the database; throws when it does not answer. */
export async function pingDatabase(): Promise<void> {
  await db.execute(sql`select 1`)
}

export async function databaseStatus(): Promise<'ok' | 'unavailable'> {
  try {
    await pingDatabase()
    return 'ok'
  } catch {
    return 'unavailable'
  }
}
