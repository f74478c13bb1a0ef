// The pages through the real server over HTTP (DESIGN.md §8: a list page costs at most twice its
// own SQL, measured through `npm start` with compression and middleware, not only in-process):
// `npm start` (tsx server/index.ts, production) on the bench's PostgreSQL database, driven by
// autocannon with the bench's session cookie, gzip accepted, a few connections, a fixed duration.
// A static file and /healthz from the same run are the yardstick.
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { freePort } from './free-port'

export interface HttpPage {
  name: string
  path: string
  /** Sent signed in (the bench's session cookie). */
  signedIn: boolean
  /** The p50 of the page's own queries, in ms (in-process), when it has any. */
  sqlP50?: number
}

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 4)
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5)

/** `npm start` as production runs it, on the given database; resolves once it answers. */
export async function startServer({ databaseUrl, appDatabaseUrl }: { databaseUrl: string; appDatabaseUrl: string }) {
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
  // BENCH_HTTP_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_HTTP_PROFILE
  const [command, ...args] = profile
    ? ['node', '--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx', 'server/index.ts']
    : ['npx', 'tsx', 'server/index.ts']
  const child = spawn(command!, args, { env, detached: true })
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
    /** Stops npx, tsx and the server together, and waits for them (a CPU profile is written at exit). */
    stop: async () => {
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    },
  }
}

/** One page under load: after a second unmeasured (the server's JIT warms to that page first). */
export async function load(url: string, headers: Record<string, string>) {
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers })
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers })
  const failed = result.errors + result.timeouts + result.non2xx
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed }
}

/** Prints requests/s, p50 and p99 for each page, next to its SQL time, and the yardsticks. */
export async function benchOverHttp({
  databaseUrl,
  appDatabaseUrl,
  cookie,
  pages,
}: {
  databaseUrl: string
  appDatabaseUrl: string
  cookie: string
  pages: HttpPage[]
}) {
  const server = await startServer({ databaseUrl, appDatabaseUrl })
  try {
    const gzip = { 'Accept-Encoding': 'gzip' }
    console.log(`\nThrough npm start over HTTP (autocannon, ${CONNECTIONS} connections, ${SECONDS} s each, gzip):`)
    console.log('page                 requests/s    p50 ms    p99 ms   SQL p50   p50 / SQL')
    const row = (name: string, r: Awaited<ReturnType<typeof load>>, sqlP50?: number) =>
      console.log(
        [
          name.padEnd(20),
          r.rps.toFixed(0).padStart(11),
          r.p50.toFixed(1).padStart(9),
          r.p99.toFixed(1).padStart(9),
          (sqlP50 === undefined ? '—' : sqlP50.toFixed(2)).padStart(9),
          (sqlP50 === undefined ? '—' : `${(r.p50 / sqlP50).toFixed(1)}×`).padStart(11),
          r.failed ? `  ${r.failed} FAILED` : '',
        ].join(' '),
      )
    const healthz = await load(`${server.appUrl}/healthz`, gzip)
    row('/healthz', healthz)
    row('static file', await load(`${server.appUrl}/robots.txt`, gzip))
    for (const page of pages) {
      const result = await load(`${server.appUrl}${page.path}`, page.signedIn ? { ...gzip, Cookie: cookie } : gzip)
      row(page.name, result, page.sqlP50)
      if (page.path === '/fabrics') {
        console.log(`${''.padEnd(20)} ${((result.rps / healthz.rps) * 100).toFixed(0)}% of /healthz's requests/s`)
      }
    }
  } finally {
    await server.stop()
  }
}
