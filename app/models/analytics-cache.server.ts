// The analytics dashboards' cache in Redis, which every write to the analytics table clears for
// the days it wrote (app/models/analytics.server.ts, after a rollup or a figure entered by hand).
//
//   cachedDashboard({ reads, name, read }) → the cached dashboard, else read() (then cached)
//   invalidateDashboards(days)             → forgets every cached range touching these days
//
// `tara:an:d:<previousFrom>:<to>:<from>:<platform>` holds a dashboard as JSON for an hour; the
// sorted set `tara:an:keys` lists the live keys (scored by their expiry), so that a write to some
// days deletes exactly the ranges that read them. Without REDIS_URL, or when Redis fails,
// everything is read from the database (a Redis failure is logged, never shown).
//
// Kept apart from the dashboard's reading (analytics-dashboard.server.ts), which waits for the
// pending rollups (analytics.server.ts): the rollup clears the cache without importing the module
// that waits for it.
import { env } from '~/services/env.server'
import { readyRedisClient, redisAnswered, redisFailed } from '~/services/redis.server'
import type { Day } from '~/utils/dates'
import type { Dashboard } from './analytics-options'

export interface CacheOptions {
  /** A redis:// URL to use instead of REDIS_URL (tests); null reads the database only. */
  redisUrl?: string | null
}

const CACHE_SECONDS = 3600
const CACHE_AREA = 'analytics cache'
const KEY_PREFIX = 'tara:an:d:'
const KEY_SET = 'tara:an:keys'

/**
 * The dashboard cached under `reads` (every day it reads, its previous period included: a write
 * to any of them deletes it) and `name` (what tells apart dashboards reading the same days);
 * otherwise `read()`'s, cached for an hour.
 */
export async function cachedDashboard(
  { reads, name, read }: { reads: { from: Day; to: Day }; name: string; read: () => Promise<Dashboard> },
  options: CacheOptions = {},
): Promise<Dashboard> {
  const redisUrl = options.redisUrl === undefined ? env().REDIS_URL : options.redisUrl
  if (!redisUrl) return read()
  const key = `${KEY_PREFIX}${reads.from}:${reads.to}:${name}`
  const redis = await readyRedisClient(redisUrl)
  try {
    const cached = await redis.get(key)
    redisAnswered(CACHE_AREA)
    if (cached) return JSON.parse(cached) as Dashboard
  } catch (error) {
    // Unreachable or too slow (redis.server.ts fails it fast): read the figures, skip the cache.
    redisFailed(CACHE_AREA, error, redis)
    return read()
  }
  const dashboard = await read()
  try {
    const expires = Date.now() + CACHE_SECONDS * 1000
    await redis
      .multi()
      .set(key, JSON.stringify(dashboard), 'EX', CACHE_SECONDS)
      .zadd(KEY_SET, expires, key)
      .zremrangebyscore(KEY_SET, '-inf', Date.now())
      .exec()
  } catch (error) {
    redisFailed(CACHE_AREA, error, redis)
  }
  return dashboard
}

/**
 * Deletes the cached dashboards whose days (previous period included) hold any of `days`.
 * Called by every write to the analytics table. A Redis failure is logged: entries then live
 * out their hour.
 */
export async function invalidateDashboards(days: Day[], options: CacheOptions = {}): Promise<number> {
  const redisUrl = options.redisUrl === undefined ? env().REDIS_URL : options.redisUrl
  if (!redisUrl || days.length === 0) return 0
  const sorted = [...days].sort()
  const redis = await readyRedisClient(redisUrl)
  try {
    const keys = await redis.zrange(KEY_SET, '0', '-1')
    const stale = keys.filter((key) => {
      const [first, last] = key.slice(KEY_PREFIX.length).split(':')
      return sorted.some((day) => day >= first! && day <= last!)
    })
    if (stale.length > 0) {
      await redis
        .multi()
        .del(...stale)
        .zrem(KEY_SET, ...stale)
        .exec()
    }
    return stale.length
  } catch (error) {
    redisFailed(CACHE_AREA, error, redis)
    return 0
  }
}
