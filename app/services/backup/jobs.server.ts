// Backups as the app, the scripts and the admin page take them: the backup itself
// (create.server.ts) and, with BACKUP_S3_URL, its off-site copy (s3.server.ts), with the settings
// read from the environment (env.server.ts).
//
//   runBackup({ weekly, ifOlderThan })  → createBackup's result, and where its copy went
//   fetchBackup(fileOrS3Url)            → a local data file (downloaded with its manifest from S3)
//   backupsPage(), backupNow(), backupFile(name) → the admin page's list, button and downloads
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { currentDatabase, driverFor } from '../db.server'
import { env, parseEnv } from '../env.server'
import { createBackup, type CreateBackupResult } from './create.server'
import { BackupError } from './errors.server'
import { listBackups, manifestPathFor } from './manifest.server'
import { downloadFromS3, uploadToS3 } from './s3.server'
import { parseS3Url, s3Location, type S3Target } from './s3-url'
import { formatSize, shortPath } from './text.server'

export interface BackupSettings {
  /** Where backups go (BACKUP_DIR, default ./backups). */
  dir: string
  /** How many ordinary backups to keep (BACKUP_KEEP, default 14). */
  keep: number
  /** How many weekly ones to keep besides (BACKUP_KEEP_WEEKLY, default 8). */
  keepWeekly: number
}

/**
 * BACKUP_DIR, BACKUP_KEEP and BACKUP_KEEP_WEEKLY of the environment, or of `source` read as the
 * environment is (it throws EnvError naming a bad one).
 */
export function backupSettings(source?: Record<string, string | undefined>): BackupSettings {
  const { BACKUP_DIR, BACKUP_KEEP, BACKUP_KEEP_WEEKLY } = source ? parseEnv(source) : env()
  return { dir: BACKUP_DIR, keep: BACKUP_KEEP, keepWeekly: BACKUP_KEEP_WEEKLY }
}

/** BACKUP_S3_URL as bucket, prefix, endpoint and region; null when it is unset. */
function offsiteTarget(): S3Target | null {
  const { BACKUP_S3_URL, AWS_REGION } = env()
  return BACKUP_S3_URL ? { ...BACKUP_S3_URL, region: AWS_REGION } : null
}

/** Weekly exports go under `weekly/` beside the daily ones. */
const offsiteFolder = (target: S3Target, weekly: boolean): S3Target =>
  weekly ? { ...target, prefix: `${target.prefix}weekly/` } : target

export type RunBackupResult = CreateBackupResult & { offsite?: string }

/**
 * Backs up the app's database into BACKUP_DIR (keeping BACKUP_KEEP), then copies the file and
 * its manifest to BACKUP_S3_URL when it is set. A failed copy is an error that says the local
 * backup is there.
 */
export async function runBackup({
  weekly = false,
  ifOlderThan,
  pglite,
}: {
  weekly?: boolean
  ifOlderThan?: number
  /** The embedded database as the running app has it open (the admin page). */
  pglite?: PGlite
} = {}): Promise<RunBackupResult> {
  const settings = backupSettings()
  const target = offsiteTarget()
  const { DATABASE_URL, PGLITE_DIR } = env()
  const result = await createBackup({
    url: DATABASE_URL,
    pgliteDir: PGLITE_DIR,
    pglite,
    dir: settings.dir,
    keep: settings.keep,
    keepWeekly: settings.keepWeekly,
    weekly,
    ifOlderThan,
  })
  if (!result.created || !target) return result
  const folder = offsiteFolder(target, weekly)
  try {
    await uploadToS3(folder, result.backup.path, result.backup.name)
    await uploadToS3(folder, result.backup.manifestPath, path.basename(result.backup.manifestPath))
  } catch (error) {
    throw new BackupError(
      `The backup ${result.backup.name} is in ${settings.dir}, but copying it to ${s3Location(folder, '')} failed: ${(error as Error).message}`,
    )
  }
  return { ...result, offsite: s3Location(folder, result.backup.name) }
}

/**
 * The data file to restore: a local path as is, or `s3://bucket/prefix/name` downloaded (with its
 * manifest) into a temporary directory; `cleanup` removes that directory. An S3 address without
 * `?endpoint=` uses BACKUP_S3_URL's endpoint.
 */
export async function fetchBackup(spec: string): Promise<{ file: string; cleanup: () => void }> {
  if (!spec.startsWith('s3://')) return { file: spec, cleanup: () => undefined }
  const parsed = parseS3Url(spec)
  if (parsed instanceof Error) throw new BackupError(parsed.message)
  const parts = parsed.prefix.replace(/\/$/, '').split('/')
  const name = parts.pop() ?? ''
  if (!/\.(dump|sql)$/.test(name)) throw new BackupError(`${spec} does not name a backup file (….dump or ….sql)`)
  const folder: S3Target = {
    bucket: parsed.bucket,
    prefix: parts.length ? `${parts.join('/')}/` : '',
    endpoint: parsed.endpoint ?? offsiteTarget()?.endpoint,
    region: env().AWS_REGION,
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tara-restore-'))
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    const file = path.join(dir, name)
    await downloadFromS3(folder, name, file)
    await downloadFromS3(folder, path.basename(manifestPathFor(file)), manifestPathFor(file))
    return { file, cleanup }
  } catch (error) {
    cleanup()
    throw new BackupError(`Cannot fetch ${s3Location(folder, name)}: ${(error as Error).message}`)
  }
}

// ---------------------------------------------------------------------------------------------
// The admin page (/admin/backups)

/** The backups as the page lists them (dates as ISO text, sizes in words), and the settings. */
export async function backupsPage() {
  const settings = backupSettings()
  const target = offsiteTarget()
  const backups = await listBackups(settings.dir)
  const { DATABASE_URL, PGLITE_DIR } = env()
  return {
    dir: shortPath(path.resolve(settings.dir)),
    keep: settings.keep,
    offsite: target ? s3Location(target, '') : null,
    // Which kind of database, so that the page says how this shop can back up by hand: the
    // embedded one (PGlite) is open in the app, and db:backup refuses while it is.
    driver: driverFor(DATABASE_URL),
    pgliteDir: shortPath(path.resolve(PGLITE_DIR)),
    /** The app's folder: where `npm run db:backup` runs. */
    appDir: process.cwd(),
    now: new Date().toISOString(),
    backups: backups.map((b) => ({
      name: b.name,
      created: b.created.toISOString(),
      size: formatSize(b.size),
      weekly: b.weekly,
      verified: b.verified ? { at: b.verified.at.toISOString() } : null,
    })),
  }
}

/**
 * A backup by the running app (the page's button, the scheduled job): the embedded database
 * through the instance this app has open.
 */
export function appBackup(options: { weekly?: boolean; ifOlderThan?: number } = {}): Promise<RunBackupResult> {
  return runBackup({ ...options, pglite: currentDatabase().pglite })
}

/** "Back up now" on the page: one line for the flash, or the problem. */
export async function backupNow(): Promise<{ ok: true; message: string } | { ok: false; problem: string }> {
  try {
    const result = await appBackup()
    if (!result.created) return { ok: false, problem: result.reason }
    const copy = result.offsite ? `, copied to ${result.offsite}` : ''
    return { ok: true, message: `Backed up: ${result.backup.name} (${formatSize(result.backup.size)})${copy}.` }
  } catch (error) {
    if (error instanceof BackupError) return { ok: false, problem: error.message }
    throw error
  }
}

/** A backup's data file by its name, if it is one of the listed backups. */
export async function backupFile(name: string): Promise<{ path: string; size: number } | null> {
  const found = (await listBackups(backupSettings().dir)).find((b) => b.name === name)
  return found ? { path: found.path, size: found.size } : null
}
