// Each user's secret iCal feed (app/models/calendar-feed.server.ts, app/utils/ical.ts) on every
// database driver: the feed is a valid RFC 5545 calendar (checked by a strict validator below),
// UIDs stay put through edits, and a replaced, turned-off, unknown or disabled user's token
// finds nothing. Time is moved by rewriting stored timestamps, never by sleeping.
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  calendarIcs,
  createFeed,
  feedStatus,
  feedUrl,
  findFeedUser,
  nearestEntries,
  revokeFeed,
  tokenFromFeedPath,
} from '~/models/calendar-feed.server'
import { calendarFeeds, contentCalendar, users } from '~/models/schema'
import { env } from '~/services/env.server'
import { sha256Hex, TOKEN_PATTERN } from '~/utils/crypto.server'
import { escapeText, foldLine } from '~/utils/ical'
import { TARGETS, useMigratedDatabase } from '../setup/databases'

// ---------------------------------------------------------------------------------------------
// A small, strict iCalendar reader: what a picky calendar app would refuse, it refuses.

interface Property {
  name: string
  params: Record<string, string>
  value: string
}
interface Comp {
  name: string
  properties: Property[]
  components: Comp[]
}

const octets = (s: string) => Buffer.byteLength(s, 'utf8')
/** No half of a surrogate pair on its own. */
const wellFormed = (s: string) => !/\p{Cs}/u.test(s)

/** Splits into physical lines: every one ends with CRLF, holds no other CR or LF, ≤ 75 octets. */
function physicalLines(text: string): string[] {
  if (!text.endsWith('\r\n')) throw new Error('the text does not end with CRLF')
  const lines = text.slice(0, -2).split('\r\n')
  lines.forEach((line, i) => {
    if (/[\r\n]/.test(line)) throw new Error(`line ${i + 1} holds a bare CR or LF`)
    if (octets(line) > 75) throw new Error(`line ${i + 1} is ${octets(line)} octets long`)
    // A fold inside a character would leave half a surrogate pair (or a broken UTF-8 sequence).
    if (!wellFormed(line)) throw new Error(`line ${i + 1} splits a character`)
    if (line === '') throw new Error(`line ${i + 1} is empty`)
  })
  return lines
}

/** Joins folded lines back (a line starting with a space or a tab continues the one before). */
function unfold(lines: string[]): string[] {
  const out: string[] = []
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!out.length) throw new Error('the first line is a continuation')
      out[out.length - 1] += line.slice(1)
    } else out.push(line)
  }
  return out
}

function parseContentLine(line: string): Property {
  const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/.exec(line)
  if (!m) throw new Error(`not a content line: ${line}`)
  const params: Record<string, string> = {}
  for (const p of m[2]!.split(';').slice(1)) {
    const [k, v] = p.split('=') as [string, string]
    params[k.toUpperCase()] = v
  }
  return { name: m[1]!.toUpperCase(), params, value: m[3]! }
}

/** Parses a whole calendar: BEGIN/END nest properly, one VCALENDAR and nothing after it. */
function parseIcs(text: string): Comp {
  const lines = unfold(physicalLines(text)).map(parseContentLine)
  const stack: Comp[] = []
  let root: Comp | undefined
  for (const line of lines) {
    if (root) throw new Error('content after END:VCALENDAR')
    if (line.name === 'BEGIN') {
      const comp: Comp = { name: line.value, properties: [], components: [] }
      if (stack.length) stack.at(-1)!.components.push(comp)
      else if (line.value !== 'VCALENDAR') throw new Error('the text does not begin with BEGIN:VCALENDAR')
      stack.push(comp)
    } else if (line.name === 'END') {
      const comp = stack.pop()
      if (!comp || comp.name !== line.value) throw new Error(`END:${line.value} does not close ${comp?.name}`)
      if (!stack.length) root = comp
    } else {
      if (!stack.length) throw new Error(`${line.name} outside any component`)
      stack.at(-1)!.properties.push(line)
    }
  }
  if (!root || stack.length) throw new Error('BEGIN:VCALENDAR is not closed')
  return root
}

/** A TEXT value's text: only \\ \; \, \n \N escapes, and no bare ; or , (one value). */
function unescapeText(value: string, { list = false } = {}): string[] {
  const values: string[] = []
  let current = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (c === '\\') {
      const next = value[++i]
      if (next === 'n' || next === 'N') current += '\n'
      else if (next === '\\' || next === ';' || next === ',') current += next
      else throw new Error(`a bad escape \\${next ?? ''} in ${value}`)
    } else if (c === ',' && list) {
      values.push(current)
      current = ''
    } else if (c === ',' || c === ';') {
      throw new Error(`an unescaped "${c}" in ${value}`)
    } else current += c
  }
  values.push(current)
  return values
}

const UTC_DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
function utc(value: string): Date {
  const m = UTC_DATE_TIME.exec(value)
  if (!m) throw new Error(`not a UTC DATE-TIME: ${value}`)
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s))
}

function only(comp: Comp, name: string): Property {
  const found = comp.properties.filter((p) => p.name === name)
  if (found.length !== 1) throw new Error(`${comp.name} has ${found.length} ${name} (expected exactly one)`)
  return found[0]!
}
const atMostOne = (comp: Comp, name: string) => {
  const found = comp.properties.filter((p) => p.name === name)
  if (found.length > 1) throw new Error(`${comp.name} has ${found.length} ${name}`)
  return found[0]
}

interface Event {
  uid: string
  summary: string
  description: string
  start: Date
  end: Date
  stamp: Date
  sequence: number
  lastModified: Date
  url: string
  categories: string[]
  status: string
}

/** Validates the calendar and its events as RFC 5545 asks of a published feed; returns them. */
function validate(text: string): { calendar: Comp; events: Event[] } {
  const calendar = parseIcs(text)
  expect(only(calendar, 'VERSION').value).toBe('2.0')
  expect(only(calendar, 'PRODID').value).not.toBe('')
  expect(only(calendar, 'CALSCALE').value).toBe('GREGORIAN')
  expect(only(calendar, 'METHOD').value).toBe('PUBLISH')
  expect(calendar.components.every((c) => c.name === 'VEVENT')).toBe(true)
  const events = calendar.components.map((event): Event => {
    const start = utc(only(event, 'DTSTART').value)
    const dtend = atMostOne(event, 'DTEND')
    const duration = atMostOne(event, 'DURATION')
    if (dtend && duration) throw new Error('both DTEND and DURATION')
    if (!dtend) throw new Error('this feed writes DTEND')
    const end = utc(dtend.value)
    expect(end.getTime()).toBeGreaterThan(start.getTime())
    const sequence = only(event, 'SEQUENCE').value
    expect(sequence).toMatch(/^\d+$/)
    return {
      uid: unescapeText(only(event, 'UID').value)[0]!,
      stamp: utc(only(event, 'DTSTAMP').value),
      start,
      end,
      summary: unescapeText(only(event, 'SUMMARY').value)[0]!,
      description: unescapeText(only(event, 'DESCRIPTION').value)[0]!,
      sequence: Number(sequence),
      lastModified: utc(only(event, 'LAST-MODIFIED').value),
      url: new URL(only(event, 'URL').value).href,
      categories: unescapeText(only(event, 'CATEGORIES').value, { list: true }),
      status: only(event, 'STATUS').value,
    }
  })
  const uids = events.map((e) => e.uid)
  expect(new Set(uids).size).toBe(uids.length)
  return { calendar, events }
}

// ---------------------------------------------------------------------------------------------

describe('the iCalendar writer', () => {
  it('escapes TEXT so that it reads back the same', () => {
    const text = 'a, b; c \\ d\ne\r\nf\rg\u0007h'
    expect(escapeText(text)).toBe('a\\, b\\; c \\\\ d\\ne\\nf\\ng' + 'h')
    expect(unescapeText(escapeText(text))[0]).toBe('a, b; c \\ d\ne\nf\ngh')
  })

  it('folds at 75 octets without splitting a character', () => {
    const line = `DESCRIPTION:${'é🧵a'.repeat(60)}`
    const folded = foldLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBeGreaterThan(5)
    parts.forEach((part, i) => {
      expect(octets(part)).toBeLessThanOrEqual(75)
      // A fold comes as late as it can: it leaves out at most one character's octets.
      if (i < parts.length - 1) expect(octets(part)).toBeGreaterThanOrEqual(72)
      expect(wellFormed(part)).toBe(true)
    })
    expect(unfold(parts).join('')).toBe(line)
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short')
  })

  it('keeps the nearest entries to now when there are too many, in date order', () => {
    const now = new Date('2025-06-01T12:00:00Z')
    const at = (hours: number) => ({ id: `e${hours}`, scheduledDate: new Date(now.getTime() + hours * 3_600_000) })
    const past = [at(-1), at(-5), at(-9)]
    const upcoming = [at(2), at(3), at(20)]
    expect(nearestEntries(past, upcoming, now, 4).map((e) => e.id)).toEqual(['e-5', 'e-1', 'e2', 'e3'])
    expect(nearestEntries(past, [], now, 2).map((e) => e.id)).toEqual(['e-5', 'e-1'])
  })

  it('reads the token from the address only in its exact shape', () => {
    const token = 'A'.repeat(42) + '_'
    expect(tokenFromFeedPath(`${token}.ics`)).toBe(token)
    for (const bad of [token, `${token}.ICS`, `${token}x.ics`, `${'A'.repeat(42)}.ics`, `${token}.ics.ics`, 'entries', undefined]) {
      expect(tokenFromFeedPath(bad)).toBeNull()
    }
    expect(feedUrl(token)).toBe(`${env().APP_URL}/calendar/${token}.ics`)
  })
})

describe.each(TARGETS)('calendar feeds on %s', (target) => {
  const database = useMigratedDatabase(target)
  let ana: string
  let ben: string
  const DAY = 86_400_000
  const uidHost = () => new URL(env().APP_URL).hostname

  beforeAll(async () => {
    const [a, b] = await database.db
      .insert(users)
      .values([
        { email: `ana-${target}@example.com`, name: 'Ana' },
        { email: `ben-${target}@example.com`, name: null },
      ])
      .returning({ id: users.id })
    ana = a!.id
    ben = b!.id
  })

  async function newEntry(values: Partial<typeof contentCalendar.$inferInsert> & { daysFromNow?: number | null }) {
    const { daysFromNow = 1, ...rest } = values
    const [row] = await database.db
      .insert(contentCalendar)
      .values({
        userId: ana,
        platform: 'instagram',
        contentType: 'post',
        title: `Entry ${Math.random().toString(36).slice(2)}`,
        scheduledDate: daysFromNow === null ? null : new Date(Date.now() + daysFromNow * DAY),
        ...rest,
      })
      .returning()
    return row!
  }

  it('makes one secret link per user, kept only as a hash', async () => {
    expect(await feedStatus({ userId: ana })).toBeNull()
    const { token, url } = await createFeed({ userId: ana })
    expect(token).toMatch(TOKEN_PATTERN)
    expect(url).toBe(`${env().APP_URL}/calendar/${token}.ics`)
    const stored = await database.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, ana))
    expect(stored).toHaveLength(1)
    expect(stored[0]!.tokenHash).toBe(sha256Hex(token))
    expect(JSON.stringify(stored)).not.toContain(token)
    const status = await feedStatus({ userId: ana })
    expect(status?.createdAt).toBeInstanceOf(Date)
    expect(status?.lastUsedAt).toBeNull()
    expect(await findFeedUser(token)).toEqual({ userId: ana })
    await revokeFeed({ userId: ana })
  })

  it('notes when a calendar app last used the link, at most once an hour', async () => {
    const { token } = await createFeed({ userId: ana })
    await findFeedUser(token)
    const first = (await feedStatus({ userId: ana }))!.lastUsedAt
    expect(first).toBeInstanceOf(Date)

    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000)
    await database.db.update(calendarFeeds).set({ lastUsedAt: tenMinutesAgo }).where(eq(calendarFeeds.userId, ana))
    await findFeedUser(token)
    expect((await feedStatus({ userId: ana }))!.lastUsedAt?.getTime()).toBe(tenMinutesAgo.getTime())

    await database.db
      .update(calendarFeeds)
      .set({ lastUsedAt: sql`now() - interval '2 hours'` })
      .where(eq(calendarFeeds.userId, ana))
    await findFeedUser(token)
    expect((await feedStatus({ userId: ana }))!.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000)
    await revokeFeed({ userId: ana })
  })

  it('finds nothing for a replaced, turned-off, unknown or malformed token', async () => {
    const first = await createFeed({ userId: ana })
    const second = await createFeed({ userId: ana })
    expect(second.token).not.toBe(first.token)
    expect(await findFeedUser(first.token)).toBeNull()
    expect(await findFeedUser(second.token)).toEqual({ userId: ana })
    expect(await database.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, ana))).toHaveLength(1)
    expect((await feedStatus({ userId: ana }))?.lastUsedAt).not.toBeNull()

    expect(await revokeFeed({ userId: ana })).toBe(true)
    expect(await findFeedUser(second.token)).toBeNull()
    expect(await feedStatus({ userId: ana })).toBeNull()
    expect(await revokeFeed({ userId: ana })).toBe(false)

    expect(await findFeedUser('A'.repeat(43))).toBeNull()
    expect(await findFeedUser('')).toBeNull()
    expect(await findFeedUser(`${second.token}x`)).toBeNull()
    // The hash itself is no token.
    expect(await findFeedUser(sha256Hex(second.token))).toBeNull()
  })

  it("finds nothing for a disabled user's token, and again once they are enabled", async () => {
    const [carla] = await database.db
      .insert(users)
      .values({ email: `carla-${target}@example.com`, name: 'Carla' })
      .returning({ id: users.id })
    const { token } = await createFeed({ userId: carla!.id })
    expect(await findFeedUser(token)).toEqual({ userId: carla!.id })
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, carla!.id))
    expect(await findFeedUser(token)).toBeNull()
    await database.db.update(users).set({ disabledAt: null }).where(eq(users.id, carla!.id))
    expect(await findFeedUser(token)).toEqual({ userId: carla!.id })
  })

  it('serves every author’s entries as a valid iCalendar, escaped and folded', async () => {
    const tricky = 'Linen, wool; and a back\\slash\non two lines'
    const longText = `Ça va? Ünïcödé façade 🧵🪡 naïve crème brûlée ${'é🧵'.repeat(3)} `.repeat(25).trim()
    const escaped = await newEntry({ title: tricky, contentType: 'reel', daysFromNow: 2, hashtags: ['linen', 'sewing'] })
    const long = await newEntry({ platform: 'facebook', description: longText, daysFromNow: 3 })
    const bens = await newEntry({ userId: ben, platform: 'pinterest', contentType: 'story', daysFromNow: -10 })
    const published = await newEntry({ published: true, publishedDate: new Date(), daysFromNow: -1 })
    const edge = await newEntry({ daysFromNow: -89 })
    const old = await newEntry({ daysFromNow: -91 })
    const draft = await newEntry({ daysFromNow: null })

    const now = new Date()
    const text = await calendarIcs({ userId: ana, now })
    const { calendar, events } = validate(text)
    expect(unescapeText(only(calendar, 'X-WR-CALNAME').value)[0]).toBe(`${env().SHOP_NAME} content calendar`)
    expect(only(calendar, 'X-WR-TIMEZONE').value).toBe(env().SHOP_TIMEZONE)

    const byId = (id: string) => events.find((e) => e.uid === `${id}@${uidHost()}`)
    for (const entry of [escaped, long, bens, published, edge]) expect(byId(entry.id), entry.title).toBeDefined()
    for (const entry of [old, draft]) expect(byId(entry.id), entry.title).toBeUndefined()
    // In date order.
    const starts = events.map((e) => e.start.getTime())
    expect(starts).toEqual([...starts].sort((a, b) => a - b))

    const e = byId(escaped.id)!
    expect(e.summary).toBe(`Instagram reel: ${tricky}`)
    expect(e.description).toContain('#linen #sewing')
    expect(e.description).toContain(`${env().APP_URL}/calendar/entries/${escaped.id}`)
    expect(e.description).toContain('By Ana')
    expect(e.url).toBe(`${env().APP_URL}/calendar/entries/${escaped.id}`)
    expect(e.start.getTime()).toBe(Math.floor(escaped.scheduledDate!.getTime() / 1000) * 1000)
    expect(e.end.getTime() - e.start.getTime()).toBe(30 * 60_000)
    expect(e.stamp.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000)
    expect(e.categories).toEqual(['Instagram'])
    expect(e.status).toBe('CONFIRMED')
    expect(e.sequence).toBe(1)

    const l = byId(long.id)!
    expect(l.description.startsWith(`${longText}\n\n`)).toBe(true)
    expect(l.summary).toBe(`Facebook post: ${long.title}`)
    // The long description really was folded, between characters.
    expect(octets(longText)).toBeGreaterThan(1500)
    expect(text).toContain('\r\n ')

    expect(byId(bens.id)!.summary).toBe(`Pinterest story: ${bens.title}`)
    expect(byId(bens.id)!.description).toContain(`By ben-${target}@example.com`)
    expect(byId(bens.id)!.categories).toEqual(['Pinterest'])
    expect(byId(published.id)!.summary).toBe(`Instagram post: ${published.title} (published)`)
  })

  it('keeps an event’s UID through an edit, with a higher SEQUENCE', async () => {
    const entry = await newEntry({ title: 'Before the edit', daysFromNow: 5 })
    const before = validate(await calendarIcs({ userId: ben })).events.find((e) => e.uid.startsWith(entry.id))!
    await database.db
      .update(contentCalendar)
      .set({
        title: 'After the edit',
        scheduledDate: new Date(Date.now() + 6 * DAY),
        version: sql`${contentCalendar.version} + 1`,
      })
      .where(eq(contentCalendar.id, entry.id))
    const after = validate(await calendarIcs({ userId: ben })).events.find((e) => e.uid.startsWith(entry.id))!
    expect(after.uid).toBe(before.uid)
    expect(after.uid).toBe(`${entry.id}@${uidHost()}`)
    expect(after.sequence).toBeGreaterThan(before.sequence)
    expect(after.summary).toBe('Instagram post: After the edit')
    expect(after.start.getTime()).toBeGreaterThan(before.start.getTime())
    expect(after.lastModified.getTime()).toBeGreaterThanOrEqual(before.lastModified.getTime())
  })

  it('is an empty but valid calendar when nothing is scheduled in its window', async () => {
    const text = await calendarIcs({ userId: ana, now: new Date(Date.now() + 10_000 * DAY) })
    expect(validate(text).events).toEqual([])
  })
})
