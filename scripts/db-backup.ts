// `npm run db:backup [-- --weekly] [--if-older-than 24h]`: a consistent logical backup of the whole
// database DATABASE_URL points at (the embedded one in PGLITE_DIR when it is unset) into BACKUP_DIR
// (default ./backups), with a manifest next to it; then deletes all but the newest BACKUP_KEEP
// backups (and BACKUP_KEEP_WEEKLY weekly ones). With BACKUP_S3_URL, the backup and its manifest are
// also copied there (weekly ones under weekly/). The logic is in app/services/backup/.
import { parseArgs } from 'node:util'
import { BackupError } from '~/services/backup/errors.server'
import { runBackup } from '~/services/backup/jobs.server'
import { formatSize, parseDuration, shortPath, tableSummary } from '~/services/backup/text.server'
import { runScript, ScriptError } from './lib'

const USAGE = 'Usage: npm run db:backup -- [--weekly] [--if-older-than 24h]'

await runScript(async () => {
  let values: { weekly?: boolean; 'if-older-than'?: string }
  try {
    const options = { weekly: { type: 'boolean' }, 'if-older-than': { type: 'string' } } as const
    ;({ values } = parseArgs({ options, strict: true }))
  } catch (error) {
    throw new ScriptError(`${(error as Error).message}\n${USAGE}`)
  }
  const age = values['if-older-than']
  const ifOlderThan = age === undefined ? undefined : parseDuration(age)
  if (age !== undefined && ifOlderThan === undefined) {
    throw new ScriptError(`--if-older-than must be a duration such as 30m, 24h or 7d\n${USAGE}`)
  }
  const started = performance.now()
  try {
    const result = await runBackup({ weekly: values.weekly ?? false, ifOlderThan })
    if (!result.created) {
      console.log(`No backup made: ${result.reason}, younger than ${age}.`)
      return
    }
    const { backup, manifest, pruned } = result
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Backed up the ${manifest.driver} database to ${shortPath(backup.path)} ` +
        `(${formatSize(backup.size)}) in ${seconds} s: ` +
        `${tableSummary(manifest.tables)}${pruned.length ? `; deleted ${pruned.length} old backup(s)` : ''}` +
        `${result.offsite ? `; copied to ${result.offsite}` : ''}.`,
    )
  } catch (error) {
    if (error instanceof BackupError) throw new ScriptError(error.message)
    throw error
  }
})
