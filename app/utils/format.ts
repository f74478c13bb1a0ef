// How every page writes instants and numbers, the same on server and client. Instants are shown
// in the shop's time zone (SHOP_TIMEZONE): "2 Dec" in the current year, "2 Dec 2025" in any
// other, times as "2 Dec, 11:19" (24-hour clock); numbers always with thousands separators.
// "Now" is a parameter (the current time when left out), so a test picks its own.
import { dayOf, formatShortDay, zonedParts } from './dates'

export interface DateOptions {
  /** The current time: it decides whether the year is written. */
  now?: Date
  /** "Tue 2 Dec" rather than "2 Dec". */
  weekday?: boolean
}

function instantOf(value: Date | string | number | null | undefined): Date | null {
  if (value == null || value === '') return null
  const instant = value instanceof Date ? value : new Date(value)
  return Number.isNaN(instant.getTime()) ? null : instant
}

/** "2 Dec" (this year), "2 Dec 2025" (another), "Tue 2 Dec" with `weekday`; "—" for no date. */
export function formatDate(
  value: Date | string | number | null | undefined,
  timeZone = 'UTC',
  { now = new Date(), weekday = false }: DateOptions = {},
): string {
  const instant = instantOf(value)
  if (!instant) return '—'
  return formatShortDay(dayOf(instant, timeZone), dayOf(now, timeZone), { weekday })
}

/** "2 Dec, 11:19" (this year), "2 Dec 2025, 11:19" (another), "Tue 2 Dec, 11:19" with `weekday`. */
export function formatDateTime(
  value: Date | string | number | null | undefined,
  timeZone = 'UTC',
  options: DateOptions = {},
): string {
  const instant = instantOf(value)
  if (!instant) return '—'
  const { hour, minute } = zonedParts(instant, timeZone)
  return `${formatDate(instant, timeZone, options)}, ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}

const numberFormats = new Map<number, Intl.NumberFormat>()

/** 1272 → "1,272", 12.5 → "12.5", -3000 → "-3,000" (at most `fractionDigits` decimals). */
export function formatNumber(n: number | null | undefined, fractionDigits = 2): string {
  if (n == null || !Number.isFinite(n)) return '—'
  let format = numberFormats.get(fractionDigits)
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { maximumFractionDigits: fractionDigits })
    numberFormats.set(fractionDigits, format)
  }
  return format.format(n)
}

/** "1 fabric", "1,272 fabrics", "2 entries" (pass the plural when it is not the word + "s"). */
export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}
