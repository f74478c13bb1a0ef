// Cross-site request forgery: a request that can change something (anything but GET, HEAD and
// OPTIONS) must come from a page of this site, as the browser's Origin header says.
// The server (server/app.ts) refuses any other before it reaches a route: the answer is the app's
// own 403 page (app/routes/request-refused.tsx), which says where the request came from and what
// to set when that address is the app's after all (APP_URL).
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isCrossSiteRequest(method: string, origin: string | undefined, appUrl: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false
  return origin !== new URL(appUrl).origin
}

/** Why the server refused a request by its Origin: the page at /request-refused says it. */
export interface RefusedOrigin {
  /** The page's address as the browser gave it, when it is a plain http(s) origin; null otherwise (none, "null", or anything odd). */
  origin: string | null
  /** The address the app is set up for (APP_URL). */
  appUrl: string
}

/** The refusal for a request from `origin`: only a well-formed http(s) origin is ever repeated back. */
export function refusedOrigin(origin: string | undefined, appUrl: string): RefusedOrigin {
  const shown =
    origin !== undefined && origin.length <= 200 && URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol)
      ? new URL(origin).origin
      : null
  // Only what the browser sent, exactly: a header with a path or anything else after the origin is not repeated.
  return { origin: shown === origin ? shown : null, appUrl: new URL(appUrl).origin }
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Set by server/app.ts when it refused the request by its Origin (the request became GET /request-refused). */
    refusedOrigin?: RefusedOrigin
  }
}
