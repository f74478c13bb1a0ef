// Backups and restores (app/services/backup/, npm run db:backup / db:restore) on PGlite and
// PostgreSQL: a restore gives back every table row for row, refuses a database with rows unless
// forced, and a bad file leaves the target as it was (into a new PostgreSQL database, restored in
// parallel, not in one transaction: what a failure made is dropped again); old backups go, young
// ones are not repeated; a full disk or a read-only directory fails cleanly, and so does a too-old pg_dump.
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemo } from '~/seed/demo.server'
import { fabrics, users } from '~/models/schema'
import { createBackup } from '~/services/backup/create.server'
import { type DatabaseTarget } from '~/services/backup/database.server'
import { backupSettings } from '~/services/backup/jobs.server'
import { backupStem, listBackups, type BackupManifest } from '~/services/backup/manifest.server'
import { clientMajor, directUrl, pgDumpVersionProblem, serverMajor, withoutPassword } from '~/services/backup/pg-tools.server'
import { restoreBackup } from '~/services/backup/restore.server'
import { parseDuration } from '~/services/backup/text.server'
import { createDatabase, MIGRATIONS_DIR, rows, type Database, type DatabaseHandle } from '~/services/db.server'
import { EnvError } from '~/services/env.server'
import { createPgDatabase } from '../setup/databases'
import { runToEnd } from '../setup/processes'

const scratch = mkdtempSync(path.join(tmpdir(), 'tara-backup-'))
// The read-only drill runs a script as another user, who must be able to reach the directories.
chmodSync(scratch, 0o755)
const dropped: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const drop of dropped) await drop()
  rmSync(scratch, { recursive: true, force: true })
})

let dirs = 0
/** A new directory under the scratch one. */
function newDir(name: string) {
  const dir = path.join(scratch, `${name}-${++dirs}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

type Kind = 'pglite' | 'postgres'

interface TestDatabase {
  target: DatabaseTarget
  /** Opens the database, runs `work`, closes it (a PGlite directory is open in one place at a time). */
  use<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T>
}

async function freshDatabase(kind: Kind): Promise<TestDatabase> {
  let target: DatabaseTarget
  if (kind === 'pglite') {
    target = { pgliteDir: path.join(scratch, `pglite-${++dirs}`) }
  } else {
    const database = await createPgDatabase('tara_backup')
    dropped.push(database.drop)
    target = { url: database.url }
  }
  return {
    target,
    async use(work) {
      const handle = createDatabase({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 2, owner: true })
      try {
        return await work(handle)
      } finally {
        await handle.close()
      }
    },
  }
}

/** The demo shop plus rows whose text a careless dump or restore would mangle. */
async function fill(db: Database) {
  await loadDemo(db)
  await db.insert(users).values({ email: 'siobhan.o.brien@example.com', name: `Siobhán O'Brien "Shiv" \\ 🧵 日本語` })
  await db.insert(fabrics).values([
    {
      name: `It's a "quoted" name; DROP TABLE fabrics; --`,
      description: 'line one\nline two\r\n\ttabbed\n\\.\na COPY terminator above, a backslash \\ here, and NUL-free émoji 🪡',
      composition: '100% 絹 (silk)',
      sku: 'AWK-1',
      tags: [`it's`, 'say "hi"', 'ünïcödé', 'new\nline', '\\'],
      etsyVariations: [{ type: 'Colour', name: 'Größe "XL"', values: `rot, grün, it's, {"json": [1, 2]}` }],
      images: [{ src: '/uploads/a "b".jpg', alt: 'tab\there\nand a $$ dollar quote $tara$' }],
    },
    { name: 'Empty strings', description: '', composition: '', sku: 'AWK-2', tags: [''] },
  ])
}

/**
 * Every table of schema public (listed from information_schema) as its row count and the md5 of
 * its rows in order; every sequence as its last value. Equal checksums: equal databases.
 */
async function checksums(db: Database): Promise<Record<string, string>> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select table_name::text as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )
  const sums: Record<string, string> = {}
  for (const { name } of tables) {
    const [row] = await rows<{ n: string; sum: string | null }>(
      db,
      sql`select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as sum
          from ${sql.identifier('public')}.${sql.identifier(name)} t`,
    )
    sums[name] = `${row!.n} ${row!.sum ?? 'empty'}`
  }
  const sequences = await rows<{ name: string; last: string | null }>(
    db,
    sql`select sequencename::text as name, last_value::text as last from pg_catalog.pg_sequences
        where schemaname = 'public' order by 1`,
  )
  for (const s of sequences) sums[`sequence ${s.name}`] = s.last ?? 'unused'
  return sums
}

/**
 * What a database holds besides rows: its schemas (owner, grants, comment) and every object made
 * after initdb (oid from 16384 on). A new database has none of those; a restore that failed and
 * was undone must leave it so.
 */
async function objects(db: Database): Promise<string[]> {
  const found = await rows<{ o: string }>(
    db,
    sql`select 'schema ' || nspname || ' owner ' || pg_get_userbyid(nspowner) || ' acl ' || coalesce(nspacl::text, 'default')
               || ' comment ' || coalesce(obj_description(oid, 'pg_namespace'), 'none') as o
          from pg_namespace where nspname !~ '^pg_(toast_)?temp_'
        union all select 'relation ' || relname from pg_class where oid >= 16384
        union all select 'type ' || typname from pg_type where oid >= 16384
        union all select 'function ' || proname from pg_proc where oid >= 16384
        union all select 'extension ' || extname from pg_extension where oid >= 16384
        order by 1`,
  )
  return found.map((r) => r.o)
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const readManifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BackupManifest
const lastTag = () => {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  return journal.entries.at(-1)!.tag
}
/** What a directory holds, with each file's SHA-256: "nothing changed" is equality of two of these. */
const contents = (dir: string) => Object.fromEntries(readdirSync(dir).map((name) => [name, sha256(path.join(dir, name))]))

const at = (iso: string) => new Date(iso)

describe.each(['pglite', 'postgres'] as const)('backups on %s', (kind) => {
  const extension = kind === 'pglite' ? 'sql' : 'dump'
  const backups = newDir(`backups-${kind}`)
  let source: TestDatabase
  let sourceSums: Record<string, string>
  let file: string
  let restored: TestDatabase

  beforeAll(async () => {
    source = await freshDatabase(kind)
    sourceSums = await source.use(async (handle) => {
      await handle.migrate()
      await fill(handle.db)
      return checksums(handle.db)
    })
  })

  it('backs up the whole database with its manifest, and restores it into an empty one table for table', async () => {
    const result = await createBackup({ ...source.target, dir: backups, now: at('2030-01-01T02:00:00.123Z') })
    if (!result.created) throw new Error('expected a backup')
    file = result.backup.path
    expect(path.basename(file)).toBe(`tara-2030-01-01T02-00-00Z.${extension}`)
    expect(readdirSync(backups).sort()).toEqual(
      [`tara-2030-01-01T02-00-00Z.${extension}`, 'tara-2030-01-01T02-00-00Z.json'].sort(),
    )

    const manifest = readManifest(path.join(backups, 'tara-2030-01-01T02-00-00Z.json'))
    const tableNames = Object.keys(sourceSums).filter((k) => !k.startsWith('sequence '))
    expect(manifest).toMatchObject({
      file: path.basename(file),
      created: '2030-01-01T02:00:00.123Z',
      driver: kind === 'pglite' ? 'pglite' : 'node-postgres',
      format: kind === 'pglite' ? 'sql' : 'pg_dump-custom',
      migration: { tag: lastTag() },
      roles: ['app_rollup', 'app_user'],
      size: readFileSync(file).length,
      sha256: sha256(file),
      weekly: false,
    })
    expect(manifest.verified).toBeUndefined()
    expect(manifest.serverVersion).toMatch(kind === 'pglite' ? /^1[78]\./ : /^\d+\.\d+/)
    expect(Object.keys(manifest.tables)).toEqual([...tableNames].sort())
    expect(Object.entries(manifest.tables).map(([t, n]) => `${t} ${n}`)).toEqual(
      tableNames.sort().map((t) => `${t} ${sourceSums[t]!.split(' ')[0]}`),
    )
    expect(manifest.tables.fabrics).toBe(42)

    restored = await freshDatabase(kind)
    const outcome = await restoreBackup({ ...restored.target, file })
    expect(outcome.rows).toBe(manifest.rows)
    // A new PostgreSQL database (no objects at all) is loaded by pg_restore's parallel jobs.
    expect(outcome.method).toBe(kind === 'pglite' ? 'transaction' : 'parallel')
    expect(await restored.use((h) => checksums(h.db))).toEqual(sourceSums)
    // The job queue's own tables come back too, at the schema version the migrations made.
    expect(await restored.use((h) => rows(h.db, sql`select version from pgboss.version`))).toEqual([{ version: 24 }])
    expect(readManifest(path.join(backups, 'tara-2030-01-01T02-00-00Z.json')).verified).toEqual({
      at: expect.any(String),
      target: kind === 'pglite' ? `pglite:${restored.target.pgliteDir}` : withoutPassword(restored.target.url!),
    })
    expect((await listBackups(backups))[0]).toMatchObject({
      name: path.basename(file),
      weekly: false,
      verified: { target: outcome.target },
    })
  })

  it('restores into a database that is only migrated (no rows: empty), replacing its schema', async () => {
    const migrated = await freshDatabase(kind)
    await migrated.use((h) => h.migrate())
    expect(await restoreBackup({ ...migrated.target, file })).toMatchObject({ method: 'transaction' })
    expect(await migrated.use((h) => checksums(h.db))).toEqual(sourceSums)
  })

  it('refuses a database with rows unless forced; forced, it replaces everything in it', async () => {
    await restored.use((h) => h.db.insert(users).values({ email: 'added-later@example.com' }))
    const changed = await restored.use((h) => checksums(h.db))
    expect(changed).not.toEqual(sourceSums)
    await expect(restoreBackup({ ...restored.target, file })).rejects.toThrow(
      /is not empty \(\d+ rows in \d+ tables: .*\): restore into an empty database, or pass --force/,
    )
    expect(await restored.use((h) => checksums(h.db))).toEqual(changed)
    expect(await restoreBackup({ ...restored.target, file, force: true })).toMatchObject({ method: 'transaction' })
    expect(await restored.use((h) => checksums(h.db))).toEqual(sourceSums)
  })

  it('a truncated file fails its checksum; past the checksum, the restore fails and leaves the target as it was', async () => {
    const original = readManifest(path.join(backups, 'tara-2030-01-01T02-00-00Z.json'))
    const { verified: _verified, ...unverified } = original
    const bytes = readFileSync(file)
    /** `data` as a backup named after `iso`, with the original's manifest (its SHA-256 too, unless `matching`). */
    const copy = (iso: string, data: Uint8Array, matching: boolean) => {
      const copied = path.join(backups, `${backupStem(at(iso))}.${extension}`)
      writeFileSync(copied, data)
      const manifest = { ...unverified, file: path.basename(copied), ...(matching && { sha256: sha256(copied) }) }
      writeFileSync(path.join(backups, `${backupStem(at(iso))}.json`), JSON.stringify(manifest))
      return copied
    }
    // PGlite's SQL file is refused before it runs when pg_dump's closing line is missing.
    const failed = kind === 'pglite' ? /is incomplete \(pg_dump's closing line is missing\): it may be truncated/ : /rolled back/
    const empty = await freshDatabase(kind)
    const created = await empty.use((h) => objects(h.db))

    // The first half, with the original's manifest.
    const half = copy('2030-01-01T03:00:00Z', bytes.subarray(0, Math.floor(bytes.length / 2)), false)
    await expect(restoreBackup({ ...empty.target, file: half })).rejects.toThrow(
      'the file is not the one backed up (SHA-256 differs): it may be truncated or corrupt',
    )
    // Skipping the check (--skip-checksum), or a manifest that matches the cut file: the restore
    // itself fails, into an empty database and over a full one, which stay as they were.
    await expect(restoreBackup({ ...empty.target, file: half, checksum: false })).rejects.toThrow(failed)
    const halfMatching = copy('2030-01-01T03:00:01Z', bytes.subarray(0, Math.floor(bytes.length / 2)), true)
    await expect(restoreBackup({ ...empty.target, file: halfMatching })).rejects.toThrow(failed)
    await expect(restoreBackup({ ...restored.target, file: halfMatching, force: true })).rejects.toThrow(failed)

    // Garbage in the middle, the end intact: the restore starts, fails half-way and is rolled back.
    // The custom format is compressed: any overwritten bytes break it. In SQL, a line that is
    // neither a statement nor a row of the COPY it may land in (overwritten bytes could land
    // inside a text value and still load).
    const mid = Math.floor(bytes.length / 2)
    const lineStart = bytes.indexOf(0x0a, mid) + 1
    const garbled =
      kind === 'pglite'
        ? Buffer.concat([bytes.subarray(0, lineStart), Buffer.from('THIS IS NOT A ROW NOR SQL;\n'), bytes.subarray(lineStart)])
        : Buffer.from(bytes).fill('x', mid, mid + 64)
    const middle = copy('2030-01-01T03:00:02Z', garbled, true)
    const rolledBack = /^The restore failed and was rolled back \(the target is as it was\): ./
    await expect(restoreBackup({ ...empty.target, file: middle })).rejects.toThrow(rolledBack)
    await expect(restoreBackup({ ...restored.target, file: middle, force: true })).rejects.toThrow(rolledBack)

    expect(await empty.use((h) => checksums(h.db))).toEqual({})
    // On PostgreSQL, restored in parallel (not one transaction): what they made was dropped again.
    expect(await empty.use((h) => objects(h.db))).toEqual(created)
    expect(await restored.use((h) => checksums(h.db))).toEqual(sourceSums)
    expect((await listBackups(backups)).filter((b) => b.verified).map((b) => b.name)).toEqual([path.basename(file)])
  })

  it('a whole file whose manifest counts differ is rolled back by the count check', async () => {
    const original = readManifest(path.join(backups, 'tara-2030-01-01T02-00-00Z.json'))
    const copy = path.join(backups, `tara-2030-01-01T04-00-00Z.${extension}`)
    writeFileSync(copy, readFileSync(file))
    writeFileSync(
      path.join(backups, 'tara-2030-01-01T04-00-00Z.json'),
      JSON.stringify({ ...original, file: path.basename(copy), tables: { ...original.tables, users: 1 } }),
    )
    await expect(restoreBackup({ ...restored.target, file: copy, force: true })).rejects.toThrow(
      /the restored row counts differ from the manifest: users has \d+ rows, the manifest says 1;/,
    )
    expect(await restored.use((h) => checksums(h.db))).toEqual(sourceSums)
    // Into a new database (on PostgreSQL loaded in parallel, then counted): all of it dropped again.
    const fresh = await freshDatabase(kind)
    const created = await fresh.use((h) => objects(h.db))
    await expect(restoreBackup({ ...fresh.target, file: copy })).rejects.toThrow(
      new RegExp(
        String.raw`^The restore failed and was rolled back \(the target is as it was\): ` +
          String.raw`the restored row counts differ from the manifest: users has \d+ rows, the manifest says 1;`,
      ),
    )
    expect(await fresh.use((h) => objects(h.db))).toEqual(created)
  })

  if (kind === 'postgres') {
    it('a parallel restore stopped half-way (interrupted, or its session ended) drops what it made', async () => {
      for (const stop of ['interrupt', 'end its session'] as const) {
        const fresh = await freshDatabase(kind)
        const created = await fresh.use((h) => objects(h.db))
        const blocker = new pg.Client({ connectionString: fresh.target.url })
        const watcher = new pg.Client({ connectionString: fresh.target.url })
        await blocker.connect()
        await watcher.connect()
        try {
          // Holds pg_restore near its end: with the tables loaded and indexed, its GRANT on schema public
          // waits for this transaction's (no-op) one to end, which is rolled back below.
          await blocker.query('begin')
          await blocker.query('grant usage on schema public to public')
          const controller = new AbortController()
          const restoring = restoreBackup({ ...fresh.target, file, signal: controller.signal })
          restoring.catch(() => {}) // awaited below
          let waiting: number | undefined
          for (let tries = 0; waiting === undefined && tries < 1000; tries++) {
            const { rows: found } = await watcher.query<{ pid: number }>(
              `select pid from pg_stat_activity where datname = current_database()
                 and application_name like 'tara-restore-%' and wait_event_type = 'Lock'`,
            )
            if (found[0]) waiting = found[0].pid
            else await new Promise((resolve) => setTimeout(resolve, 20))
          }
          expect(waiting).toBeDefined()
          const { rows: made } = await watcher.query<{ n: number }>('select count(*)::int as n from public.fabrics')
          expect(made[0]!.n).toBe(42)
          if (stop === 'interrupt') controller.abort('SIGINT')
          else await watcher.query('select pg_terminate_backend($1)', [waiting])
          await blocker.query('rollback')
          await expect(restoring).rejects.toThrow(
            stop === 'interrupt'
              ? /^The restore failed and was rolled back \(the target is as it was\): interrupted \(SIGINT\)$/
              : /^The restore failed and was rolled back \(the target is as it was\): .*terminating connection/,
          )
        } finally {
          await blocker.end()
          await watcher.end()
        }
        expect(await fresh.use((h) => objects(h.db))).toEqual(created)
        expect(await fresh.use((h) => checksums(h.db))).toEqual({})
      }
    })
  }

  if (kind === 'pglite') {
    it('backs up the instance the running app has open, mid-transaction, with what is committed', async () => {
      const dir = newDir('live')
      await source.use(async (handle) => {
        const client = (handle.db as unknown as { $client: PGlite }).$client
        let inserted!: () => void
        let commit!: () => void
        const insertedRow = new Promise<void>((resolve) => (inserted = resolve))
        const committing = new Promise<void>((resolve) => (commit = resolve))
        const open = handle.db.transaction(async (tx) => {
          await tx.insert(users).values({ email: 'not-yet-committed@example.com' })
          inserted()
          await committing
        })
        await insertedRow
        try {
          await createBackup({ pglite: client, dir, now: at('2030-01-01T05:00:00Z') })
        } finally {
          commit()
          await open
        }
        // The app's instance goes on as before; the row leaves again so that the source stays as it was.
        expect(await handle.db.$count(users, eq(users.email, 'not-yet-committed@example.com'))).toBe(1)
        await handle.db.delete(users).where(eq(users.email, 'not-yet-committed@example.com'))
      })
      const copy = await freshDatabase(kind)
      await restoreBackup({ ...copy.target, file: path.join(dir, 'tara-2030-01-01T05-00-00Z.sql') })
      expect(await copy.use((h) => checksums(h.db))).toEqual(sourceSums)
    })
  }

  it('a full disk fails with the directory and the cause, leaving no partial file and the older backups as they were', async () => {
    const dir = newDir(`full-${kind}`)
    await createBackup({ ...source.target, dir, now: at('2030-01-02T00:00:00Z') })
    const before = contents(dir)
    // The temporary file the next backup writes is /dev/full: every write fails with ENOSPC.
    const now = at('2030-01-03T00:00:00Z')
    const temp = path.join(dir, `.${backupStem(now)}.${extension}.partial`)
    symlinkSync('/dev/full', temp)
    await expect(createBackup({ ...source.target, dir, now, keep: 1 })).rejects.toThrow(
      `Cannot write the backup to ${dir}: the disk is full (ENOSPC).`,
    )
    expect(contents(dir)).toEqual(before)
    expect((await listBackups(dir)).map((b) => b.name)).toEqual([`tara-2030-01-02T00-00-00Z.${extension}`])
  })
})

describe('keeping backups on PostgreSQL', () => {
  let source: TestDatabase
  beforeAll(async () => {
    source = await freshDatabase('postgres')
    await source.use(async (h) => {
      await h.migrate()
      await h.db.insert(users).values({ email: 'keeper@example.com', name: 'Keeper' })
    })
  })

  it('keeps the newest BACKUP_KEEP backups and their manifests, and the weekly ones apart', async () => {
    const dir = newDir('keep')
    const { keep, keepWeekly } = backupSettings({ BACKUP_KEEP: '2', BACKUP_KEEP_WEEKLY: '1' })
    const backup = (iso: string, weekly = false) =>
      createBackup({ ...source.target, dir, now: at(iso), weekly, keep, keepWeekly })
    await backup('2030-02-01T00:00:00Z', true)
    await backup('2030-02-01T01:00:00Z')
    await backup('2030-02-01T02:00:00Z')
    const third = await backup('2030-02-01T03:00:00Z')
    expect(third.created && third.pruned.map((b) => b.name)).toEqual(['tara-2030-02-01T01-00-00Z.dump'])
    expect(readdirSync(dir).sort()).toEqual([
      'tara-2030-02-01T00-00-00Z.dump',
      'tara-2030-02-01T00-00-00Z.json',
      'tara-2030-02-01T02-00-00Z.dump',
      'tara-2030-02-01T02-00-00Z.json',
      'tara-2030-02-01T03-00-00Z.dump',
      'tara-2030-02-01T03-00-00Z.json',
    ])
    const listed = await listBackups(dir)
    expect(listed.map((b) => [b.name, b.weekly])).toEqual([
      ['tara-2030-02-01T03-00-00Z.dump', false],
      ['tara-2030-02-01T02-00-00Z.dump', false],
      ['tara-2030-02-01T00-00-00Z.dump', true],
    ])
    expect(listed[0]).toEqual({
      name: 'tara-2030-02-01T03-00-00Z.dump',
      path: path.join(dir, 'tara-2030-02-01T03-00-00Z.dump'),
      manifestPath: path.join(dir, 'tara-2030-02-01T03-00-00Z.json'),
      size: readFileSync(path.join(dir, 'tara-2030-02-01T03-00-00Z.dump')).length,
      created: at('2030-02-01T03:00:00Z'),
      weekly: false,
      driver: 'node-postgres',
    })
    // A second weekly one replaces the first (BACKUP_KEEP_WEEKLY=1); the ordinary ones stay.
    await backup('2030-02-08T00:00:00Z', true)
    expect((await listBackups(dir)).map((b) => b.name)).toEqual([
      'tara-2030-02-08T00-00-00Z.dump',
      'tara-2030-02-01T03-00-00Z.dump',
      'tara-2030-02-01T02-00-00Z.dump',
    ])
  })

  it('--if-older-than does nothing while the newest backup is younger', async () => {
    const dir = newDir('if-older')
    const day = parseDuration('24h')!
    const first = await createBackup({ ...source.target, dir, now: at('2030-03-01T00:00:00Z'), ifOlderThan: day })
    expect(first.created).toBe(true)
    const before = contents(dir)
    const second = await createBackup({ ...source.target, dir, now: at('2030-03-01T00:00:01Z'), ifOlderThan: day })
    expect(second).toMatchObject({ created: false, reason: 'the newest backup, tara-2030-03-01T00-00-00Z.dump, is 1 s old' })
    expect(contents(dir)).toEqual(before)
    // A weekly one looks only at weekly ones; a day after the newest of any kind, an ordinary one is due again.
    const weekly = await createBackup({
      ...source.target,
      dir,
      now: at('2030-03-01T00:00:02Z'),
      ifOlderThan: 7 * day,
      weekly: true,
    })
    expect(weekly.created).toBe(true)
    expect(await createBackup({ ...source.target, dir, now: at('2030-03-02T00:00:01Z'), ifOlderThan: day })).toMatchObject({
      created: false,
      reason: 'the newest backup, tara-2030-03-01T00-00-02Z.dump, is 24 h old',
    })
    const later = await createBackup({ ...source.target, dir, now: at('2030-03-02T00:00:02Z'), ifOlderThan: day })
    expect(later.created).toBe(true)
  })

  it('a backup directory that cannot be made fails with the directory and the cause', async () => {
    const parent = path.join(newDir('not-a-dir'), 'a-file')
    writeFileSync(parent, 'not a directory')
    const dir = path.join(parent, 'backups')
    await expect(createBackup({ ...source.target, dir })).rejects.toThrow(
      `Cannot write the backup to ${dir}: a part of the path is not a directory (ENOTDIR).`,
    )
  })
})

describe('pg_dump versions, Neon URLs and settings', () => {
  it('refuses a pg_dump older than the server, naming both versions and the fix', () => {
    const problem = pgDumpVersionProblem('pg_dump (PostgreSQL) 14.9 (Ubuntu 14.9-0ubuntu0.22.04.1)', '150004')
    expect(problem).toMatch(/^pg_dump 14 is older than the database server \(PostgreSQL 15\): pg_dump must be version 15 or newer\./)
    expect(problem).toMatch(/apt-get install postgresql-client-15/)
    expect(pgDumpVersionProblem('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)', 150004)).toBeNull()
    expect(pgDumpVersionProblem('pg_dump (PostgreSQL) 17.2', 150004)).toBeNull()
    expect(pgDumpVersionProblem('pg_dump (PostgreSQL) 16.4', 170000)).toMatch(/pg_dump 16 is older .* PostgreSQL 17/)
    expect(clientMajor('pg_dump (PostgreSQL) 9.6.24')).toBe(9.6)
    expect(serverMajor(90624)).toBe(9.6)
    expect(serverMajor('180006')).toBe(18)
  })

  it('dumps Neon through its direct host, and never shows a password', () => {
    const pooled = 'postgresql://shop:p%40ss-w0rd@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require'
    expect(directUrl(pooled)).toBe('postgresql://shop:p%40ss-w0rd@ep-cool-1234.eu-central-1.aws.neon.tech/neondb?sslmode=require')
    expect(directUrl('postgresql://shop@ep-cool-1234.eu-central-1.aws.neon.tech/neondb')).toBe(
      'postgresql://shop@ep-cool-1234.eu-central-1.aws.neon.tech/neondb',
    )
    expect(directUrl('postgres://u@db-pooler.example.com/shop')).toBe('postgres://u@db-pooler.example.com/shop')
    expect(withoutPassword(pooled)).toBe('postgresql://shop@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require')
  })

  it('reads BACKUP_DIR, BACKUP_KEEP and BACKUP_KEEP_WEEKLY, and durations', () => {
    expect(backupSettings({})).toEqual({ dir: './backups', keep: 14, keepWeekly: 8 })
    expect(backupSettings({ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: '2', BACKUP_KEEP_WEEKLY: '' })).toEqual({
      dir: '/srv/backups',
      keep: 2,
      keepWeekly: 8,
    })
    expect(() => backupSettings({ BACKUP_KEEP: 'lots' })).toThrow(EnvError)
    expect(() => backupSettings({ BACKUP_KEEP: '0' })).toThrow(/Invalid environment: BACKUP_KEEP/)
    expect([parseDuration('30m'), parseDuration('24h'), parseDuration('7d')]).toEqual([1_800_000, 86_400_000, 604_800_000])
    expect(parseDuration('soon')).toBeUndefined()
  })
})

describe('npm run db:backup and db:restore on PostgreSQL', { timeout: 240_000 }, () => {
  // Trust authentication ignores the password, so it can be in the URL and must appear nowhere.
  const PASSWORD = 'not-on-the-command-line-7f3a'
  const withPassword = (url: string) => {
    const parsed = new URL(url)
    parsed.password = PASSWORD
    return parsed.toString()
  }
  let source: TestDatabase
  let dir: string

  async function run(script: string, env: Record<string, string>, args: string[] = [], as?: { uid: number; gid: number }) {
    const command = as ? [process.execPath, '--import', 'tsx', script, ...args] : ['npx', 'tsx', script, ...args]
    const result = await runToEnd(
      command,
      {
        ...process.env,
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        SMTP_URL: 'smtp://127.0.0.1:1',
        ...(as && { HOME: tmpdir() }),
        ...env,
      },
      as,
    )
    expect(result.output).not.toContain(PASSWORD)
    return result
  }

  beforeAll(async () => {
    source = await freshDatabase('postgres')
    await source.use(async (h) => {
      await h.migrate()
      await fill(h.db)
    })
    dir = newDir('scripts')
  })

  it('backs up once, skips a second run with --if-older-than, restores into an empty database and refuses a full one', async () => {
    const env = { DATABASE_URL: withPassword(source.target.url!), BACKUP_DIR: dir, BACKUP_KEEP: '2' }
    const backup = await run('scripts/db-backup.ts', env, ['--if-older-than', '24h'])
    expect(backup).toMatchObject({ status: 0 })
    expect(backup.output.trim().split('\n')).toHaveLength(1)
    expect(backup.output.trim()).toMatch(
      new RegExp(
        `^Backed up the node-postgres database to ${dir}/tara-[\\dT-]+Z\\.dump \\([\\d.]+ KB\\) in [\\d.]+ s: ` +
          '\\d+ tables, \\d+ rows \\(analytics \\d+, .*\\)\\.$',
      ),
    )
    const file = /to (\S+\.dump)/.exec(backup.output)![1]!

    const again = await run('scripts/db-backup.ts', env, ['--if-older-than', '24h'])
    expect(again.status).toBe(0)
    expect(again.output.trim()).toMatch(/^No backup made: the newest backup, tara-[\dT-]+Z\.dump, is \d+ s old, younger than 24h\.$/)
    expect((await listBackups(dir)).map((b) => b.path)).toEqual([file])

    const target = await freshDatabase('postgres')
    const restoreEnv = { DATABASE_URL: withPassword(target.target.url!) }
    const restore = await run('scripts/db-restore.ts', restoreEnv, [file])
    expect(restore.status).toBe(0)
    expect(restore.output.trim().split('\n')).toHaveLength(1)
    expect(restore.output.trim()).toMatch(
      new RegExp(
        `^Restored ${file} \\(node-postgres, [\\dT:.-]+Z, migration ${lastTag()}\\) into ${withoutPassword(target.target.url!)} ` +
          'in [\\d.]+ s: \\d+ tables, \\d+ rows \\(.*\\), every count as in the manifest\\.$',
      ),
    )
    expect(await target.use((h) => checksums(h.db))).toEqual(await source.use((h) => checksums(h.db)))

    const refused = await run('scripts/db-restore.ts', restoreEnv, [file])
    expect(refused.status).toBe(1)
    expect(refused.output.trim()).toMatch(/^The target database \S+ is not empty .*pass --force to replace everything in it\.$/)
    expect((await run('scripts/db-restore.ts', restoreEnv, [])).output).toMatch(/Name one backup file to restore\.\nUsage: npm run db:restore/)
  })

  it('a read-only backup directory fails with one line naming it, leaving the older backups as they were', async () => {
    // Root may write anywhere, so the script runs as nobody when the tests run as root.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined
    chmodSync(dir, 0o555)
    try {
      const before = contents(dir)
      const env = { DATABASE_URL: withPassword(source.target.url!), BACKUP_DIR: dir }
      const result = await run('scripts/db-backup.ts', env, [], as)
      expect(result.status).toBe(1)
      expect(result.output.trim()).toBe(`Cannot write the backup to ${dir}: permission denied (EACCES).`)
      expect(contents(dir)).toEqual(before)
    } finally {
      chmodSync(dir, 0o755)
    }
  })

  it('a database that does not answer fails with one line, without the password', async () => {
    const url = withPassword(source.target.url!.replace(/\/[^/]+$/, '/tara_no_such_database'))
    const result = await run('scripts/db-backup.ts', { DATABASE_URL: url, BACKUP_DIR: newDir('unreachable') })
    expect(result.status).toBe(1)
    expect(result.output.trim()).toMatch(/^Cannot reach postgres:\/\/postgres@[^ ]+\/tara_no_such_database: .*does not exist$/)
  })
})
