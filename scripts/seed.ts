// `npm run db:seed`: loads the demo shop (app/models/demo.server.ts) into the database that
// DATABASE_URL points at (the embedded one when it is unset), in one transaction.
// It refuses a database that has data; `--force` loads the demo beside it (nothing is deleted,
// demo users that exist are kept, taken Etsy ids are replaced).
import { DEMO_ADMIN_EMAIL, isDatabaseEmpty, loadDemo } from '~/models/demo.server'
import { createDatabase, pendingMigrations, type Database } from '~/services/db.server'
import { env } from '~/services/env.server'
import { runScript } from './lib'

const USAGE = 'Usage: npm run db:seed [-- --force]'

/** Why the database cannot be seeded, or undefined when it can. */
async function refusal(db: Database, force: boolean) {
  const pending = await pendingMigrations(db)
  if (pending > 0) {
    return `The database has ${pending} pending migration(s): run npm run db:migrate first.`
  }
  if (!force && !(await isDatabaseEmpty(db))) {
    return 'The database already has users or fabrics: not seeding (--force adds the demo beside them).'
  }
  return undefined
}

await runScript(async () => {
  const args = process.argv.slice(2)
  const unknown = args.filter((a) => a !== '--force')
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown.join(' ')}. ${USAGE}`)
    process.exitCode = 1
    return
  }
  const e = env()
  const database = createDatabase({ url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, poolMax: 2 })
  try {
    const problem = await refusal(database.db, args.includes('--force'))
    if (problem) {
      console.error(problem)
      process.exitCode = 1
      return
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
