// All queries about analytics metrics.
import { asc, gte, sql } from 'drizzle-orm'
import { db } from '~/services/db.server'
import { analytics } from './schema'

/** Daily totals per metric over the last `days` days, newest first. */
export async function dailyTotals({ days = 14, today = new Date() }: { days?: number; today?: Date } = {}) {
  const since = new Date(today.getTime() - (days - 1) * 24 * 3600 * 1000).toISOString().slice(0, 10)
  return db
    .select({
      date: analytics.date,
      metricType: analytics.metricType,
      value: sql<number>`sum((${analytics.metricValue}->>'value')::numeric)::float8`,
    })
    .from(analytics)
    .where(gte(analytics.date, since))
    .groupBy(analytics.date, analytics.metricType)
    .orderBy(sql`${analytics.date} desc`, asc(analytics.metricType))
}
