// Analytics, for `npm run bench` (budgets: a full year rolled up < 10 s; /analytics for 90 days
// p95 < 80 ms without the cache and < 10 ms with it, ≤ 60 KB over the wire; each chart < 12 KB):
// the rollup of the last 365 days (and again, when nothing changes), one day's rollup as after an
// order, then the 90-day dashboard page with its cache emptied before every request, with the
// cache, and its queries alone.
import { gzipSync } from 'node:zlib'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { getAnalyticsDashboard } from '~/models/analytics-dashboard.server'
import { rollupAnalytics } from '~/models/analytics.server'
import { rows, type Database } from '~/services/db.server'
import { env } from '~/services/env.server'
import { addDays, dayOf } from '~/utils/dates'
import type { TimedRun } from './bench-orders'
import { percentile } from './lib'

export async function benchAnalytics({
  db,
  get,
  redisUrl,
  time,
  iterations,
}: {
  db: Database
  /** Requests a page as the signed-in admin, through the app's handler. */
  get: (path: string) => Promise<Response>
  /** The Redis the app caches in (REDIS_URL), or null when there is none. */
  redisUrl: string | null
  time: (run: () => Promise<unknown>) => Promise<TimedRun>
  iterations: number
}) {
  const timeZone = env().SHOP_TIMEZONE
  const today = dayOf(new Date(), timeZone)
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  const ms = (v: number) => `${v.toFixed(2)} ms`
  const [counts] = await rows<{ orders: number; analytics: number }>(
    db,
    sql`select (select count(*)::int from orders) as orders, (select count(*)::int from analytics) as analytics`,
  )
  console.log(
    `\nAnalytics, ${counts!.orders.toLocaleString('en-GB')} orders, ${counts!.analytics.toLocaleString('en-GB')} analytics rows (${timeZone}):`,
  )

  const year = { from: addDays(today, -364), to: today }
  let started = performance.now()
  const first = await rollupAnalytics(year)
  const firstMs = performance.now() - started
  started = performance.now()
  const again = await rollupAnalytics(year)
  const againMs = performance.now() - started
  console.log(
    `  rollup of 365 days (budget 10 s): ${s(firstMs)} (${first.written.toLocaleString('en-GB')} figures written); ` +
      `again, nothing changed: ${s(againMs)} (${again.written} written)`,
  )
  const day = await time(() => rollupAnalytics({ from: today, to: today }))
  console.log(`  rollup of today, as after each order: p50 ${ms(day.p50)}, p95 ${ms(day.p95)}`)

  const path = '/analytics?range=90'
  const page = await get(path)
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}`)
  const html = Buffer.from(await page.arrayBuffer())
  const svgs = html.toString('utf8').match(/<svg[\s\S]*?<\/svg>/g) ?? []
  const largestSvg = Math.max(...svgs.map((svg) => Buffer.byteLength(svg)))
  console.log(
    `  ${path}: ${(gzipSync(html).length / 1024).toFixed(1)} KB gzip (budget 60 KB), ${(html.length / 1024).toFixed(1)} KB of HTML, ` +
      `${svgs.length} charts, the largest SVG ${(largestSvg / 1024).toFixed(1)} KB (budget 12 KB)`,
  )

  const query = { from: addDays(today, -89), to: today, platform: '' as const }
  const queries = await time(() => getAnalyticsDashboard(query, { redisUrl: null }))
  let uncachedP50: number
  if (!redisUrl) {
    const server = await time(async () => (await get(path)).arrayBuffer())
    console.log(`  without a cache (no REDIS_URL): server p50 ${ms(server.p50)}, p95 ${ms(server.p95)} (budget 80 ms)`)
    uncachedP50 = server.p50
  } else {
    // Without the cache: emptied before each request (not timed), so every request reads the database.
    // A client of its own that waits for Redis: the app's fails fast and drops its connection
    // after a slow command, which would stop the bench rather than measure the page.
    const redis = new Redis(redisUrl)
    const samples: number[] = []
    for (let i = 0; i < iterations; i++) {
      const keys = await redis.keys('tara:an:*')
      if (keys.length) await redis.del(...keys)
      const t = performance.now()
      await (await get(path)).arrayBuffer()
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    uncachedP50 = percentile(samples, 50)
    console.log(
      `  without the cache: server p50 ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))} (budget 80 ms)`,
    )
    redis.disconnect()
    const cached = await time(async () => (await get(path)).arrayBuffer())
    console.log(`  with the Redis cache: server p50 ${ms(cached.p50)}, p95 ${ms(cached.p95)} (budget 10 ms)`)
  }
  console.log(`  the dashboard's queries alone: p50 ${ms(queries.p50)}, p95 ${ms(queries.p95)}`)
  // For the same page over HTTP (the server time without the cache: the HTTP server runs without Redis).
  return { path, inProcessP50: uncachedP50, sqlP50: queries.p50 }
}
