// Part of `npm run db:check`: the job queue's tables (schema pgboss) are made by our migrations
// (drizzle/0014_job_queue.sql), so the installed pg-boss must expect the schema version they make.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const VERSION_SET = /pgboss\.version\s*\(version\)\s*VALUES\s*\('(\d+)'\)|UPDATE\s+pgboss\.version\s+SET\s+version\s*=\s*'?(\d+)/gi

/** The pgboss schema version drizzle/'s migrations leave, in their order; null when none sets one. */
export function migratedQueueVersion(dir = 'drizzle'): number | null {
  let version: number | null = null
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(VERSION_SET)) {
      version = Number(match[1] ?? match[2])
    }
  }
  return version
}

/** The schema version the installed pg-boss runs on (it refuses any other: we start it with migrate: false). */
export function installedQueueVersion(): number {
  const require = createRequire(import.meta.url)
  return (require('pg-boss/version.json') as { schema: number }).schema
}

/** What is wrong, or null when the migrations make the schema the installed pg-boss expects. */
export function queueSchemaProblem(migrated: number | null, installed: number): string | null {
  if (migrated === installed) return null
  return (
    `pg-boss expects its schema at version ${installed}, but drizzle/ makes version ${migrated ?? 'none'}: ` +
    `add a custom migration (npx drizzle-kit generate --custom) holding PgBoss.getMigrationPlans('pgboss', ${migrated ?? 0}), ` +
    `without its BEGIN/COMMIT, one statement per breakpoint.`
  )
}
