// `npm test`: typecheck, lint, db:check, vitest, then build + Playwright — all of it, in that order.
// It first checks its prerequisites and names what is missing with the command that fixes it.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { Redis } from 'ioredis'
import pg from 'pg'
import { runScript, ScriptError } from './lib'
import { ADMIN_URL } from './pg-admin'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'
const REDIS_URL = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL
const PG_CA_FILE = process.env.TEST_PG_CA_FILE ?? '/etc/postgresql-common/tara-test-ca.crt'

async function checkPrerequisites() {
  if (!existsSync(chromium)) {
    throw new ScriptError(
      `Chromium is missing at ${chromium}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH).`,
    )
  }
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 })
  let ssl: string | undefined
  try {
    await client.connect()
    ssl = (await client.query<{ ssl: string }>('show ssl')).rows[0]?.ssl
  } catch {
    throw new ScriptError(
      'No PostgreSQL answers at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`.',
    )
  } finally {
    await client.end().catch(() => undefined)
  }
  if (ssl !== 'on' || !existsSync(PG_CA_FILE)) {
    const what = ssl === 'on' ? `The test CA is missing at ${PG_CA_FILE} (TEST_PG_CA_FILE)` : 'TLS is off on PostgreSQL'
    throw new ScriptError(`${what}, which the TLS tests need: set it up with \`bash .ci/postgres-tls\`.`)
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    await redis.ping()
  } catch {
    throw new ScriptError(
      `No Redis answers at TEST_REDIS_URL (default ${DEFAULT_REDIS_URL}): start it with \`redis-server --daemonize yes\` (Debian's package redis-server).`,
    )
  } finally {
    redis.disconnect()
  }
}

// Each step is an npm script, so that it can also be run on its own.
const steps = ['typecheck', 'lint', 'db:check', 'test:unit', 'test:e2e']

// The JSON reports vitest and Playwright write (see their configs), summed into one closing line.
const REPORTS = ['.cache/vitest-report.json', '.cache/playwright-report.json']

function countTests() {
  let passed = 0
  let failed = 0
  for (const file of REPORTS.filter((f) => existsSync(f))) {
    const report = JSON.parse(readFileSync(file, 'utf8'))
    if (report.stats) {
      passed += report.stats.expected + report.stats.flaky
      failed += report.stats.unexpected
    } else {
      passed += report.numPassedTests
      failed += report.numFailedTests
    }
  }
  return `tests: ${passed} passed, ${failed} failed`
}

await runScript(async () => {
  await checkPrerequisites()
  for (const file of REPORTS) rmSync(file, { force: true })
  const timings: string[] = []
  for (const name of steps) {
    console.log(`\n▶ npm run ${name}`)
    const started = Date.now()
    const result = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' })
    timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)}s`)
    if (result.status !== 0) throw new ScriptError(`✗ ${name} failed (${timings.join(', ')})\n${countTests()}`)
  }
  console.log(`\n✓ all checks passed (${timings.join(', ')})\n${countTests()}`)
})
