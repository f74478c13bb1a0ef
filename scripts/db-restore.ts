// `npm run db:restore -- backups/tara-….dump [--force] [--skip-checksum]` (or an s3://bucket/prefix/tara-….dump
// copy, fetched with its manifest first): restores a backup made by `npm run db:backup` into the database DATABASE_URL points at (the embedded one in PGLITE_DIR when
// it is unset). It checks the file against its manifest's SHA-256 first, refuses a database that has
// rows unless --force, and checks every table's row count; a failure, or Ctrl-C, leaves the target as it was.
import { parseArgs } from 'node:util'
import { BackupError } from '~/services/backup/errors.server'
import { fetchBackup } from '~/services/backup/jobs.server'
import { restoreBackup } from '~/services/backup/restore.server'
import { shortPath, tableSummary } from '~/services/backup/text.server'
import { env } from '~/services/env.server'
import { runScript, ScriptError } from './lib'

const USAGE = 'Usage: npm run db:restore -- backups/tara-2026-01-31T02-00-00Z.dump [--force] [--skip-checksum]'

await runScript(async () => {
  let parsed: { values: { force?: boolean; 'skip-checksum'?: boolean }; positionals: string[] }
  try {
    parsed = parseArgs({
      options: { force: { type: 'boolean' }, 'skip-checksum': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw new ScriptError(`${(error as Error).message}\n${USAGE}`)
  }
  const [spec, ...extra] = parsed.positionals
  if (!spec || extra.length > 0) throw new ScriptError(`Name one backup file to restore.\n${USAGE}`)
  const { DATABASE_URL, PGLITE_DIR } = env()
  const started = performance.now()
  let fetched: Awaited<ReturnType<typeof fetchBackup>> | undefined
  try {
    fetched = await fetchBackup(spec)
    const { file } = fetched
    // Ctrl-C (or a SIGTERM) would end the process half-way through a restore into a new PostgreSQL
    // database, which is not one transaction: instead it stops the restore, which undoes what it did.
    // (The embedded database's restore is one transaction, which a process that ends never commits.)
    const interrupted = new AbortController()
    const interrupt = (signal: NodeJS.Signals) => interrupted.abort(signal)
    if (DATABASE_URL) {
      process.on('SIGINT', interrupt)
      process.on('SIGTERM', interrupt)
    }
    let result: Awaited<ReturnType<typeof restoreBackup>>
    try {
      result = await restoreBackup({
        file,
        url: DATABASE_URL,
        pgliteDir: PGLITE_DIR,
        force: parsed.values.force ?? false,
        checksum: !parsed.values['skip-checksum'],
        signal: interrupted.signal,
      })
    } finally {
      process.off('SIGINT', interrupt)
      process.off('SIGTERM', interrupt)
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const { manifest } = result
    const last = manifest.migration
    const migration = last ? `, migration ${last.tag ?? last.hash.slice(0, 12)}` : ''
    console.log(
      `Restored ${spec.startsWith('s3://') ? spec : shortPath(file)} (${manifest.driver}, ${manifest.created}${migration}) into ${result.target} ` +
        `in ${seconds} s: ${tableSummary(result.tables)}, every count as in the manifest` +
        `${result.markFailed ? `; the manifest could not be marked verified: ${result.markFailed}` : ''}.`,
    )
  } catch (error) {
    if (error instanceof BackupError) throw new ScriptError(error.message)
    throw error
  } finally {
    fetched?.cleanup()
  }
})
