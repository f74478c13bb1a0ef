// Cross-site request forgery: a request that can change something (anything but GET, HEAD and
// OPTIONS) must come from a page of this site, as the browser's Origin header says.
// The server (server/app.ts) answers 403 before the request reaches a route.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isCrossSiteRequest(method: string, origin: string | undefined, appUrl: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false
  return origin !== new URL(appUrl).origin
}
