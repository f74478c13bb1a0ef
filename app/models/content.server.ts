// All queries about the content calendar.
import { asc, sql } from 'drizzle-orm'
import { db } from '~/services/db.server'
import { contentCalendar, users } from './schema'

export async function listContent({ limit = 100 }: { limit?: number } = {}) {
  return db
    .select({
      id: contentCalendar.id,
      title: contentCalendar.title,
      platform: contentCalendar.platform,
      contentType: contentCalendar.contentType,
      scheduledDate: contentCalendar.scheduledDate,
      published: contentCalendar.published,
      author: sql<string>`coalesce(${users.name}, ${users.email})`,
    })
    .from(contentCalendar)
    .innerJoin(users, sql`${users.id} = ${contentCalendar.userId}`)
    .orderBy(asc(contentCalendar.scheduledDate))
    .limit(limit)
}
