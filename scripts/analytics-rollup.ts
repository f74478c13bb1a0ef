// `npm run analytics:rollup -- --from 2025-01-01 --to 2025-12-31`: recomputes the analytics
// figures that come from orders and posts for those days (app/models/analytics.server.ts), on
// the database DATABASE_URL points at (the embedded one when it is unset). Without --from and
// --to: yesterday and today in the shop's time zone. Running it twice changes nothing.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { recentDays, rollupAnalytics } from '~/models/analytics.server'
import { createDatabaseFromEnv, pendingMigrations, setDatabase } from '~/services/db.server'
import { env } from '~/services/env.server'
import { isDay } from '~/utils/dates'
import { runScript, ScriptError } from './lib'

const day = (flag: string) => z.string().refine(isDay, `${flag} must be a day such as 2025-01-31`).optional()
const Args = z
  .object({ from: day('--from'), to: day('--to') })
  .refine((a) => !a.from || !a.to || a.from <= a.to, '--from must not be after --to')

await runScript(async () => {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true })
  const parsed = Args.safeParse(values)
  if (!parsed.success) {
    throw new ScriptError(
      `${parsed.error.issues.map((i) => i.message).join('; ')}\n` +
        'Usage: npm run analytics:rollup -- --from 2025-01-01 --to 2025-12-31',
    )
  }
  const recent = recentDays()
  const from = parsed.data.from ?? (parsed.data.to && parsed.data.to < recent.from ? parsed.data.to : recent.from)
  const to = parsed.data.to ?? (from > recent.to ? from : recent.to)
  const database = createDatabaseFromEnv({ poolMax: 2 })
  try {
    setDatabase(database)
    const pending = await pendingMigrations(database.db)
    if (pending > 0) throw new ScriptError(`The database has ${pending} pending migration(s): run \`npm run db:migrate\` first.`)
    const started = performance.now()
    const result = await rollupAnalytics({ from, to })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Rolled up ${result.days} day(s), ${from} to ${to} (${env().SHOP_TIMEZONE}), in ${seconds} s: ` +
        `${result.written} figure(s) written, ${result.changedDays.length} day(s) changed.`,
    )
  } finally {
    await database.close()
  }
})
