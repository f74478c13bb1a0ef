// A backup is two files in BACKUP_DIR that share a name:
//   tara-2026-11-27T21-48-18Z.dump  pg_dump's custom format (PostgreSQL, Neon), or
//   tara-2026-11-27T21-48-18Z.sql   pglite-tools' pg_dump as SQL (the embedded database)
//   tara-2026-11-27T21-48-18Z.json  the manifest: what was backed up, its SHA-256, row counts
// The data file is written under a hidden temporary name and renamed only once it is complete,
// synced and hashed; the manifest comes last. So a file with a manifest is a whole backup. Here:
// the manifest, the list of backups, and keeping only the newest (retention).
import fs from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Driver } from '../db.server'
import { BackupError, errnoCode } from './errors.server'
import { writeDurably } from './files.server'

const Manifest = z.object({
  version: z.literal(1),
  file: z.string(),
  created: z.iso.datetime(),
  driver: z.enum(['pglite', 'neon', 'node-postgres']),
  format: z.enum(['pg_dump-custom', 'sql']),
  serverVersion: z.string(),
  dumpedBy: z.string(),
  migration: z.object({ tag: z.string().nullable(), hash: z.string(), createdAt: z.number() }).nullable(),
  tables: z.record(z.string(), z.number().int().min(0)),
  rows: z.number().int().min(0),
  roles: z.array(z.string()),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  weekly: z.boolean(),
  durationMs: z.number().int().min(0),
  verified: z.object({ at: z.iso.datetime(), target: z.string() }).optional(),
})
export type BackupManifest = z.infer<typeof Manifest>

export interface BackupInfo {
  /** The data file's name, e.g. tara-2026-11-27T21-48-18Z.dump */
  name: string
  /** The data file's absolute path. */
  path: string
  manifestPath: string
  size: number
  created: Date
  weekly: boolean
  driver: Driver
  /** Set once a restore of this file matched every row count. */
  verified?: { at: Date; target: string }
}

const STEM = /^tara-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(?:-\d+)?$/

/** "tara-2026-11-27T21-48-18Z": the shared name of a backup's files. */
export function backupStem(when: Date): string {
  return `tara-${when.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-')}`
}

/** The manifest next to a data file: tara-….dump → tara-….json */
export function manifestPathFor(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.(dump|sql)$/, '')}.json`)
}

export async function readManifest(manifestPath: string): Promise<BackupManifest> {
  let text: string
  try {
    text = await fs.readFile(manifestPath, 'utf8')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new BackupError(
        `No manifest next to the backup (${manifestPath} is missing): cannot check that the file is the one backed up.`,
      )
    }
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const parsed = Manifest.safeParse(json)
  if (!parsed.success) throw new BackupError(`The manifest ${manifestPath} is not a Tara Hub backup manifest.`)
  return parsed.data
}

/** Replaces a manifest whole: written under a hidden name, then renamed over it. */
export async function writeManifest(manifestPath: string, manifest: BackupManifest) {
  const tempPath = path.join(path.dirname(manifestPath), `.${path.basename(manifestPath)}.partial`)
  await writeDurably(tempPath, `${JSON.stringify(manifest, null, 2)}\n`)
  await fs.rename(tempPath, manifestPath)
}

/** The whole backups in `dir` (a data file with a valid manifest), newest first. */
export async function listBackups(dir: string): Promise<BackupInfo[]> {
  const root = path.resolve(dir)
  let names: string[]
  try {
    names = await fs.readdir(root)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return []
    throw error
  }
  const found: BackupInfo[] = []
  for (const name of names) {
    const stem = name.replace(/\.json$/, '')
    if (stem === name || !STEM.test(stem)) continue
    const manifestPath = path.join(root, name)
    let manifest: BackupManifest
    try {
      manifest = await readManifest(manifestPath)
    } catch {
      continue
    }
    if (manifest.file.replace(/\.(dump|sql)$/, '') !== stem) continue
    const file = path.join(root, manifest.file)
    const stat = await fs.stat(file).catch(() => undefined)
    if (!stat?.isFile()) continue
    found.push({
      name: manifest.file,
      path: file,
      manifestPath,
      size: stat.size,
      created: new Date(manifest.created),
      weekly: manifest.weekly,
      driver: manifest.driver,
      ...(manifest.verified && { verified: { at: new Date(manifest.verified.at), target: manifest.verified.target } }),
    })
  }
  return found.sort((a, b) => b.created.getTime() - a.created.getTime() || (a.name < b.name ? 1 : -1))
}

export interface PruneOptions {
  dir: string
  /** Ordinary backups to keep, newest first. */
  keep: number
  /** Weekly backups to keep, counted on their own. */
  keepWeekly: number
  /** A backup never to delete (the one just made, whatever its clock said). */
  except?: string
}

/** Deletes the backups beyond the newest `keep` (and `keepWeekly` weekly ones); returns them. */
export async function pruneBackups({ dir, keep, keepWeekly, except }: PruneOptions): Promise<BackupInfo[]> {
  const all = await listBackups(dir)
  const doomed = [
    ...all.filter((b) => !b.weekly).slice(Math.max(keep, 1)),
    ...all.filter((b) => b.weekly).slice(Math.max(keepWeekly, 1)),
  ].filter((b) => b.name !== except)
  for (const backup of doomed) {
    // The manifest first: without it the data file is no longer listed as a backup.
    await fs.rm(backup.manifestPath, { force: true })
    await fs.rm(backup.path, { force: true })
  }
  return doomed
}

// A manifest's row counts: their total, and whether a database's are the same.
export const sum = (tables: Record<string, number>) => Object.values(tables).reduce((a, b) => a + b, 0)

export function sameCounts(a: Record<string, number>, b: Record<string, number>) {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
