// Making a backup: pg_dump -Fc of PostgreSQL and Neon (from the snapshot its row counts are read
// in), pglite-tools' pg_dump of the embedded database, then the manifest, then retention.
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { pgDump } from '@electric-sql/pglite-tools/pg_dump'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { createDatabase, driverFor, rows, type Database } from '../db.server'
import { databaseFacts, openPglite, tableRowCounts, unreachable, type DatabaseTarget, type Facts } from './database.server'
import { BackupError, errnoCode, FileSystemFailure, writeFailure } from './errors.server'
import { ensureWritableDirectory, sha256File, syncDirectory, writeDurably } from './files.server'
import {
  backupStem,
  listBackups,
  pruneBackups,
  sameCounts,
  sum,
  type BackupInfo,
  type BackupManifest,
} from './manifest.server'
import {
  directUrl,
  DUMP_COMPLETE,
  finished,
  libpq,
  oneLine,
  pgDumpVersionProblem,
  STRERROR_CODES,
  toolVersion,
} from './pg-tools.server'
import { formatAge } from './text.server'

export interface CreateBackupOptions extends DatabaseTarget {
  /**
   * The embedded database as the running app has it open (the admin page): backed up from a copy,
   * instead of opening `pgliteDir`, which one process at a time may have open.
   */
  pglite?: PGlite
  /** Where backups go (BACKUP_DIR). */
  dir: string
  /** A weekly backup: kept apart from the ordinary ones (`--weekly`). */
  weekly?: boolean
  /** Ordinary backups to keep (BACKUP_KEEP); older ones are deleted after this one is complete. */
  keep?: number
  /** Weekly backups to keep (BACKUP_KEEP_WEEKLY). */
  keepWeekly?: number
  /** Milliseconds: do nothing when the newest backup (the newest weekly one, for a weekly) is younger. */
  ifOlderThan?: number
  /** The backup's time (tests); now by default. */
  now?: Date
}

export type CreateBackupResult =
  | { created: true; backup: BackupInfo; manifest: BackupManifest; pruned: BackupInfo[] }
  | { created: false; reason: string; newest: BackupInfo }

interface Dumped extends Facts {
  dumpedBy: string
}

/** pg_dump -Fc of a PostgreSQL / Neon database into `file`, from the snapshot its facts were read in. */
async function dumpPostgres(url: string, file: string): Promise<Dumped> {
  const connection = libpq(url)
  const dumpedBy = await toolVersion('pg_dump')
  const handle = createDatabase({ url: directUrl(url), driver: 'node-postgres', poolMax: 1, owner: true })
  try {
    return await handle.db.transaction(
      async (tx) => {
        const facts = await databaseFacts(tx)
        const problem = pgDumpVersionProblem(dumpedBy, facts.serverVersionNum)
        if (problem) throw new BackupError(problem)
        // pg_dump reads the very snapshot the row counts come from: the manifest matches the file.
        const [snapshot] = await rows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`)
        const child = spawn(
          'pg_dump',
          [
            '--format=custom',
            '--no-password',
            '--lock-wait-timeout=30000',
            `--snapshot=${snapshot!.id}`,
            `--file=${file}`,
            `--dbname=${connection.dbname}`,
          ],
          { env: connection.env, stdio: ['ignore', 'ignore', 'pipe'] },
        )
        const result = await finished(child)
        if (result.code !== 0) {
          const message = connection.scrub(oneLine(result.stderr))
          const output = /could not (?:open|write to|close|fsync) (?:output |archive )?file.*?: (.+)$/im.exec(result.stderr)
          const code = output && STRERROR_CODES.find(([pattern]) => pattern.test(output[1]!))?.[1]
          if (code) throw new FileSystemFailure(code, message)
          throw new BackupError(`pg_dump failed: ${message}`)
        }
        return { ...facts, dumpedBy }
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    )
  } finally {
    await handle.close()
  }
}

/**
 * pglite-tools' pg_dump of the embedded database, as SQL, into `file`: of the directory, which
 * nothing else may have open, or of a copy of the instance the running app has open. The copy
 * (PGlite's clone(): its files as they are between two statements, then recovered) holds what was
 * committed, and pg_dump on it cannot interleave with the app's own queries on one connection.
 */
async function dumpPglite(source: { dir: string } | { pglite: PGlite }, file: string): Promise<Dumped> {
  const pg = 'pglite' in source ? ((await source.pglite.clone()) as PGlite) : await openPglite(source.dir, { create: false })
  try {
    const db = drizzlePglite(pg) as unknown as Database
    const facts = await databaseFacts(db)
    const text = await (await pgDump({ pg, args: ['--no-owner'] })).text()
    if (!DUMP_COMPLETE.test(text)) {
      throw new BackupError(`pglite-tools' pg_dump gave an incomplete dump (${text.length} characters).`)
    }
    // Nothing else has this instance open, so this is a formality.
    if (!sameCounts(await tableRowCounts(db), facts.tables)) {
      throw new BackupError('The database changed while it was being backed up: try again.')
    }
    await writeDurably(file, text)
    const version = /Dumped by pg_dump version (\S+)/.exec(text)?.[1] ?? 'unknown'
    return { ...facts, dumpedBy: `pg_dump ${version} (@electric-sql/pglite-tools)` }
  } finally {
    await pg.close()
  }
}

/**
 * A stem no other backup uses (two in one second get -2, -3, …), claimed by creating its hidden
 * manifest file: a backup running at the same moment takes the next one. Also the first write into
 * `dir`, so that a directory we may not write into fails here, with its own cause.
 */
async function claimStem(dir: string, when: Date): Promise<string> {
  const names = new Set(await fs.readdir(dir))
  const base = backupStem(when)
  for (let n = 1; ; n++) {
    const stem = n === 1 ? base : `${base}-${n}`
    if (['.dump', '.sql', '.json'].some((ext) => names.has(`${stem}${ext}`))) continue
    try {
      await (await fs.open(path.join(dir, `.${stem}.json.partial`), 'wx', 0o600)).close()
      return stem
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error
    }
  }
}

/**
 * Backs up the whole database to `<dir>/tara-<time>.dump` (PostgreSQL) or `.sql` (PGlite) with its
 * manifest, then deletes the backups beyond `keep` / `keepWeekly`. A failure leaves no file
 * behind and the older backups as they were.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreateBackupResult> {
  const started = performance.now()
  const dir = path.resolve(options.dir)
  const now = options.now ?? new Date()
  const weekly = options.weekly ?? false
  const driver = driverFor(options.url)
  await ensureWritableDirectory(dir)

  if (options.ifOlderThan !== undefined) {
    const newest = (await listBackups(dir)).find((b) => !weekly || b.weekly)
    const age = newest ? now.getTime() - newest.created.getTime() : Infinity
    if (newest && age < options.ifOlderThan) {
      const reason = `the newest${weekly ? ' weekly' : ''} backup, ${newest.name}, is ${formatAge(age)} old`
      return { created: false, reason, newest }
    }
  }

  const extension = driver === 'pglite' ? 'sql' : 'dump'
  // Hidden, and not named like a backup: a failure may leave nothing that looks like one.
  const temp = (stem: string) => ({
    data: path.join(dir, `.${stem}.${extension}.partial`),
    manifest: path.join(dir, `.${stem}.json.partial`),
  })
  let claimed: string | undefined
  let manifest: BackupManifest
  try {
    claimed = await claimStem(dir, now)
    const { data: tempPath, manifest: manifestTemp } = temp(claimed)
    // Made here so that pg_dump writes into a file only its owner may read: backups hold emails.
    await (await fs.open(tempPath, 'w', 0o600)).close()
    const dumped =
      driver === 'pglite'
        ? await dumpPglite(
            options.pglite ? { pglite: options.pglite } : { dir: path.resolve(options.pgliteDir ?? './data/pglite') },
            tempPath,
          )
        : await dumpPostgres(options.url!, tempPath)
    const { sha256, size } = await sha256File(tempPath)
    manifest = {
      version: 1,
      file: `${claimed}.${extension}`,
      created: now.toISOString(),
      driver,
      format: driver === 'pglite' ? 'sql' : 'pg_dump-custom',
      serverVersion: dumped.serverVersion,
      dumpedBy: dumped.dumpedBy,
      migration: dumped.migration,
      tables: dumped.tables,
      rows: sum(dumped.tables),
      roles: dumped.roles,
      size,
      sha256,
      weekly,
      durationMs: Math.round(performance.now() - started),
    }
    // The data file gets its name once complete, the manifest (which makes it a backup) last.
    await writeDurably(manifestTemp, `${JSON.stringify(manifest, null, 2)}\n`)
    await fs.rename(tempPath, path.join(dir, manifest.file))
    await fs.rename(manifestTemp, path.join(dir, `${claimed}.json`))
    await syncDirectory(dir)
  } catch (error) {
    if (claimed) await Promise.all(Object.values(temp(claimed)).map((file) => fs.rm(file, { force: true })))
    throw writeFailure(error, dir) ?? unreachable(error, options) ?? error
  }
  const name = manifest.file
  const finalPath = path.join(dir, name)
  const manifestPath = path.join(dir, `${claimed}.json`)
  const pruned = await pruneBackups({ dir, keep: options.keep ?? 14, keepWeekly: options.keepWeekly ?? 8, except: name })
  const backup: BackupInfo = {
    name,
    path: finalPath,
    manifestPath,
    size: manifest.size,
    created: now,
    weekly,
    driver,
  }
  return { created: true, backup, manifest, pruned }
}
