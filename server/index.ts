// `npm start`: builds the app if needed, loads the build, prepares the database
// (app/models/startup.server.ts, through the build's entry module) and serves the app.
// Only the build is imported (never app/ from source), so each app module is loaded once.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createApp } from './app'
import { buildIfNeeded, fail, loadBuild, type LoadedBuild } from './build'

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

async function serve({ build, app }: LoadedBuild, { embedded, saidProduction }: { embedded: boolean; saidProduction: boolean }) {
  const e = app.env()
  // A first start on the embedded database also creates it and loads the demo: say so, as the build does.
  const firstStart = embedded && !e.PGLITE_DIR.startsWith('memory://') && !existsSync(e.PGLITE_DIR)
  const log = app.logger()
  if (firstStart) log.info('Creating the database and loading the demo shop (first start only)…')
  // The app's one database handle: prepareDatabase hands it to the app's `db`.
  const database = app.createDatabaseFromEnv()
  const { demo, adminCreated } = await app.prepareDatabase(database, { adminEmail: e.ADMIN_EMAIL })
  if (demo) {
    log.info(
      `Loaded the demo: ${demo.fabrics} fabrics, ${demo.orders} orders, ${demo.content} posts, ${demo.analytics} metrics.`,
    )
  }
  if (adminCreated) log.info('Created the admin user from ADMIN_EMAIL.')
  // The embedded demo, not declared production, and no mail server: the console is the
  // mailbox (the dev outbox), so a new user can sign in at once.
  const link = embedded && !saidProduction && !e.SMTP_URL ? await app.startupSignInLink(app.DEMO_ADMIN_EMAIL) : null

  const server = createApp({ build, app, env: e })
  // The job queue: with JOBS=on (the default) this instance also runs the schedule and the jobs.
  await app.startJobs(database)
  const listening = server.listen(e.PORT, () => {
    log.info(`Tara Hub is ready at ${e.APP_URL} (${database.driver} database${e.JOBS === 'off' ? ', jobs off' : ''})`)
    // Printed, not logged: the console is the demo's mailbox, and this is for the person at it.
    if (link) console.log(`Sign in as ${app.DEMO_ADMIN_EMAIL} with this one-time link (15 minutes):\n  ${link}`)
  })
  // A stop (SIGTERM, Ctrl-C) takes no new requests or jobs, lets the running ones finish (for up
  // to SHUTDOWN_TIMEOUT), then closes the database. A job still running then is failed, and any
  // instance tries it again; a request still running is cut off.
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: stopping (waiting up to ${e.SHUTDOWN_TIMEOUT} s for running requests and jobs)…`)
    const timeoutMs = e.SHUTDOWN_TIMEOUT * 1000
    const requestsDone = new Promise<void>((resolve) => listening.close(() => resolve()))
    const cutOff = setTimeout(() => listening.closeAllConnections(), timeoutMs)
    cutOff.unref()
    void Promise.allSettled([requestsDone, app.stopJobs({ timeoutMs })])
      .then(() => database.close())
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

const embedded = !process.env.DATABASE_URL
const saidProduction = process.env.NODE_ENV === 'production'
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production'
if (embedded && !process.env.SESSION_SECRET) {
  process.env.SESSION_SECRET = localSessionSecret(process.env.PGLITE_DIR ?? './data/pglite')
}
// Build first, then load the build: everything below runs the built app's own modules.
const loaded = await Promise.resolve()
  .then(() => buildIfNeeded())
  .then(loadBuild)
  .catch((error: unknown) => fail(error))
await serve(loaded, { embedded, saidProduction }).catch((error: unknown) => fail(error, loaded.app))
