// Request bodies: nothing in Express reads them (a route reads its own, after its checks, e.g. a
// per-address rate limit); here each is held to what its route takes (app/models/body-limits.server.ts)
// before a byte of it is read. A Content-Length over the limit gets a 413 at once. A body without
// a Content-Length (chunked) gets a 411 rather than being counted while read: every browser's
// form says its length (and proxies that buffer a body pass it on with one), so only other
// clients send such bodies, and refusing them means the size is always known before reading.
// The answer is the app's own error page: the request goes on as GET /request-refused, and the
// rest of the body is only ever dropped.
import type { RequestHandler } from 'express'
import type { RefusedBody } from '~/entry.server'
import type { AppExports } from './build'

/** How long a refused request's body may still be read (and dropped) after its answer went out. */
const LINGER_MS = 2_000

export function bodyLimits({ bodyLimitFor, formatBytes }: Pick<AppExports, 'bodyLimitFor' | 'formatBytes'>): RequestHandler {
  return (req, res, next) => {
    const length = req.headers['content-length']
    const chunked = length === undefined && req.headers['transfer-encoding'] !== undefined
    const limit = bodyLimitFor(req.path)
    if (!chunked && (length === undefined || Number(length) <= limit)) {
      next()
      return
    }
    const refused: RefusedBody = { status: chunked ? 411 : 413, limit: formatBytes(limit) }
    res.locals.refusedBody = refused
    // A lingering close, as web servers do: the client may still be sending when the page goes out,
    // and closing the connection at once would reset it, so that the client sees a broken connection
    // instead of the page. Node reads and drops what is still sent (never kept, never parsed); if
    // it has not all come within LINGER_MS, the connection is closed.
    res.once('finish', () => {
      if (req.complete) return
      const linger = setTimeout(() => req.socket.destroy(), LINGER_MS)
      linger.unref()
      req.once('end', () => clearTimeout(linger))
      req.once('close', () => clearTimeout(linger))
    })
    req.method = 'GET'
    req.url = req.originalUrl = '/request-refused'
    next()
  }
}
