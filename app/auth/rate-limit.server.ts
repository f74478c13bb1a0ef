// Rate limits shared by every app instance and kept across restarts.
//
//   takeRateLimit(rule, subject)                 → one hit; { allowed, retryAfterSeconds }
//   takeRateLimit(rule, subject, { redisUrl })   → the same on this Redis (tests); `redisUrl: null`
//                                                  forces the database even when REDIS_URL is set
//
// Store: Redis when REDIS_URL is set, otherwise the database (app/models/rate-limit.server.ts).
// Both implement the same sliding-window log: a hit is allowed while fewer than `limit` hits were
// allowed in the last `windowMs`; refused hits are not recorded; retryAfterSeconds counts until
// the oldest counted hit leaves the window (at least 1). Each store uses its own clock (Redis
// TIME, the database's statement_timestamp()), never the app's.
//
// The subject (an email, an IP address) is never stored nor logged: the key is the hex SHA-256
// of `${rule.name}:${subject}`; in Redis, the sorted set `tara:rl:<hash>` whose scores are
// microseconds of Redis TIME. Callers normalise the subject (e.g. lowercase emails) first.
// When Redis fails (unreachable, too slow: app/services/redis.server.ts fails it fast), the hit
// goes to the database store instead, logged once per outage: sign-in keeps working, and the
// limits hold (counted apart from Redis's while it is away). When the database cannot be
// reached, takeRateLimit rejects; the caller decides what to do.
import { randomUUID } from 'node:crypto'
import { hitRateLimit, type RateLimitResult } from '~/models/rate-limit.server'
import { sha256Hex } from '~/utils/crypto.server'
import { env } from '~/services/env.server'
import { readyRedisClient, redisAnswered, redisFailed } from '~/services/redis.server'

export type { RateLimitResult }

export interface RateLimitRule {
  /** Names the counter; part of the key, so two rules never share hits. */
  name: string
  limit: number
  windowMs: number
}

export const LOGIN_LIMITS = {
  perEmail: { name: 'login-email', limit: 5, windowMs: 15 * 60_000 },
  perIp: { name: 'login-ip', limit: 20, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>

export interface RateLimitOptions {
  /** A redis:// URL to use instead of REDIS_URL; null uses the database. */
  redisUrl?: string | null
}

/** The stored key of a rule and subject: hex SHA-256, so the subject stays private. */
export function rateLimitKey(rule: RateLimitRule, subject: string): string {
  return sha256Hex(`${rule.name}:${subject}`)
}

export const REDIS_KEY_PREFIX = 'tara:rl:'

export async function takeRateLimit(
  rule: RateLimitRule,
  subject: string,
  options: RateLimitOptions = {},
): Promise<RateLimitResult> {
  const { limit, windowMs } = rule
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`${rule.name}: limit must be a positive integer`)
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new RangeError(`${rule.name}: windowMs must be a positive integer`)
  }
  const key = rateLimitKey(rule, subject)
  const redisUrl = options.redisUrl === undefined ? env().REDIS_URL : options.redisUrl
  if (!redisUrl) return hitRateLimit({ key, limit, windowMs })

  let allowed: number
  let retry: number
  const redis = await readyRedisClient(redisUrl)
  try {
    ;[allowed, retry] = (await redis.eval(
      SLIDING_WINDOW,
      1,
      `${REDIS_KEY_PREFIX}${key}`,
      limit,
      windowMs,
      randomUUID(),
    )) as [number, number]
    redisAnswered('rate limits')
  } catch (error) {
    redisFailed('rate limits', error, redis)
    return hitRateLimit({ key, limit, windowMs })
  }
  return allowed === 1 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: retry }
}

// KEYS[1] the sorted set; ARGV: limit, window (ms), a unique member suffix.
// Times are integer microseconds (about 1.8e15, exact in a double); string.format('%.0f')
// writes them as plain integers whatever Lua's number format.
const SLIDING_WINDOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) < limit then
  local stamp = string.format('%.0f', now)
  redis.call('ZADD', KEYS[1], stamp, stamp .. '-' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local retry = math.ceil((tonumber(oldest[2]) + window - now) / 1000000)
if retry < 1 then retry = 1 end
return {0, retry}
`

