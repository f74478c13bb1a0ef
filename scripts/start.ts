// `npm start`: prepares the database (app/models/startup.server.ts), builds if needed, serves the app.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { bodyLimitFor, formatBytes, type RefusedBody } from '~/models/body-limits.server'
import { DEMO_ADMIN_EMAIL } from '~/seed/demo.server'
import { pruneSignInData, startMailDelivery, startupSignInLink } from '~/auth/auth.server'
import { isCrossSiteRequest } from '~/services/csrf.server'
import { createDatabaseFromEnv, errorSummary, isDatabaseUnavailable, loggableError } from '~/services/db.server'
import { withRequestScope } from '~/services/request-scope.server'
import { env } from '~/services/env.server'
import { prepareDatabase } from '~/models/startup.server'
import { buildIfNeeded, runScript, SERVER_BUILD } from './lib'

/** A bare machine's demo needs no setup: keep a generated secret next to the embedded database. */
function localSessionSecret(pgliteDir: string): string {
  const dataDir = pgliteDir.startsWith('memory://') ? path.resolve('data') : path.dirname(path.resolve(pgliteDir))
  const file = path.join(dataDir, 'session-secret')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  }
  return readFileSync(file, 'utf8').trim()
}

/** How long a refused request's body may still be read (and dropped) after its answer went out. */
const LINGER_MS = 2_000

await runScript(async () => {
  const embedded = !process.env.DATABASE_URL
  const saidProduction = process.env.NODE_ENV === 'production'
  if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production'
  if (embedded && !process.env.SESSION_SECRET) {
    process.env.SESSION_SECRET = localSessionSecret(process.env.PGLITE_DIR ?? './data/pglite')
  }
  const e = env()

  // The server build's `db` picks this handle up, so there is one connection pool (one PGlite).
  const database = createDatabaseFromEnv()
  const { demo, adminCreated } = await prepareDatabase(database, { adminEmail: e.ADMIN_EMAIL })
  if (demo) {
    console.log(
      `Loaded the demo: ${demo.fabrics} fabrics, ${demo.orders} orders, ${demo.content} posts, ${demo.analytics} metrics.`,
    )
  }
  if (adminCreated) console.log('Created the admin user from ADMIN_EMAIL.')
  buildIfNeeded()
  // The embedded demo, not declared production, and no mail server: the console is the
  // mailbox (the dev outbox), so a new user can sign in at once.
  const link = embedded && !saidProduction && !e.SMTP_URL ? await startupSignInLink(DEMO_ADMIN_EMAIL) : null

  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', e.TRUST_PROXY)
  const appHost = new URL(e.APP_URL).host
  app.use((req, res, next) => {
    if (isCrossSiteRequest(req.method, req.get('origin'), e.APP_URL)) {
      res.status(403).type('text/plain').send('This request did not come from a page of this site (Origin check).')
      return
    }
    // The app answers for APP_URL only: a forged Host or X-Forwarded-Host never reaches a route
    // (Remix builds request.url from them).
    req.headers.host = appHost
    delete req.headers['x-forwarded-host']
    withRequestScope(next)
  })
  // Request bodies: nothing in Express reads them (a route reads its own, after its checks, e.g. a
  // per-address rate limit); here each is held to what its route takes (app/models/body-limits.server.ts)
  // before a byte of it is read. A Content-Length over the limit gets a 413 at once. A body without
  // a Content-Length (chunked) gets a 411 rather than being counted while read: every browser's
  // form says its length (and proxies that buffer a body pass it on with one), so only other
  // clients send such bodies, and refusing them means the size is always known before reading.
  // The answer is the app's own error page: the request goes on as GET /request-refused, and the
  // rest of the body is only ever dropped.
  app.use((req, res, next) => {
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
  })
  app.use(compression())
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
  app.use(express.static('build/client', { maxAge: '1h' }))
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
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
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
      }),
    }),
  )
  // What fails outside Remix's own handling, such as a streamed file (a CSV export) whose database
  // went away half-way: logged without values; a response already begun is cut off (its socket
  // destroyed, no terminating chunk), so that nobody mistakes half a file for a whole one.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isDatabaseUnavailable(error)) console.warn(`database unavailable: ${errorSummary(error)}`)
    else console.error(loggableError(error))
    if (res.headersSent) res.destroy()
    else res.status(500).type('text/plain').send('Something went wrong.')
  })
  // Ended sessions, spent links and old rate-limit hits: cleared at start and every hour.
  const prune = () => pruneSignInData().catch((error: unknown) => console.warn(`cleanup: ${errorSummary(error)}`))
  await prune()
  const pruning = setInterval(prune, 60 * 60_000)
  pruning.unref()
  // Sign-in links and invitations wait in the mail outbox; this sends them, and retries.
  const stopMailDelivery = startMailDelivery()
  const server = app.listen(e.PORT, () => {
    console.log(`Tara Hub is ready at ${e.APP_URL} (${database.driver} database)`)
    if (link) console.log(`Sign in as ${DEMO_ADMIN_EMAIL} with this one-time link (15 minutes):\n  ${link}`)
  })
  const stop = () => {
    stopMailDelivery()
    server.close()
    void database.close().finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
})
