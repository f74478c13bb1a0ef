// PostgreSQL's client tools (pg_dump, pg_restore, psql): connecting them without putting the
// password on a command line, checking their versions, running them and reading their errors.
import { execFile, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { BackupError, errnoCode } from './errors.server'
import { type BackupManifest } from './manifest.server'

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

export interface Libpq {
  /** For --dbname: the direct URL without its password. */
  dbname: string
  /** The environment of pg_dump / pg_restore / psql: the password travels as PGPASSWORD. */
  env: NodeJS.ProcessEnv
  /** Removes the password from anything that will be shown. */
  scrub(text: string): string
}

export function libpq(url: string): Libpq {
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
export async function toolVersion(tool: 'pg_dump' | 'pg_restore' | 'psql'): Promise<string> {
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

export interface Finished {
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
export function finished(child: ChildProcess, graceMs?: number): Promise<Finished> {
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
export function oneLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(?:pg_restore|pg_dump): (?:warning|detail): errors ignored/i.test(l))
  return lines.slice(0, 3).join(' / ') || 'no message'
}

// pg_dump reports a failed write of its output file with the C library's message.
export const STRERROR_CODES: [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
  [/Not a directory/i, 'ENOTDIR'],
  [/Input\/output error/i, 'EIO'],
]

/** Refuses a pg_restore older than the pg_dump that made the backup: it cannot read the file. */
export async function checkRestoreClient(manifest: BackupManifest) {
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
export const PG_RESTORE_OPTIONS = ['--no-owner', '--no-tablespaces', '--exit-on-error']

// pg_dump's last line: a SQL file without it was cut short, maybe after the data, before some grants.
export const DUMP_COMPLETE = /\n-- PostgreSQL database dump complete\n--\s*$/
