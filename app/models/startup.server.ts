// What `npm start` does to the database before it serves (server/index.ts):
//   the embedded database → migrate, and load the demo into an empty one;
//   any other database    → never migrate by itself: refuse while migrations are pending.
// Then check that SHOP_CURRENCY is the currency the stored prices are in (recorded on the first
// start: shop-settings.server.ts), make sure the first admin (ADMIN_EMAIL) exists, and roll up the
// recent analytics.
import { recentDays, rollupAnalytics } from '~/models/analytics.server'
import { isDatabaseEmpty, loadDemo, type DemoCounts } from '~/seed/demo.server'
import { settleShopCurrency } from '~/models/shop-settings.server'
import { ensureAdmin } from '~/models/user.server'
import { appLoginProblem, checkAppRole, pendingMigrations, pgErrorCode, setDatabase, type DatabaseHandle } from '~/services/db.server'
import { env } from '~/services/env.server'
import { logger } from '~/services/logger.server'

export class PendingMigrationsError extends Error {
  constructor(readonly pending: number) {
    super(`${pending} database migration(s) pending: run \`npm run db:migrate\` first.`)
  }
}

export class AppLoginError extends Error {}

export { CurrencyMismatchError } from '~/models/shop-settings.server'

export async function prepareDatabase(
  handle: DatabaseHandle,
  { adminEmail, currency = env().SHOP_CURRENCY }: { adminEmail?: string; currency?: string } = {},
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
      // APP_DATABASE_URL names a role that does not exist yet (db:migrate makes it) or a wrong password.
      if (['28000', '28P01'].includes(pgErrorCode(error) ?? '')) {
        throw new AppLoginError(
          "The app's database login (APP_DATABASE_URL) was refused: run `npm run db:migrate`, which creates its role, or check its password.",
        )
      }
      throw error
    })
    if (pending > 0) throw new PendingMigrationsError(pending)
    await checkAppRole(handle.db)
    // Logged in as the owner (or a role that may become it), one `set_config('role', …)` would
    // leave app_user and every grant and policy with it.
    const problem = await appLoginProblem(handle.db)
    if (problem) {
      const message =
        `The app's database login could become the tables' owner: ${problem}. Set APP_DATABASE_URL to a role of ` +
        `the app's own (\`npm run db:migrate\` creates the role it names), keeping DATABASE_URL for the owner.`
      if (env().NODE_ENV === 'production') throw new AppLoginError(message)
      logger().warn(message)
    }
  }
  // Refuses (CurrencyMismatchError, an EnvError: one line) when the stored prices are in another currency.
  await settleShopCurrency(currency)
  const adminCreated = adminEmail ? (await ensureAdmin({ email: adminEmail })).created : false
  // The figures of yesterday and today: the rollup also runs after every order and post change;
  // this catches what a stop interrupted.
  await rollupAnalytics(recentDays())
  return { demo, adminCreated }
}
