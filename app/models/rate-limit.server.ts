// Rate limits kept in the database (rate_limit_hits), so they survive restarts and are shared by
// every app instance. A sliding-window log: one row per ALLOWED hit; refused hits are not
// recorded, so a flood does not keep extending the block.
//
// Only the database clock is used, never the app's, so instances with skewed clocks agree.
// The time is read with statement_timestamp() after the advisory lock is held: now() is the
// start of the transaction, which can be long before a queued hit gets the lock.
// `key` is opaque here; app/auth/rate-limit.server.ts passes a hash, never an email or IP.
import { and, eq, lt, lte, sql } from 'drizzle-orm'
import { db, rows } from '~/services/db.server'
import { rateLimitHits } from './schema'

export interface RateLimitResult {
  allowed: boolean
  /** 0 when allowed; otherwise whole seconds (at least 1) until the next hit can be allowed. */
  retryAfterSeconds: number
}

const DAY_MS = 24 * 3600 * 1000

function checkRule(limit: number, windowMs: number) {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new RangeError('windowMs must be a positive integer')
}

/** The interval `ms` milliseconds long, with `ms` bound as a value. */
const millis = (ms: number) => sql`(${ms}::float8 * interval '1 millisecond')`

/**
 * Records one hit on `key` if fewer than `limit` hits were allowed in the last `windowMs`.
 * Concurrent hits on the same key (from any instance) are serialised by a transaction-scoped
 * advisory lock, so exactly `limit` of them are allowed.
 */
export async function hitRateLimit({
  key,
  limit,
  windowMs,
}: {
  key: string
  limit: number
  windowMs: number
}): Promise<RateLimitResult> {
  checkRule(limit, windowMs)
  const window = millis(windowMs)
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`)
    const cutoff = sql`statement_timestamp() - ${window}`
    await tx.delete(rateLimitHits).where(and(eq(rateLimitHits.key, key), lte(rateLimitHits.at, cutoff)))
    // The count filters on the window itself too, so it does not depend on the delete's instant.
    const [usage] = await tx
      .select({
        count: sql<number>`count(*)::int`,
        retry: sql<number | null>`extract(epoch from (min(${rateLimitHits.at}) + ${window} - statement_timestamp()))::float8`,
      })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.key, key), sql`${rateLimitHits.at} > ${cutoff}`))
    const count = Number(usage?.count ?? 0)
    if (count < limit) {
      await tx.insert(rateLimitHits).values({ key, at: sql`statement_timestamp()` })
      return { allowed: true, retryAfterSeconds: 0 }
    }
    const retry = Number(usage?.retry ?? 1)
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retry)) }
  })
}

/**
 * Deletes hits older than `olderThanMs` (a day by default; keep it at least the longest window).
 * For a periodic cleanup: keys that are never hit again are not pruned by hitRateLimit.
 * Returns how many rows were deleted.
 */
export async function pruneRateLimits({ olderThanMs = DAY_MS }: { olderThanMs?: number } = {}): Promise<number> {
  const [result] = await rows<{ deleted: number }>(
    db,
    sql`with gone as (
      delete from ${rateLimitHits} where ${lt(rateLimitHits.at, sql`now() - ${millis(olderThanMs)}`)} returning 1
    ) select count(*)::int as deleted from gone`,
  )
  return Number(result?.deleted ?? 0)
}
