// What `npm start` does to the database before it serves (scripts/start.ts):
//   the embedded database → migrate, and load the demo into an empty one;
//   any other database    → never migrate by itself: refuse while migrations are pending.
// Then make sure the first admin (ADMIN_EMAIL) exists, and roll up the recent analytics.
import { recentDays, rollupAnalytics } from '~/models/analytics.server'
import { isDatabaseEmpty, loadDemo, type DemoCounts } from '~/models/demo.server'
import { ensureAdmin } from '~/models/user.server'
import { checkAppRole, pendingMigrations, pgErrorCode, setDatabase, type DatabaseHandle } from './db.server'

export class PendingMigrationsError extends Error {
  constructor(readonly pending: number) {
    super(`${pending} database migration(s) pending: run \`npm run db:migrate\` first.`)
  }
}

export async function prepareDatabase(
  handle: DatabaseHandle,
  { adminEmail }: { adminEmail?: string } = {},
): Promise<{ demo?: DemoCounts; adminCreated: boolean }> {
  setDatabase(handle)
  let demo: DemoCounts | undefined
  if (handle.driver === 'pglite') {
    await handle.migrate()
    if (await isDatabaseEmpty(handle.db)) demo = await loadDemo(handle.db)
  } else {
    // Before the migration that gives app_user its grants (or makes it), app_user cannot even read them.
    const pending = await pendingMigrations(handle.db).catch((error: unknown) => {
      if (['42501', '22023', '42704'].includes(pgErrorCode(error) ?? '')) return 1
      throw error
    })
    if (pending > 0) throw new PendingMigrationsError(pending)
    await checkAppRole(handle.db)
  }
  const adminCreated = adminEmail ? (await ensureAdmin({ email: adminEmail })).created : false
  // The figures of yesterday and today: the rollup also runs after every order and post change;
  // this catches what a stop interrupted.
  await rollupAnalytics(recentDays())
  return { demo, adminCreated }
}
