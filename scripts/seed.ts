// `npm run db:seed`: loads the demo shop (app/seed/demo.server.ts) into the database that
// DATABASE_URL points at (the embedded one when it is unset), in one transaction.
// It refuses a database that is not migrated or already has data: nothing is ever overwritten.
import { DEMO_ADMIN_EMAIL, isDatabaseEmpty, loadDemo } from '~/seed/demo.server'
import { createDatabaseFromEnv, pendingMigrations } from '~/services/db.server'
import { runScript, ScriptError } from './lib'

await runScript(async () => {
  const database = createDatabaseFromEnv({ poolMax: 2, owner: true })
  try {
    const pending = await pendingMigrations(database.db)
    if (pending > 0) {
      throw new ScriptError(`The database has ${pending} pending migration(s): run \`npm run db:migrate\` first.`)
    }
    if (!(await isDatabaseEmpty(database.db))) {
      throw new ScriptError('The database already has users or fabrics: the demo loads only into an empty one.')
    }
    const started = performance.now()
    const counts = await loadDemo(database.db)
    const ms = Math.round(performance.now() - started)
    console.log(
      `Loaded the demo (${database.driver}, ${ms} ms): ${counts.users} users, ${counts.fabrics} fabrics, ` +
        `${counts.orders} orders, ${counts.content} content entries, ${counts.analytics} analytics rows. ` +
        `Sign in as ${DEMO_ADMIN_EMAIL}.`,
    )
  } finally {
    await database.close()
  }
})
