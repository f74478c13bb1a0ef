// The rollups that follow a change (an order, a post, an import): asked for by the models that
// made the change, run in the background, coalesced, never thrown.
//
//   refreshAnalytics(instants)   → rolls up the days of these instants, after the change is saved
//   analyticsSettled()           → waits for those background rollups (pages read their own writes)
//
// Its own module so that the dashboard (which waits for it) and the rollup (which it runs) do not
// import each other.
import { remember } from '@epic-web/remember'
import { errorSummary } from '~/services/db.server'
import { env } from '~/services/env.server'
import { logger } from '~/services/logger.server'
import { addDays, dayOf, type Day } from '~/utils/dates'
import { rollupAnalytics } from './analytics.server'

/**
 * After an order or a post changed: rolls up the days these instants fall on (in the shop's
 * time zone), after the change is saved and without holding up the request that made it. Days
 * asked for while a rollup runs are rolled up together right after it, so a burst of orders
 * costs two rollups, not one each. A failure is logged, not thrown: the next rollup (at start,
 * or `npm run analytics:rollup`) puts the figures right. `analyticsSettled()` waits for them.
 */
export function refreshAnalytics(instants: (Date | null | undefined)[], { span = false } = {}): void {
  if (queue.held > 0) return
  const timeZone = env().SHOP_TIMEZONE
  const days = instants
    .filter((i): i is Date => !!i)
    .map((i) => dayOf(i, timeZone))
    .sort()
  if (days.length === 0) return
  // `span`: every day from the first to the last (an import); otherwise just these days.
  if (span) queue.ranges.push({ from: days[0]!, to: days[days.length - 1]! })
  else queue.ranges.push(...days.map((d) => ({ from: d, to: d })))
  queue.running ??= drain()
}

/** Resolves once every rollup asked for so far has run (pages read after their own writes). */
export async function analyticsSettled(): Promise<void> {
  while (queue.running) await queue.running
}

/**
 * Runs `work` without the rollups its changes would ask for, for a bulk writer that rolls up the
 * days it wrote itself when it is done (the demo, built through the models before the app serves).
 * Rollups already asked for finish first.
 */
export async function withoutRefresh<T>(work: () => Promise<T>): Promise<T> {
  await analyticsSettled()
  queue.held += 1
  try {
    return await work()
  } finally {
    queue.held -= 1
  }
}

// In memory and safe to lose: a lost rollup leaves a day's figures stale until the next one.
const queue = remember('tara-hub.analytics-refresh', () => ({
  ranges: [] as { from: Day; to: Day }[],
  running: null as Promise<void> | null,
  held: 0,
}))

async function drain() {
  try {
    while (queue.ranges.length > 0) {
      const ranges = mergeRanges(queue.ranges.splice(0))
      for (const range of ranges) {
        try {
          await rollupAnalytics(range)
        } catch (error) {
          logger().warn(`analytics rollup for ${range.from}…${range.to} failed: ${errorSummary(error)}`)
        }
      }
    }
  } finally {
    queue.running = null
  }
}

/** Overlapping or adjacent ranges as one; sorted. */
export function mergeRanges(ranges: { from: Day; to: Day }[]): { from: Day; to: Day }[] {
  const merged: { from: Day; to: Day }[] = []
  for (const r of [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = merged[merged.length - 1]
    if (last && r.from <= addDays(last.to, 1)) {
      if (r.to > last.to) last.to = r.to
    } else merged.push({ ...r })
  }
  return merged
}
