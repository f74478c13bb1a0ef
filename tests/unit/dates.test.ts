// Days and wall-clock times in the shop's time zone (app/utils/dates.ts), around midnight and
// across daylight-saving changes: London (01:00 UTC, last Sundays of March and October) and
// New York (02:00 local, second Sunday of March and first of November).
import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  dayOf,
  daysBetween,
  formatDay,
  formatShortDay,
  fromLocalInput,
  isDay,
  startOfDay,
  startOfMonth,
  startOfWeek,
  toLocalInput,
  weekdayIndex,
  zonedParts,
} from '~/utils/dates'
import { formatCount, formatDate, formatDateTime, formatNumber } from '~/utils/format'
import { formatAmount, formatMoney } from '~/utils/money'

const LONDON = 'Europe/London'
const NEW_YORK = 'America/New_York'
const iso = (d: Date | null) => d?.toISOString() ?? null

describe('the day an instant falls on', () => {
  it('is the shop’s day, not UTC’s, just before and after local midnight', () => {
    // 23:30 EDT on 14 July = 03:30 UTC on the 15th.
    expect(dayOf(new Date('2026-07-15T03:30:00Z'), NEW_YORK)).toBe('2026-07-14')
    expect(dayOf(new Date('2026-07-15T04:00:00Z'), NEW_YORK)).toBe('2026-07-15')
    // 23:30 BST on 14 July = 22:30 UTC the same day; 00:30 BST on the 15th = 23:30 UTC on the 14th.
    expect(dayOf(new Date('2026-07-14T22:30:00Z'), LONDON)).toBe('2026-07-14')
    expect(dayOf(new Date('2026-07-14T23:30:00Z'), LONDON)).toBe('2026-07-15')
    expect(dayOf(new Date('2026-07-14T23:30:00Z'), 'UTC')).toBe('2026-07-14')
    // In winter London is on UTC.
    expect(dayOf(new Date('2026-01-14T23:30:00Z'), LONDON)).toBe('2026-01-14')
    // East of UTC, the next day starts earlier.
    expect(dayOf(new Date('2026-12-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2027-01-01')
  })

  it('reads midnight as hour 0, never 24', () => {
    expect(zonedParts(new Date('2026-07-15T04:00:00Z'), NEW_YORK)).toEqual({
      year: 2026,
      month: 7,
      day: 15,
      hour: 0,
      minute: 0,
      second: 0,
    })
    expect(toLocalInput(new Date('2026-07-15T04:00:00Z'), NEW_YORK)).toBe('2026-07-15T00:00')
  })
})

describe('wall-clock times and instants', () => {
  it('round-trip on ordinary days, in summer and in winter', () => {
    for (const [text, zone, instant] of [
      ['2026-07-14T23:30', LONDON, '2026-07-14T22:30:00.000Z'],
      ['2026-01-14T23:30', LONDON, '2026-01-14T23:30:00.000Z'],
      ['2026-07-14T23:30', NEW_YORK, '2026-07-15T03:30:00.000Z'],
      ['2026-01-14T23:30', NEW_YORK, '2026-01-15T04:30:00.000Z'],
      ['2026-07-14T00:00', 'UTC', '2026-07-14T00:00:00.000Z'],
    ] as const) {
      expect(iso(fromLocalInput(text, zone))).toBe(instant)
      expect(toLocalInput(new Date(instant), zone)).toBe(text)
    }
  })

  it('moves a time skipped by the spring change forward by the gap', () => {
    // London: 01:00 GMT becomes 02:00 BST on 29 March 2026; 01:30 does not exist.
    expect(iso(fromLocalInput('2026-03-29T01:30', LONDON))).toBe('2026-03-29T01:30:00.000Z') // = 02:30 BST
    expect(toLocalInput(fromLocalInput('2026-03-29T01:30', LONDON)!, LONDON)).toBe('2026-03-29T02:30')
    expect(iso(fromLocalInput('2026-03-29T00:59', LONDON))).toBe('2026-03-29T00:59:00.000Z')
    expect(iso(fromLocalInput('2026-03-29T02:00', LONDON))).toBe('2026-03-29T01:00:00.000Z')
    // New York: 02:00 EST becomes 03:00 EDT on 8 March 2026; 02:30 does not exist.
    expect(iso(fromLocalInput('2026-03-08T02:30', NEW_YORK))).toBe('2026-03-08T07:30:00.000Z') // = 03:30 EDT
    expect(toLocalInput(fromLocalInput('2026-03-08T02:30', NEW_YORK)!, NEW_YORK)).toBe('2026-03-08T03:30')
    expect(iso(fromLocalInput('2026-03-08T01:59', NEW_YORK))).toBe('2026-03-08T06:59:00.000Z')
    expect(iso(fromLocalInput('2026-03-08T03:00', NEW_YORK))).toBe('2026-03-08T07:00:00.000Z')
  })

  it('reads a time that happens twice in the autumn as the first of the two', () => {
    // London: 02:00 BST becomes 01:00 GMT on 25 October 2026; 01:30 happens at 00:30 and 01:30 UTC.
    expect(iso(fromLocalInput('2026-10-25T01:30', LONDON))).toBe('2026-10-25T00:30:00.000Z')
    expect(toLocalInput(new Date('2026-10-25T01:30:00Z'), LONDON)).toBe('2026-10-25T01:30') // the second one reads the same
    expect(iso(fromLocalInput('2026-10-25T02:00', LONDON))).toBe('2026-10-25T02:00:00.000Z') // after the overlap: GMT
    // New York: 02:00 EDT becomes 01:00 EST on 1 November 2026; 01:30 happens at 05:30 and 06:30 UTC.
    expect(iso(fromLocalInput('2026-11-01T01:30', NEW_YORK))).toBe('2026-11-01T05:30:00.000Z')
    expect(toLocalInput(new Date('2026-11-01T06:30:00Z'), NEW_YORK)).toBe('2026-11-01T01:30')
    expect(iso(fromLocalInput('2026-11-01T00:59', NEW_YORK))).toBe('2026-11-01T04:59:00.000Z')
    expect(iso(fromLocalInput('2026-11-01T02:00', NEW_YORK))).toBe('2026-11-01T07:00:00.000Z')
  })

  it('refuses what is not a wall-clock time', () => {
    for (const text of ['', '2026-07-14', '2026-07-14 23:30', '2026-02-30T10:00', '2026-13-01T10:00', '2026-07-14T24:00', '2026-07-14T10:60', 'soon']) {
      expect(fromLocalInput(text, LONDON)).toBeNull()
    }
    expect(iso(fromLocalInput(' 2026-07-14T10:00 ', 'UTC'))).toBe('2026-07-14T10:00:00.000Z')
  })
})

describe('the start of a day', () => {
  it('is local midnight, so days are 23 or 25 hours long across a change', () => {
    const hours = (day: string, zone: string) =>
      (startOfDay(addDays(day, 1), zone).getTime() - startOfDay(day, zone).getTime()) / 3_600_000
    expect(iso(startOfDay('2026-03-29', LONDON))).toBe('2026-03-29T00:00:00.000Z')
    expect(iso(startOfDay('2026-03-30', LONDON))).toBe('2026-03-29T23:00:00.000Z')
    expect(hours('2026-03-29', LONDON)).toBe(23)
    expect(hours('2026-10-25', LONDON)).toBe(25)
    expect(hours('2026-07-14', LONDON)).toBe(24)
    expect(iso(startOfDay('2026-03-08', NEW_YORK))).toBe('2026-03-08T05:00:00.000Z')
    expect(iso(startOfDay('2026-03-09', NEW_YORK))).toBe('2026-03-09T04:00:00.000Z')
    expect(hours('2026-03-08', NEW_YORK)).toBe(23)
    expect(hours('2026-11-01', NEW_YORK)).toBe(25)
  })

  it('is the first instant of the day even where midnight itself is skipped', () => {
    // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018.
    const start = startOfDay('2018-11-04', 'America/Sao_Paulo')
    expect(iso(start)).toBe('2018-11-04T03:00:00.000Z')
    expect(toLocalInput(start, 'America/Sao_Paulo')).toBe('2018-11-04T01:00')
    expect(dayOf(new Date(start.getTime() - 1), 'America/Sao_Paulo')).toBe('2018-11-03')
  })
})

describe('day arithmetic on day strings', () => {
  it('adds days across months, years, leap days and daylight-saving changes', () => {
    expect(addDays('2026-07-31', 1)).toBe('2026-08-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30') // over London's short day
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26') // over its long day
    expect(addDays('2026-07-14', 0)).toBe('2026-07-14')
  })

  it('adds months keeping the day, clamped to the month’s last', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28')
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15')
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15')
    expect(addMonths('2026-07-01', 12)).toBe('2027-07-01')
  })

  it('starts weeks on Monday and months on the 1st', () => {
    expect(weekdayIndex('2026-07-13')).toBe(0) // a Monday
    expect(weekdayIndex('2026-07-19')).toBe(6) // a Sunday
    expect(startOfWeek('2026-07-19')).toBe('2026-07-13')
    expect(startOfWeek('2026-07-13')).toBe('2026-07-13')
    expect(startOfWeek('2026-01-01')).toBe('2025-12-29')
    expect(startOfMonth('2026-07-19')).toBe('2026-07-01')
  })

  it('lists the days of a range, the end left out', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01'])
    expect(daysBetween('2026-03-28', '2026-03-31')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30'])
    expect(daysBetween('2026-07-14', '2026-07-14')).toEqual([])
  })

  it('knows a real day from text that only looks like one', () => {
    expect(isDay('2026-07-14')).toBe(true)
    expect(isDay('2028-02-29')).toBe(true)
    for (const text of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-7-14', '14/07/2026', '2026-07-14T00:00', '', null, undefined]) {
      expect(isDay(text)).toBe(false)
    }
  })

  it('writes a day in words, whatever the machine’s time zone', () => {
    // ICU versions differ on the comma after the weekday.
    expect(formatDay('2026-07-14', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })).toMatch(
      /^Tuesday,? 14 July 2026$/,
    )
    expect(formatDay('2026-12-31', { day: 'numeric', month: 'short' })).toBe('31 Dec')
    expect(formatDay('2026-03-01', { month: 'long', year: 'numeric' })).toBe('March 2026')
  })
})

describe('one way to write dates, times and numbers', () => {
  const now = new Date('2026-12-02T12:00:00Z')

  it('leaves the year out in the current year and writes it in any other', () => {
    expect(formatShortDay('2026-12-02', '2026-12-02')).toBe('2 Dec')
    expect(formatShortDay('2026-03-24', '2026-12-02', { weekday: true })).toBe('Tue 24 Mar')
    expect(formatShortDay('2025-12-02', '2026-12-02')).toBe('2 Dec 2025')
    expect(formatShortDay('2027-01-05', '2026-12-02', { weekday: true })).toBe('Tue 5 Jan 2027')
    expect(formatDate(new Date('2026-03-24T11:19:00Z'), 'UTC', { now })).toBe('24 Mar')
    expect(formatDate(new Date('2024-09-03T11:19:00Z'), 'UTC', { now })).toBe('3 Sep 2024')
    expect(formatDateTime(new Date('2026-03-24T11:19:00Z'), 'UTC', { now })).toBe('24 Mar, 11:19')
    expect(formatDateTime(new Date('2026-03-24T11:19:00Z'), 'UTC', { now, weekday: true })).toBe('Tue 24 Mar, 11:19')
    expect(formatDateTime('2025-12-02T11:19:00Z', 'UTC', { now })).toBe('2 Dec 2025, 11:19')
    expect(formatDateTime(null, 'UTC', { now })).toBe('—')
    expect(formatDateTime('not a date', 'UTC', { now })).toBe('—')
  })

  it('writes September as "Sep", never "Sept"', () => {
    expect(formatShortDay('2024-09-03', '2026-01-01')).toBe('3 Sep 2024')
    expect(formatDay('2024-09-03', { day: 'numeric', month: 'short', year: 'numeric' })).toBe('3 Sep 2024')
    expect(formatDateTime('2026-09-30T08:05:00Z', 'UTC', { now })).toBe('30 Sep, 08:05')
  })

  it('reads the day and the year in the shop’s time zone around midnight', () => {
    // 23:30 on 14 July in New York is 03:30 UTC on the 15th.
    expect(formatDateTime('2026-07-15T03:30:00Z', NEW_YORK, { now })).toBe('14 Jul, 23:30')
    expect(formatDate('2026-07-15T03:30:00Z', NEW_YORK, { now, weekday: true })).toBe('Tue 14 Jul')
    expect(formatDateTime('2026-07-15T03:30:00Z', 'UTC', { now })).toBe('15 Jul, 03:30')
    // Midnight is 00:00, not 24:00.
    expect(formatDateTime('2026-07-15T04:00:00Z', NEW_YORK, { now })).toBe('15 Jul, 00:00')
    // 00:30 BST on 15 July is 23:30 UTC on the 14th.
    expect(formatDateTime('2026-07-14T23:30:00Z', LONDON, { now })).toBe('15 Jul, 00:30')
  })

  it('decides "this year" in the shop’s time zone around New Year', () => {
    // 20:00 on 31 December 2026 in New York is already 1 January 2027 in UTC.
    const newYearsEveNY = new Date('2027-01-01T01:00:00Z')
    expect(formatDateTime('2027-01-01T01:00:00Z', NEW_YORK, { now: newYearsEveNY })).toBe('31 Dec, 20:00')
    expect(formatDateTime('2027-01-01T01:00:00Z', 'UTC', { now: newYearsEveNY })).toBe('1 Jan, 01:00')
    // A post at 01:00 on New Year's Day, seen on New Year's Eve in New York: another year.
    expect(formatDateTime('2027-01-01T06:00:00Z', NEW_YORK, { now: newYearsEveNY })).toBe('1 Jan 2027, 01:00')
    // Just past midnight in Tokyo it is the new year, while London still has the old one.
    const tokyoNewYear = new Date('2026-12-31T15:30:00Z')
    expect(formatDate('2026-12-31T12:00:00Z', 'Asia/Tokyo', { now: tokyoNewYear })).toBe('31 Dec 2026')
    expect(formatDate('2026-12-31T12:00:00Z', LONDON, { now: tokyoNewYear })).toBe('31 Dec')
  })

  it('writes numbers and money with thousands separators', () => {
    expect(formatNumber(1272)).toBe('1,272')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(-3000)).toBe('-3,000')
    expect(formatNumber(1234567.891)).toBe('1,234,567.89')
    expect(formatNumber(12.5)).toBe('12.5')
    expect(formatNumber(null)).toBe('—')
    expect(formatCount(1, 'fabric')).toBe('1 fabric')
    expect(formatCount(1272, 'entry', 'entries')).toBe('1,272 entries')
    expect(formatMoney('1272.5', 'USD')).toBe('$1,272.50')
    expect(formatAmount(4520.85, 'USD')).toBe('$4,520.85')
    expect(formatAmount(-1234567.8, 'GBP')).toBe('-£1,234,567.80')
  })
})
