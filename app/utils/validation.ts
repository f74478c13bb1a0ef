import { z } from 'zod'

/** An email address as a person types it: trimmed, with a message that says what is wanted. */
export const EmailAddress = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .max(254, 'That is too long for an email address.')
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }))

/** True for a uuid. An id from a URL that is not one is simply not found (PostgreSQL would raise). */
export function isUuid(value: string): boolean {
  return z.uuid().safeParse(value).success
}
