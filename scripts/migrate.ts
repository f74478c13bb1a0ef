// `npm run db:migrate`: applies drizzle/ to whatever DATABASE_URL points at
// (the embedded database when it is unset), in one transaction.
import { createDatabaseFromEnv, pendingMigrations } from '~/services/db.server'
import { runScript } from './lib'

await runScript(async () => {
  const database = createDatabaseFromEnv({ poolMax: 2 })
  try {
    const pending = await pendingMigrations(database.db)
    await database.migrate()
    console.log(
      pending === 0
        ? `No pending migrations (${database.driver}).`
        : `Applied ${pending} migration(s) (${database.driver}).`,
    )
  } finally {
    await database.close()
  }
})
