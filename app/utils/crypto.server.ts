import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe (43 characters): sign-in tokens and session ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a secret token, or of an email or address used as a key. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** The shape randomToken() makes; anything else is refused before it reaches a query. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/
