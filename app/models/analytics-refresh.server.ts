// The rollups that follow a change (an order, a post, an import): asked for by the models that
// made the change, run by the job queue (app/jobs: ANALYTICS_DAYS_QUEUE), never thrown.
//
//   refreshAnalytics(instants)   → a job that rolls up the days of these instants, after the change is saved
//   analyticsSettled()           → waits for the rollups this instance asked for (pages read their own writes)
//
// Its own module so that the dashboard (which waits for it) and the rollup (which it runs) do not
// import each other.
import { remember } from '@epic-web/remember'
import { errorSummary } from '~/services/db.server'
import { env } from '~/services/env.server'
import { logger } from '~/services/logger.server'
import { queue, queueStarted, sendJob } from '~/services/queue.server'
import { addDays, dayOf, type Day } from '~/utils/dates'

/** The queue of rollups asked for by changes: one job per range of days. */
export const ANALYTICS_DAYS_QUEUE = 'analytics-days'

export interface DaysToRoll {
  from: Day
  to: Day
}

/** How long a page waits for the rollups its instance asked for before it shows what there is. */
const SETTLE_MS = 10_000

/**
 * After an order or a post changed: queues the rollup of the days these instants fall on (in
 * the shop's time zone), after the change is saved and without holding up the request that
 * made it. A range already waiting is not queued twice (the queue's `stately` policy, keyed by
 * the range), and two instances never roll the same day at once (rollupAnalytics locks each day).
 * Without a started queue (a script, a unit test) nothing is queued: the scheduled rollups put
 * the figures right. A failure to queue is logged, not thrown.
 */
export function refreshAnalytics(instants: (Date | null | undefined)[], { span = false } = {}): void {
  if (state.held > 0 || !queueStarted()) return
  const timeZone = env().SHOP_TIMEZONE
  const days = instants
    .filter((i): i is Date => !!i)
    .map((i) => dayOf(i, timeZone))
    .sort()
  if (days.length === 0) return
  // `span`: every day from the first to the last (an import); otherwise just these days.
  const ranges = span ? [{ from: days[0]!, to: days[days.length - 1]! }] : mergeRanges(days.map((d) => ({ from: d, to: d })))
  for (const range of ranges) {
    const sent = sendJob(ANALYTICS_DAYS_QUEUE, range, { singletonKey: `${range.from}:${range.to}` }).then(
      () => undefined,
      (error: unknown) => logger().warn(`analytics rollup for ${range.from}…${range.to} not queued: ${errorSummary(error)}`),
    )
    state.sending.add(sent)
    void sent.finally(() => state.sending.delete(sent))
  }
  state.asked = true
}

/**
 * Resolves once the rollups this instance asked for have run (or after SETTLE_MS: a queue with
 * no worker, or a rollup waiting to be tried again, does not hold a page up for longer).
 */
export async function analyticsSettled(): Promise<void> {
  await Promise.all(state.sending)
  if (!state.asked || !queueStarted()) return
  const deadline = Date.now() + SETTLE_MS
  while (Date.now() < deadline) {
    if ((await queue().getQueueSize(ANALYTICS_DAYS_QUEUE, { before: 'completed' })) === 0) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  state.asked = false
}

/**
 * Runs `work` without the rollups its changes would ask for, for a bulk writer that rolls up the
 * days it wrote itself when it is done (the demo, built through the models before the app serves).
 */
export async function withoutRefresh<T>(work: () => Promise<T>): Promise<T> {
  state.held += 1
  try {
    return await work()
  } finally {
    state.held -= 1
  }
}

const state = remember('tara-hub.analytics-refresh', () => ({
  /** Sends not yet answered. */
  sending: new Set<Promise<void>>(),
  /** Whether this instance asked for a rollup since the last analyticsSettled. */
  asked: false,
  held: 0,
}))

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
