// The charts' words and numbers: day ranges, counts, money, table cells.
import type { ColumnKind } from '~/utils/chart-data'
import { shortDay } from '~/utils/dates'
import { currencySymbol, formatMoney, fromCents } from '~/utils/money'

export const NO_DATA = 'No data for this range'

/** "1234567.50" → "1,234,567.50". */
const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** 1234 → "1,234". */
export const countText = (n: number) => thousands(String(Math.round(n)))

export const plural = (n: number, word: string) => `${countText(n)} ${word}${n === 1 ? '' : 's'}`

export const spansYears = (from = '', to = '') => from.slice(0, 4) !== to.slice(0, 4)

/** " from 1 Nov to 30 Nov 2026", " from 30 Dec 2025 to 5 Jan 2026", " on 3 Nov 2026" (one day), or "". */
export function daysText(from = '', to = ''): string {
  if (!from || !to) return ''
  if (from === to) return ` on ${shortDay(from, true)}`
  return ` from ${shortDay(from, spansYears(from, to))} to ${shortDay(to, true)}`
}

/** ", 12 weeks from 3 Nov 2025 to 19 Jan 2026", ", the week of 3 Nov 2026", or "" (`weeks` are Mondays). */
export function weeksText(weeks: string[]): string {
  const first = weeks[0]
  const last = weeks[weeks.length - 1]
  if (!first || !last) return ''
  if (weeks.length === 1) return `, the week of ${shortDay(first, true)}`
  return `, ${plural(weeks.length, 'week')}${daysText(first, last)}`
}

/** Exact to the cent: 1234.5 → "£1,234.50". */
export function moneyText(amount: number, currency: string): string {
  return formatMoney(fromCents(Math.round(amount * 100)), currency)
}

/** Whole amounts for an axis: 12000 → "£12,000". */
export function moneyTick(currency: string) {
  const symbol = currencySymbol(currency)
  return (n: number) => `${n < 0 ? '-' : ''}${symbol}${countText(Math.abs(n))}`
}

/** The sum of amounts, added up in cents. */
export const moneySum = (amounts: number[]) => amounts.reduce((sum, a) => sum + Math.round(a * 100), 0) / 100

export const total = (values: number[]) => values.reduce((sum, v) => sum + v, 0)

/** A table cell as text: "3 Nov 2026", "1,234", "1,234.50" (the header names the currency). */
export function cellText(value: string | number | undefined, kind: ColumnKind = 'text'): string {
  if (value === undefined || value === '') return ''
  if (typeof value === 'string') return kind === 'date' ? shortDay(value, true) : value
  if (kind === 'money') return thousands(fromCents(Math.round(value * 100)))
  return kind === 'count' ? countText(value) : String(value)
}
