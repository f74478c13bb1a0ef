// What a database holds (its tables' row counts, its last migration, the roles it grants to), the
// embedded one opened by a script, and a database that does not answer told in one line.
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { isDatabaseUnavailable, MIGRATIONS_DIR, rows, type Database, type Transaction } from '../db.server'
import { BackupError } from './errors.server'
import { type BackupManifest } from './manifest.server'
import { directUrl, libpq, withoutPassword } from './pg-tools.server'

export interface DatabaseTarget {
  /** A postgres:// URL (Neon or any PostgreSQL); unset means the embedded database. */
  url?: string
  /** The embedded database's directory (PGLITE_DIR) when there is no URL. */
  pgliteDir?: string
}

/** A database that does not answer, as one line naming it (without its password). */
export function unreachable(error: unknown, { url }: DatabaseTarget): BackupError | undefined {
  if (error instanceof BackupError || !isDatabaseUnavailable(error)) return undefined
  let deepest = error
  while ((deepest as { cause?: unknown }).cause) deepest = (deepest as { cause: unknown }).cause
  const message = deepest instanceof Error ? deepest.message : String(deepest)
  const where = url ? withoutPassword(directUrl(url)) : 'the embedded database'
  return new BackupError(`Cannot reach ${where}: ${url ? libpq(url).scrub(message) : message}`)
}

export interface Facts {
  serverVersion: string
  serverVersionNum: string
  tables: Record<string, number>
  migration: BackupManifest['migration']
  roles: string[]
}

export type Queryable = Database | Transaction

/** The tables of schema public, sorted by name. */
async function publicTables(db: Queryable): Promise<string[]> {
  const found = await rows<{ name: string }>(
    db,
    sql`select c.relname::text as name from pg_catalog.pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')`,
  )
  return found.map((r) => r.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Each table's exact row count, sorted by table name. */
export async function tableRowCounts(db: Queryable): Promise<Record<string, number>> {
  const names = await publicTables(db)
  if (names.length === 0) return {}
  const counts = await rows<{ name: string; n: string }>(
    db,
    sql.join(
      names.map(
        (name) =>
          sql`select ${name}::text as name, count(*)::text as n from ${sql.identifier('public')}.${sql.identifier(name)}`,
      ),
      sql` union all `,
    ),
  )
  const byName = new Map(counts.map((c) => [c.name, Number(c.n)]))
  return Object.fromEntries(names.map((name) => [name, byName.get(name) ?? 0]))
}

interface JournalEntry {
  when: number
  tag: string
}

function journalTag(createdAt: number): string | null {
  try {
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
      entries: JournalEntry[]
    }
    return journal.entries.find((e) => e.when === createdAt)?.tag ?? null
  } catch {
    return null
  }
}

async function lastMigration(db: Queryable): Promise<BackupManifest['migration']> {
  const [table] = await rows<{ t: string | null }>(db, sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`)
  if (!table?.t) return null
  const [last] = await rows<{ hash: string; created_at: string }>(
    db,
    sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations
        order by created_at desc, id desc limit 1`,
  )
  if (!last) return null
  const createdAt = Number(last.created_at)
  return { tag: journalTag(createdAt), hash: last.hash, createdAt }
}

/**
 * The roles (other than each object's owner) that the schemas public and drizzle grant to or name
 * in policies, e.g. app_user: roles belong to the server, not the dump, so a restore makes them.
 */
async function grantedRoles(db: Queryable): Promise<string[]> {
  const found = await rows<{ name: string }>(
    db,
    sql`with nsps as (select oid from pg_catalog.pg_namespace where nspname in ('public', 'drizzle')),
    acls as (
      select relacl as acl, relowner as owner from pg_catalog.pg_class where relnamespace in (select oid from nsps)
      union all
      select a.attacl, c.relowner from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid
        where c.relnamespace in (select oid from nsps) and a.attacl is not null
      union all
      select proacl, proowner from pg_catalog.pg_proc where pronamespace in (select oid from nsps)
      union all
      select typacl, typowner from pg_catalog.pg_type where typnamespace in (select oid from nsps)
      union all
      select nspacl, nspowner from pg_catalog.pg_namespace where oid in (select oid from nsps)
    ),
    grantees as (
      select (pg_catalog.aclexplode(acl)).grantee as role, owner from acls where acl is not null
      union all
      select pg_catalog.unnest(p.polroles), c.relowner from pg_catalog.pg_policy p
        join pg_catalog.pg_class c on c.oid = p.polrelid where c.relnamespace in (select oid from nsps)
    )
    select distinct r.rolname::text as name from grantees g join pg_catalog.pg_roles r on r.oid = g.role
    where g.role <> g.owner and not starts_with(r.rolname::text, 'pg_')`,
  )
  return found.map((r) => r.name).sort()
}

export async function databaseFacts(db: Queryable): Promise<Facts> {
  const [server] = await rows<{ version: string; num: string }>(
    db,
    sql`select current_setting('server_version') as version, current_setting('server_version_num') as num`,
  )
  return {
    serverVersion: server!.version,
    serverVersionNum: server!.num,
    tables: await tableRowCounts(db),
    migration: await lastMigration(db),
    roles: await grantedRoles(db),
  }
}

/** Makes the roles a backup grants to, when the target server lacks them (as migration 0006 does). */
export async function ensureRoles(db: Queryable, roles: string[]) {
  for (const role of roles) {
    const [found] = await rows<{ ok: number }>(db, sql`select 1 as ok from pg_catalog.pg_roles where rolname = ${role}`)
    if (found) continue
    await db.execute(sql`create role ${sql.identifier(role)} nologin`)
    const [me] = await rows<{ su: boolean }>(
      db,
      sql`select rolsuper as su from pg_catalog.pg_roles where rolname = current_user`,
    )
    if (!me?.su) await db.execute(sql`grant ${sql.identifier(role)} to current_user`)
  }
}

function pgliteInUse(dir: string) {
  return new BackupError(
    `The embedded database at ${dir} is open in another process (its postmaster.pid is present): stop the app ` +
      '(or whatever has it open) and try again. If nothing has it open, it was not closed cleanly: ' +
      'start and stop the app once.',
  )
}

export async function openPglite(dir: string, { create }: { create: boolean }): Promise<PGlite> {
  const present = await fs.stat(path.join(dir, 'PG_VERSION')).catch(() => undefined)
  if (!present && !create) throw new BackupError(`There is no embedded database at ${dir} (PGLITE_DIR).`)
  if (await fs.stat(path.join(dir, 'postmaster.pid')).catch(() => undefined)) throw pgliteInUse(dir)
  await fs.mkdir(dir, { recursive: true })
  return PGlite.create(dir)
}
