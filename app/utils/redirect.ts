const BASE = 'http://tara-hub.invalid'

/** True when `path`, sent as a `Location`, names a page of this site (and nothing a browser reads otherwise). */
function isLocalPath(path: string): boolean {
  // "//host" and "/\host" are scheme-relative: another origin. Browsers read "\" as "/".
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return false
  // Browsers strip tabs and newlines from a URL before reading it; other controls have no place either.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return false
  return URL.canParse(path, BASE) && new URL(path, BASE).origin === BASE
}

/**
 * A redirect target from user input (`redirectTo`), accepted only as a path on this site:
 * "/orders?status=pending" passes; "//evil.example", "https://evil.example", "/\\evil", anything
 * with control characters, and paths whose dot segments collapse into "//" ("/.//evil",
 * "/a/..//evil", "/%2e//evil") fall back. What comes out is the normalised path, checked again:
 * it never starts with "//" or "/\\", so a browser cannot read it as another origin.
 */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || to.length > 2000 || !isLocalPath(to)) return fallback
  const url = new URL(to, BASE)
  const normalised = `${url.pathname}${url.search}${url.hash}`
  return isLocalPath(normalised) ? normalised : fallback
}
