// Backups as the app, the scripts and the admin page take them: the backup itself
// (backup.server.ts) and, with BACKUP_S3_URL, its off-site copy (backup-s3.server.ts).
//
//   runBackup({ weekly, ifOlderThan })  → createBackup's result, and where its copy went
//   fetchBackup(fileOrS3Url)            → a local data file (downloaded with its manifest from S3)
//   offsiteTarget()                     → the parsed BACKUP_S3_URL, or null
//   backupsPage(), backupNow(), backupFile(name) → the admin page's list, button and downloads
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { downloadFromS3, parseS3Url, s3Location, uploadToS3, type S3Target } from './backup-s3.server'
import {
  BackupError,
  backupSettings,
  createBackup,
  formatSize,
  listBackups,
  manifestPathFor,
  shortPath,
  type CreateBackupResult,
} from './backup.server'
import { currentDatabase } from './db.server'
import { env } from './env.server'

/** BACKUP_S3_URL as bucket, prefix and endpoint; null when it is unset. */
export function offsiteTarget(): S3Target | null {
  const text = process.env.BACKUP_S3_URL
  if (!text) return null
  const target = parseS3Url(text)
  if (target instanceof Error) throw new BackupError(target.message)
  return target
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
  return {
    dir: shortPath(path.resolve(settings.dir)),
    keep: settings.keep,
    offsite: target ? s3Location(target, '') : null,
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

/** "Back up now" on the page: one line for the flash, or the problem. */
export async function backupNow(): Promise<{ ok: true; message: string } | { ok: false; problem: string }> {
  try {
    const result = await runBackup({ pglite: currentDatabase().pglite })
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
