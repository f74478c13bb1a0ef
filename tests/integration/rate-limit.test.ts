// Rate limits on every database driver and on the real Redis: the same sliding window everywhere.
// Time is moved by ageing the stored hits (rows' `at`, sorted-set scores), never by sleeping.
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneRateLimits } from '~/models/rate-limit.server'
import { rateLimitHits } from '~/models/schema'
import { rows, setDatabase, type Database } from '~/services/db.server'
import {
  LOGIN_LIMITS,
  rateLimitKey,
  REDIS_KEY_PREFIX,
  takeRateLimit,
  type RateLimitRule,
} from '~/auth/rate-limit.server'
import { closeRedisClients } from '~/services/redis.server'
import { openTarget, TARGETS, type OpenTarget } from '../setup/databases'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const WINDOW_MS = 15 * 60_000
const EMAIL = 'rate.limited@example.com'
const OTHER_EMAIL = 'someone.else@example.com'
const IP = '203.0.113.7'
const run = randomBytes(4).toString('hex')
let ruleCount = 0
/** A rule no other test or run shares. */
const freshRule = (limit = 5, windowMs = WINDOW_MS): RateLimitRule => ({
  name: `test-${run}-${++ruleCount}`,
  limit,
  windowMs,
})

/** What a test needs from a store besides takeRateLimit. */
interface Store {
  take(rule: RateLimitRule, subject: string): ReturnType<typeof takeRateLimit>
  /** Moves every stored hit of this rule and subject `ms` into the past. */
  age(rule: RateLimitRule, subject: string, ms: number): Promise<void>
  /** How many hits are stored for this rule and subject. */
  stored(rule: RateLimitRule, subject: string): Promise<number>
  /** Every stored key (database keys, Redis key names). */
  keys(): Promise<string[]>
  concurrent: boolean
}

const STORES = [...TARGETS, 'redis'] as const

describe.each(STORES)('rate limits on %s', (target) => {
  let open: OpenTarget | undefined
  let redis: Redis | undefined
  let store: Store
  /** The Redis keys this run wrote, deleted at the end. */
  const touched = new Set<string>()

  beforeAll(async () => {
    if (target === 'redis') {
      const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 })
      redis = client
      const redisKey = (rule: RateLimitRule, subject: string) => `${REDIS_KEY_PREFIX}${rateLimitKey(rule, subject)}`
      store = {
        take: (rule, subject) => {
          touched.add(redisKey(rule, subject))
          return takeRateLimit(rule, subject, { redisUrl: REDIS_URL })
        },
        async age(rule, subject, ms) {
          const key = redisKey(rule, subject)
          const entries = await client.zrange(key, '0', '-1', 'WITHSCORES')
          for (let i = 0; i < entries.length; i += 2) {
            // Scores are microseconds.
            await client.zadd(key, 'XX', String(Number(entries[i + 1]) - ms * 1000), entries[i]!)
          }
        },
        stored: (rule, subject) => client.zcard(redisKey(rule, subject)),
        keys: () => client.keys(`${REDIS_KEY_PREFIX}*`),
        concurrent: true,
      }
      return
    }
    const opened = await openTarget(target)
    open = opened
    const db: Database = setDatabase(opened.handle).db
    await opened.handle.migrate()
    store = {
      take: (rule, subject) => takeRateLimit(rule, subject, { redisUrl: null }),
      async age(rule, subject, ms) {
        await db.execute(
          sql`update ${rateLimitHits} set at = at - (${ms}::float8 * interval '1 millisecond')
              where key = ${rateLimitKey(rule, subject)}`,
        )
      },
      async stored(rule, subject) {
        const [row] = await rows<{ n: number }>(
          db,
          sql`select count(*)::int as n from ${rateLimitHits} where key = ${rateLimitKey(rule, subject)}`,
        )
        return Number(row?.n)
      },
      keys: async () => (await db.selectDistinct({ key: rateLimitHits.key }).from(rateLimitHits)).map((r) => r.key),
      // PGlite has one connection; its hits are serialised anyway.
      concurrent: target !== 'pglite',
    }
  })

  afterAll(async () => {
    if (redis) {
      if (touched.size) await redis.del(...touched)
      await redis.quit()
      await closeRedisClients()
    }
    await open?.dispose()
  })

  it('refuses the 6th hit of a 5-limit, tells when to retry, and does not record refusals', async () => {
    const rule = freshRule()
    const results = []
    for (let i = 0; i < 6; i++) results.push(await store.take(rule, EMAIL))
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false])
    expect(results[0]!.retryAfterSeconds).toBe(0)
    const refused = results[5]!
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(WINDOW_MS / 1000)
    expect(refused.retryAfterSeconds).toBeGreaterThan(WINDOW_MS / 1000 - 30)

    // A flood of refusals stores nothing and does not extend the block.
    for (let i = 0; i < 5; i++) expect((await store.take(rule, EMAIL)).allowed).toBe(false)
    expect(await store.stored(rule, EMAIL)).toBe(5)
  })

  it('counts the wait from the oldest hit in the window', async () => {
    const rule = freshRule()
    for (let i = 0; i < 5; i++) expect((await store.take(rule, EMAIL)).allowed).toBe(true)
    await store.age(rule, EMAIL, 10 * 60_000) // 10 of the 15 minutes have passed
    const refused = await store.take(rule, EMAIL)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterSeconds).toBeGreaterThan(5 * 60 - 30)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(5 * 60)
  })

  it('keeps subjects and rules independent', async () => {
    const rule = freshRule(2)
    const other = freshRule(2)
    expect((await store.take(rule, EMAIL)).allowed).toBe(true)
    expect((await store.take(rule, EMAIL)).allowed).toBe(true)
    expect((await store.take(rule, EMAIL)).allowed).toBe(false)
    expect((await store.take(rule, OTHER_EMAIL)).allowed).toBe(true)
    expect((await store.take(rule, IP)).allowed).toBe(true)
    expect((await store.take(other, EMAIL)).allowed).toBe(true)
    expect(await store.stored(rule, OTHER_EMAIL)).toBe(1)
    expect(await store.stored(other, EMAIL)).toBe(1)
  })

  it('forgets hits older than the window', async () => {
    const rule = freshRule()
    for (let i = 0; i < 5; i++) await store.take(rule, EMAIL)
    await store.age(rule, EMAIL, 5 * 60_000)
    expect((await store.take(rule, EMAIL)).allowed).toBe(false) // 5 minutes in: still blocked

    await store.age(rule, EMAIL, 10 * 60_000 + 1_000) // now just over 15 minutes old
    const results = []
    for (let i = 0; i < 6; i++) results.push((await store.take(rule, EMAIL)).allowed)
    // A fresh window: 5 allowed again (a recorded refusal would have left only 4).
    expect(results).toEqual([true, true, true, true, true, false])
    expect(await store.stored(rule, EMAIL)).toBe(5) // the expired hits were deleted
  })

  it('slides: a hit leaves the window on its own, not with the whole batch', async () => {
    const rule = freshRule(2)
    await store.take(rule, EMAIL)
    await store.age(rule, EMAIL, 10 * 60_000)
    await store.take(rule, EMAIL) // one hit 10 minutes old, one new
    expect((await store.take(rule, EMAIL)).allowed).toBe(false)
    await store.age(rule, EMAIL, 6 * 60_000) // 16 and 6 minutes old
    expect((await store.take(rule, EMAIL)).allowed).toBe(true)
    const refused = await store.take(rule, EMAIL)
    expect(refused.allowed).toBe(false)
    // The oldest counted hit is 6 minutes old: 9 minutes to wait.
    expect(refused.retryAfterSeconds).toBeGreaterThan(9 * 60 - 30)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(9 * 60)
  })

  it('allows exactly the limit among concurrent hits', async () => {
    const rule = freshRule()
    const results = await Promise.all(Array.from({ length: 12 }, () => store.take(rule, IP)))
    expect(results.filter((r) => r.allowed)).toHaveLength(5)
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1)).toBe(true)
    expect(await store.stored(rule, IP)).toBe(5)
    if (!store.concurrent) return
    // Two subjects at once do not block each other's quota.
    const both = await Promise.all(
      Array.from({ length: 16 }, (_, i) => store.take(rule, i % 2 ? OTHER_EMAIL : `x${EMAIL}`)),
    )
    expect(both.filter((r) => r.allowed)).toHaveLength(10)
  })

  it('stores a hash of the rule and subject, never the email or IP', async () => {
    const rule = freshRule()
    await store.take(rule, EMAIL)
    await store.take(rule, IP)
    const keys = await store.keys()
    const hash = rateLimitKey(rule, EMAIL)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(keys.some((k) => k.endsWith(hash))).toBe(true)
    expect(keys.some((k) => k.endsWith(rateLimitKey(rule, IP)))).toBe(true)
    for (const key of keys) {
      expect(key).not.toContain('example.com')
      expect(key).not.toContain(IP)
      expect(key).not.toContain('test-')
    }
  })

  if (target === 'redis') it('lets the sorted set expire with the window', async () => {
    const rule = freshRule(2, 60_000)
    await store.take(rule, EMAIL)
    const ttl = await redis!.pttl(`${REDIS_KEY_PREFIX}${rateLimitKey(rule, EMAIL)}`)
    expect(ttl).toBeGreaterThan(50_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
  })

  if (target !== 'redis') it('prunes hits older than a day', async () => {
    const rule = freshRule()
    await store.take(rule, EMAIL)
    await store.take(rule, IP)
    await store.age(rule, EMAIL, 25 * 3600_000)
    const before = await store.stored(rule, EMAIL)
    expect(before).toBe(1)
    expect(await pruneRateLimits()).toBeGreaterThanOrEqual(1)
    expect(await store.stored(rule, EMAIL)).toBe(0)
    expect(await store.stored(rule, IP)).toBe(1)
  })
})

describe('rate limit rules', () => {
  it('limits logins per email and per IP over 15 minutes', () => {
    expect(LOGIN_LIMITS.perEmail).toEqual({ name: 'login-email', limit: 5, windowMs: 900_000 })
    expect(LOGIN_LIMITS.perIp).toEqual({ name: 'login-ip', limit: 20, windowMs: 900_000 })
  })

  it('refuses a rule that could never allow a hit', async () => {
    await expect(takeRateLimit({ name: 'bad', limit: 0, windowMs: 1000 }, EMAIL, { redisUrl: null })).rejects.toThrow(
      RangeError,
    )
    await expect(takeRateLimit({ name: 'bad', limit: 1, windowMs: 0.5 }, EMAIL, { redisUrl: null })).rejects.toThrow(
      RangeError,
    )
  })
})
