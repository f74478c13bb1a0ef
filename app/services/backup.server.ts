// Logical backups of the whole database (issue 9): `npm run db:backup` and `npm run db:restore`,
// and later the admin page's list. A backup is two files in BACKUP_DIR that share a name:
//   tara-2026-11-27T21-48-18Z.dump  pg_dump's custom format (PostgreSQL, Neon), or
//   tara-2026-11-27T21-48-18Z.sql   pglite-tools' pg_dump as SQL (the embedded database)
//   tara-2026-11-27T21-48-18Z.json  the manifest: what was backed up, its SHA-256, row counts
// The data file is written under a hidden temporary name and renamed only once it is complete,
// synced and hashed; the manifest comes last. So a file with a manifest is a whole backup.
// A restore checks the row counts against the manifest and leaves the target as it was when it
// fails (a bad file): into a database that already has objects it runs in one transaction; into a
// new one (no objects at all), pg_restore loads it with parallel jobs and a failure drops what it made.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { pgDump } from '@electric-sql/pglite-tools/pg_dump'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { z } from 'zod'
import {
  createDatabase,
  driverFor,
  isDatabaseUnavailable,
  MIGRATIONS_DIR,
  rows,
  type Database,
  type Driver,
  type Transaction,
} from './db.server'
import { EnvError } from './env.server'

/** A failure the user can fix (a full disk, a refused target, a corrupt file): one clear line. */
export class BackupError extends Error {
  override name = 'BackupError'
}

// ---------------------------------------------------------------------------------------------
// Settings

const Settings = z.object({
  BACKUP_DIR: z.string().trim().min(1).default('./backups'),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(14),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(1).max(10_000).default(8),
})

export interface BackupSettings {
  /** Where backups go (BACKUP_DIR, default ./backups). */
  dir: string
  /** How many ordinary backups to keep (BACKUP_KEEP, default 14). */
  keep: number
  /** How many weekly ones to keep besides (BACKUP_KEEP_WEEKLY, default 8). */
  keepWeekly: number
}

/** BACKUP_DIR, BACKUP_KEEP and BACKUP_KEEP_WEEKLY; throws EnvError naming a bad one. */
export function backupSettings(source: Record<string, string | undefined> = process.env): BackupSettings {
  const picked = {
    BACKUP_DIR: source.BACKUP_DIR || undefined,
    BACKUP_KEEP: source.BACKUP_KEEP || undefined,
    BACKUP_KEEP_WEEKLY: source.BACKUP_KEEP_WEEKLY || undefined,
  }
  const result = Settings.safeParse(picked)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`)
    throw new EnvError(`Invalid environment: ${problems.join('; ')}`)
  }
  return { dir: result.data.BACKUP_DIR, keep: result.data.BACKUP_KEEP, keepWeekly: result.data.BACKUP_KEEP_WEEKLY }
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** "30m", "24h", "7d" (also "45s", "2w") in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * UNITS[match[2]!]!
}

// ---------------------------------------------------------------------------------------------
// Manifests and the list of backups

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

async function readManifest(manifestPath: string): Promise<BackupManifest> {
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
async function writeManifest(manifestPath: string, manifest: BackupManifest) {
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

// ---------------------------------------------------------------------------------------------
// Connections, client tools, versions

/** A Neon URL's direct (unpooled) host: pg_dump needs a session the pooler would not give. */
export function directUrl(url: string): string {
  const parsed = new URL(url)
  if (!parsed.hostname.endsWith('.neon.tech')) return url
  const [first, ...rest] = parsed.hostname.split('.')
  if (!first?.endsWith('-pooler')) return url
  parsed.hostname = [first.slice(0, -'-pooler'.length), ...rest].join('.')
  return parsed.toString()
}

/** The URL as it may be printed and put on a command line: without its password. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url)
  parsed.password = ''
  return parsed.toString()
}

interface Libpq {
  /** For --dbname: the direct URL without its password. */
  dbname: string
  /** The environment of pg_dump / pg_restore / psql: the password travels as PGPASSWORD. */
  env: NodeJS.ProcessEnv
  /** Removes the password from anything that will be shown. */
  scrub(text: string): string
}

function libpq(url: string): Libpq {
  const direct = directUrl(url)
  const password = decodeURIComponent(new URL(direct).password)
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '10' }
  if (password) env.PGPASSWORD = password
  const secrets = [password, new URL(direct).password].filter((s) => s.length > 0)
  return {
    dbname: withoutPassword(direct),
    env,
    scrub: (text) => secrets.reduce((t, s) => t.replaceAll(s, '***'), text),
  }
}

const execFileAsync = promisify(execFile)

/** `<tool> --version`'s output; a clear error when the tool is not installed. */
async function toolVersion(tool: 'pg_dump' | 'pg_restore' | 'psql'): Promise<string> {
  try {
    const { stdout } = await execFileAsync(tool, ['--version'])
    return stdout.trim()
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new BackupError(
        `${tool} was not found on PATH: install the PostgreSQL client tools of your server's version or newer ` +
          '(Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq).',
      )
    }
    throw error
  }
}

/** The major version in a client's `--version` ("pg_dump (PostgreSQL) 15.20 (Debian …)" → 15). */
export function clientMajor(versionOutput: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionOutput) ?? /\b(\d+)(?:\.(\d+))?/.exec(versionOutput)
  if (!match) return undefined
  const major = Number(match[1])
  // Before 10 the major version was two numbers (9.6).
  return major < 10 && match[2] !== undefined ? major + Number(match[2]) / 10 : major
}

/** server_version_num's major version (150020 → 15, 90624 → 9.6). */
export function serverMajor(serverVersionNum: number | string): number {
  const n = Number(serverVersionNum)
  return n >= 100_000 ? Math.floor(n / 10_000) : Math.floor(n / 10_000) + Math.floor((n % 10_000) / 100) / 10
}

/**
 * Why this pg_dump cannot back up this server (it must be at least the server's major version),
 * or null when it can.
 */
export function pgDumpVersionProblem(pgDumpVersionOutput: string, serverVersionNum: number | string): string | null {
  const client = clientMajor(pgDumpVersionOutput)
  const server = serverMajor(serverVersionNum)
  if (client === undefined) return `Cannot tell pg_dump's version from "${pgDumpVersionOutput}".`
  if (client >= server) return null
  return (
    `pg_dump ${client} is older than the database server (PostgreSQL ${server}): pg_dump must be version ${server} ` +
    `or newer. Install the PostgreSQL ${server} client (Debian/Ubuntu: apt-get install postgresql-client-${server}, ` +
    `from apt.postgresql.org if your release lacks it; macOS: brew install libpq) and put its bin directory first on PATH.`
  )
}

interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/**
 * Waits for a child to exit, keeping (the end of) what it wrote to stderr. `graceMs`: for a child
 * whose own children share its stderr (pg_restore's parallel workers), waits only so long after it
 * exited for the pipe to close: workers left behind by a killed leader keep it open while they
 * carry on, until the caller ends their sessions.
 */
function finished(child: ChildProcess, graceMs?: number): Promise<Finished> {
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000)
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stderr }))
    if (graceMs !== undefined) {
      child.once('exit', (code, signal) => setTimeout(() => resolve({ code, signal, stderr }), graceMs).unref())
    }
  })
}

/** The useful lines of a PostgreSQL tool's stderr, on one line. */
function oneLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(?:pg_restore|pg_dump): (?:warning|detail): errors ignored/i.test(l))
  return lines.slice(0, 3).join(' / ') || 'no message'
}

// pg_dump reports a failed write of its output file with the C library's message.
const STRERROR_CODES: [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
  [/Not a directory/i, 'ENOTDIR'],
  [/Input\/output error/i, 'EIO'],
]

const FS_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  ENOENT: 'the directory does not exist',
  EIO: 'an input/output error',
  EISDIR: 'a directory is in the way',
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

class FileSystemFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

/** A file-system failure while writing into `dir`, as one line that names the directory and the cause. */
function writeFailure(error: unknown, dir: string): BackupError | undefined {
  const code = errnoCode(error)
  if (!code || !FS_CAUSES[code]) return undefined
  return new BackupError(`Cannot write the backup to ${dir}: ${FS_CAUSES[code]} (${code}).`)
}

// ---------------------------------------------------------------------------------------------
// What a database holds: its tables' row counts, its last migration, the roles it grants to

interface Facts {
  serverVersion: string
  serverVersionNum: string
  tables: Record<string, number>
  migration: BackupManifest['migration']
  roles: string[]
}

type Queryable = Database | Transaction

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

async function databaseFacts(db: Queryable): Promise<Facts> {
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
async function ensureRoles(db: Queryable, roles: string[]) {
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

const sum = (tables: Record<string, number>) => Object.values(tables).reduce((a, b) => a + b, 0)

function sameCounts(a: Record<string, number>, b: Record<string, number>) {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

// ---------------------------------------------------------------------------------------------
// Files

async function writeDurably(file: string, data: string | Uint8Array) {
  const handle = await fs.open(file, 'w', 0o600)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function syncDirectory(dir: string) {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } catch {
    // Some file systems cannot sync a directory; the rename is done either way.
  } finally {
    await handle.close()
  }
}

async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

/** Makes `dir` and checks that files can be made in it, before any dumping starts. */
async function ensureWritableDirectory(dir: string) {
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    await fs.access(dir, fs.constants.W_OK | fs.constants.X_OK)
  } catch (error) {
    throw writeFailure(error, dir) ?? error
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

function pgliteInUse(dir: string) {
  return new BackupError(
    `The embedded database at ${dir} is open in another process (its postmaster.pid is present): stop the app ` +
      '(or whatever has it open) and try again. If nothing has it open, it was not closed cleanly: ' +
      'start and stop the app once.',
  )
}

async function openPglite(dir: string, { create }: { create: boolean }): Promise<PGlite> {
  const present = await fs.stat(path.join(dir, 'PG_VERSION')).catch(() => undefined)
  if (!present && !create) throw new BackupError(`There is no embedded database at ${dir} (PGLITE_DIR).`)
  if (await fs.stat(path.join(dir, 'postmaster.pid')).catch(() => undefined)) throw pgliteInUse(dir)
  await fs.mkdir(dir, { recursive: true })
  return PGlite.create(dir)
}

// ---------------------------------------------------------------------------------------------
// Backing up

export interface DatabaseTarget {
  /** A postgres:// URL (Neon or any PostgreSQL); unset means the embedded database. */
  url?: string
  /** The embedded database's directory (PGLITE_DIR) when there is no URL. */
  pgliteDir?: string
}

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

/** A database that does not answer, as one line naming it (without its password). */
function unreachable(error: unknown, { url }: DatabaseTarget): BackupError | undefined {
  if (error instanceof BackupError || !isDatabaseUnavailable(error)) return undefined
  let deepest = error
  while ((deepest as { cause?: unknown }).cause) deepest = (deepest as { cause: unknown }).cause
  const message = deepest instanceof Error ? deepest.message : String(deepest)
  const where = url ? withoutPassword(directUrl(url)) : 'the embedded database'
  return new BackupError(`Cannot reach ${where}: ${url ? libpq(url).scrub(message) : message}`)
}

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** "14 tables, 3230 rows (analytics 2120, orders 60, users 6, …)": for one-line reports. */
export function tableSummary(tables: Record<string, number>): string {
  const entries = Object.entries(tables)
  const largest = entries
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, n]) => `${name} ${n}`)
  const more = entries.length > largest.length && largest.length > 0 ? ', …' : ''
  return `${entries.length} tables, ${sum(tables)} rows${largest.length ? ` (${largest.join(', ')}${more})` : ''}`
}

/** A path as printed: relative to the working directory when it is below it. */
export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

function formatAge(ms: number): string {
  if (ms < 120_000) return `${Math.max(0, Math.round(ms / 1000))} s`
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`
  return `${Math.round(ms / 86_400_000)} days`
}

// ---------------------------------------------------------------------------------------------
// Restoring

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
  /** Nothing in schema public and no drizzle schema: a database just created. */
  blank: boolean
}

async function targetState(db: Database): Promise<TargetState> {
  const tables = await tableRowCounts(db)
  const [used] = await rows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from pg_catalog.pg_class where relnamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_proc where pronamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_type where typnamespace = 'public'::regnamespace)
        or exists (select 1 from pg_catalog.pg_namespace where nspname = 'drizzle') as used`,
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

// Replaces the app's schemas with empty ones, as a new database has them (PostgreSQL 15+).
const CLEAR_SCHEMAS = `
DROP SCHEMA IF EXISTS drizzle CASCADE;
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

/** Refuses a pg_restore older than the pg_dump that made the backup: it cannot read the file. */
async function checkRestoreClient(manifest: BackupManifest) {
  const restoreVersion = await toolVersion('pg_restore')
  const dumped = clientMajor(manifest.dumpedBy)
  const client = clientMajor(restoreVersion)
  if (dumped !== undefined && client !== undefined && client < dumped) {
    throw new BackupError(
      `pg_restore ${client} cannot read a backup made by pg_dump ${dumped}: install the PostgreSQL ${dumped} client ` +
        `(Debian/Ubuntu: apt-get install postgresql-client-${dumped}) and put its bin directory first on PATH.`,
    )
  }
}

// pg_restore's options for both ways. --no-tablespaces: the target server (Neon, another machine)
// rarely has the source's tablespaces, and a table that names a missing one fails the restore.
const PG_RESTORE_OPTIONS = ['--no-owner', '--no-tablespaces', '--exit-on-error']

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

// pg_dump's last line: a SQL file without it was cut short, maybe after the data, before some grants.
const DUMP_COMPLETE = /\n-- PostgreSQL database dump complete\n--\s*$/

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
