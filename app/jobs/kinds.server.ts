// Every kind of background job: what it does (a small function that calls models and services),
// when it runs by itself (a cron in the shop's time zone, from the environment) and how it is
// retried. The runner (runner.server.ts) starts them; the jobs page (status.server.ts) lists them.
import { deliverPendingMail, pruneSignInData } from '~/auth/auth.server'
import { ANALYTICS_DAYS_QUEUE, type DaysToRoll } from '~/models/analytics-refresh.server'
import { recentDays, rollupAnalytics } from '~/models/analytics.server'
import { pruneImportFiles } from '~/models/etsy/upload-store.server'
import { MAIL_QUEUE } from '~/models/mail-outbox.server'
import { appBackup } from '~/services/backup/jobs.server'
import { formatSize } from '~/services/backup/text.server'
import type { Env } from '~/services/env.server'
import type { QueueJob } from '~/services/queue.server'

export interface JobKind {
  /** The queue's name (pg-boss: letters, digits, - and _). */
  name: string
  /** What the jobs page calls it. */
  title: string
  /** When it runs by itself: a cron in the shop's time zone, or none (it is only ever sent). */
  cron?: (env: Env) => string
  /**
   * `stately`: at most one job of a kind (or of a singletonKey) waits and one runs, so a burst
   * of requests for the same work becomes one job.
   */
  policy: 'standard' | 'stately'
  /** Tries after the first; the waits double from retryDelaySeconds (JOB_RETRY_DELAY_SECONDS overrides). */
  retryLimit: number
  retryDelaySeconds: number
  /** How long one try may run before it counts as lost and is tried again (JOB_TIMEOUT_SECONDS overrides). */
  timeoutSeconds: number
  /** Runs one job; returns one line for the jobs page. Throwing fails the try. */
  run(job: QueueJob<Record<string, unknown>>, env: Env): Promise<string>
}

export const BACKUP_QUEUE = 'backup'
export const ROLLUP_TODAY_QUEUE = 'analytics-today'
export const ROLLUP_YESTERDAY_QUEUE = 'analytics-yesterday'
export const CLEANUP_QUEUE = 'cleanup'

export const JOB_KINDS: JobKind[] = [
  {
    name: BACKUP_QUEUE,
    title: 'Backup',
    cron: (e) => e.BACKUP_CRON ?? `${Number(e.BACKUP_AT.split(':')[1])} ${Number(e.BACKUP_AT.split(':')[0])} * * *`,
    policy: 'stately',
    retryLimit: 3,
    retryDelaySeconds: 300,
    timeoutSeconds: 30 * 60,
    async run(job, e) {
      // On BACKUP_WEEKLY_ON (in the shop's time zone) the backup is the weekly one; "Run now" says.
      const day = new Date(job.createdOn).toLocaleDateString('en-US', { weekday: 'long', timeZone: e.SHOP_TIMEZONE })
      const weekly = job.data.weekly === true || (job.data.scheduled === true && day.toLowerCase() === e.BACKUP_WEEKLY_ON)
      // A try after a lost one (its process killed after the backup was written) makes no second backup.
      const result = await appBackup({ weekly, ifOlderThan: Date.now() - new Date(job.createdOn).getTime() })
      if (!result.created) return `No new backup: ${result.reason}, made since this job was queued.`
      const copy = result.offsite ? `, copied to ${result.offsite}` : ''
      return `${weekly ? 'Weekly backup' : 'Backup'} ${result.backup.name} (${formatSize(result.backup.size)})${copy}.`
    },
  },
  {
    name: ROLLUP_TODAY_QUEUE,
    title: 'Analytics of today',
    cron: (e) => e.ROLLUP_CRON ?? (e.ROLLUP_EVERY === 60 ? '0 * * * *' : `*/${e.ROLLUP_EVERY} * * * *`),
    policy: 'stately',
    retryLimit: 2,
    retryDelaySeconds: 30,
    timeoutSeconds: 5 * 60,
    async run() {
      const { to: today } = recentDays()
      const result = await rollupAnalytics({ from: today, to: today })
      return `Rolled up ${today}: ${result.written} figure(s) changed.`
    },
  },
  {
    name: ROLLUP_YESTERDAY_QUEUE,
    title: 'Analytics of yesterday',
    // Just after midnight in the shop's time zone: yesterday's figures made final.
    cron: () => '5 0 * * *',
    policy: 'stately',
    retryLimit: 5,
    retryDelaySeconds: 60,
    timeoutSeconds: 5 * 60,
    async run() {
      const { from } = recentDays()
      const result = await rollupAnalytics({ from, to: from })
      return `Rolled up ${from}: ${result.written} figure(s) changed.`
    },
  },
  {
    name: ANALYTICS_DAYS_QUEUE,
    title: 'Analytics after a change',
    policy: 'stately',
    retryLimit: 5,
    retryDelaySeconds: 10,
    timeoutSeconds: 10 * 60,
    async run(job) {
      const { from, to } = job.data as unknown as DaysToRoll
      const result = await rollupAnalytics({ from, to })
      const days = from === to ? from : `${from} to ${to} (${result.days} days)`
      return `Rolled up ${days}: ${result.written} figure(s) changed.`
    },
  },
  {
    name: MAIL_QUEUE,
    title: 'Sign-in and invitation mail',
    // Right after a mail is queued (sendJob), and every minute for the retries that fell due.
    cron: () => '* * * * *',
    policy: 'stately',
    retryLimit: 3,
    retryDelaySeconds: 15,
    timeoutSeconds: 5 * 60,
    async run() {
      const { sent, retrying, failed } = await deliverPendingMail()
      return `Sent ${sent}, ${retrying} to try again, ${failed} given up.`
    },
  },
  {
    name: CLEANUP_QUEUE,
    title: 'Clean-up',
    cron: () => '17 * * * *',
    policy: 'stately',
    retryLimit: 2,
    retryDelaySeconds: 60,
    timeoutSeconds: 5 * 60,
    async run() {
      const pruned = await pruneSignInData()
      const uploads = await pruneImportFiles()
      return (
        `Deleted ${pruned.sessions} ended session(s), ${pruned.tokens} sign-in link(s), ` +
        `${pruned.rateLimitHits} rate-limit record(s), ${pruned.mail} old mail record(s), ${uploads} stale upload(s).`
      )
    },
  },
]
