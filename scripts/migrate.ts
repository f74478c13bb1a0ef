// `npm run db:migrate [-- --no-backup]`: applies drizzle/ to whatever DATABASE_URL points at (the
// embedded database when it is unset), all pending migrations in one transaction: if one fails,
// none is applied. A database that holds rows is backed up first (BACKUP_DIR, and BACKUP_S3_URL
// when set, as `npm run db:backup` does); if that backup fails, nothing is migrated.
// `--no-backup` skips it, and says so loudly. With APP_DATABASE_URL, it then makes sure the role
// that URL logs in as exists, with its password, as a member of app_user and app_rollup only.
import { parseArgs } from 'node:util'
import { tableRowCounts } from '~/services/backup/database.server'
import { BackupError } from '~/services/backup/errors.server'
import { runBackup } from '~/services/backup/jobs.server'
import { formatSize, shortPath } from '~/services/backup/text.server'
import { createDatabaseFromEnv, ensureAppLogin, pendingMigrations } from '~/services/db.server'
import { env } from '~/services/env.server'
import { runScript, ScriptError } from './lib'

await runScript(async () => {
  let noBackup: boolean
  try {
    noBackup = parseArgs({ options: { 'no-backup': { type: 'boolean' } }, strict: true }).values['no-backup'] ?? false
  } catch (error) {
    throw new ScriptError(`${(error as Error).message}\nUsage: npm run db:migrate [-- --no-backup]`)
  }
  const database = createDatabaseFromEnv({ poolMax: 2, owner: true })
  try {
    const pending = await pendingMigrations(database.db)
    if (pending > 0) {
      const rows = Object.values(await tableRowCounts(database.db)).reduce((a, n) => a + n, 0)
      if (rows > 0 && noBackup) {
        console.warn(`⚠ --no-backup: migrating a database that holds ${rows} rows WITHOUT a backup first.`)
      } else if (rows > 0) {
        try {
          const backup = await runBackup({ pglite: database.pglite })
          if (backup.created) {
            const copy = backup.offsite ? ` and ${backup.offsite}` : ''
            console.log(`Backed up before migrating: ${shortPath(backup.backup.path)} (${formatSize(backup.backup.size)})${copy}.`)
          }
        } catch (error) {
          if (!(error instanceof BackupError)) throw error
          throw new ScriptError(`No migration applied: the backup before migrating failed. ${error.message}`)
        }
      }
    }
    await database.migrate()
    console.log(
      pending === 0
        ? `No pending migrations (${database.driver}).`
        : `Applied ${pending} migration(s) (${database.driver}).`,
    )
    const appUrl = env().APP_DATABASE_URL
    if (appUrl) {
      try {
        const login = await ensureAppLogin(database.db, appUrl)
        console.log(`The app logs in as ${login.role} (${login.created ? 'created' : 'checked'}: a member of app_user only).`)
      } catch (error) {
        throw new ScriptError(`The migrations are applied, but the app's login role is not ready: ${(error as Error).message}`)
      }
    }
  } finally {
    await database.close()
  }
})
