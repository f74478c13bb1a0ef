// REDIS_URL set, but Redis unreachable: a port where nothing listens, and a "blackhole" that
// accepts connections and never answers (the worse case: nothing fails, everything waits).
// Sign-in still works (its rate limits fall back to the database) and the analytics dashboard
// still loads (uncached), each within 200 ms of what it costs without Redis. Measured: medians of
// several calls, each bounded so that a hang fails the test instead of stalling it.
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getAnalyticsDashboard } from '~/models/analytics-dashboard.server'
import { action as loginAction } from '~/routes/login._index'
import { LINK_REQUEST_MIN_MS } from '~/auth/auth.server'
import { LOGIN_LIMITS, takeRateLimit } from '~/auth/rate-limit.server'
import { closeRedisClients } from '~/services/redis.server'
import { addDays, type Day } from '~/utils/dates'
import { freePort } from '../../scripts/free-port'
import { useMigratedDatabase } from '../setup/databases'
import { captureLogs } from '../setup/logs'

// A server that takes every connection and never says a word.
const held = new Set<net.Socket>()
const blackhole = net.createServer((socket) => {
  held.add(socket)
  socket.on('close', () => held.delete(socket))
})
await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve))
const BLACKHOLE_URL = `redis://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`
const DOWN_URL = `redis://127.0.0.1:${await freePort()}`

// Read by env() on first use: the app's own Redis is the blackhole; mail goes to the dev outbox.
process.env.REDIS_URL = BLACKHOLE_URL
delete process.env.SMTP_URL

const BOUND_MS = 5000
const MARGIN_MS = 200

/** How long `run` takes; a call that takes more than BOUND_MS fails as hung. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${BOUND_MS} ms`)), BOUND_MS)
  })
  try {
    const value = await Promise.race([run(), hung])
    return { value, ms: performance.now() - start }
  } finally {
    clearTimeout(timer)
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** The median time of `times` calls of `run` (after one untimed call that warms the path). */
async function medianMs<T>(times: number, run: (i: number) => Promise<T>, check: (value: T) => void) {
  check((await timed(() => run(-1))).value)
  const samples: number[] = []
  for (let i = 0; i < times; i++) {
    const { value, ms } = await timed(() => run(i))
    check(value)
    samples.push(ms)
  }
  return median(samples)
}

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}`

describe('Redis set but unreachable', () => {
  useMigratedDatabase('postgres')
  let logs: ReturnType<typeof captureLogs>

  beforeAll(() => {
    logs = captureLogs()
  })
  afterAll(async () => {
    await closeRedisClients()
    for (const socket of held) socket.destroy()
    await new Promise<void>((resolve) => blackhole.close(() => resolve()))
    logs.restore()
  })

  const stores = { 'nothing listening': DOWN_URL, 'a blackhole': BLACKHOLE_URL }

  it('counts rate limits in the database instead, within 200 ms of no Redis at all', async () => {
    const allowed = (result: { allowed: boolean }) => expect(result.allowed).toBe(true)
    const take = (redisUrl: string | null) => () => takeRateLimit(LOGIN_LIMITS.perIp, `redis-test-${unique()}`, { redisUrl })
    const none = await medianMs(5, take(null), allowed)
    for (const [name, url] of Object.entries(stores)) {
      const ms = await medianMs(5, take(url), allowed)
      console.info(`rate limit: no Redis ${none.toFixed(1)} ms, Redis ${name} ${ms.toFixed(1)} ms`)
      expect(ms, `Redis ${name}`).toBeLessThan(none + MARGIN_MS)
    }
  })

  it('signs in through /login (REDIS_URL is the blackhole): the same page, no 500, in its usual time', async () => {
    // Without Redis, the answer takes its floor plus the per-address limit (in the database).
    const limitMs = await medianMs(
      3,
      () => takeRateLimit(LOGIN_LIMITS.perIp, `redis-test-${unique()}`, { redisUrl: null }),
      (result) => expect(result.allowed).toBe(true),
    )
    const ms = await medianMs(
      3,
      async () => {
        const email = `nobody.${unique()}@example.com`
        const request = new Request('http://localhost:3000/login', {
          method: 'POST',
          body: new URLSearchParams({ email, redirectTo: '/' }),
        })
        return { email, result: await loginAction({ request, context: { clientIp: `redis-ip-${unique()}` }, params: {} }) }
      },
      ({ email, result }) => expect(result).toMatchObject({ result: null, sentTo: email }),
    )
    console.info(
      `/login with REDIS_URL at a blackhole: ${ms.toFixed(0)} ms (without Redis: floor ${LINK_REQUEST_MIN_MS} ms + limit ${limitMs.toFixed(0)} ms)`,
    )
    expect(ms).toBeLessThan(LINK_REQUEST_MIN_MS + limitMs + MARGIN_MS)
  })

  it('loads the analytics dashboard uncached, within 200 ms of no Redis at all', async () => {
    const to: Day = '2026-03-31'
    const query = (i: number) => ({ from: addDays(to, -30 - i), to, platform: '' as const })
    const loaded = (dashboard: unknown) => expect(dashboard).toHaveProperty('totals')
    const none = await medianMs(5, (i) => getAnalyticsDashboard(query(i), { redisUrl: null }), loaded)
    for (const [name, url] of Object.entries(stores)) {
      const ms = await medianMs(5, (i) => getAnalyticsDashboard(query(i), { redisUrl: url }), loaded)
      console.info(`analytics dashboard: no Redis ${none.toFixed(1)} ms, Redis ${name} ${ms.toFixed(1)} ms`)
      expect(ms, `Redis ${name}`).toBeLessThan(none + MARGIN_MS)
    }
  })

  it('says so in the log once per outage, without the URL', () => {
    const lines = logs.lines().map((line) => `${line.level} ${line.msg}`)
    const about = lines.filter((line) => /redis/i.test(line))
    console.info(about.join('\n'))
    expect(about.length).toBeGreaterThan(0)
    // One line per client and area at most: not one per request.
    expect(about.length).toBeLessThanOrEqual(6)
    for (const line of about) {
      expect(line).not.toContain('redis://')
      expect(line).not.toContain('127.0.0.1')
    }
  })
})
