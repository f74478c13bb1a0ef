// Request bodies: nothing in Express reads them (a route reads its own, after its checks, e.g. a
// per-address rate limit); here each is held to what its route takes (app/models/body-limits.server.ts)
// before a byte of it is read. A Content-Length over the limit gets a 413 at once. A body without
// a Content-Length (chunked) gets a 411 rather than being counted while read: every browser's
// form says its length (and proxies that buffer a body pass it on with one), so only other
// clients send such bodies, and refusing them means the size is always known before reading.
// The answer is the app's own error page (server/refuse.ts), and the rest of the body is only ever dropped.
import type { RequestHandler } from 'express'
import type { RefusedBody } from '~/entry.server'
import type { AppExports } from './build'
import { refuse } from './refuse'

export function bodyLimits({ bodyLimitFor, formatBytes }: Pick<AppExports, 'bodyLimitFor' | 'formatBytes'>): RequestHandler {
  return (req, res, next) => {
    // Refused already (the Origin check): its body is dropped whatever its size.
    if (res.locals.refusedOrigin) {
      next()
      return
    }
    const length = req.headers['content-length']
    const chunked = length === undefined && req.headers['transfer-encoding'] !== undefined
    const limit = bodyLimitFor(req.path)
    if (!chunked && (length === undefined || Number(length) <= limit)) {
      next()
      return
    }
    const refused: RefusedBody = { status: chunked ? 411 : 413, limit: formatBytes(limit) }
    res.locals.refusedBody = refused
    refuse(req, res)
    next()
  }
}
