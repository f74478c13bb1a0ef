// The content calendar's views on PGlite and PostgreSQL: days in the shop's time zone (an entry
// at 23:30 local time is on its own day, not the next), the month grid's bounds, the filters,
// the per-day caps with their "more" counts, the list's pages and drafts. The time zone and
// "now" are arguments, so nothing here depends on the environment or the clock.
import { sql } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  CHIPS_PER_DAY,
  LIST_PAGE_SIZE,
  monthGrid,
  parseCalendarQuery,
  WEEK_DAY_CAP,
  type CalendarDay,
  type ListView,
  type MonthView,
  type WeekView,
} from '~/models/calendar-view'
import { getCalendar } from '~/models/calendar-view.server'
import { contentCalendar, users, type NewContentEntry } from '~/models/schema'
import { daysBetween } from '~/utils/dates'
import { useMigratedDatabase } from '../setup/databases'

const query = (search: string) => parseCalendarQuery(new URLSearchParams(search))

describe('reading the calendar address', () => {
  it('keeps what makes sense and drops the rest, never failing', () => {
    expect(
      query(
        'view=list&date=2026-07-14&to=2026-07-20&platform=instagram&type=reel&author=5F0C1E9A-1B2C-4D3E-8F90-123456789ABC&status=overdue&page=3',
      ),
    ).toEqual({
      view: 'list',
      date: '2026-07-14',
      to: '2026-07-20',
      platform: 'instagram',
      type: 'reel',
      author: '5f0c1e9a-1b2c-4d3e-8f90-123456789abc',
      status: 'overdue',
      page: 3,
    })
    expect(
      query('view=year&date=2026-02-30&to=tomorrow&platform=tiktok&type=&author=42&status=late&page=-1'),
    ).toEqual({ view: 'month', page: 1 })
    expect(query('')).toEqual({ view: 'month', page: 1 })
    // Years nobody plans for, and a list's end before its start or more than a year after it.
    expect(query('date=0001-01-01').date).toBeUndefined()
    expect(query('date=9999-12-31').date).toBeUndefined()
    expect(query('view=list&date=2026-07-14&to=2026-07-13').to).toBeUndefined()
    expect(query('view=list&date=2026-07-14&to=2027-08-01').to).toBeUndefined()
    // `to` and `page` belong to the list.
    expect(query('view=month&date=2026-07-14&to=2026-07-20&page=2')).toEqual({ view: 'month', date: '2026-07-14', page: 1 })
    expect(query('view=list&page=99999').page).toBe(1)
  })

  it('makes month grids of whole weeks, Monday to Sunday, around the month', () => {
    // March 2026 starts on a Sunday and ends on a Tuesday: six weeks.
    expect(monthGrid('2026-03-15')).toEqual({ month: '2026-03-01', from: '2026-02-23', to: '2026-04-06' })
    // June 2026 starts on a Monday and ends on a Tuesday: five weeks, no day of May.
    expect(monthGrid('2026-06-30')).toEqual({ month: '2026-06-01', from: '2026-06-01', to: '2026-07-06' })
    // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
    expect(monthGrid('2027-02-01')).toEqual({ month: '2027-02-01', from: '2027-02-01', to: '2027-03-01' })
  })
})

for (const target of ['pglite', 'postgres'] as const) {
  describe(`calendar views on ${target}`, () => {
    const database = useMigratedDatabase(target)
    let ana: string
    let ben: string
    let counter = 0

    beforeAll(async () => {
      const [a, b] = await database.db
        .insert(users)
        .values([
          { email: `ana-${target}@example.com`, name: 'Ana Author' },
          { email: `ben-${target}@example.com`, name: null },
        ])
        .returning({ id: users.id })
      ana = a!.id
      ben = b!.id
    })

    beforeEach(async () => {
      await database.db.execute(sql`delete from ${contentCalendar}`)
    })

    /** Inserts entries as the table's owner; `at` is an ISO instant (or null for a draft). */
    async function insert(...entries: (Partial<NewContentEntry> & { at: string | null })[]) {
      const values = entries.map(({ at, ...e }) => ({
        userId: ana,
        platform: 'instagram' as const,
        contentType: 'post' as const,
        title: `Entry ${++counter}`,
        scheduledDate: at ? new Date(at) : null,
        ...e,
      }))
      return database.db.insert(contentCalendar).values(values).returning({ id: contentCalendar.id })
    }

    async function view(search: string, { timeZone = 'UTC', now = new Date('2026-07-10T12:00:00Z') } = {}) {
      return getCalendar({ userId: ana, query: query(search), timeZone, now })
    }
    const month = async (search: string, options?: Parameters<typeof view>[1]) =>
      (await view(`view=month&${search}`, options)).data as MonthView
    const week = async (search: string, options?: Parameters<typeof view>[1]) =>
      (await view(`view=week&${search}`, options)).data as WeekView
    const list = async (search: string, options?: Parameters<typeof view>[1]) =>
      (await view(`view=list&${search}`, options)).data as ListView
    const dayOfGrid = (days: CalendarDay[], day: string) => days.find((d) => d.day === day)!
    const titles = (days: CalendarDay[], day: string) => dayOfGrid(days, day).entries.map((e) => e.title)

    describe('days in the shop’s time zone', () => {
      it('puts an entry at 23:30 in New York (summer) on its own day, not the next', async () => {
        // 23:30 EDT on 14 July is 03:30 UTC on the 15th.
        await insert({ at: '2026-07-15T03:30:00Z', title: 'Late post' }, { at: '2026-07-15T04:00:00Z', title: 'Just after midnight' })
        const ny = await month('date=2026-07-01', { timeZone: 'America/New_York' })
        expect(titles(ny.days, '2026-07-14')).toEqual(['Late post'])
        expect(titles(ny.days, '2026-07-15')).toEqual(['Just after midnight'])
        expect(dayOfGrid(ny.days, '2026-07-14').entries[0]!.local).toBe('2026-07-14T23:30')
        expect(dayOfGrid(ny.days, '2026-07-15').entries[0]!.local).toBe('2026-07-15T00:00')
        // The same rows read in UTC are both on the 15th: the zone, not the stored date, decides.
        const utc = await month('date=2026-07-01', { timeZone: 'UTC' })
        expect(titles(utc.days, '2026-07-14')).toEqual([])
        expect(titles(utc.days, '2026-07-15')).toEqual(['Late post', 'Just after midnight'])
        expect(dayOfGrid(utc.days, '2026-07-15').entries[0]!.local).toBe('2026-07-15T03:30')
      })

      it('puts an entry at 23:30 in London (summer time) on its own day in the month, week and a day’s list', async () => {
        // 23:30 BST on 14 July is 22:30 UTC the same day; 00:30 BST on the 15th is 23:30 UTC on the 14th.
        await insert({ at: '2026-07-14T22:30:00Z', title: 'Evening reel' }, { at: '2026-07-14T23:30:00Z', title: 'Night owl' })
        const options = { timeZone: 'Europe/London' }
        const grid = await month('date=2026-07-20', options)
        expect(titles(grid.days, '2026-07-14')).toEqual(['Evening reel'])
        expect(titles(grid.days, '2026-07-15')).toEqual(['Night owl'])
        expect(dayOfGrid(grid.days, '2026-07-14').entries[0]!.local).toBe('2026-07-14T23:30')
        const days = (await week('date=2026-07-15', options)).days
        expect(days.map((d) => d.day)).toEqual(daysBetween('2026-07-13', '2026-07-20'))
        expect(titles(days, '2026-07-14')).toEqual(['Evening reel'])
        expect(titles(days, '2026-07-15')).toEqual(['Night owl'])
        const oneDay = await list('date=2026-07-14&to=2026-07-14', options)
        expect(oneDay.entries.map((e) => e.title)).toEqual(['Evening reel'])
        expect(oneDay.entries[0]!.local).toBe('2026-07-14T23:30')
        // In winter London is on UTC: 23:30 GMT on 14 January is 23:30 UTC.
        await insert({ at: '2026-01-14T23:30:00Z', title: 'Winter night' })
        const january = await month('date=2026-01-01', options)
        expect(titles(january.days, '2026-01-14')).toEqual(['Winter night'])
      })

      it('counts a short day and a long one (daylight saving changes) as whole local days', async () => {
        // New York springs forward on 8 March 2026 (a 23-hour day) and falls back on 1 November (25 hours).
        await insert(
          { at: '2026-03-08T04:59:00Z', title: 'Before the short day' }, // 23:59 EST on the 7th
          { at: '2026-03-08T05:00:00Z', title: 'Short day starts' }, // 00:00 EST on the 8th
          { at: '2026-03-09T03:59:00Z', title: 'Short day ends' }, // 23:59 EDT on the 8th
          { at: '2026-11-01T04:00:00Z', title: 'Long day starts' }, // 00:00 EDT on 1 November
          { at: '2026-11-01T06:30:00Z', title: 'Second 01:30' }, // 01:30 EST, the second one
          { at: '2026-11-02T04:59:00Z', title: 'Long day ends' }, // 23:59 EST on the 1st
        )
        const options = { timeZone: 'America/New_York' }
        const march = await month('date=2026-03-01', options)
        expect(titles(march.days, '2026-03-07')).toEqual(['Before the short day'])
        expect(titles(march.days, '2026-03-08')).toEqual(['Short day starts', 'Short day ends'])
        const november = await month('date=2026-11-01', options)
        expect(titles(november.days, '2026-11-01')).toEqual(['Long day starts', 'Second 01:30', 'Long day ends'])
        expect(dayOfGrid(november.days, '2026-11-01').entries.map((e) => e.local)).toEqual([
          '2026-11-01T00:00',
          '2026-11-01T01:30',
          '2026-11-01T23:59',
        ])
      })
    })

    it('covers the month grid from its first day’s midnight to its last day’s end, in the shop’s zone', async () => {
      // May 2026 in New York: the grid runs Monday 27 April to Sunday 31 May.
      await insert(
        { at: '2026-04-27T03:59:00Z', title: 'Before the grid' }, // 23:59 on Sunday 26 April
        { at: '2026-04-27T04:00:00Z', title: 'First grid minute' }, // 00:00 on Monday 27 April
        { at: '2026-06-01T03:59:00Z', title: 'Last grid minute' }, // 23:59 on Sunday 31 May
        { at: '2026-06-01T04:00:00Z', title: 'After the grid' }, // 00:00 on Monday 1 June
      )
      const grid = await month('date=2026-05-14', { timeZone: 'America/New_York' })
      expect(grid.month).toBe('2026-05-01')
      expect(grid.days.map((d) => d.day)).toEqual(daysBetween('2026-04-27', '2026-06-01'))
      expect(titles(grid.days, '2026-04-27')).toEqual(['First grid minute'])
      expect(titles(grid.days, '2026-05-31')).toEqual(['Last grid minute'])
      expect(grid.total).toBe(2)
      expect(grid.previous).toBe('2026-04-01')
      expect(grid.next).toBe('2026-06-01')
      // The neighbours' grids have the ones this grid left out.
      const april = await month('date=2026-04-01', { timeZone: 'America/New_York' })
      expect(titles(april.days, '2026-04-26')).toEqual(['Before the grid'])
      const june = await month('date=2026-06-01', { timeZone: 'America/New_York' })
      expect(titles(june.days, '2026-06-01')).toEqual(['After the grid'])
    })

    it('filters by platform, type, author and each status, in every view', async () => {
      const now = new Date('2026-07-10T12:00:00Z')
      await insert(
        { at: '2026-07-08T09:00:00Z', title: 'Published pin', platform: 'pinterest', published: true, publishedDate: new Date('2026-07-08T09:05:00Z') },
        { at: '2026-07-09T09:00:00Z', title: 'Overdue story', contentType: 'story', userId: ben },
        { at: '2026-07-10T11:59:00Z', title: 'Overdue by a minute', platform: 'facebook' },
        { at: '2026-07-10T12:00:00Z', title: 'Due now', contentType: 'reel' },
        { at: '2026-07-20T09:00:00Z', title: 'Later reel', contentType: 'reel', userId: ben },
        { at: null, title: 'A draft' },
      )
      // Entries with no date are listed in the order they were made.
      await insert({ at: null, title: 'Published without a date', published: true, publishedDate: new Date('2026-07-01T10:00:00Z') })
      const inMonth = async (search: string) =>
        (await month(`date=2026-07-01&${search}`, { now })).days.flatMap((d) => d.entries.map((e) => e.title))
      const inList = async (search: string) => (await list(`date=2026-07-01&${search}`, { now })).entries.map((e) => e.title)

      expect(await inMonth('')).toEqual(['Published pin', 'Overdue story', 'Overdue by a minute', 'Due now', 'Later reel'])
      expect(await inMonth('platform=pinterest')).toEqual(['Published pin'])
      expect(await inMonth('platform=facebook')).toEqual(['Overdue by a minute'])
      expect(await inMonth('type=reel')).toEqual(['Due now', 'Later reel'])
      expect(await inMonth(`author=${ben}`)).toEqual(['Overdue story', 'Later reel'])
      expect(await inMonth(`author=${ben}&type=story`)).toEqual(['Overdue story'])
      expect(await inMonth('status=published')).toEqual(['Published pin'])
      expect(await inMonth('status=overdue')).toEqual(['Overdue story', 'Overdue by a minute'])
      expect(await inMonth('status=scheduled')).toEqual(['Due now', 'Later reel'])
      // Drafts have no date: never on the grid.
      expect(await inMonth('status=draft')).toEqual([])
      // The list has the entries with no date last.
      expect(await inList('')).toEqual([
        'Published pin',
        'Overdue story',
        'Overdue by a minute',
        'Due now',
        'Later reel',
        'A draft',
        'Published without a date',
      ])
      expect(await inList('status=draft')).toEqual(['A draft'])
      expect(await inList('status=published')).toEqual(['Published pin', 'Published without a date'])
      expect(await inList('status=overdue&platform=facebook')).toEqual(['Overdue by a minute'])
      // Overdue with no date in the address lists every overdue entry, however old.
      await insert({ at: '2025-01-05T10:00:00Z', title: 'Long forgotten' })
      expect((await list('status=overdue', { now })).entries.map((e) => e.title)).toEqual([
        'Long forgotten',
        'Overdue story',
        'Overdue by a minute',
      ])
      // The week view too; and each entry carries its status and author.
      const days = (await week('date=2026-07-09&status=overdue', { now })).days
      expect(days.flatMap((d) => d.entries.map((e) => [e.title, e.status, e.author]))).toEqual([
        ['Overdue story', 'overdue', `ben-${target}@example.com`],
        ['Overdue by a minute', 'overdue', 'Ana Author'],
      ])
      const statuses = (await list('date=2026-07-01', { now })).entries.map((e) => e.status)
      expect(statuses).toEqual(['published', 'overdue', 'overdue', 'scheduled', 'scheduled', 'draft', 'published'])
    })

    it('shows the first few entries of a busy day and counts the rest', async () => {
      // Seven on 14 July (in London), inserted out of order; one on the 15th.
      const times = ['18:00', '09:00', '23:30', '07:15', '12:00', '07:00', '15:45']
      await insert(
        ...times.map((t) => ({ at: `2026-07-14T${t}:00+01:00`, title: `At ${t}` })),
        { at: '2026-07-15T10:00:00+01:00', title: 'Next day' },
      )
      const grid = await month('date=2026-07-01', { timeZone: 'Europe/London' })
      const busy = dayOfGrid(grid.days, '2026-07-14')
      expect(busy.entries).toHaveLength(CHIPS_PER_DAY)
      expect(busy.entries.map((e) => e.title)).toEqual(['At 07:00', 'At 07:15', 'At 09:00', 'At 12:00'])
      expect(busy.total).toBe(7)
      expect(busy.total - busy.entries.length).toBe(3) // "+3 more"
      expect(dayOfGrid(grid.days, '2026-07-15')).toMatchObject({ total: 1, entries: [{ title: 'Next day' }] })
      expect(grid.total).toBe(8)
      // A filter counts only what matches.
      await insert({ at: '2026-07-14T20:00:00+01:00', title: 'A pin', platform: 'pinterest' })
      expect(dayOfGrid((await month('date=2026-07-01&platform=pinterest', { timeZone: 'Europe/London' })).days, '2026-07-14')).toMatchObject({
        total: 1,
        entries: [{ title: 'A pin' }],
      })
      // The week lists all of them, up to its own cap.
      const days = (await week('date=2026-07-14', { timeZone: 'Europe/London' })).days
      expect(titles(days, '2026-07-14')).toEqual(['At 07:00', 'At 07:15', 'At 09:00', 'At 12:00', 'At 15:45', 'At 18:00', 'A pin', 'At 23:30'])
      await insert(
        ...Array.from({ length: WEEK_DAY_CAP }, (_, i) => ({
          at: `2026-07-16T${String(8 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}:00Z`,
        })),
        { at: '2026-07-16T23:00:00Z', title: 'The last of the day' },
      )
      const crowded = dayOfGrid((await week('date=2026-07-16', { timeZone: 'UTC' })).days, '2026-07-16')
      expect(crowded.entries).toHaveLength(WEEK_DAY_CAP)
      expect(crowded.total).toBe(WEEK_DAY_CAP + 1)
      expect(crowded.entries.map((e) => e.title)).not.toContain('The last of the day')
    })

    it('lists from the chosen day in pages of 50, entries with no date last', async () => {
      // 120 entries an hour apart from 1 July, one the day before, and three drafts.
      const start = Date.parse('2026-07-01T00:00:00Z')
      await insert(
        ...Array.from({ length: 120 }, (_, i) => ({
          at: new Date(start + i * 3_600_000).toISOString(),
          title: `Hour ${String(i).padStart(3, '0')}`,
        })),
        { at: '2026-06-30T23:59:00Z', title: 'The day before' },
        // Drafts are listed in the order they were made (explicit times: a fast database can
        // give separate statements the same now()).
        { at: null, title: 'Draft 1', createdAt: new Date('2026-06-01T10:00:00Z') },
        { at: null, title: 'Draft 2', createdAt: new Date('2026-06-01T10:00:01Z') },
        { at: null, title: 'Draft 3', createdAt: new Date('2026-06-01T10:00:02Z') },
      )
      const page1 = await list('date=2026-07-01')
      expect(page1.entries).toHaveLength(LIST_PAGE_SIZE)
      expect(page1.entries[0]!.title).toBe('Hour 000')
      expect(page1.entries.at(-1)!.title).toBe('Hour 049')
      expect(page1).toMatchObject({ from: '2026-07-01', to: null, page: 1, total: 123, pages: 3, more: false, hasNext: true })
      const page2 = await list('date=2026-07-01&page=2')
      expect(page2.entries.map((e) => e.title)).toEqual(Array.from({ length: 50 }, (_, i) => `Hour ${String(50 + i).padStart(3, '0')}`))
      const page3 = await list('date=2026-07-01&page=3')
      expect(page3.entries.map((e) => e.title)).toEqual([
        ...Array.from({ length: 20 }, (_, i) => `Hour ${String(100 + i).padStart(3, '0')}`),
        'Draft 1',
        'Draft 2',
        'Draft 3',
      ])
      expect(page3.hasNext).toBe(false)
      expect(page3.entries.at(-1)!.local).toBeNull()
      expect((await list('date=2026-07-01&page=4')).entries).toEqual([])
      // A range lists dated entries only; from the day before, that one comes first.
      const twoDays = await list('date=2026-06-30&to=2026-07-01')
      expect(twoDays).toMatchObject({ from: '2026-06-30', to: '2026-07-01', total: 25, hasNext: false })
      expect(twoDays.entries.map((e) => e.title).slice(0, 2)).toEqual(['The day before', 'Hour 000'])
      expect(twoDays.entries.at(-1)!.title).toBe('Hour 023')
      // Without a date, the list starts today in the shop's zone.
      const today = await list('', { now: new Date('2026-07-05T22:30:00Z'), timeZone: 'America/New_York' })
      expect(today.from).toBe('2026-07-05')
      expect(today.entries[0]!.title).toBe(`Hour ${String(4 * 24 + 4).padStart(3, '0')}`) // 00:00 EDT on the 5th
    })

    it('says when a status filter finds nothing in the list’s days but entries outside them, and how to reach them', async () => {
      const now = new Date('2026-07-10T12:00:00Z')
      await insert(
        { at: '2026-05-02T09:00:00Z', published: true, publishedDate: new Date('2026-05-02T09:00:00Z'), title: 'Old news' },
        { at: '2026-06-20T09:00:00Z', published: true, publishedDate: new Date('2026-06-20T09:00:00Z'), title: 'Last month' },
        { at: '2026-07-20T09:00:00Z', title: 'Coming up' },
      )
      // Published entries are in the past, and the list starts today.
      const published = await list('status=published', { now })
      expect(published).toMatchObject({ from: '2026-07-10', total: 0, outside: { before: 2, earliest: '2026-05-02', after: 0 } })
      // The link's address (from the earliest) lists them.
      const widened = await list('status=published&date=2026-05-02', { now })
      expect(widened.entries.map((e) => e.title)).toEqual(['Old news', 'Last month'])
      expect(widened.outside).toBeNull()
      // A range before the scheduled entry: it is after the range.
      expect((await list('status=scheduled&date=2026-07-01&to=2026-07-12', { now })).outside).toEqual({ before: 0, earliest: null, after: 1 })
      // Nothing anywhere: nothing to offer.
      expect((await list('status=draft&date=2026-07-01&to=2026-07-12', { now })).outside).toBeNull()
      expect((await list('status=published&date=2026-05-01', { now })).outside).toBeNull()
    })

    it('offers every staff member as an author, by name', async () => {
      const { authors } = await view('')
      expect(authors).toEqual(
        expect.arrayContaining([
          { id: ana, name: 'Ana Author' },
          { id: ben, name: `ben-${target}@example.com` },
        ]),
      )
    })
  })
}
