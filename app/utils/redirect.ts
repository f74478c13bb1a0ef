/**
 * A redirect target from user input (`redirectTo`), accepted only as a path on this site:
 * "/orders?status=pending" passes; "//evil.example", "https://evil.example", "/\\evil" and
 * anything with control characters fall back.
 */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to) || to.length > 2000) return fallback
  const base = 'http://tara-hub.invalid'
  const url = new URL(to, base)
  if (url.origin !== base) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
