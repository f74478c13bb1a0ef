// Restoring a backup. It checks the row counts against the manifest and leaves the target as it
// was when it fails (a bad file): into a database that already has objects it runs in one
// transaction; into a new one (no objects at all), pg_restore loads it with parallel jobs and a
// failure drops what it made.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { createDatabase, driverFor, rows, type Database, type Transaction } from '../db.server'
import { ensureRoles, openPglite, tableRowCounts, unreachable, type DatabaseTarget, type Queryable } from './database.server'
import { BackupError } from './errors.server'
import { sha256File } from './files.server'
import { manifestPathFor, readManifest, sameCounts, sum, writeManifest, type BackupManifest } from './manifest.server'
import {
  checkRestoreClient,
  directUrl,
  DUMP_COMPLETE,
  finished,
  libpq,
  oneLine,
  PG_RESTORE_OPTIONS,
  toolVersion,
  withoutPassword,
} from './pg-tools.server'

export interface RestoreBackupOptions extends DatabaseTarget {
  /** The backup's data file (its manifest is next to it). */
  file: string
  /** Replace a database that has rows (`--force`). */
  force?: boolean
  /** Check the file's SHA-256 against the manifest first (default true; `--skip-checksum`). */
  checksum?: boolean
  /**
   * Stops the restore (npm run db:restore aborts it on SIGINT / SIGTERM), which then fails leaving
   * the target as it was, as for a bad file. Its reason, when a string, is shown ("interrupted (SIGINT)").
   */
  signal?: AbortSignal
}

export interface RestoreResult {
  manifest: BackupManifest
  /** The restored database's row counts: the manifest's. */
  tables: Record<string, number>
  rows: number
  /** Where it went, as printed (no password). */
  target: string
  /** Why the manifest could not be marked verified (a read-only backup directory), if so. */
  markFailed?: string
  /**
   * How it was loaded: in one transaction (a target that had objects, and the embedded database),
   * or by pg_restore's parallel jobs (a new PostgreSQL database, with no objects at all).
   */
  method: 'transaction' | 'parallel'
}

interface TargetState {
  tables: Record<string, number>
  rows: number
  /** Nothing in schema public and no drizzle or pgboss schema: a database just created. */
  blank: boolean
}

async function targetState(db: Database): Promise<TargetState> {
  const tables = await tableRowCounts(db)
  const [used] = await rows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from pg_catalog.pg_class where relnamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_proc where pronamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_type where typnamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_namespace where nspname in ('drizzle', 'pgboss')) as used`,
  )
  return { tables, rows: sum(tables), blank: !used?.used }
}

function refuseNonEmpty(target: string, state: TargetState): BackupError {
  const filled = Object.entries(state.tables).filter(([, n]) => n > 0)
  const examples = filled
    .slice(0, 3)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')
  return new BackupError(
    `The target database ${target} is not empty ` +
      `(${state.rows} rows in ${filled.length} tables: ${examples}${filled.length > 3 ? ', …' : ''}): ` +
      'restore into an empty database, or pass --force to replace everything in it.',
  )
}

// Replaces the app's schemas (its tables, its migrations' record, the job queue's tables) with
// empty ones, as a new database has them (PostgreSQL 15+).
const CLEAR_SCHEMAS = `
DROP SCHEMA IF EXISTS drizzle CASCADE;
DROP SCHEMA IF EXISTS pgboss CASCADE;
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
`

// Run inside the restore's transaction, after the dump (so with an empty search_path): fails the
// transaction unless every table of schema public has the manifest's row count, and no other.
const CHECK_COUNTS = `
DO $tara$
DECLARE
  expected jsonb := pg_catalog.current_setting('tara.expected_rows')::jsonb;
  t text;
  found bigint;
  problems text := '';
BEGIN
  FOR t IN
    SELECT c.relname::text FROM pg_catalog.pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
    UNION SELECT k FROM pg_catalog.jsonb_object_keys(expected) k
    ORDER BY 1
  LOOP
    found := NULL;
    IF pg_catalog.to_regclass(pg_catalog.format('public.%I', t)) IS NOT NULL THEN
      EXECUTE pg_catalog.format('SELECT count(*) FROM public.%I', t) INTO found;
    END IF;
    IF found IS DISTINCT FROM (expected ->> t)::bigint THEN
      problems := problems || pg_catalog.format(' %s has %s rows, the manifest says %s;', t,
        coalesce(found::text, 'no table and no'), coalesce(expected ->> t, 'no table'));
    END IF;
  END LOOP;
  IF problems <> '' THEN
    RAISE EXCEPTION 'the restored row counts differ from the manifest:%', problems;
  END IF;
END
$tara$;
`

/** What an aborted restore says it was ("interrupted (SIGINT)"). */
function interruption(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? `interrupted (${signal.reason})` : 'interrupted'
}

/** pg_restore's SQL piped into psql inside one transaction that ends with the count check. */
async function restorePostgres(
  url: string,
  file: string,
  manifest: BackupManifest,
  state: TargetState,
  signal?: AbortSignal,
) {
  const connection = libpq(url)
  await checkRestoreClient(manifest)
  await toolVersion('psql')
  const restore = spawn('pg_restore', [...PG_RESTORE_OPTIONS, '--file=-', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const psql = spawn(
    'psql',
    [
      '--no-psqlrc',
      '--quiet',
      '--no-password',
      '--set=ON_ERROR_STOP=1',
      `--set=expected=${JSON.stringify(manifest.tables)}`,
      `--dbname=${connection.dbname}`,
      '--file=-',
    ],
    { env: connection.env, stdio: ['pipe', 'ignore', 'pipe'] },
  )
  const restoreDone = finished(restore)
  const psqlDone = finished(psql)
  psql.stdin!.on('error', () => {
    // psql stopped reading (it failed): its exit status says why.
  })
  // When psql gives up (an error, or no connection), pg_restore would wait forever on a full pipe.
  let psqlGaveUp = false
  psql.once('close', () => {
    if (restore.exitCode !== null || restore.signalCode !== null) return
    psqlGaveUp = true
    restore.kill()
  })
  // Stopping pg_restore stops psql before its COMMIT (below). Once pg_restore is done, the COMMIT
  // may be on its way: the restore then ends as it would have.
  const stop = () => {
    if (restore.exitCode === null && restore.signalCode === null) restore.kill()
  }
  signal?.addEventListener('abort', stop)
  psql.stdin!.write(`SET client_min_messages = warning;\nBEGIN;\n${state.blank ? '' : CLEAR_SCHEMAS}\n`)
  restore.stdout!.pipe(psql.stdin!, { end: false })
  const restored = await restoreDone
  if (restored.code === 0) {
    // Only a complete dump is followed by the check and COMMIT: anything less ends, and rolls back, with psql.
    psql.stdin!.end(`\nSELECT pg_catalog.set_config('tara.expected_rows', :'expected', true);\n${CHECK_COUNTS}\nCOMMIT;\n`)
  } else {
    psql.kill()
  }
  const applied = await psqlDone
  signal?.removeEventListener('abort', stop)
  if (restored.code !== 0 || applied.code !== 0) {
    const cause =
      restored.code !== 0 && signal?.aborted
        ? interruption(signal)
        : psqlGaveUp || restored.code === 0
          ? oneLine(applied.stderr).replace(/^psql:[^:]*:\d+: /, '')
          : oneLine(restored.stderr)
    throw new BackupError(`The restore failed and was rolled back (the target is as it was): ${connection.scrub(cause)}`)
  }
}

// Initdb makes its objects with oids below FirstNormalObjectId; every object made later gets one from it on.
const FIRST_NORMAL_OID = sql.raw('16384')

/**
 * What a database holds that a new one does not, as ["pg_class 12", "pg_type 30", …]: for each
 * catalog of the database, its rows with an oid from FirstNormalObjectId on (an extension, a
 * schema, a table, a type, a function, a default privilege, a large object, …). Empty for a
 * database just created (from an unchanged template). Schema public itself is not counted (a
 * failed parallel restore drops and re-creates it), nor are the temporary schemas sessions
 * leave behind; anything in them is.
 */
async function userObjects(db: Queryable): Promise<string[]> {
  // The catalogs are read from the server, as they change between versions. One only a superuser
  // may read (pg_user_mapping: user mappings hold passwords) is skipped for others: a mapping needs
  // a foreign server, which is counted.
  const catalogs = await rows<{ name: string }>(
    db,
    sql`select c.relname::text as name from pg_catalog.pg_class c
        where c.relnamespace = 'pg_catalog'::regnamespace and c.relkind = 'r' and not c.relisshared
          and pg_catalog.has_table_privilege(c.oid, 'select')
          and exists (select from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attname = 'oid' and a.attnum > 0)
        order by 1`,
  )
  const counts = await rows<{ catalog: string; n: string }>(
    db,
    sql.join(
      catalogs.map(({ name }) => {
        const besides =
          name === 'pg_namespace' ? sql` and nspname <> 'public' and nspname !~ '^pg_(toast_)?temp_'` : sql``
        return sql`select ${name}::text as catalog, count(*)::text as n from pg_catalog.${sql.identifier(name)}
                   where oid >= ${FIRST_NORMAL_OID}${besides}`
      }),
      sql` union all `,
    ),
  )
  return counts.filter((c) => c.n !== '0').map((c) => `${c.catalog} ${c.n}`)
}

interface SchemaState {
  owner: string
  /** Its ACL's grants (grantee null: PUBLIC), ordered; null while it has the default ACL. */
  grants: { grantee: string | null; privilege: string; grantable: boolean; grantor: string }[] | null
  comment: string | null
}

/** Schema public's owner, grants and comment (a restore grants on it); null when there is none. */
async function publicSchema(db: Queryable): Promise<SchemaState | null> {
  const [found] = await rows<SchemaState>(
    db,
    sql`select pg_catalog.pg_get_userbyid(n.nspowner)::text as owner,
          case when n.nspacl is not null then coalesce(
            (select json_agg(json_build_object(
                'grantee', case when a.grantee = 0 then null else pg_catalog.pg_get_userbyid(a.grantee)::text end,
                'privilege', a.privilege_type, 'grantable', a.is_grantable,
                'grantor', pg_catalog.pg_get_userbyid(a.grantor)::text) order by a.grantee, a.privilege_type)
              from pg_catalog.aclexplode(n.nspacl) a),
            '[]'::json) end as grants,
          pg_catalog.obj_description(n.oid, 'pg_namespace') as comment
        from pg_catalog.pg_namespace n where n.nspname = 'public'`,
  )
  return found ?? null
}

/** Creates schema public as `before` describes it (after a DROP of the restored one). */
async function recreatePublic(tx: Transaction, before: SchemaState) {
  await tx.execute(sql`create schema public authorization ${sql.identifier(before.owner)}`)
  if (before.grants) {
    // A new schema has the default ACL (its owner may use it and create in it); the one saved may
    // lack some of that, and has more.
    const privileges = ['USAGE', 'CREATE']
    const owners = new Set(before.grants.filter((g) => g.grantee === before.owner).map((g) => g.privilege))
    for (const privilege of privileges.filter((p) => !owners.has(p))) {
      await tx.execute(sql`revoke ${sql.raw(privilege)} on schema public from ${sql.identifier(before.owner)}`)
    }
    for (const grant of before.grants.filter((g) => privileges.includes(g.privilege))) {
      const grantee = grant.grantee === null ? sql`public` : sql.identifier(grant.grantee)
      const option = grant.grantable ? sql` with grant option` : sql``
      await tx.execute(sql`grant ${sql.raw(grant.privilege)} on schema public to ${grantee}${option}`)
    }
  }
  if (before.comment !== null) {
    // COMMENT takes no parameters: the server quotes the text.
    const [statement] = await rows<{ text: string }>(
      tx,
      sql`select pg_catalog.format('comment on schema public is %L', ${before.comment}::text) as text`,
    )
    await tx.execute(sql.raw(statement!.text))
  }
}

/**
 * Takes a database in which a parallel restore failed back to what it was: no objects at all, and
 * schema public with `before`'s owner, grants and comment. It first ends the restore's sessions (a
 * killed pg_restore leaves them busy with their statement, holding its locks), then drops in one
 * transaction every extension, event trigger, publication, schema and large object made since
 * (the database had none: all of them came with the restore), and public, re-created as it was;
 * then checks that nothing is left.
 */
async function undoRestore(db: Database, sessions: string, before: SchemaState | null) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const [busy] = await rows<{ n: number }>(
      db,
      sql`select count(pg_catalog.pg_terminate_backend(pid))::int as n from pg_catalog.pg_stat_activity
          where datname = pg_catalog.current_database() and application_name = ${sessions}
            and pid <> pg_catalog.pg_backend_pid()`,
    )
    if (!busy?.n) break
    if (Date.now() > deadline) throw new Error(`${busy.n} sessions of pg_restore did not end`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await db.transaction(async (tx) => {
    // Nobody else should hold a lock in a new database; if someone does, fail rather than hang.
    await tx.execute(sql`set local lock_timeout = '30s'`)
    const made = await rows<{ kind: string; name: string }>(
      tx,
      sql`select 'extension' as kind, extname::text as name, 1 as o from pg_catalog.pg_extension
            where oid >= ${FIRST_NORMAL_OID}
          union all select 'event trigger', evtname::text, 2 from pg_catalog.pg_event_trigger
            where oid >= ${FIRST_NORMAL_OID}
          union all select 'publication', pubname::text, 3 from pg_catalog.pg_publication
            where oid >= ${FIRST_NORMAL_OID}
          union all select 'schema', nspname::text, 4 from pg_catalog.pg_namespace
            where oid >= ${FIRST_NORMAL_OID} and nspname <> 'public' and nspname !~ '^pg_'
          order by o, name`,
    )
    for (const { kind, name } of made) {
      await tx.execute(sql`drop ${sql.raw(kind)} if exists ${sql.identifier(name)} cascade`)
    }
    await tx.execute(
      sql`select pg_catalog.lo_unlink(oid) from pg_catalog.pg_largeobject_metadata where oid >= ${FIRST_NORMAL_OID}`,
    )
    await tx.execute(sql`drop schema if exists public cascade`)
    if (before) await recreatePublic(tx, before)
  })
  const left = await userObjects(db)
  if (left.length > 0) throw new Error(`still there: ${left.join(', ')}`)
  const after = await publicSchema(db)
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`schema public is not as it was (${JSON.stringify(before)}; now ${JSON.stringify(after)})`)
  }
}

/** The deepest message of an error (a database error inside Drizzle's "Failed query"). */
function innermostMessage(error: unknown): string {
  let deepest = error
  while ((deepest as { cause?: unknown } | null)?.cause) deepest = (deepest as { cause: unknown }).cause
  return deepest instanceof Error ? deepest.message : String(deepest)
}

/**
 * pg_restore's jobs into a new database: the machine's cores, at least 2 (the server does most of
 * the work, and may be another machine), at most 4 (beyond, the largest table alone takes longest).
 */
function restoreJobs(): number {
  return Math.min(4, Math.max(2, availableParallelism()))
}

/**
 * pg_restore straight into a database that has no objects at all, with parallel jobs: the tables'
 * data, then their indexes, load side by side (one transaction loads them one after another: on the
 * bench's 1M orders it takes about 1.5-2× as long), then the count check. Not being one transaction,
 * a failure (pg_restore's, the counts', an interruption) is undone by undoRestore: the target is
 * again a database with no objects.
 */
async function restoreParallel(db: Database, url: string, file: string, manifest: BackupManifest, signal?: AbortSignal) {
  const connection = libpq(url)
  await checkRestoreClient(manifest)
  const before = await publicSchema(db)
  // The restore's sessions go by this name (pg_restore's workers connect as the leader does), so
  // that undoRestore can end them. Set in the URL, which wins over PGAPPNAME and the URL's own.
  const sessions = `tara-restore-${randomBytes(6).toString('hex')}`
  const dbname = new URL(connection.dbname)
  dbname.searchParams.set('application_name', sessions)
  const restore = spawn(
    'pg_restore',
    [...PG_RESTORE_OPTIONS, '--no-password', `--jobs=${restoreJobs()}`, `--dbname=${dbname.toString()}`, file],
    { env: connection.env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const stop = () => restore.kill()
  signal?.addEventListener('abort', stop)
  let cause: string | undefined
  try {
    const restored = await finished(restore, 1_000)
    if (signal?.aborted) cause = interruption(signal)
    else if (restored.signal) cause = `pg_restore was stopped (${restored.signal})`
    else if (restored.code !== 0) cause = oneLine(restored.stderr)
    else {
      try {
        await db.transaction(async (tx) => {
          const expected = JSON.stringify(manifest.tables)
          await tx.execute(sql`select pg_catalog.set_config('tara.expected_rows', ${expected}, true)`)
          await tx.execute(sql.raw(CHECK_COUNTS))
        })
      } catch (error) {
        cause = innermostMessage(error)
      }
      // Interrupted while counting: stopped all the same, as the operator asked.
      if (cause === undefined && signal?.aborted) cause = interruption(signal)
    }
  } finally {
    signal?.removeEventListener('abort', stop)
  }
  if (cause === undefined) return
  try {
    await undoRestore(db, sessions, before)
  } catch (error) {
    const undoing = innermostMessage(error)
    throw new BackupError(
      `The restore failed (${connection.scrub(cause)}) and undoing it failed too (${connection.scrub(undoing)}): ` +
        `${withoutPassword(directUrl(url))} holds part of the backup. ` +
        'Drop and re-create that database, or restore again with --force.',
    )
  }
  throw new BackupError(`The restore failed and was rolled back (the target is as it was): ${connection.scrub(cause)}`)
}

async function restorePglite(pg: PGlite, file: string, manifest: BackupManifest, state: TargetState) {
  const dump = await fs.readFile(file, 'utf8')
  if (!DUMP_COMPLETE.test(dump)) {
    throw new BackupError(
      `${file} is incomplete (pg_dump's closing line is missing): it may be truncated. Nothing was restored.`,
    )
  }
  try {
    await pg.transaction(async (tx) => {
      if (!state.blank) await tx.exec(CLEAR_SCHEMAS)
      // The dump empties search_path for the session: this instance is closed right after.
      await tx.exec(dump)
      await tx.query(`select pg_catalog.set_config('tara.expected_rows', $1, true)`, [JSON.stringify(manifest.tables)])
      await tx.exec(CHECK_COUNTS)
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new BackupError(`The restore failed and was rolled back (the target is as it was): ${message}`)
  }
}

/**
 * Restores a backup into the database `url` (or the embedded one in `pgliteDir`) points at: only
 * into an empty one unless `force`. "Empty" means no row in any table of schema public: a database
 * just created, or one only migrated, is empty (its schema is replaced by the backup's); rows in
 * drizzle's migrations table do not count. Every table's row count is checked against the manifest,
 * then the manifest is marked verified. A PostgreSQL database with no objects at all (just created)
 * is loaded by pg_restore's parallel jobs, and a failure drops everything they made; any other
 * target is restored in one transaction, which the count check ends.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreResult> {
  const file = path.resolve(options.file)
  const manifestPath = manifestPathFor(file)
  const stat = await fs.stat(file).catch(() => undefined)
  if (!stat?.isFile()) throw new BackupError(`There is no backup file at ${file}.`)
  const manifest = await readManifest(manifestPath)
  if (manifest.file !== path.basename(file)) {
    throw new BackupError(`The manifest ${manifestPath} describes ${manifest.file}, not ${path.basename(file)}.`)
  }
  if (options.checksum ?? true) {
    const { sha256 } = await sha256File(file)
    if (sha256 !== manifest.sha256) {
      throw new BackupError(
        `${file}: the file is not the one backed up (SHA-256 differs): it may be truncated or corrupt.`,
      )
    }
  }
  const driver = driverFor(options.url)
  if ((driver === 'pglite') !== (manifest.driver === 'pglite')) {
    throw new BackupError(
      manifest.driver === 'pglite'
        ? `${manifest.file} is a backup of the embedded database: it restores into an embedded one (unset DATABASE_URL).`
        : `${manifest.file} is a PostgreSQL backup: it restores into PostgreSQL or Neon (set DATABASE_URL).`,
    )
  }

  const { signal } = options
  const notStarted = () =>
    new BackupError(`The restore was ${interruption(signal!)} before it started: nothing was changed.`)
  let target: string
  let tables: Record<string, number>
  let method: RestoreResult['method'] = 'transaction'
  try {
    if (driver === 'pglite') {
      const dir = path.resolve(options.pgliteDir ?? './data/pglite')
      target = `pglite:${dir}`
      const pg = await openPglite(dir, { create: true })
      try {
        const db = drizzlePglite(pg) as unknown as Database
        const state = await targetState(db)
        if (state.rows > 0 && !options.force) throw refuseNonEmpty(target, state)
        if (signal?.aborted) throw notStarted()
        await ensureRoles(db, manifest.roles)
        await restorePglite(pg, file, manifest, state)
        tables = await tableRowCounts(db)
      } finally {
        await pg.close()
      }
    } else {
      target = withoutPassword(directUrl(options.url!))
      const handle = createDatabase({ url: directUrl(options.url!), driver: 'node-postgres', poolMax: 1, owner: true })
      try {
        const state = await targetState(handle.db)
        if (state.rows > 0 && !options.force) throw refuseNonEmpty(target, state)
        // Only where the database had nothing at all can undoing a failure be dropping all there is.
        if ((await userObjects(handle.db)).length === 0) method = 'parallel'
        if (signal?.aborted) throw notStarted()
        // Roles belong to the server: made first, and kept whatever happens next.
        await ensureRoles(handle.db, manifest.roles)
        if (method === 'parallel') await restoreParallel(handle.db, options.url!, file, manifest, signal)
        else await restorePostgres(options.url!, file, manifest, state, signal)
        tables = await tableRowCounts(handle.db)
      } finally {
        await handle.close()
      }
    }
  } catch (error) {
    throw unreachable(error, options) ?? error
  }
  // The counts were checked before the COMMIT (or before the parallel restore was done); this reads
  // them as they are now, committed.
  if (!sameCounts(tables, manifest.tables)) {
    throw new BackupError(`After the restore, the row counts of ${target} differ from the manifest's.`)
  }
  const result: RestoreResult = { manifest, tables, rows: sum(tables), target, method }
  try {
    const verified = { ...manifest, verified: { at: new Date().toISOString(), target } }
    await writeManifest(manifestPath, verified)
    result.manifest = verified
  } catch (error) {
    result.markFailed = error instanceof Error ? error.message : String(error)
  }
  return result
}
