// The Express app in front of the built Remix app: a request id and one log line per request, the
// Origin check, the Host pin, one request scope per request, body limits, compression, static
// files and uploaded images, then Remix.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { Env, RefusedBody, RefusedOrigin } from '~/entry.server'
import { bodyLimits } from './body-limits'
import type { AppExports } from './build'
import { refuse } from './refuse'

export function createApp({ build, app: appExports, env: e }: { build: ServerBuild; app: AppExports; env: Env }) {
  const { isCrossSiteRequest, refusedOrigin, withRequestScope, isDatabaseUnavailable, errorSummary } = appExports
  const { logger, withLogContext, loggablePath } = appExports
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', e.TRUST_PROXY)
  const appHost = new URL(e.APP_URL).host
  app.use((req, res, next) => {
    // Every request gets an id, sent back as X-Request-Id and carried by every line logged while
    // it is handled; when it ends, one line says what it was and how it went. The path is read
    // now (a refused request goes on as /request-refused), without its query string.
    const requestId = randomUUID()
    const started = performance.now()
    const method = req.method
    const requestPath = loggablePath(req.path)
    res.setHeader('X-Request-Id', requestId)
    res.once('close', () => {
      const status = res.statusCode
      const durationMs = Math.round((performance.now() - started) * 10) / 10
      // A response cut off before its end (the client left, or a download whose database went away).
      const aborted = !res.writableFinished
      // Static files (the build's assets, uploaded images) and health checks only at debug, so
      // that the log shows what people did; any of them that fails, at info.
      const quiet = status < 400 && (res.locals.staticFile === true || requestPath === '/healthz')
      const level = status >= 500 || aborted ? 'warn' : quiet ? 'debug' : 'info'
      logger()[level](
        { requestId, method, path: requestPath, status, durationMs, ...(aborted ? { aborted } : {}) },
        `${method} ${requestPath} ${status}${aborted ? ' (cut off)' : ''} in ${durationMs} ms`,
      )
    })
    withLogContext({ requestId }, () => handle(req, res, next))
  })
  const handle: express.RequestHandler = (req, res, next) => {
    // A change sent from a page at another address than APP_URL: the app's own 403 page says
    // where it came from and what to set (app/routes/request-refused.tsx).
    const origin = req.get('origin')
    if (isCrossSiteRequest(req.method, origin, e.APP_URL)) {
      const refused: RefusedOrigin = refusedOrigin(origin, e.APP_URL)
      res.locals.refusedOrigin = refused
      refuse(req, res)
    }
    // The app answers for APP_URL only: a forged Host or X-Forwarded-Host never reaches a route
    // (Remix builds request.url from them).
    req.headers.host = appHost
    delete req.headers['x-forwarded-host']
    withRequestScope(next)
  }
  app.use(bodyLimits(appExports))
  app.use(compression())
  // The build's files (favicon, robots.txt, hashed assets) all have an extension; a page's path
  // never does, so pages go straight to Remix without a look on disk.
  // express.static calls setHeaders for each file it serves (304s included): its log line is quiet.
  const staticFile = (res: express.Response) => void (res.locals.staticFile = true)
  const assets = express.static('build/client/assets', { immutable: true, maxAge: '1y', setHeaders: staticFile })
  const publicFiles = express.static('build/client', { maxAge: '1h', setHeaders: staticFile })
  app.use('/assets', (req, res, next) => (path.extname(req.path) ? assets(req, res, next) : next()))
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()))
  // Uploaded images: each name is random and never reused, so browsers may keep them for good.
  // No listings, no index files; the type comes from the extension (the app writes only .webp).
  // Only the images' folder is served (Etsy files awaiting confirmation also live in UPLOAD_DIR),
  // and anything else under /uploads is a plain 404 that never reaches the app's routes.
  app.use(
    '/uploads/fabrics',
    express.static(path.resolve(e.UPLOAD_DIR, 'fabrics'), {
      immutable: true,
      maxAge: '1y',
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (res) => {
        res.setHeader('X-Content-Type-Options', 'nosniff')
        staticFile(res)
      },
    }),
  )
  app.use('/uploads', (_req: express.Request, res: express.Response) => {
    res.status(404).type('text/plain').send('Not found')
  })
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: e.NODE_ENV,
      getLoadContext: (req, res) => ({
        clientIp: req.ip,
        refusedBody: res.locals.refusedBody as RefusedBody | undefined,
        refusedOrigin: res.locals.refusedOrigin as RefusedOrigin | undefined,
      }),
    }),
  )
  // What fails outside Remix's own handling, such as a streamed file (a CSV export) whose database
  // went away half-way: logged without values; a response already begun is cut off (its socket
  // destroyed, no terminating chunk), so that nobody mistakes half a file for a whole one.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isDatabaseUnavailable(error)) logger().warn(`database unavailable: ${errorSummary(error)}`)
    else logger().error({ err: error }, 'request failed')
    if (res.headersSent) res.destroy()
    else res.status(500).type('text/plain').send('Something went wrong.')
  })
  return app
}
