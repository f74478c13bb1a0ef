// The building blocks of every form schema and every list page's query: text that PostgreSQL can
// store, and whole numbers within explicit bounds. Input that breaks them is refused here, with a
// message next to its field (forms) or simply ignored (a list page's address), never passed on to
// the database, which would raise (NUL in text: 22021; an integer out of range: 22003) and
// turn a typing mistake into a server error.
import { z } from 'zod'
import { isDay, type Day } from './dates'

/** C0 control characters and DEL, except tab, line feed and carriage return (which text areas send). */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
/** Lone UTF-16 surrogates: not text, and PostgreSQL refuses them too. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const CONTROL_CHARACTER_MESSAGE =
  'Remove the invisible control character (such as a NUL byte) from this text: it cannot be saved.'

/** True when text holds what no field may hold: NUL and other control characters, or broken UTF-16. */
export function hasForbiddenCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text) || LONE_SURROGATE.test(text)
}

/**
 * Text as a person types it: any string without control characters. Every text field of every
 * form starts from this (then `.trim()`, `.min()`, `.max()` as it needs); `error` is the message
 * when the field is missing altogether.
 */
export function text(error?: string) {
  return z.string(error ? { error } : undefined).refine((v) => !hasForbiddenCharacters(v), CONTROL_CHARACTER_MESSAGE)
}

/** An optional text field of at most `max` characters, trimmed; empty → null. */
export function optionalText(max: number, label: string) {
  return text()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters.`)
    .optional()
    .transform((v) => v || null)
}

/** PostgreSQL's `integer`: no whole number schema goes past it. */
export const INTEGER_MAX = 2_147_483_647

/**
 * A whole number typed as text, between `min` and `max` (both included, and both required, so
 * that no number reaches the database out of its column's range). One message for every mistake.
 */
export function wholeNumber({ min, max, message }: { min: number; max: number; message: string }) {
  if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max && min >= -INTEGER_MAX - 1 && max <= INTEGER_MAX)) {
    throw new RangeError(`wholeNumber needs bounds within PostgreSQL's integer, got ${min}..${max}`)
  }
  return z
    .string({ error: message })
    .trim()
    .regex(/^[+-]?\d{1,10}$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message))
}

/** A form's hidden version field (edits carry the version they were loaded at). */
export const Version = wholeNumber({ min: 1, max: INTEGER_MAX, message: 'Reload the page and try again.' })

/** A whole number in text between `min` and `max`, or null: for showing what was typed (totals). */
export function readWholeNumber(typed: unknown, { min, max }: { min: number; max: number }): number | null {
  if (typeof typed !== 'string' || !/^\s*[+-]?\d{1,10}\s*$/.test(typed)) return null
  const n = Number(typed)
  return n >= min && n <= max ? n : null
}

/**
 * A page's query string as list pages read it: every value that holds a control character (or is
 * absurdly long) is dropped, as if it were not in the address, so a list page shows its list
 * rather than failing. Every loader reads its search params through this.
 */
export function searchParamsOf(request: Request | URL | string): URLSearchParams {
  const url = typeof request === 'string' ? new URL(request) : request instanceof URL ? request : new URL(request.url)
  return cleanSearchParams(url.searchParams)
}

export const MAX_QUERY_VALUE = 2000

export function cleanSearchParams(params: URLSearchParams): URLSearchParams {
  const clean = new URLSearchParams()
  for (const [key, value] of params) {
    if (hasForbiddenCharacters(key) || hasForbiddenCharacters(value) || value.length > MAX_QUERY_VALUE) continue
    clean.append(key, value)
  }
  return clean
}

/** A list page's query as an object for its zod schema: the first value of each name, cleaned; empty → absent. */
export function queryObject(params: URLSearchParams): Record<string, string | undefined> {
  const clean = cleanSearchParams(params)
  return Object.fromEntries([...new Set(clean.keys())].map((k) => [k, clean.get(k) || undefined]))
}

/**
 * What was typed into a form's "Find" box: trimmed and cut to `max` characters; text with a
 * control character searches for nothing and says why.
 */
export function readSearchText(typed: unknown, max = 200): { query: string; error: string | null } {
  const raw = typeof typed === 'string' ? typed : ''
  if (hasForbiddenCharacters(raw)) return { query: '', error: CONTROL_CHARACTER_MESSAGE }
  return { query: raw.trim().slice(0, max), error: null }
}

// Days outside these years are ignored: nobody plans a post or looks for an order in the year
// 9999, and day arithmetic there would leave the 'YYYY-MM-DD' form.
const FIRST_DAY = '1900-01-01'
const LAST_DAY = '2999-12-31'

/** A day in a page's address ('YYYY-MM-DD', 1900–2999), read leniently: anything else is no day. */
export const optionalQueryDay = text()
  .optional()
  .catch(undefined)
  .transform((v): Day | undefined => (v && isDay(v) && v >= FIRST_DAY && v <= LAST_DAY ? v : undefined))

/** An email address as a person types it: trimmed, with a message that says what is wanted. */
export const EmailAddress = text('Enter an email address.')
  .trim()
  .max(254, 'That is too long for an email address.')
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }))

/** True for a uuid. An id from a URL that is not one is simply not found (PostgreSQL would raise). */
export function isUuid(value: string): boolean {
  return z.uuid().safeParse(value).success
}
