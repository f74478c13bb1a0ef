// `npm run bench`: for each page, the bytes a browser receives (HTML gzip, as the server's
// compression sends it) and the server time p50/p95 of a whole request next to the time of
// the page's own queries alone, measured in one process on a database loaded with the demo.
// The embedded database by default; BENCH_DATABASE_URL=postgres://… for a fresh PostgreSQL database.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import pg from 'pg'
import { getDashboard } from '~/models/dashboard.server'
import { loadDemo } from '~/models/demo.server'
import { listFabrics } from '~/models/fabric.server'
import { createDatabase, setDatabase } from '~/services/db.server'
import { env } from '~/services/env.server'
import { runScript } from './lib'

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300)
const WARMUP = 30

interface Page {
  name: string
  path: string
  /** The page's own queries, called the way its loader calls them. */
  queries: () => Promise<unknown>
}

const pages: Page[] = [
  {
    name: 'dashboard',
    path: '/',
    queries: () => getDashboard({ lowStockThreshold: env().LOW_STOCK_THRESHOLD }),
  },
  { name: 'fabrics', path: '/fabrics', queries: () => listFabrics() },
]

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
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

/** A fresh database for the run: a new PostgreSQL database, or an in-memory embedded one. */
async function freshDatabase() {
  const admin = process.env.BENCH_DATABASE_URL
  if (!admin) return { handle: createDatabase({ pgliteDir: 'memory://' }), drop: async () => {} }
  const name = `tara_bench_${Date.now().toString(36)}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`create database ${name}`) // our own [a-z0-9_] name
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    handle: createDatabase({ url: url.toString(), poolMax: 20 }),
    drop: async () => {
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

await runScript(async () => {
  process.env.NODE_ENV = 'production'
  process.env.SESSION_SECRET ??= 'bench-only-session-secret-0123456789abcdef'
  const serverBuild = path.resolve('build/server/index.js')
  if (!existsSync(serverBuild)) {
    const built = spawnSync('npx', ['remix', 'vite:build'], { stdio: 'inherit' })
    if (built.status !== 0) throw new Error('build failed')
  }
  const { handle, drop } = await freshDatabase()
  setDatabase(handle)
  try {
    await handle.migrate()
    await loadDemo(handle.db)
    const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild
    const handler = createRequestHandler(build, 'production')
    console.log(`Tara Hub bench: ${handle.driver} database with the demo, ${ITERATIONS} requests per page\n`)
    console.log('page        bytes (gzip)  server p50  server p95  queries p50  queries p95  ratio p50')
    for (const page of pages) {
      const request = () => handler(new Request(`http://localhost${page.path}`))
      const response = await request()
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`)
      const html = Buffer.from(await response.arrayBuffer())
      const gzipBytes = gzipSync(html).length
      const server = await time(async () => (await request()).arrayBuffer())
      const queries = await time(page.queries)
      console.log(
        [
          page.name.padEnd(10),
          `${(gzipBytes / 1024).toFixed(1)} KB`.padStart(13),
          `${server.p50.toFixed(2)} ms`.padStart(11),
          `${server.p95.toFixed(2)} ms`.padStart(11),
          `${queries.p50.toFixed(2)} ms`.padStart(12),
          `${queries.p95.toFixed(2)} ms`.padStart(12),
          `${(server.p50 / queries.p50).toFixed(2)}×`.padStart(10),
        ].join(' '),
      )
      console.log(`${''.padEnd(10)} (${html.length} bytes of HTML before gzip, no client JavaScript)`)
    }
  } finally {
    await handle.close()
    await drop()
  }
})
