import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { CspNonce, DatabaseUnavailable } from '~/components/server-status'
import type { RouteHandle } from '~/root'
import { isDatabaseUnavailable, loggableError } from '~/services/db.server'
import { loggablePath, logger } from '~/services/logger.server'

// What the production server (server/) needs of the app: it imports the built app only and finds
// these on the build's entry module, so that each app module is loaded once, from the build.
export { startupSignInLink } from '~/auth/auth.server'
export { startJobs, stopJobs } from '~/jobs/runner.server'
export { bodyLimitFor, formatBytes, type RefusedBody } from '~/models/body-limits.server'
export { AppLoginError, PendingMigrationsError, prepareDatabase } from '~/models/startup.server'
export { DEMO_ADMIN_EMAIL } from '~/seed/demo.server'
export { isCrossSiteRequest, refusedOrigin, type RefusedOrigin } from '~/services/csrf.server'
export { createDatabaseFromEnv, errorSummary, isDatabaseUnavailable, setDatabase } from '~/services/db.server'
export { env, EnvError, type Env } from '~/services/env.server'
export { loggablePath, logger, withLogContext } from '~/services/logger.server'
export { withRequestScope } from '~/services/request-scope.server'
export { loggableError }

/** How long a streamed page may wait for its deferred data. */
const ABORT_DELAY = 5_000

// Requests whose loader or action failed because the database did not answer:
// they get a 503 page instead of a 500.
const unavailable = new WeakSet<Request>()

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  if (isDatabaseUnavailable(error)) {
    unavailable.add(request)
    logger().warn(`database unavailable: ${loggablePath(new URL(request.url).pathname)}`)
    return
  }
  logger().error({ err: error }, `request failed: ${loggablePath(new URL(request.url).pathname)}`)
}

/** Every page: scripts and the inline stylesheet only with this response's nonce. */
function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = randomBytes(16).toString('base64')
  responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce))
  responseHeaders.set('X-Content-Type-Options', 'nosniff')
  // Sign-in links carry their token in the address: never pass it to another site.
  responseHeaders.set('Referrer-Policy', 'same-origin')
  const databaseDown = unavailable.has(request)
  if (databaseDown) {
    responseStatusCode = 503
    responseHeaders.set('Retry-After', '30')
    responseHeaders.set('Cache-Control', 'no-store')
  }
  const page = (
    <CspNonce.Provider value={nonce}>
      <DatabaseUnavailable.Provider value={databaseDown}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </DatabaseUnavailable.Provider>
    </CspNonce.Provider>
  )
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  // A page without client React (every page today) is rendered whole, to one string, and sent as
  // one buffer, which compression gzips in one go: streamed, it went out in hundreds of small
  // gzip chunks (README, "Bench"). A page that hydrates streams, for <Scripts> sends its loader
  // data after the HTML.
  const hydrates = remixContext.staticHandlerContext.matches.some(
    (match) => (remixContext.routeModules[match.route.id]?.handle as RouteHandle | undefined)?.hydrate,
  )
  if (!hydrates) return new Response(renderToString(page), { headers: responseHeaders, status: responseStatusCode })
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(page, {
      nonce,
      onAllReady() {
        shellRendered = true
        const body = new PassThrough()
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
        pipe(body)
      },
      onShellError(error: unknown) {
        reject(error)
      },
      onError(error: unknown) {
        responseStatusCode = 500
        if (shellRendered) logger().error({ err: error }, 'page failed while streaming')
      },
    })
    setTimeout(abort, ABORT_DELAY).unref()
  })
}
