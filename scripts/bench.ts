// `npm run bench`: for each page, the bytes a browser receives (HTML gzip, as the server's
// compression sends it; then the gzip bytes of its scripts, at most 20 KB on any page) and the server time p50/p95 of a whole request next to the time of
// the page's own queries alone, measured in one process on a database loaded with the demo.
// Signed-in pages are requested as the demo admin; their queries include the session lookup.
// The embedded database by default; BENCH_DATABASE_URL=postgres://… for a fresh PostgreSQL database.
// BENCH_SCALE=1 adds DESIGN.md's scale (100k fabrics, 1M orders, 2M analytics rows) on top of the demo.
// Then the content calendar with BENCH_CALENDAR_ROWS entries (20k by default, over two years around
// today; 0 skips it): its month, week and list views, measured the same way.
// Then the orders list (every status tab, a deep page, searches, a week by date and by total), on
// the demo's orders, or with BENCH_SCALE=1 on a million, and placing a two-line order.
// Then the Etsy listings import of BENCH_IMPORT_ROWS rows (100k by default; 0 skips it), the Etsy
// orders import of BENCH_ORDER_ROWS orders over those listings (100k by default; 0 skips it), and,
// unless BENCH_BROWSER=0, the real app in Chromium on emulated slow 3G (scripts/bench-browser.ts).
// Before the imports: analytics (scripts/bench-analytics.ts), with the Redis cache at BENCH_REDIS_URL
// (redis://127.0.0.1:6379 by default; 0 for none); then, on PostgreSQL, every page above through
// the real server over HTTP and 50 staff using it at once for a minute (scripts/bench-http.ts;
// BENCH_HTTP=0 skips both), and a backup of the whole database and its restore into a new one
// (scripts/bench-backup.ts).
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { createRequestHandler } from '@remix-run/node'
import { sql } from 'drizzle-orm'
import { parseCalendarQuery } from '~/models/calendar-view'
import { getCalendar } from '~/models/calendar-view.server'
import { getDashboard } from '~/models/dashboard.server'
import { DEMO_ADMIN_EMAIL, loadDemo } from '~/seed/demo.server'
import { fabricFacets, listFabrics, parseFabricQuery } from '~/models/fabric.server'
import { listOrders, parseOrderQuery } from '~/models/order-list.server'
import { listUsers } from '~/models/user.server'
import { getUser, startupSignInLink } from '~/auth/auth.server'
import { createDatabase, rows, setDatabase, type Database } from '~/services/db.server'
import { closeRedisClients } from '~/services/redis.server'
import { env } from '~/services/env.server'
import { addDays, dayOf } from '~/utils/dates'
import { benchAnalytics } from './bench-analytics'
import { benchBackup } from './bench-backup'
import { loadScale } from './bench-scale'
import { benchInBrowser } from './bench-browser'
import { benchOverHttp, benchSessions, startServer, type HttpPage } from './bench-http'
import { benchImport, benchOrdersRuns } from './bench-import'
import { benchPlaceOrder } from './bench-orders'
import { buildIfNeeded, loadBuild } from '../server/build'
import { percentile, runScript } from './lib'
import { JOB_KINDS } from '~/jobs/kinds.server'
import { startJobs, stopJobs } from '~/jobs/runner.server'
import { ANALYTICS_DAYS_QUEUE } from '~/models/analytics-refresh.server'
import { dropDatabases, dropRoles, recreateDatabase, urlAs } from './pg-admin'

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300)
const WARMUP = 30

interface Page {
  name: string
  path: string
  /** The page's own queries, called the way its loader calls them (with the session's). */
  queries?: () => Promise<unknown>
}

/** The catalog's list as staff use it: plain, searched, filtered, a later page, low stock. */
const FABRIC_PAGES: [string, string][] = [
  ['fabrics', ''],
  ['fabrics search', '?q=linen'],
  ['fabrics search 2 words', '?q=sage+floral'],
  ['fabrics filter', '?category=Linen&stock=in&sort=price'],
  ['fabrics tag', '?tag=quilting&sort=updated'],
  ['fabrics page 5', '?sort=stock&page=5'],
  ['fabrics low stock', '?stock=low'],
]

function pages(cookie: string): Page[] {
  // The session lookup every signed-in page makes first (requireUser), from the cookie as a
  // browser sends it; then the page's own queries.
  const session = () => getUser(new Request('http://localhost/', { headers: { Cookie: cookie } }))
  return [
    { name: 'login', path: '/login' },
    {
      name: 'dashboard',
      path: '/',
      queries: async () => getDashboard((await session())!.id),
    },
    ...FABRIC_PAGES.map(([name, search]) => ({
      name,
      path: `/fabrics${search}`,
      // As the loader: the session, then the list and the filter choices side by side.
      queries: async () => {
        await session()
        return Promise.all([listFabrics(parseFabricQuery(new URLSearchParams(search))), fabricFacets()])
      },
    })),
    { name: 'users', path: '/users', queries: async () => (await session(), listUsers()) },
  ]
}

/** Signs the demo admin in through the link page, as a browser would; returns the cookie. */
async function signIn(handler: (request: Request) => Promise<Response>): Promise<string> {
  const link = await startupSignInLink(DEMO_ADMIN_EMAIL)
  const token = new URL(link!).searchParams.get('token')!
  const response = await handler(
    new Request('http://localhost/login/link', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    }),
  )
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (response.status !== 302 || !cookie) throw new Error(`sign-in answered ${response.status}`)
  return cookie
}

/** The JavaScript budget (DESIGN.md §8): all the scripts of any page, gzip. */
const JS_BUDGET_BYTES = 20 * 1024
let jsMax = { bytes: 0, page: '' }

/** The gzip bytes of the scripts a page loads (from the build, as /assets serves them). */
function scriptBytes(html: string) {
  const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!)
  const bytes = sources.reduce((sum, src) => sum + gzipSync(readFileSync(`build/client${new URL(src, 'http://x').pathname}`)).length, 0)
  return { count: sources.length, bytes }
}

async function time(run: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await run()
  const samples: number[] = []
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) }
}

/** The calendar's views as staff use them: this month, a month with filters, this week, the list. */
const CALENDAR_PAGES: [string, string][] = [
  ['calendar month', ''],
  ['calendar month filtered', '?platform=instagram&status=scheduled'],
  ['calendar week', '?view=week'],
  ['calendar list', '?view=list'],
]

function calendarPages(cookie: string): Page[] {
  const request = () => new Request('http://localhost/', { headers: { Cookie: cookie } })
  return CALENDAR_PAGES.map(([name, search]) => ({
    name,
    path: `/calendar${search}`,
    // As the loader: the session, then the view (and the author filter's choices) as that user.
    queries: async () => {
      const user = await getUser(request())
      const query = parseCalendarQuery(new URLSearchParams(search))
      return getCalendar({ userId: user!.id, query, timeZone: env().SHOP_TIMEZONE })
    },
  }))
}

/**
 * `rows` calendar entries over two years around today (about 27 a day, at times from 07:00 to
 * 22:00), on every platform and by every member of the team: the past ones mostly published,
 * one in fifty a draft with no date. Written set-based by the database, as loadScale does.
 */
async function loadCalendar(db: Database, rows: number) {
  await db.execute(sql`
    insert into content_calendar (user_id, platform, content_type, title, description, scheduled_date,
                                  published, published_date, hashtags)
    select team.ids[1 + g % array_length(team.ids, 1)], p.platform::social_platform, p.kind::content_type, p.title,
           'Our ' || lower(p.title) || '. Cut from the bolt in the shop, ready to post.', s.at,
           s.at < now() and g % 10 <> 0, case when s.at < now() and g % 10 <> 0 then s.at + interval '4 minutes' end,
           jsonb_build_array('fabric', 'sewing', lower(p.colour))
    from generate_series(1, ${rows}::int) g
    cross join (select array_agg(id order by email) as ids from users) team
    cross join lateral (
      select case when g % 50 = 0 then null
        else date_trunc('day', now()) - interval '365 days' + (g * 730 / ${rows}::int) * interval '1 day'
             + (420 + (g * 37) % 900) * interval '1 minute' end as at) s
    cross join lateral (
      select c.colour, (array['instagram','facebook','pinterest'])[1 + g % 3] as platform,
             case when g % 3 = 2 then 'post' else (array['post','reel','story'])[1 + g / 3 % 3] end as kind,
             c.colour || ' ' || (array['linen','double gauze','voile','flannel','jersey'])[1 + g / 8 % 5] || ': '
               || (array['new in the shop','behind the cutting table','a customer make','how to wash it',
                         'sale ends Sunday','pattern pairing'])[1 + g / 40 % 6] as title
      from (select (array['Sage','Indigo','Mustard','Blush','Teal','Terracotta','Cream','Charcoal'])[1 + g % 8] as colour) c) p`)
  await db.execute(sql`vacuum analyze content_calendar`)
}

/**
 * The orders list as staff use it (budget: p95 < 50 ms with 1M orders): the list, each status tab,
 * a deep page, a search by customer name, by an order's number, by part of an email, and a week
 * of orders, newest first and by total. The number searched for is one in the middle.
 */
async function orderPages(db: Database, cookie: string): Promise<Page[]> {
  const timeZone = env().SHOP_TIMEZONE
  const [middle] = await rows<{ number: number }>(
    db,
    sql`select number from orders order by number offset (select count(*) / 2 from orders) limit 1`,
  )
  const today = dayOf(new Date(), timeZone)
  const week = `from=${addDays(today, -14)}&to=${addDays(today, -8)}`
  const searches: [string, string][] = [
    ['orders', ''],
    ['orders pending', '?status=pending'],
    ['orders processing', '?status=processing'],
    ['orders shipped', '?status=shipped'],
    ['orders delivered', '?status=delivered'],
    ['orders cancelled', '?status=cancelled'],
    ['orders page 200', '?page=200'],
    ['orders search name', '?q=amelia+taylor'],
    ['orders search number', `?q=${encodeURIComponent(`#${middle?.number ?? 1001}`)}`],
    ['orders search email', '?q=amelia.taylor12'],
    ['orders dates', `?${week}`],
    ['orders dates by total', `?${week}&sort=total-desc`],
  ]
  const request = () => new Request('http://localhost/', { headers: { Cookie: cookie } })
  return searches.map(([name, search]) => ({
    name,
    path: `/orders${search}`,
    // As the loader: the session, then the page with its tabs' counts.
    queries: async () => {
      const user = await getUser(request())
      return listOrders(user!.id, parseOrderQuery(new URLSearchParams(search)), { timeZone })
    },
  }))
}

/** Waits (up to 15 minutes) until no rollup job waits or runs; what became of them. */
async function rollupsDone(db: Database) {
  const deadline = Date.now() + 15 * 60_000
  for (;;) {
    const [row] = await rows<{ waiting: number; completed: number; failed: number; retried: number }>(
      db,
      sql`select count(*) filter (where state < 'completed')::int as waiting,
            count(*) filter (where state = 'completed')::int as completed,
            count(*) filter (where state = 'failed')::int as failed,
            count(*) filter (where retry_count > 0)::int as retried
          from pgboss.job where name = ${ANALYTICS_DAYS_QUEUE}`,
    )
    if (row!.waiting === 0 || Date.now() > deadline) return row!
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/**
 * A fresh database for the run: a new PostgreSQL database, or an in-memory embedded one. `handle`
 * serves the pages as the app does (as app_user); `owner` loads the data and reads it back. The
 * embedded database has one session, so there both are the owner's.
 */
async function freshDatabase() {
  const admin = process.env.BENCH_DATABASE_URL
  if (!admin) {
    const handle = createDatabase({ pgliteDir: 'memory://', owner: true })
    return { handle, owner: handle, drop: async () => {}, url: undefined, appUrl: undefined }
  }
  const name = `tara_bench_${Date.now().toString(36)}`
  const url = await recreateDatabase(name, admin)
  const owner = createDatabase({ url, poolMax: 4, owner: true })
  // The pages are served as production serves them: logged in as the app's own role.
  const login = `${name}_app`
  const appUrl = urlAs(url, login, randomBytes(18).toString('hex'))
  const handle = createDatabase({ url: appUrl, ownerUrl: url, poolMax: 20 })
  const drop = async () => {
    await owner.close()
    await dropDatabases([name], admin)
    await dropRoles([login], admin)
  }
  return { handle, owner, drop, url, appUrl }
}

await runScript(async () => {
  process.env.NODE_ENV = 'production'
  // The analytics cache is measured on the machine's Redis (BENCH_REDIS_URL=0 measures without one).
  const benchRedis = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
  if (benchRedis !== '0') process.env.REDIS_URL = benchRedis
  process.env.SESSION_SECRET ??= 'bench-only-session-secret-0123456789abcdef'
  buildIfNeeded()
  // The pages are served by the build, as `npm start` serves them; the bench's own calls to the
  // models (queries timed alone, sign-in) load them from source: both are given the database.
  const { build, app } = await loadBuild()
  const { handle, owner, drop, url: databaseUrl, appUrl: appDatabaseUrl } = await freshDatabase()
  setDatabase(handle)
  app.setDatabase(handle)
  try {
    await handle.migrate()
    await loadDemo(owner.db)
    const scale = process.env.BENCH_SCALE === '1'
    if (scale) await loadScale(owner.db)
    const handler = createRequestHandler(build, 'production')
    const data = scale ? 'the demo + 100k fabrics, 1M orders, 2M analytics rows' : 'the demo'
    console.log(`Tara Hub bench: ${handle.driver} database with ${data}, ${ITERATIONS} requests per page\n`)
    const header = 'page        bytes (gzip)  server p50  server p95  queries p50  queries p95  ratio p50'
    console.log(header)
    const cookie = await signIn(handler)
    // Every page measured, for the same pages through the real server over HTTP afterwards.
    const httpPages: HttpPage[] = []
    const measure = async (page: Page) => {
      const headers = page.queries ? { Cookie: cookie } : undefined
      // As the server serves it (server/app.ts): the loaders of one request share one scope.
      const request = () =>
        new Promise<Response>((resolve, reject) =>
          app.withRequestScope(() => handler(new Request(`http://localhost${page.path}`, { headers })).then(resolve, reject)),
        )
      const response = await request()
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`)
      const html = Buffer.from(await response.arrayBuffer())
      const gzipBytes = gzipSync(html).length
      const server = await time(async () => (await request()).arrayBuffer())
      const queries = page.queries ? await time(page.queries) : undefined
      httpPages.push({
        name: page.name,
        path: page.path,
        signedIn: Boolean(page.queries),
        inProcessP50: server.p50,
        sqlP50: queries?.p50,
      })
      const ms = (v: number | undefined, width: number) => (v === undefined ? '—' : `${v.toFixed(2)} ms`).padStart(width)
      console.log(
        [
          page.name.padEnd(10),
          `${(gzipBytes / 1024).toFixed(1)} KB`.padStart(13),
          ms(server.p50, 11),
          ms(server.p95, 11),
          ms(queries?.p50, 12),
          ms(queries?.p95, 12),
          (queries ? `${(server.p50 / queries.p50).toFixed(2)}×` : '—').padStart(10),
        ].join(' '),
      )
      const js = scriptBytes(html.toString())
      if (js.bytes >= jsMax.bytes) jsMax = { bytes: js.bytes, page: page.name }
      const scripts = js.count ? `${(js.bytes / 1024).toFixed(1)} KB gzip of JavaScript in ${js.count} deferred script(s)` : 'no JavaScript'
      console.log(`${''.padEnd(10)} (${html.length} bytes of HTML before gzip; ${scripts})`)
    }
    for (const page of pages(cookie)) await measure(page)
    const jsLine = () =>
      console.log(
        `\nJavaScript: at most ${(jsMax.bytes / 1024).toFixed(1)} KB gzip on any page (${jsMax.page}); budget ${JS_BUDGET_BYTES / 1024} KB${jsMax.bytes > JS_BUDGET_BYTES ? ': OVER BUDGET' : ''}`,
      )
    jsLine()
    // The content calendar with a busy shop's two years of entries (budget: p95 < 50 ms, ≤ 40 KB).
    const calendarRows = Number(process.env.BENCH_CALENDAR_ROWS ?? 20_000)
    if (calendarRows > 0) {
      await loadCalendar(owner.db, calendarRows)
      console.log(
        `\nContent calendar, ${calendarRows.toLocaleString('en-GB')} more entries over two years around today (${env().SHOP_TIMEZONE}):`,
      )
      console.log(header)
      for (const page of calendarPages(cookie)) await measure(page)
    }
    // The orders list: with BENCH_SCALE=1, a million orders (budget: p95 < 50 ms for every page).
    const [orderCount] = await rows<{ n: number }>(owner.db, sql`select count(*)::int as n from orders`)
    console.log(`\nOrders list, ${Number(orderCount?.n ?? 0).toLocaleString('en-GB')} orders (${env().SHOP_TIMEZONE}):`)
    console.log(header)
    for (const page of await orderPages(owner.db, cookie)) await measure(page)
    jsLine()
    // Placing a two-line order (budget: < 20 ms server time), as the form posts it.
    const admin = await getUser(new Request('http://localhost/', { headers: { Cookie: cookie } }))
    const placing = await benchPlaceOrder({
      db: owner.db,
      actor: { id: admin!.id, role: admin!.role },
      time,
      post: (body) =>
        new Promise<Response>((resolve, reject) =>
          app.withRequestScope(() =>
            handler(
              new Request('http://localhost/orders/new', {
                method: 'POST',
                headers: {
                  Cookie: cookie,
                  'Content-Type': 'application/x-www-form-urlencoded',
                  Origin: 'http://localhost',
                  Host: 'localhost',
                },
                body,
              }),
            ).then(resolve, reject),
          ),
        ),
    })
    const ms = (v: number) => `${v.toFixed(2)} ms`
    console.log(
      `\nPlacing a two-line order: server p50 ${ms(placing.server.p50)}, p95 ${ms(placing.server.p95)}; placeOrder alone p50 ${ms(placing.model.p50)}, p95 ${ms(placing.model.p95)}`,
    )
    // Analytics: the rollup of a year and the 90-day dashboard, with and without the cache.
    const analytics = await benchAnalytics({
      db: owner.db,
      get: (path) =>
        new Promise<Response>((resolve, reject) =>
          app.withRequestScope(() =>
            handler(new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })).then(resolve, reject),
          ),
        ),
      redisUrl: benchRedis === '0' ? null : benchRedis,
      time,
      iterations: ITERATIONS,
    })
    httpPages.push({ ...analytics, name: 'analytics 90 days', signedIn: true })
    // Every page above through the real server over HTTP, then 50 staff at once (PostgreSQL only:
    // the embedded database has one connection, which this process holds).
    if (databaseUrl && appDatabaseUrl && process.env.BENCH_HTTP !== '0') {
      const server = await startServer({ databaseUrl, appDatabaseUrl })
      try {
        await benchOverHttp({ server, cookie, pages: httpPages })
        const cookies = []
        for (let i = 0; i < 50; i++) cookies.push(await signIn(handler))
        const fabricIds = await rows<{ id: string }>(owner.db, sql`select id from fabrics order by id limit 50`)
        const orderIds = await rows<{ id: string }>(owner.db, sql`select id from orders order by id limit 50`)
        await benchSessions(server, {
          cookies,
          fabricIds: fabricIds.map((r) => r.id),
          orderIds: orderIds.map((r) => r.id),
        })
      } finally {
        await server.stop()
      }
    }
    // Backup and restore of the whole database (PostgreSQL only: pg_dump and pg_restore).
    if (databaseUrl) await benchBackup({ url: databaseUrl, adminUrl: process.env.BENCH_DATABASE_URL! })
    // The Etsy listings import, on the same database: a file of new listings, the same file
    // again (every row matched by SKU, nothing to change), then one that changes every listing.
    const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)
    if (importRows > 0) {
      console.log(`\nEtsy listings import, ${importRows.toLocaleString('en-GB')} rows (budget 30 s):`)
      for (const [run, seed] of [
        ['new listings', 7],
        ['the same file again', 7],
        ['every listing changed', 8],
      ] as const) {
        const r = await benchImport({ rows: importRows, seed })
        const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
        console.log(
          `  ${run.padEnd(22)} preview ${s(r.planMs).padStart(7)}   confirm ${s(r.importMs).padStart(7)}   total ${s(r.planMs + r.importMs).padStart(7)}   (${(r.fileBytes / 1024 / 1024).toFixed(1)} MB file)`,
        )
      }
    }
    // The Etsy orders import on the same database (its listings are the ones just imported).
    const orderRows = Number(process.env.BENCH_ORDER_ROWS ?? 100_000)
    if (importRows > 0 && orderRows > 0) {
      console.log(`\nEtsy orders import, ${orderRows.toLocaleString('en-GB')} orders, both files (budget 30 s):`)
      // The rollups each import asks for run on the job queue, as in the app, while the next runs.
      await startJobs(handle, { work: true, kinds: JOB_KINDS.filter((k) => k.name === ANALYTICS_DAYS_QUEUE) })
      try {
        await benchOrdersRuns({ orders: orderRows, listings: importRows })
        const started = performance.now()
        const rollups = await rollupsDone(owner.db)
        console.log(
          `  the rollups of every imported day (job queue): ${rollups.completed} job(s) completed, ${rollups.failed} failed, ` +
            `${rollups.retried} tried again; the last done ${((performance.now() - started) / 1000).toFixed(1)} s after the last import`,
        )
      } finally {
        await stopJobs({ timeoutMs: 60_000 })
      }
    }
  } finally {
    await handle.close()
    await drop()
    await closeRedisClients()
  }
  if (process.env.BENCH_BROWSER !== '0') await benchInBrowser()
})
