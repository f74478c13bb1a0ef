// Dates in the shop's time zone (SHOP_TIMEZONE), the same on server and client. Instants are
// stored in UTC; a calendar day is a plain 'YYYY-MM-DD' string, and day arithmetic is done on
// those strings (as UTC dates), so it never trips over a daylight-saving change.

export type Day = string // 'YYYY-MM-DD'

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

const partsFormats = new Map<string, Intl.DateTimeFormat>()
function partsFormat(timeZone: string) {
  let format = partsFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormats.set(timeZone, format)
  }
  return format
}

/** The wall-clock fields of an instant in a time zone. */
export function zonedParts(instant: Date, timeZone: string) {
  const parts: Record<string, number> = {}
  for (const p of partsFormat(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The calendar day an instant falls on in a time zone. */
export function dayOf(instant: Date, timeZone: string): Day {
  const p = zonedParts(instant, timeZone)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/** An instant as a datetime-local input's value ('YYYY-MM-DDTHH:mm') in a time zone. */
export function toLocalInput(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000)
}

/**
 * The instant a wall-clock time ('YYYY-MM-DDTHH:mm') names in a time zone, or null if the text
 * is not such a time. A time skipped by a daylight-saving change moves forward by the gap;
 * a time that happens twice is the first of the two.
 */
export function fromLocalInput(text: string, timeZone: string): Date | null {
  const m = LOCAL.exec(text.trim())
  if (!m) return null
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  if (new Date(wall).getUTCDate() !== day) return null // 31 February and the like
  // Try the offsets in force a day either side; keep the earliest instant that reads back as `wall`.
  const candidates = [-1, 1].map((d) => offsetMinutes(new Date(wall + d * 86_400_000), timeZone))
  const instants = [...new Set(candidates)].map((offset) => wall - offset * 60_000).sort((a, b) => a - b)
  for (const t of instants) {
    const p = zonedParts(new Date(t), timeZone)
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall) return new Date(t)
  }
  // In a gap the wall time does not exist: read with the offset before the change, it lands
  // as far past the gap as it was into it (01:30 on a spring-forward night becomes 02:30).
  return new Date(wall - candidates[0]! * 60_000)
}

/** The first instant of a day in a time zone. */
export function startOfDay(day: Day, timeZone: string): Date {
  return fromLocalInput(`${day}T00:00`, timeZone)!
}

export function isDay(text: string | null | undefined): text is Day {
  const m = text ? DAY.exec(text) : null
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.getUTCDate() === Number(m[3]) && date.getUTCFullYear() === Number(m[1])
}

function dayToUtc(day: Day): Date {
  return new Date(`${day}T00:00:00Z`)
}

function utcToDay(date: Date): Day {
  return date.toISOString().slice(0, 10)
}

export function addDays(day: Day, n: number): Day {
  const d = dayToUtc(day)
  d.setUTCDate(d.getUTCDate() + n)
  return utcToDay(d)
}

/** 0 = Monday … 6 = Sunday: the shop's weeks start on Monday. */
export function weekdayIndex(day: Day): number {
  return (dayToUtc(day).getUTCDay() + 6) % 7
}

export function startOfWeek(day: Day): Day {
  return addDays(day, -weekdayIndex(day))
}

export function startOfMonth(day: Day): Day {
  return `${day.slice(0, 7)}-01`
}

/** The same day of the month `n` months away (clamped to the month's last day). */
export function addMonths(day: Day, n: number): Day {
  const d = dayToUtc(day)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), last))
  return utcToDay(target)
}

/** How many days from `from` to `to`, both included. */
export function dayCount(from: Day, to: Day): number {
  return Math.round((dayToUtc(to).getTime() - dayToUtc(from).getTime()) / 86_400_000) + 1
}

/** The days from `from` up to, not including, `to`. */
export function daysBetween(from: Day, to: Day): Day[] {
  const days: Day[] = []
  for (let d = from; d < to; d = addDays(d, 1)) days.push(d)
  return days
}

const dayLabels = new Map<string, Intl.DateTimeFormat>()
/** A day as words, e.g. "Monday 30 November 2026" (options pick the parts). */
export function formatDay(day: Day, options: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify(options)
  let format = dayLabels.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' })
    dayLabels.set(key, format)
  }
  // en-GB writes September's short form "Sept": the app writes every short month in three letters.
  return format.format(dayToUtc(day)).replace(/\bSept\b/, 'Sep')
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** '2026-11-03' → "3 Nov", or "3 Nov 2026" with the year: string work only, no time zone, the same in every locale. */
export function shortDay(day: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined
  if (!m || !month) return day
  return `${Number(m[3])} ${month}${withYear ? ` ${m[1]}` : ''}`
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

/**
 * A day as every page shows it: "2 Dec" in the current year, "2 Dec 2025" in any other, and with
 * `weekday` "Tue 2 Dec". `today` is the current day in the shop's time zone (`dayOf(now, zone)`),
 * passed in so that the same day always reads the same and tests choose their own "now".
 */
export function formatShortDay(day: Day, today: Day, { weekday = false }: { weekday?: boolean } = {}): string {
  if (!isDay(day)) return day
  const label = shortDay(day, day.slice(0, 4) !== today.slice(0, 4))
  return weekday ? `${WEEKDAYS[weekdayIndex(day)]} ${label}` : label
}
