// Each user's secret calendar feed: /calendar/<token>.ics, the shop's content calendar as an
// iCalendar file that a phone's calendar app subscribes to (no cookies, no sign-in).
// Like sign-in links, the token is 256 random bits and only its SHA-256 is kept, so the full
// address can be shown once, when it is made. One link per user: a new one replaces the old,
// and turning it off deletes it. A disabled user's link stops working at once.
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm'
import { asAppUser, db } from '~/services/db.server'
import { env } from '~/services/env.server'
import { formatHashtags } from '~/utils/hashtags'
import { property, serialize, type Component } from '~/utils/ical'
import { randomToken, sha256Hex, TOKEN_PATTERN } from '~/utils/crypto.server'
import { PLATFORM_LABELS, TYPE_LABELS } from './content-options'
import { calendarFeeds, contentCalendar, users } from './schema'

/** Entries scheduled this long ago or later are in the feed. */
export const FEED_PAST_DAYS = 90
/** At most this many events, the nearest to now first, so that a feed stays small. */
export const FEED_MAX_EVENTS = 2000
/** How long an event lasts in a phone's calendar. */
export const EVENT_MINUTES = 30
/** last_used_at is written at most this often, so most feed requests only read. */
const TOUCH_AFTER_MINUTES = 60

const FEED_PATH = /^([A-Za-z0-9_-]{43})\.ics$/

/** The token in a feed address's last segment ("<token>.ics"), or null if it has another shape. */
export function tokenFromFeedPath(segment: string | undefined): string | null {
  return FEED_PATH.exec(segment ?? '')?.[1] ?? null
}

/** The address a calendar app subscribes to, built from APP_URL. */
export function feedUrl(token: string): string {
  return new URL(`/calendar/${token}.ics`, env().APP_URL).toString()
}

/** A new secret link for a user, replacing any they had (the old one stops working at once). */
export async function createFeed({ userId }: { userId: string }): Promise<{ token: string; url: string }> {
  const token = randomToken()
  await db
    .insert(calendarFeeds)
    .values({ userId, tokenHash: sha256Hex(token) })
    .onConflictDoUpdate({
      target: calendarFeeds.userId,
      set: { tokenHash: sql`excluded.token_hash`, createdAt: sql`now()`, lastUsedAt: null },
    })
  return { token, url: feedUrl(token) }
}

/** Turns a user's link off; true if they had one. */
export async function revokeFeed({ userId }: { userId: string }): Promise<boolean> {
  const deleted = await db
    .delete(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
    .returning({ userId: calendarFeeds.userId })
  return deleted.length > 0
}

/** Whether a user has a link, since when, and when a calendar app last fetched it. */
export async function feedStatus({ userId }: { userId: string }): Promise<{ createdAt: Date; lastUsedAt: Date | null } | null> {
  const [row] = await db
    .select({ createdAt: calendarFeeds.createdAt, lastUsedAt: calendarFeeds.lastUsedAt })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
  return row ?? null
}

/**
 * The enabled user a feed token belongs to, or null (a token of another shape, unknown,
 * replaced, turned off, or its user disabled). Notes the use, at most once an hour.
 */
export async function findFeedUser(token: string): Promise<{ userId: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null
  const tokenHash = sha256Hex(token)
  const staleAt = sql`now() - make_interval(mins => ${TOUCH_AFTER_MINUTES})`
  const [row] = await db
    .select({
      userId: calendarFeeds.userId,
      stale: sql<boolean>`${calendarFeeds.lastUsedAt} is null or ${calendarFeeds.lastUsedAt} < ${staleAt}`,
    })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(and(eq(calendarFeeds.tokenHash, tokenHash), isNull(users.disabledAt)))
  if (!row) return null
  if (row.stale) {
    await db
      .update(calendarFeeds)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(calendarFeeds.tokenHash, tokenHash),
          or(isNull(calendarFeeds.lastUsedAt), lt(calendarFeeds.lastUsedAt, staleAt)),
        ),
      )
  }
  return { userId: row.userId }
}

const eventColumns = {
  id: contentCalendar.id,
  platform: contentCalendar.platform,
  contentType: contentCalendar.contentType,
  title: contentCalendar.title,
  description: contentCalendar.description,
  hashtags: contentCalendar.hashtags,
  scheduledDate: contentCalendar.scheduledDate,
  published: contentCalendar.published,
  version: contentCalendar.version,
  createdAt: contentCalendar.createdAt,
  updatedAt: contentCalendar.updatedAt,
  author: sql<string | null>`coalesce(${users.name}, ${users.email})`,
}

const hasDate = <T extends { scheduledDate: Date | null }>(row: T): row is T & { scheduledDate: Date } =>
  row.scheduledDate !== null

/**
 * Of entries before and after `now` (each list ordered away from `now`), the `max` nearest to
 * `now`, in date order.
 */
export function nearestEntries<T extends { id: string; scheduledDate: Date }>(
  past: readonly T[],
  upcoming: readonly T[],
  now: Date,
  max: number,
): T[] {
  const chosen: T[] = []
  const t = now.getTime()
  let i = 0
  let j = 0
  while (chosen.length < max && (i < past.length || j < upcoming.length)) {
    const p = past[i]
    const u = upcoming[j]
    if (p && (!u || t - p.scheduledDate.getTime() <= u.scheduledDate.getTime() - t)) {
      chosen.push(p)
      i++
    } else if (u) {
      chosen.push(u)
      j++
    }
  }
  return chosen.sort((a, b) => a.scheduledDate.getTime() - b.scheduledDate.getTime() || (a.id < b.id ? -1 : 1))
}

/**
 * The entries of the feed: scheduled from 90 days before `now` on, by everyone, at most 2000,
 * the nearest to `now` first; returned in date order. Read as `userId` (row-level security).
 * Each side of `now` is one bounded index range, whatever the size of the calendar.
 */
export async function feedEntries({ userId, now }: { userId: string; now: Date }) {
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000)
  const [past, upcoming] = await asAppUser(userId, async (tx) => {
    const select = () =>
      tx.select(eventColumns).from(contentCalendar).leftJoin(users, eq(users.id, contentCalendar.userId))
    const before = await select()
      .where(and(gte(contentCalendar.scheduledDate, since), lt(contentCalendar.scheduledDate, now)))
      .orderBy(desc(contentCalendar.scheduledDate), desc(contentCalendar.id))
      .limit(FEED_MAX_EVENTS)
    const after = await select()
      .where(gte(contentCalendar.scheduledDate, now))
      .orderBy(asc(contentCalendar.scheduledDate), asc(contentCalendar.id))
      .limit(FEED_MAX_EVENTS)
    return [before, after] as const
  })
  return nearestEntries(past.filter(hasDate), upcoming.filter(hasDate), now, FEED_MAX_EVENTS)
}

export type FeedEntry = Awaited<ReturnType<typeof feedEntries>>[number]

/** "Instagram reel: Linen week", and " (published)" once it is out. */
export function eventSummary(entry: Pick<FeedEntry, 'platform' | 'contentType' | 'title' | 'published'>): string {
  const kind = `${PLATFORM_LABELS[entry.platform]} ${TYPE_LABELS[entry.contentType].toLowerCase()}`
  return `${kind}: ${entry.title}${entry.published ? ' (published)' : ''}`
}

function vevent(entry: FeedEntry, { now, appUrl, uidHost }: { now: Date; appUrl: string; uidHost: string }): Component {
  const link = `${appUrl}/calendar/entries/${entry.id}`
  const description = [
    entry.description?.trim() || null,
    entry.hashtags.length ? formatHashtags(entry.hashtags) : null,
    entry.author ? `By ${entry.author}` : null,
    link,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n\n')
  const start = entry.scheduledDate
  return {
    name: 'VEVENT',
    properties: [
      // The entry's id: the same event through every edit, whoever fetches the feed.
      property('UID', { text: `${entry.id}@${uidHost}` }),
      property('DTSTAMP', { utc: now }),
      property('DTSTART', { utc: start }),
      property('DTEND', { utc: new Date(start.getTime() + EVENT_MINUTES * 60_000) }),
      property('SUMMARY', { text: eventSummary(entry) }),
      property('DESCRIPTION', { text: description }),
      property('URL', { raw: link }),
      property('CATEGORIES', { texts: [PLATFORM_LABELS[entry.platform]] }),
      property('STATUS', { raw: 'CONFIRMED' }),
      property('TRANSP', { raw: 'TRANSPARENT' }),
      property('SEQUENCE', { raw: String(Math.max(0, entry.version)) }),
      property('CREATED', { utc: entry.createdAt }),
      property('LAST-MODIFIED', { utc: entry.updatedAt }),
    ],
  }
}

/** The feed of `userId` as an iCalendar (RFC 5545) text, as of `now`. */
export async function calendarIcs({ userId, now = new Date() }: { userId: string; now?: Date }): Promise<string> {
  const { APP_URL, SHOP_NAME, SHOP_TIMEZONE } = env()
  const entries = await feedEntries({ userId, now })
  const uidHost = new URL(APP_URL).hostname
  const name = `${SHOP_NAME} content calendar`
  return serialize({
    name: 'VCALENDAR',
    properties: [
      property('VERSION', { raw: '2.0' }),
      property('PRODID', { text: '-//Tara Hub//Content calendar//EN' }),
      property('CALSCALE', { raw: 'GREGORIAN' }),
      property('METHOD', { raw: 'PUBLISH' }),
      property('NAME', { text: name }),
      property('X-WR-CALNAME', { text: name }),
      property('X-WR-TIMEZONE', { text: SHOP_TIMEZONE }),
      // Ask calendar apps to look again every hour (RFC 7986, and Outlook's older property).
      property('REFRESH-INTERVAL;VALUE=DURATION', { raw: 'PT1H' }),
      property('X-PUBLISHED-TTL', { raw: 'PT1H' }),
    ],
    components: entries.map((entry) => vevent(entry, { now, appUrl: APP_URL, uidHost })),
  })
}
