// safeRedirect: only a path on this site comes out, whatever a `redirectTo` holds. The table is
// the known ways to make a "local" path that a browser reads as another origin.
import { describe, expect, it } from 'vitest'
import { safeRedirect } from '~/utils/redirect'

const BASE = 'https://hub.example.com'

/** Where a browser goes with `Location: <target>` from a page of this site. */
function browserOrigin(target: string) {
  return new URL(target, `${BASE}/login`).origin
}

describe('safeRedirect', () => {
  it.each([
    ['/orders?status=pending#top', '/orders?status=pending#top'],
    ['/fabrics/../users', '/users'],
    ['/fabrics/./abc', '/fabrics/abc'],
    ['/fabrics?q=a//b', '/fabrics?q=a//b'],
    ['/orders/%2Fx', '/orders/%2Fx'],
  ])('keeps the local path %j as %j', (to, expected) => {
    expect(safeRedirect(to)).toBe(expected)
  })

  const bypasses = [
    // Scheme-relative and absolute addresses.
    '//evil.example/x',
    '///evil.example/x',
    'https://evil.example/',
    'http:evil.example',
    'HTTPS://evil.example',
    // Backslashes, which browsers read as slashes.
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    // Dot segments that collapse into "//" once the path is normalised.
    '/.//evil.example/x',
    '/a/..//evil.example/x',
    '/./\\evil.example',
    '/%2e//evil.example/x',
    '/%2E//evil.example/x',
    '/a/%2e%2e//evil.example/x',
    '/.%2e//evil.example/x',
    '/a/.%2E/%2e%2E//evil.example',
    // Tabs, newlines and other controls that browsers strip from a URL.
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '\t//evil.example',
    ' //evil.example',
    '/x\r\nSet-Cookie: a=b',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    // Not a path at all.
    'orders',
    '',
    null,
    undefined,
    42,
  ]

  it.each(bypasses)('refuses %j and falls back to /', (to) => {
    expect(safeRedirect(to)).toBe('/')
  })

  it.each(bypasses.filter((b): b is string => typeof b === 'string'))(
    'never gives a browser another origin, or a path starting // or /\\, for %j',
    (to) => {
      const out = safeRedirect(to, '/fallback')
      expect(out.startsWith('/')).toBe(true)
      expect(out.startsWith('//')).toBe(false)
      expect(out.startsWith('/\\')).toBe(false)
      expect(browserOrigin(out)).toBe(BASE)
      // Normalised again (as a browser would), it stays a local path.
      const again = new URL(out, BASE)
      expect(again.pathname.startsWith('//')).toBe(false)
    },
  )
})
