// The pages through the real server over HTTP (DESIGN.md §8: a list page costs at most twice its
// own SQL, measured through `npm start` with compression and middleware, not only in-process):
// `npm start` (server/index.ts under tsx, production) on the bench's PostgreSQL database, driven
// by autocannon with the bench's session cookie, gzip accepted, a fixed duration: each page with
// a few connections (its throughput, and p50/p99 under that load) and with one (the time one
// person waits). A static file and /healthz from the same run are the yardstick. Then many staff
// at once (benchSessions): 50 sessions, each a request every 2 s, for a minute.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { freePort } from './free-port'
import { percentile } from './lib'

export interface HttpPage {
  name: string
  path: string
  /** Sent signed in (the bench's session cookie). */
  signedIn: boolean
  /** The page's server time p50 in-process (Remix's handler alone), in ms. */
  inProcessP50?: number
  /** The p50 of the page's own queries, in ms (in-process), when it has any. */
  sqlP50?: number
}

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 4)
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5)

export interface RunningServer {
  appUrl: string
  pid: number
  /** Stops the server and waits for it (a CPU profile is written at exit). */
  stop(): Promise<void>
}

/** `npm start` as production runs it, on the given database; resolves once it answers. */
export async function startServer({ databaseUrl, appDatabaseUrl }: { databaseUrl: string; appDatabaseUrl: string }): Promise<RunningServer> {
  const port = await freePort()
  const appUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    APP_DATABASE_URL: appDatabaseUrl,
    // Required by a production start; nothing is mailed during the bench.
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
  }
  delete env.REDIS_URL
  // What `npm start` runs (tsx server/index.ts), as one process, so that its memory can be read.
  // BENCH_HTTP_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_HTTP_PROFILE
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--import', 'tsx', 'server/index.ts']
  const child = spawn(process.execPath, args, { env })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Tara Hub is ready')) resolve()
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)))
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    appUrl,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** One page under load: after a second unmeasured (the server's JIT warms to that page first). */
export async function load(url: string, headers: Record<string, string>, connections = CONNECTIONS, seconds = SECONDS) {
  await autocannon({ url, connections, duration: 1, headers })
  // Every response's time, for exact percentiles (autocannon's own summary has no p95).
  const times: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections, duration: seconds, headers }, (error, done) => (error ? reject(error) : resolve(done)))
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms))
  })
  times.sort((a, b) => a - b)
  const failed = result.errors + result.timeouts + result.non2xx
  const at = (p: number) => percentile(times, p)
  return { rps: result.requests.average, p50: at(50), p95: at(95), p99: at(99), failed }
}

/** Prints requests/s, p50 and p99 for each page, next to its in-process and SQL times, and the yardsticks. */
export async function benchOverHttp({
  server,
  cookie,
  pages,
}: {
  server: RunningServer
  cookie: string
  pages: HttpPage[]
}) {
  const gzip = { 'Accept-Encoding': 'gzip' }
  const ms = (v: number | undefined, width: number, digits = 1) => (v === undefined ? '—' : v.toFixed(digits)).padStart(width)
  console.log(
    `\nThrough npm start over HTTP (autocannon, gzip; ${CONNECTIONS} connections for ${SECONDS} s, then 1 for ${SECONDS} s):`,
  )
  console.log(
    `page                      requests/s  p50 ms  p95 ms  p99 ms │ 1 conn p50  in-process p50  SQL p50  1 conn / SQL  ${CONNECTIONS} conns / SQL`,
  )
  const row = (name: string, r: Awaited<ReturnType<typeof load>>, one?: Awaited<ReturnType<typeof load>>, page?: HttpPage) =>
    console.log(
      [
        name.padEnd(24),
        r.rps.toFixed(0).padStart(11),
        ms(r.p50, 7),
        ms(r.p95, 7),
        ms(r.p99, 7),
        ' │',
        ms(one?.p50, 10),
        ms(page?.inProcessP50, 15, 2),
        ms(page?.sqlP50, 8, 2),
        (one && page?.sqlP50 ? `${(one.p50 / page.sqlP50).toFixed(1)}×` : '—').padStart(13),
        (page?.sqlP50 ? `${(r.p50 / page.sqlP50).toFixed(1)}×` : '—').padStart(14),
        r.failed || one?.failed ? `  ${r.failed + (one?.failed ?? 0)} FAILED` : '',
      ].join(' '),
    )
  const healthz = await load(`${server.appUrl}/healthz`, gzip)
  row('/healthz', healthz)
  row('static file', await load(`${server.appUrl}/robots.txt`, gzip))
  for (const page of pages) {
    const headers = page.signedIn ? { ...gzip, Cookie: cookie } : gzip
    const url = `${server.appUrl}${page.path}`
    const loaded = await load(url, headers)
    // One connection: what one person waits, with nobody else on the server.
    const alone = await load(url, headers, 1)
    row(page.name, loaded, alone, page)
    if (page.path === '/fabrics') {
      console.log(`${''.padEnd(24)} ${((loaded.rps / healthz.rps) * 100).toFixed(0)}% of /healthz's requests/s`)
    }
  }
}

/** What each simulated member of staff does, in turn, one request every 2 s. */
export interface SessionMix {
  /** One signed-in session cookie per member of staff. */
  cookies: string[]
  /** Fabrics to look at and count stock on (one per session, in turn). */
  fabricIds: string[]
  /** Orders to open (one per session, in turn). */
  orderIds: string[]
}

interface Step {
  method: 'GET' | 'POST'
  path: string
  body?: string
  /** The answer expected: a page, or the redirect after a form post, or a form error. */
  status: number
}

/** A staff member's round: lists, views, a stock count in and out, a form sent with a mistake. */
function round(fabricId: string, orderId: string): Step[] {
  const adjust = (fields: Record<string, string>) => new URLSearchParams({ intent: 'adjust', ...fields }).toString()
  return [
    { method: 'GET', path: '/', status: 200 },
    { method: 'GET', path: '/fabrics', status: 200 },
    { method: 'GET', path: '/fabrics?q=linen', status: 200 },
    { method: 'GET', path: `/fabrics/${fabricId}`, status: 200 },
    { method: 'POST', path: `/fabrics/${fabricId}`, body: adjust({ direction: 'add', quantity: '1', reason: 'received' }), status: 302 },
    { method: 'GET', path: '/orders', status: 200 },
    { method: 'GET', path: `/orders/${orderId}`, status: 200 },
    { method: 'GET', path: '/calendar', status: 200 },
    { method: 'POST', path: `/fabrics/${fabricId}`, body: adjust({ direction: 'remove', quantity: 'two', reason: 'sold' }), status: 400 },
    { method: 'POST', path: `/fabrics/${fabricId}`, body: adjust({ direction: 'remove', quantity: '1', reason: 'correction' }), status: 302 },
    { method: 'GET', path: '/orders?status=pending', status: 200 },
    { method: 'GET', path: '/calendar?view=week', status: 200 },
  ]
}

/** The server's resident memory, in MB (Linux). */
function residentMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
  return line ? Number(line[1]) / 1024 : NaN
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * DESIGN.md's many-at-once check: `cookies.length` sessions (50), each a request every 2 s
 * (spread over the first 2 s), for BENCH_SESSIONS_SECONDS (60): prints the answers that were not
 * the expected ones, p50/p95/p99, and the server's memory after the first 10 s and at the end.
 */
export async function benchSessions(server: RunningServer, mix: SessionMix) {
  const seconds = Number(process.env.BENCH_SESSIONS_SECONDS ?? 60)
  const every = 2_000
  const latencies: number[] = []
  const unexpected = new Map<string, number>()
  const memory: number[] = []
  const sampling = setInterval(() => memory.push(residentMb(server.pid)), 1_000)
  const endAt = performance.now() + seconds * 1_000
  const member = async (i: number) => {
    const steps = round(mix.fabricIds[i % mix.fabricIds.length]!, mix.orderIds[i % mix.orderIds.length]!)
    await sleep((i / mix.cookies.length) * every)
    for (let n = 0; performance.now() < endAt; n++) {
      const step = steps[n % steps.length]!
      const started = performance.now()
      let outcome: string
      try {
        const response = await fetch(`${server.appUrl}${step.path}`, {
          method: step.method,
          redirect: 'manual',
          headers: {
            Cookie: mix.cookies[i]!,
            'Accept-Encoding': 'gzip',
            ...(step.body ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.appUrl } : {}),
          },
          body: step.body,
        })
        await response.arrayBuffer()
        outcome = response.status === step.status ? '' : `${step.method} ${step.path.split('?')[0]} answered ${response.status}`
      } catch (error) {
        outcome = `${step.method} ${step.path.split('?')[0]}: ${(error as Error).message}`
      }
      const took = performance.now() - started
      latencies.push(took)
      if (outcome) unexpected.set(outcome, (unexpected.get(outcome) ?? 0) + 1)
      await sleep(Math.max(0, every - took))
    }
  }
  await Promise.all(mix.cookies.map((_, i) => member(i)))
  clearInterval(sampling)
  latencies.sort((a, b) => a - b)
  const at = (p: number) => percentile(latencies, p).toFixed(1)
  const settled = memory[Math.min(9, memory.length - 1)]!
  const last = memory.at(-1)!
  console.log(
    `\n${mix.cookies.length} staff at once (a request every 2 s each: dashboard, lists, a fabric, an order, stock in and out, a form with a mistake) for ${seconds} s:`,
  )
  console.log(
    `  ${latencies.length} requests, ${[...unexpected.values()].reduce((a, b) => a + b, 0)} not answered as expected; p50 ${at(50)} ms, p95 ${at(95)} ms (budget 100 ms), p99 ${at(99)} ms`,
  )
  for (const [what, count] of unexpected) console.log(`  ${count} × ${what}`)
  console.log(
    `  server memory: ${settled.toFixed(0)} MB after 10 s, ${Math.max(...memory).toFixed(0)} MB at most, ${last.toFixed(0)} MB at the end (${last >= settled ? '+' : ''}${(((last - settled) / settled) * 100).toFixed(0)}%)`,
  )
}
