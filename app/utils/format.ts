// Tiny pure formatting helpers, the same on server and client.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()

/** "Mon 30 Nov, 14:30" in a time zone (the shop's, SHOP_TIMEZONE; UTC when not given). */
export function formatDateTime(value: Date | string | null | undefined, timeZone = 'UTC'): string {
  if (!value) return '—'
  let format = dateTimeFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    })
    dateTimeFormats.set(timeZone, format)
  }
  return format.format(typeof value === 'string' ? new Date(value) : value)
}
