// `npm start`: builds the app if needed, loads the build, prepares the database
// (app/models/startup.server.ts, through the build's entry module) and serves the app.
// Only the build is imported (never app/ from source), so each app module is loaded once.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createApp } from './app'
import { BuildError, buildIfNeeded, loadBuild, type AppExports, type LoadedBuild } from './build'

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

/**
 * Exits: a failure the user can fix as one clear line of plain text on stderr (for the person
 * starting the app), anything else logged as fatal with its stack (without values); before the
 * build is loaded there is no logger yet, and the error is printed as it is.
 */
function fail(error: unknown, app?: AppExports): never {
  const known = app ? [app.EnvError, app.PendingMigrationsError, app.AppLoginError] : []
  if (error instanceof BuildError || known.some((type) => error instanceof type)) console.error((error as Error).message)
  else if (app) app.logger().fatal({ err: error }, 'the server could not start')
  else console.error(error)
  process.exit(1)
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
  // Ended sessions, spent links and old rate-limit hits: cleared at start and every hour.
  const prune = () => app.pruneSignInData().catch((error: unknown) => log.warn(`cleanup: ${app.errorSummary(error)}`))
  await prune()
  const pruning = setInterval(prune, 60 * 60_000)
  pruning.unref()
  // Sign-in links and invitations wait in the mail outbox; this sends them, and retries.
  const stopMailDelivery = app.startMailDelivery()
  const listening = server.listen(e.PORT, () => {
    log.info(`Tara Hub is ready at ${e.APP_URL} (${database.driver} database)`)
    // Printed, not logged: the console is the demo's mailbox, and this is for the person at it.
    if (link) console.log(`Sign in as ${app.DEMO_ADMIN_EMAIL} with this one-time link (15 minutes):\n  ${link}`)
  })
  const stop = () => {
    stopMailDelivery()
    listening.close()
    void database.close().finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
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
